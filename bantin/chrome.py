"""Material's navigation drawn once per set of links: pages outside the nav share it instead of each rendering it.

Material renders its whole navigation (every section and item, logo, labels) into every page; for a page that is
not itself in the nav, what changes from one page to another is only where its links point, relative to the page.
So the rendered nav is kept by those relative links (the `url` filter's results for every target the nav links
to), and a page with the same links reuses it. A page in the nav (whose item is marked active) is always drawn.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from mkdocs.structure.nav import Navigation
from mkdocs.utils import normalize_url


class Chrome:
    """The `bt_chrome` template global of one build (each worker process keeps its own copy)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.navs: dict[tuple[str, ...], Markup] = {}

    def nav_key(self, page: Any, nav: Navigation | None, config: Any) -> tuple[str, ...]:
        """Every link target of the nav as the page's `url` filter writes it; () when the nav must be drawn."""
        if not self.enabled or page is None or nav is None or page in nav.pages:
            return ()
        targets = [
            config.extra.get("homepage") or (nav.homepage.url if nav.homepage else ""),
            config.theme.get("logo") or "",
        ]
        pending = list(nav.items)
        while pending:
            item = pending.pop()
            targets.append(getattr(item, "url", None) or "")
            pending.extend(getattr(item, "children", None) or [])
        return ("nav", *(normalize_url(str(target), page) for target in targets))

    def has(self, key: tuple[str, ...]) -> bool:
        return bool(key) and key in self.navs

    def get(self, key: tuple[str, ...]) -> Markup:
        return self.navs[key]

    def put(self, key: tuple[str, ...], html: str) -> Markup:
        rendered = Markup(html)
        if key:
            self.navs[key] = rendered
        return rendered
