"""Every page's address, and where MkDocs serves it: the one place a URL is made.

The engine knows a page by its *address*: its path below the site root as served with directory URLs
(`tin/2023/hoi-nghi/`, `don-vi/ban-dan-van/trang/2/`, `` for the home page). Each kind of page has one function
here that makes its address; nothing else spells one. Where a site sets `use_directory_urls: false`, MkDocs serves
the same page as `tin/2023/hoi-nghi.html`; `Addresses` maps each address to the path MkDocs actually gave the page,
so links, feeds, citations and search results all follow the site's choice. Page data hold addresses; templates
hand them to the `url` filter, which maps them with `Addresses` and makes them relative to the page. A `site_url`
with a sub-path (`https://example.vn/ban-tin/`) needs nothing more: pages link relatively, and absolute links are
joined to the full `site_url` by `Addresses.absolute`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from posixpath import splitext

from jinja2 import pass_context
from jinja2.runtime import Context

from bantin.citations import document_slug
from bantin.text import make_slug

HOME = ""
NEWS = "tin/"
MOST_VIEWED = "xem-nhieu/"
DOCUMENTS = "van-ban/"
CONCLUSIONS = "ket-luan/"
UNITS = "don-vi/"
ARCHIVE = "luu-tru/"
SEARCH = "tim-kiem/"
SEARCH_INDEX = "tim-kiem/chi-muc/"


@dataclass(frozen=True)
class Sections:
    """The addresses of the site's sections, for templates that link to them (the global `bt_sections`)."""

    home: str = HOME
    news: str = NEWS
    most_viewed: str = MOST_VIEWED
    documents: str = DOCUMENTS
    conclusions: str = CONCLUSIONS
    units: str = UNITS
    archive: str = ARCHIVE
    search: str = SEARCH


@dataclass(frozen=True)
class Link:
    """Text and the address it leads to (relative to the site root, directory style; "" is the home page)."""

    title: str
    url: str


def item_address(kind: str, year: int, slug: str) -> str:
    """A news article or a document: its folder by kind and year, then its file's slug."""
    return f"{kind}/{year}/{slug}/"


def item_source(kind: str, year: int, slug: str) -> str:
    return f"{kind}/{year}/{slug}.md"


def unit_address(slug: str) -> str:
    return f"{UNITS}{slug}/"


def category_address(name: str) -> str:
    return f"chuyen-muc/{make_slug(name)}/"


def topic_address(name: str) -> str:
    return f"chu-de/{make_slug(name)}/"


def document_address(slug: str) -> str:
    """The page of a cited document, by its number's slug (`bantin.citations.document_slug`)."""
    return f"{DOCUMENTS}{slug}/"


def number_address(number: str) -> str:
    """The page of a cited document, by its number as written ("62-KL/TW")."""
    return document_address(document_slug(number))


def kind_address(slug: str) -> str:
    """The listing of one kind of document (`bantin.documents.DocumentKind.slug`)."""
    return f"{DOCUMENTS}loai/{slug}/"


def archive_address(year: int, month: int | None = None) -> str:
    return f"{ARCHIVE}{year}/" if month is None else f"{ARCHIVE}{year}/{month:02d}/"


def listing_address(base: str, number: int) -> str:
    """Page `number` of a listing at `base` ("don-vi/x/", 2 → "don-vi/x/trang/2/")."""
    return base if number == 1 else f"{base}trang/{number}/"


def listing_source(base: str, number: int) -> str:
    """Source URI of page `number` of a listing at `base` ("don-vi/x/" → "don-vi/x/trang/2.md")."""
    return f"{base}index.md" if number == 1 else f"{base}trang/{number}.md"


def section_source(address: str) -> str:
    """Source URI of a page at a folder's address ("van-ban/" → "van-ban/index.md")."""
    return f"{address}index.md"


def feed_path(page: str) -> str:
    """The RSS file beside the page a feed mirrors ("don-vi/x/" → "don-vi/x/feed.xml")."""
    return f"{page}feed.xml"


