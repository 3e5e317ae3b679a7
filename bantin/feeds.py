"""RSS feeds, robots.txt and sitemap dates: pure functions of the collection, written out by the plugin."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape
from typing import Literal

from bantin.collection import Collection
from bantin.documents import CONCLUSIONS, DocumentKind
from bantin.excerpts import excerpt
from bantin.items import Item
from bantin.pages import PageSpec, document_kind_items, document_kinds
from bantin.units import Unit
from bantin.urls import CONCLUSIONS as CONCLUSION_PAGE
from bantin.urls import HOME, NO_ADDRESSES, Addresses, feed_path, kind_address, unit_address

FEED_LIMIT = 20
DESCRIPTION_LENGTH = 300
VIETNAM = timezone(timedelta(hours=7), "ICT")
ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/elements/1.1/"
FeedKind = Literal["site", "unit", "ket-luan", "loai"]

# Characters XML 1.0 forbids even when escaped (C0 controls except tab/LF/CR, surrogates, U+FFFE/U+FFFF).
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
ET.register_namespace("atom", ATOM)
ET.register_namespace("dc", DC)


@dataclass(frozen=True)
class Channel:
    """One feed: its title, where its file goes (`path`) and which HTML page it mirrors (`page`), both site-relative."""

    title: str
    path: str
    page: str
    description: str


def channel_for(
    kind: FeedKind,
    site_name: str,
    unit: Unit | None = None,
    site_description: str | None = None,
    document_kind: DocumentKind | None = None,
) -> Channel:
    """The one place feed titles are made, so <head> links and the feeds themselves always agree."""
    if kind == "loai":
        if document_kind is None:
            raise ValueError("a kind's feed needs its kind")
        page = kind_address(document_kind.slug)
        name = document_kind.name
        return Channel(f"{name} – {site_name}", feed_path(page), page, f"{name} mới nhất")
    if kind == "unit":
        if unit is None:
            raise ValueError("a unit feed needs its unit")
        page = unit_address(unit.slug)
        return Channel(f"{unit.name} – {site_name}", feed_path(page), page, f"Tin bài mới nhất của {unit.name}")
    if kind == "ket-luan":
        return Channel(
            f"Thông báo kết luận – {site_name}",
            feed_path(CONCLUSION_PAGE),
            CONCLUSION_PAGE,
            "Thông báo kết luận mới nhất",
        )
    return Channel(site_name, feed_path(HOME), HOME, site_description or f"Tin bài mới nhất của {site_name}")


def feeds(
    collection: Collection, site_name: str, site_description: str | None = None
) -> list[tuple[Channel, list[Item]]]:
    """Every feed the site publishes with its items newest first: the site, the conclusions, each unit.

    A unit with no items still gets a feed, so a reader can subscribe before its first item appears.
    """
    found = [
        (channel_for("site", site_name, site_description=site_description), collection.items),
        (channel_for("ket-luan", site_name), collection.conclusions()),
    ]
    for document_kind in document_kinds(collection):
        found.append(
            (
                channel_for("loai", site_name, document_kind=document_kind),
                document_kind_items(collection, document_kind),
            )
        )
    for unit in collection.registry.units:
        found.append((channel_for("unit", site_name, unit), collection.by_unit(unit)))
    return found


def rss(
    channel: Channel,
    items: Sequence[Item],
    site_url: str,
    built: datetime | None = None,
    limit: int = FEED_LIMIT,
    addresses: Addresses = NO_ADDRESSES,
) -> str:
    """A complete RSS 2.0 document of the first `limit` items (the caller sorts them newest first).

    `lastBuildDate` is the newest item's date, so an unchanged feed stays byte-identical between builds. A feed
    with no items yet has none (the element is optional), unless the caller gives a fixed `built` date: the
    site build never writes the time it ran into any file.
    """
    base = absolute_base(site_url)
    shown = list(items[:limit])
    root = ET.Element("rss", {"version": "2.0"})
    head = ET.SubElement(root, "channel")
    text(head, "title", channel.title)
    text(head, "link", addresses.absolute(base, channel.page))
    text(head, "description", escape(channel.description, quote=False))
    ET.SubElement(head, f"{{{ATOM}}}link", {"href": base + channel.path, "rel": "self", "type": "application/rss+xml"})
    text(head, "language", "vi")
    newest = max((item.date for item in shown), default=built)
    if newest is not None:
        text(head, "lastBuildDate", rfc822(newest))
    for item in shown:
        link = addresses.absolute(base, item.url)
        entry = ET.SubElement(head, "item")
        text(entry, "title", item.title)
        text(entry, "link", link)
        ET.SubElement(entry, "guid", {"isPermaLink": "true"}).text = link
        text(entry, "pubDate", rfc822(item.date))
        if item.author:
            # RSS <author> must be an e-mail address; editors give names, which is what dc:creator holds.
            text(entry, f"{{{DC}}}creator", item.author)
        for name in dict.fromkeys(name for name in (item.unit.name, item.category) if name):
            text(entry, "category", name)
        # <description> is HTML to feed readers: our plain text is escaped as HTML before XML escapes it again.
        text(entry, "description", escape(excerpt(item, DESCRIPTION_LENGTH), quote=False))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def text(parent: ET.Element, tag: str, value: str) -> None:
    """A child element holding `value` as text; ElementTree escapes it, we drop what XML cannot carry at all."""
    ET.SubElement(parent, tag).text = XML_ILLEGAL.sub("", value)


def absolute_base(site_url: str) -> str:
    """Feeds need absolute links: readers fetch them with no page to resolve a relative URL against."""
    if not site_url.startswith(("http://", "https://")):
        example = "https://bantin.example.vn/"
        raise ValueError(
            f'nguồn tin RSS cần site_url tuyệt đối trong mkdocs.yml (ví dụ {example}), không phải "{site_url}"'
        )
    return site_url if site_url.endswith("/") else site_url + "/"


def rfc822(moment: datetime) -> str:
    """RFC 822 date in Vietnam time ("Thu, 25 Jan 2018 18:40:00 +0700"); naive datetimes are Vietnam time.

    email.utils writes English day and month names whatever the locale, as RFC 822 requires.
    """
    local = moment.replace(tzinfo=VIETNAM) if moment.tzinfo is None else moment.astimezone(VIETNAM)
    return format_datetime(local)


def feed_kind(src_uri: str, unit: Unit | None = None, document_kind: DocumentKind | None = None) -> FeedKind:
    """Which feed a page belongs to: its unit's, the conclusions' (register and notices), a kind's, else the site's."""
    if unit is not None:
        return "unit"
    if document_kind is not None and (document_kind.name not in CONCLUSIONS or src_uri.startswith("van-ban/")):
        return "loai"
    if src_uri.startswith("ket-luan/"):
        return "ket-luan"
    return "site"


def alternate_links(
    kind: FeedKind, site_name: str, unit: Unit | None = None, document_kind: DocumentKind | None = None
) -> list[Channel]:
    """Feeds a page advertises in <head> for autodiscovery: always the site's, then the page's own if it has one."""
    links = [channel_for("site", site_name)]
    if kind != "site":
        links.append(channel_for(kind, site_name, unit, document_kind=document_kind))
    return links


def robots_txt(site_url: str) -> str:
    """Everything may be crawled; the sitemap tells crawlers where the 10,000 articles are."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute_base(site_url)}sitemap.xml\n"


