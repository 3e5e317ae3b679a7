"""Images that stand alone in a paragraph become figures, their alt text the caption readers see."""

from __future__ import annotations

import re
from html import escape, unescape

# Python-Markdown writes a lone image as <p><img alt="…" src="…" /></p> (attributes in that order, maybe a title).
LONE_IMAGE = re.compile(r"<p>\s*(<img\b[^>]*?\balt=\"([^\"]*)\"[^>]*>)\s*</p>")


def figures(html: str) -> str:
    """Wrap each lone image in <figure> with a <figcaption> of its alt text (none when the alt is empty)."""

    def figure(match: re.Match[str]) -> str:
        image, alt = match.group(1), unescape(match.group(2)).strip()
        caption = f"<figcaption>{escape(alt, quote=False)}</figcaption>" if alt else ""
        return f'<figure class="bt-figure">{image}{caption}</figure>'

    return LONE_IMAGE.sub(figure, html)
