"""The site's sitemap.xml and sitemap.xml.gz: every page a crawler should see, with the date it last changed.

MkDocs renders the theme's `sitemap.xml` and gzips it at zlib's slowest level (0.08 s for the 2.4 MB sitemap of
10,000 items, on every build and every save under `mkdocs serve`). Bản tin takes the template out of MkDocs' list
(`take_over`) and renders it itself after the pages, with the same plugin events, then writes both files through
`write_sitemap`: gzipped by ISA-L as the search index is (6 ms), and not at all when the folder holds them already.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from bantin.render import PLAIN_SITE, CachedPage
from bantin.search.index import compressed
from bantin.urls import PLAIN_PATH

SITEMAP = "sitemap.xml"
GZIPPED = SITEMAP + ".gz"


def take_over(config: MkDocsConfig) -> None:
    """MkDocs renders the theme's static templates after on_env; the sitemap is left to `write_sitemap`."""
    config.theme.static_templates.discard(SITEMAP)


def sitemap_entries(
    files: Files,
    config: MkDocsConfig,
    lastmods: dict[str, str],
    moved: frozenset[str] | set[str] = frozenset(),
    join: Callable[[str, str], str] = urljoin,
) -> list[tuple[str, str]]:
    """(address, lastmod) of every page in files' order, pages MkDocs renders and pages copied from the cache.

    `moved` are the src_uris of pages that only point elsewhere (a moved address): no crawler is sent there. `join`
    is urljoin, or under serve urljoin remembering its answers (15,000 pages at 10,000 items, bantin.live).
    """
    entries = []
    base = config.site_url or ""
    plain = base.endswith("/") and PLAIN_SITE.fullmatch(base) is not None  # joined end to end, as urljoin would
    for file in files:
        if file.src_uri in moved:
            continue
        if isinstance(file, CachedPage):
            if base:
                url = file.url
                address = base + url if plain and (not url or PLAIN_PATH.fullmatch(url)) else join(base, url)
                entries.append((address, lastmods.get(file.src_uri, "")))
        elif file.is_documentation_page() and file.page is not None and not file.page.is_link:
            page = file.page
            if page.canonical_url or page.abs_url:
                entries.append((page.canonical_url or page.abs_url or "", page.update_date))
    return entries


def write_sitemap(site_dir: str, output: str) -> bool:
    """Write the rendered sitemap and its gzip into `site_dir`, unless they hold it already; whether it wrote.

    Empty output (a site's template that lists nothing) writes neither file, as MkDocs does. Each file is written
    beside and renamed over the old one: a site folder may start as links to the published site's files.
    """
    if not output.strip():
        return False
    data = output.encode("utf-8")
    path = os.path.join(site_dir, SITEMAP)
    if os.path.isfile(path + ".gz") and held(path, data):
        return False
    for target, content in ((path, data), (path + ".gz", compressed(data))):
        temporary = f"{target}.{os.getpid()}.tmp"
        with open(temporary, "wb") as stream:
            stream.write(content)
        os.replace(temporary, target)
    return True


def held(path: str, data: bytes) -> bool:
    try:
        if os.path.getsize(path) != len(data):
            return False
        with open(path, "rb") as stream:
            return stream.read() == data
    except OSError:
        return False
