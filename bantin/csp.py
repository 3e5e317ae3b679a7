"""The site's Content-Security-Policy and referrer policy: the one place they are written.

Pages carry them in `<meta>` elements (a static site has no headers of its own); a web server in front of the site
can send `HEADER_POLICY` and `REFERRER_POLICY` as headers too. No script runs unless it is a file of this site (the
theme's inline scripts are moved into files), nothing is loaded from another host, nothing may frame or be framed,
and `<base>` cannot redirect the page's links. Images may also be `data:` URLs: Material draws its icons with them
from its stylesheet.
"""

from __future__ import annotations

import re
from html import escape

DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'self'",
    "object-src 'none'",
    "frame-src 'none'",
    "child-src 'none'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
)
POLICY = "; ".join(DIRECTIVES)
"""The policy as a page's `<meta http-equiv="Content-Security-Policy">` carries it."""
HEADER_POLICY = POLICY + "; frame-ancestors 'none'"
"""The policy as a server header: `frame-ancestors` only works there (browsers ignore it in `<meta>`)."""
REFERRER_POLICY = "same-origin"
"""Readers following a link to another site do not tell it which page they came from."""
# `mkdocs serve` injects an inline script that reloads the preview; only there is inline script allowed.
PREVIEW_POLICY = POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")

HEAD = re.compile(r"<head\b[^>]*>(?:\s*<meta charset=[^>]*>)?", re.IGNORECASE)


def meta_tags(policy: str = POLICY) -> str:
    return (
        f'<meta http-equiv="Content-Security-Policy" content="{escape(policy, quote=False)}">'
        f'<meta name="referrer" content="{REFERRER_POLICY}">'
    )


def with_policy(html: str, policy: str = POLICY) -> str:
    """The page with the policy's `<meta>` elements first in its head (after the charset), before any script."""
    match = HEAD.search(html, 0, 4096)
    if match is None:
        return html
    return html[: match.end()] + meta_tags(policy) + html[match.end() :]