def file_beside(src_uri: str, name: str) -> str:
    """A file placed beside a content file ("ket-luan/2024/x.md", "x.pdf" → "ket-luan/2024/x.pdf")."""
    return posixpath.join(posixpath.dirname(src_uri), name)


def address_of(src_uri: str) -> str:
    """The address of the page built from `src_uri` ("tin/index.md" → "tin/", "tin/2023/x.md" → "tin/2023/x/")."""
    stem = splitext(src_uri)[0]
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/"


@dataclass(frozen=True)
class Addresses:
    """Address → the path MkDocs serves that page at; an address of no known page is returned unchanged."""

    served: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of_pages(cls, pages: Iterable[tuple[str, str]], others: Mapping[str, str] | None = None) -> Addresses:
        """From (src_uri, url) of every page, as MkDocs computed `url` for the site's `use_directory_urls`,
        and `others`: published names of files whose names carry a hash (`bantin.fingerprint`)."""
        return cls({**{address_of(src_uri): url for src_uri, url in pages}, **(others or {})})

    def __call__(self, address: str) -> str:
        return self.served.get(address, address)

    def absolute(self, site_url: str, address: str) -> str:
        """The full URL of a page, below a `site_url` that may carry a sub-path."""
        return absolute(site_url, self(address))


def absolute(site_url: str, path: str) -> str:
    """A full URL from a path below the site root, under a `site_url` that may carry a sub-path."""
    return (site_url if site_url.endswith("/") else site_url + "/") + path


NO_ADDRESSES = Addresses()
"""Every address served as itself: the layout of a site with directory URLs."""

PLAIN_PATH = re.compile(r"[A-Za-z0-9_~%+-][A-Za-z0-9._~%+-]*(?:/[A-Za-z0-9_~%+-][A-Za-z0-9._~%+-]*)*/?")
"""A path below the site root with nothing MkDocs would normalize: no scheme, no `.`/`..` or empty segment."""


class PageLinks:
    """Paths below the site root as links relative to one page at a time, as MkDocs' `url` filter makes them.

    A page links to the same stylesheets, items and pictures many times (a card's address twice, a picture in
    several widths), and every page links to the same chrome and many to the same cards: each path is split once
    per build, made relative once per page, from the page's folder split once. A path MkDocs would normalize first
    (`./x`, `a//b`, `#top`, a full URL, an empty one) goes to `fallback`, MkDocs' own filter;
    tests/test_page_links.py holds both to the same links.
    """

    def __init__(self) -> None:
        self.targets: dict[str, tuple[str, list[str], bool] | None] = {}
        self.page: object = None
        self.folder: list[str] = []
        self.up = ""
        self.links: dict[str, str] = {}
        self.asked: dict[str, str] = {}
        """The page's links by the value its templates asked for (`ServedLinks`), before the address is mapped."""
        self.firsts: list[tuple[str, ...]] = []

    def turn_to(self, page: object, page_url: str) -> None:
        """Make the links of `page`, served at `page_url`, from now on."""
        folder, _, name = page_url.rpartition("/")
        self.page, self.folder, self.links, self.asked = page, parts_of(folder if "." in name else page_url), {}, {}
        self.up = "../" * len(self.folder)
        self.firsts = [tuple(self.folder[:length]) for length in range(1, len(self.folder) + 1)]

    def link(self, path: str, fallback: Callable[[str], str]) -> str:
        link = self.links.get(path)
        if link is None:
            link = self.links[path] = self.relative(path, fallback)
        return link

    def relative(self, path: str, fallback: Callable[[str], str]) -> str:
        """mkdocs.utils.get_relative_url for a plain path (its `normalize_url` leaves such a path as it is).

        A path sharing no first folder with the page (most are: assets, other sections) is the way up to the
        root and the path itself; only the others are compared folder by folder."""
        if path in self.targets:
            target = self.targets[path]
        else:
            parts = path.rstrip("/").split("/")
            plain = PLAIN_PATH.fullmatch(path) is not None
            target = self.targets[path] = (parts[0], parts, path.endswith("/")) if plain else None
        if target is None:
            return fallback(path)
        first, parts, folder_like = target
        folder = self.folder
        if not folder or folder[0] != first:
            return self.up + path
        common = 0
        for mine, theirs in zip(folder, parts, strict=False):
            if mine != theirs:
                break
            common += 1
        link = "/".join([".."] * (len(folder) - common) + parts[common:]) or "."
        return link + "/" if folder_like else link

    def position(self, reach: Reach) -> tuple[int, tuple[str, ...]]:
        """What the links to the plain paths of `reach` depend on from this page: its depth and the part of its folder
        they share. A path's link is the way up and down from the folder they share with the page (`relative`), so
        pages at the same depth sharing the same first folders with every path get the same links."""
        prefixes = reach.prefixes
        shared: tuple[str, ...] = ()
        for first in self.firsts:
            if first not in prefixes:
                break  # prefixes hold every first part of every path: the first miss ends it
            shared = first
        return len(self.folder), shared