def sitemap_index(site_url: str) -> str:
    """A sitemap index pointing at the site's sitemap, placed beside each feed below the root.

    Material's script reads every `<link rel="alternate">` in a page's head as another language of the site and
    fetches `sitemap.xml` beside it (`…/don-vi/<unit>/sitemap.xml` for a unit's feed). This answers that request
    with a valid file instead of a 404, and keeps the feed links exactly as feed readers look for them.
    """
    loc = escape(f"{absolute_base(site_url)}sitemap.xml")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{loc}</loc></sitemap></sitemapindex>\n"
    )


def newest_shown(spec: PageSpec) -> datetime | None:
    """The date of the newest item a page shows, None when it shows none."""
    return max((item.date for item in spec.shown), default=None)


def page_lastmods(
    specs: Iterable[PageSpec], collection: Collection, newest_of: Callable[[PageSpec], datetime | None] = newest_shown
) -> dict[str, str]:
    """Sitemap <lastmod> (YYYY-MM-DD) by src_uri: the newest item a page shows, so it moves only when content does.

    All pages of one listing share its date: page 2 shifts whenever page 1 gains an item. Pages showing
    nothing dated (an empty unit) are left out. The home page ("index.md") lists the newest items of all.
    `newest_of` is `newest_shown`, or under serve the same remembered by page (bantin.live.Session.newest_shown).
    """
    newest: dict[str, datetime] = {}
    keys: dict[str, str] = {}
    for spec in specs:
        key = spec.group or spec.src_uri
        keys[spec.src_uri] = key
        date = newest_of(spec)
        if date is not None and (key not in newest or date > newest[key]):
            newest[key] = date
    lastmods = {uri: newest[key].date().isoformat() for uri, key in keys.items() if key in newest}
    if collection.items:
        lastmods.setdefault("index.md", collection.items[0].date.date().isoformat())
    return lastmods
