"""How a reader finds their way: the category menu under the masthead, breadcrumbs, and when a page needs a TOC."""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape
from typing import Any

from bantin import urls
from bantin.collection import Collection
from bantin.items import Item
from bantin.pages import ItemPage, ListingPage, PageData, UnitPage
from bantin.units import Unit
from bantin.urls import Link, category_address, unit_address

HEADING = re.compile(r"^#{2,3}[ \t]+\S", re.MULTILINE)
TOC_HEADINGS = 3  # an item gets a table of contents with at least this many sections…
TOC_WORDS = 900  # …and at least this many words: a short article reads top to bottom
MENU_CATEGORIES = 5  # the busiest categories in the menu; the rest are on the home page


def menu(collection: Collection, sections: list[Link]) -> list[Link]:
    """The site's sections (its `nav:`), the busiest categories right after Tin tức: one row that wraps at 360 px.

    Titles are HTML, as Material's header (not autoescaped) prints them: the nav's as MkDocs holds them, a
    category's (written by editors) escaped here.
    """
    busiest = sorted(collection.categories.values(), key=lambda group: (-len(group.items), group.name.casefold()))
    categories = [Link(escape(group.name), category_address(group.name)) for group in busiest[:MENU_CATEGORIES]]
    after = next((index for index, link in enumerate(sections) if link.url.startswith("tin/")), 0)
    return [*sections[: after + 1], *categories, *sections[after + 1 :]]


def sections_of(nav: Iterable[Any]) -> list[Link]:
    """The top of a site's navigation as links: a page or link by its URL, a section by its first page's."""
    links = []
    for entry in nav:
        target = entry
        while getattr(target, "url", None) is None and getattr(target, "children", None):
            target = target.children[0]
        url = getattr(target, "url", None)
        if url is not None:
            links.append(Link(str(entry.title), url))
    return links


SECTION_OF = {"ket-luan/": "van-ban/"}  # conclusion notices are documents: their pages sit under Văn bản


def current(links: list[Link], page_url: str) -> str | None:
    """The menu entry a page belongs to: the longest menu URL the page's URL starts with (the home only itself)."""
    for prefix, section in SECTION_OF.items():
        if page_url.startswith(prefix):
            page_url = section + page_url
    found = [link.url for link in links if link.url and page_url.startswith(link.url)]
    if not found:
        return "" if page_url == "" else None
    return max(found, key=len)


HOME = Link("Trang chủ", urls.HOME)
NEWS = Link("Tin tức", urls.NEWS)
REGISTER = Link("Văn bản", urls.DOCUMENTS)
UNITS = Link("Đơn vị", urls.UNITS)
ARCHIVE = Link("Lưu trữ", urls.ARCHIVE)


def trail(src_uri: str, data: PageData, collection: Collection) -> list[Link]:
    """Breadcrumbs above a generated page, from the home page down to (not including) the page itself."""
    if isinstance(data, ItemPage):
        item = data.item
        if item.kind == "ket-luan":
            return [HOME, REGISTER]
        if item.category:
            return [HOME, NEWS, Link(item.category, category_address(item.category))]
        return [HOME, NEWS]
    if isinstance(data, UnitPage):
        unit = data.unit
        links = [HOME, UNITS]
        for ancestor in ancestors(collection, unit):
            links.append(Link(ancestor.name, unit_address(ancestor.slug)))
        return links + page_parent(src_uri, data.base, unit.name)
    heading = data.heading if isinstance(data, ListingPage) else None
    section = src_uri.split("/", 1)[0]
    if section == "luu-tru":
        parts = src_uri.split("/")
        links = [HOME] if src_uri == "luu-tru/index.md" else [HOME, ARCHIVE]
        if len(parts) >= 3 and parts[2].isdigit() and len(parts[2]) == 2:
            links.append(Link(f"Năm {parts[1]}", urls.archive_address(int(parts[1]))))
        return links + paged_parent(src_uri, heading)
    if section in ("chuyen-muc", "chu-de"):
        return [HOME, NEWS, *paged_parent(src_uri, heading)]
    if section == "van-ban":
        if src_uri == "van-ban/index.md":
            return [HOME]
        return [HOME, REGISTER, *paged_parent(src_uri, heading)]
    if section == "ket-luan":
        return [HOME, REGISTER, *paged_parent(src_uri, heading)]
    if section in ("tin", "xem-nhieu", "don-vi", "tim-kiem"):
        return [HOME, *paged_parent(src_uri, heading)]
    return []


def paged_parent(src_uri: str, heading: str | None = None) -> list[Link]:
    """Page 2 of a listing sits under its page 1."""
    if "/trang/" not in src_uri:
        return []
    base = src_uri.split("trang/", 1)[0]
    return [Link(heading or "Trang 1", base)]


def page_parent(src_uri: str, base: str, title: str) -> list[Link]:
    return [Link(title, base)] if "/trang/" in src_uri else []


def ancestors(collection: Collection, unit: Unit) -> list[Unit]:
    """A unit's parents, the highest first; a loop in the registry (reported by `bantin check`) stops the walk."""
    found: list[Unit] = []
    parent = collection.registry.parent_of(unit)
    while parent is not None and parent not in found and parent != unit:
        found.append(parent)
        parent = collection.registry.parent_of(parent)
    return found[::-1]


def needs_toc(item: Item) -> bool:
    """A table of contents only where an item is long enough to need one."""
    return len(HEADING.findall(item.body)) >= TOC_HEADINGS and len(item.body.split()) >= TOC_WORDS