@dataclass(frozen=True)
class Reach:
    """Some link targets as `PageLinks.position` compares pages for them: every first part (folders from the root)
    of each plain path, and the targets that are not plain paths, whose links MkDocs' own filter makes."""

    prefixes: frozenset[tuple[str, ...]]
    others: tuple[str, ...]

    @classmethod
    def of(cls, paths: Iterable[tuple[str, str]]) -> Reach:
        """From (target, path it is served at) pairs."""
        prefixes: set[tuple[str, ...]] = set()
        others = []
        for target, path in paths:
            if PLAIN_PATH.fullmatch(path) is None:
                others.append(target)
                continue
            parts = tuple(path.rstrip("/").split("/"))
            prefixes.update(parts[:length] for length in range(1, len(parts) + 1))
        return cls(frozenset(prefixes), tuple(others))


class ServedLinks:
    """MkDocs' `url` filter (`filter`), first turning a page's address into where the site serves it (`Addresses`).

    The links of the page being rendered are made by `PageLinks` (the filter's only state, for one build), which
    leaves to MkDocs' own filter the paths it would normalize first, and the pages outside the nav. `reach` and
    `position` tell, for links made once and reused (bantin.chrome), whether a page would make the same links.
    """

    def __init__(self, url: Callable[..., str], addresses: Addresses) -> None:
        self.url = url
        self.addresses = addresses
        self.links = PageLinks()

    @pass_context
    def filter(self, context: Context, value: object) -> str:
        page = context["page"]
        if page is None:
            return site_root(self.url(context, self.addresses(str(value))))
        links = self.links
        if page is not links.page:
            links.turn_to(page, page.url)
        if type(value) is not str:
            return links.link(self.addresses(str(value)), lambda path: site_root(self.url(context, path)))
        # The page's links by the value asked for, before its address is mapped: most are asked for again.
        link = links.asked.get(value)
        if link is None:
            link = links.link(self.addresses(value), lambda path: site_root(self.url(context, path)))
            links.asked[value] = link
        return link

    def reach(self, targets: Iterable[str]) -> Reach:
        return Reach.of((target, self.addresses(target)) for target in targets)

    def position(self, context: Context, reach: Reach) -> Hashable:
        """Equal for two pages exactly when the links to `reach`'s targets are the same from both."""
        page = context["page"]
        if page is None:
            return (None, tuple(self.filter(context, target) for target in reach.others))
        links = self.links
        if page is not links.page:
            links.turn_to(page, page.url)
        if not reach.others:
            return links.position(reach)
        return (links.position(reach), tuple(self.filter(context, target) for target in reach.others))


def site_root(link: str) -> str:
    """MkDocs writes the home address of a page served at any depth (404.html) as `<base>/./`: it is `<base>/`."""
    if not link.startswith("/"):
        return link
    while "/./" in link:
        link = link.replace("/./", "/")
    return link[:-1] if link.endswith("/.") else link


def parts_of(path: str) -> list[str]:
    """A page's folder as MkDocs splits it (mkdocs.utils._norm_parts)."""
    normal = posixpath.normpath(path if path.startswith("/") else "/" + path)[1:]
    return normal.split("/") if normal else []
