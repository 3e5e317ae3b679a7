"""A link checker over a built site: every internal href/src of every page must name a file that was built."""

from __future__ import annotations

import gzip
import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

LINK_ATTRIBUTES = {"href", "src", "action", "poster"}


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in LINK_ATTRIBUTES:
                self.links.append(value)
            elif name == "srcset":
                self.links.extend(part.split()[0] for part in value.split(",") if part.strip())


def page_address(site: Path, page: Path, site_url: str) -> str:
    """The absolute URL a browser has for `page` when the site is published at `site_url`."""
    relative = page.relative_to(site).as_posix()
    return urljoin(site_url, relative)


def target_file(site: Path, url: str, site_url: str, directory_urls: bool) -> Path | None:
    """The built file `url` (absolute, below site_url) names, or None when it names nothing built."""
    path = unquote(urlsplit(url).path)
    root = urlsplit(site_url).path
    if not path.startswith(root):
        return None
    local = path[len(root) :]
    candidate = site / local
    if local == "" or local.endswith("/"):
        if not directory_urls:
            return None  # a directory link needs a server's index: with use_directory_urls false it must name a file
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def broken_links(site: Path, site_url: str, *, directory_urls: bool = True) -> list[str]:
    """Every internal link of every HTML page, feed, sitemap and search result that names no built file."""
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    host = urlsplit(site_url).netloc
    broken: list[str] = []

    def check(source: str, base: str, link: str) -> None:
        if link.startswith(("#", "mailto:", "tel:", "javascript:", "data:")) or not link.strip():
            return
        absolute = urljoin(base, link)
        parts = urlsplit(absolute)
        if parts.scheme not in ("http", "https") or parts.netloc != host:
            return  # another site: not ours to check (and no page of ours may load one, see the CSP tests)
        if target_file(site, absolute, site_url, directory_urls) is None:
            broken.append(f"{source}: {link}")

    for page in sorted(site.rglob("*.html")):
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        source = page.relative_to(site).as_posix()
        # MkDocs renders 404.html for any depth: its links are absolute paths below site_url.
        base = site_url if source == "404.html" else page_address(site, page, site_url)
        for link in parser.links:
            check(source, base, link)
    for feed in sorted(site.rglob("*.xml")):
        text = feed.read_text(encoding="utf-8")
        for chunk in text.split("<")[1:]:
            tag, _, value = chunk.partition(">")
            if tag in ("link", "loc", 'guid isPermaLink="true"'):
                check(feed.relative_to(site).as_posix(), site_url, value.strip())
    for result in sorted(site.glob("tim-kiem/chi-muc/*/d/*.bin")):
        record = json.loads(gzip.decompress(result.read_bytes()))
        check(result.relative_to(site).as_posix(), site_url, record["url"])
    return broken
