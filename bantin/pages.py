"""Every page the site generates from the collection, as plain specs the MkDocs plugin turns into files."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from bantin.citations import document_slug, padded_slug
from bantin.collection import Collection
from bantin.documents import KINDS, DocumentKind
from bantin.items import Item
from bantin.listings import archive_months, archive_years, most_viewed, page_uri, paginate, unit_summaries
from bantin.units import Unit
from bantin.urls import category_address, document_address, topic_address

MONTHS = "tháng {month}/{year}"


@dataclass(frozen=True)
class PageSpec:
    """A generated page: where it lives, its title, which template draws it and what that template gets."""

    src_uri: str
    title: str
    template: str
    markdown: str = ""
    context: dict[str, Any] = field(default_factory=dict)
    indexed: bool = True
    """False for a page that only points elsewhere (a moved address): kept out of the sitemap, marked noindex."""


def site_pages(collection: Collection, per_page: int) -> Iterator[PageSpec]:
    yield from item_pages(collection)
    yield from listing_pages("tin/", "Tin tức", collection.of_kind("tin"), per_page)
    yield from listing_pages("xem-nhieu/", "Xem nhiều nhất", most_viewed(collection), per_page, by_views=True)
    for group in collection.categories.values():
        yield from listing_pages(category_address(group.name), group.name, group.items, per_page, kicker="Chuyên mục")
    for group in collection.topics.values():
        yield from listing_pages(topic_address(group.name), group.name, group.items, per_page, kicker="Chủ đề")
    yield from archive_pages(collection, per_page)
    yield from document_pages(collection, per_page)
    yield PageSpec(
        "ket-luan/index.md", "Thông báo kết luận", "bantin/register.html", context={"notices": collection.conclusions()}
    )
    yield PageSpec("don-vi/index.md", "Đơn vị", "bantin/units.html", context={"summaries": unit_summaries(collection)})
    yield PageSpec("tim-kiem/index.md", "Tìm kiếm", "bantin/search.html")
    for unit in collection.registry.units:
        yield from unit_pages(collection, unit, per_page)


def item_pages(collection: Collection) -> Iterator[PageSpec]:
    for item in collection.items:
        template = "bantin/notice.html" if item.kind == "ket-luan" else "bantin/article.html"
        context = {
            "item": item,
            **citing_context(collection, item),
            "newer": collection.newer(item),
            "older": collection.older(item),
            "related": collection.related(item),
            "cited": [(number, document_url(number)) for number in collection.cited[item.url]],
        }
        yield PageSpec(item.src_uri, item.title, template, markdown=item.body, context=context)


def listing_pages(base: str, heading: str, items: Sequence[Item], per_page: int, **extra: Any) -> Iterator[PageSpec]:
    """A paginated listing at `base`, `base`trang/2/, …; `extra` reaches the template (kicker, periods…)."""
    for page in paginate(items, per_page):
        title = heading if page.number == 1 else f"{heading} – trang {page.number}"
        context = {"listing": page, "base": base, "heading": heading, **extra}
        yield PageSpec(page_uri(base, page.number), title, "bantin/listing.html", context=context)


def archive_pages(collection: Collection, per_page: int) -> Iterator[PageSpec]:
    """/luu-tru/ lists years; each year lists its months and items; each month its items."""
    years = archive_years(collection)
    yield PageSpec("luu-tru/index.md", "Lưu trữ", "bantin/archive.html", context={"periods": years})
    for year in years:
        months = archive_months(collection, year.year)
        heading = f"Lưu trữ năm {year.year}"
        yield from listing_pages(year.url, heading, collection.by_year[year.year], per_page, periods=months)
        for month in months:
            assert month.month is not None
            heading = f"Lưu trữ {MONTHS.format(month=month.month, year=month.year)}"
            yield from listing_pages(month.url, heading, collection.by_month[(month.year, month.month)], per_page)


def document_pages(collection: Collection, per_page: int) -> Iterator[PageSpec]:
    """/van-ban/: the register of published documents, then every cited number; a page per number and per kind.

    /van-ban/<slug>/ lists every item citing a number and leads to its full text when the bulletin publishes it;
    a number first met with leading zeros (08-TT/TU) keeps its old address as a redirect to the new one.
    """
    documents = sorted(collection.documents.values(), key=lambda group: (-len(group.items), group.name))
    published = collection.of_kind("ket-luan")
    yield PageSpec(
        "van-ban/index.md",
        "Văn bản",
        "bantin/documents.html",
        context={"documents": documents, "register": register(published), "notices": published},
    )
    for group in documents:
        notice = collection.notice_numbered(group.slug)
        citing = [item for item in group.items if item is not notice]
        heading = f"Văn bản {group.name}"
        base = document_address(group.slug)
        yield from listing_pages(base, heading, citing, per_page, kicker="Văn bản", notice=notice)
    for padded, slug in padded_slugs(collection).items():
        yield PageSpec(
            f"van-ban/{padded}/index.md",
            "Đã chuyển",
            "bantin/redirect.html",
            context={"target": document_address(slug)},
            indexed=False,
        )
    for kind in document_kinds(collection):
        items = document_kind_items(collection, kind)
        yield from listing_pages(kind_url(kind), kind.name, items, per_page, kicker="Loại văn bản", document_kind=kind)


def citing_context(collection: Collection, item: Item) -> dict[str, Any]:
    """For a document with a number: its /van-ban/ page and the items citing it, shown under its full text."""
    number = item.notice.number if item.notice else None
    if not number:
        return {}
    group = collection.documents.get(document_slug(number))
    citing = [other for other in group.items if other is not item] if group else []
    return {"number_url": document_url(number), "citing": citing}


@dataclass(frozen=True)
class Register:
    """What the register's filters offer: each kind with its count, the issuing bodies, the years."""

    kinds: list[tuple[DocumentKind, int]]
    issuers: list[str]
    years: list[int]


def register(published: Sequence[Item]) -> Register:
    kinds: dict[str, tuple[DocumentKind, int]] = {}
    for item in published:
        assert item.notice is not None
        kind, count = kinds.get(item.notice.kind.name, (item.notice.kind, 0))
        kinds[kind.name] = (kind, count + 1)
    issuers = sorted({issuer_of(item) for item in published}, key=str.casefold)
    return Register(
        sorted(kinds.values(), key=lambda entry: (-entry[1], entry[0].name)),
        issuers,
        sorted({item.year for item in published}, reverse=True),
    )


def issuer_of(item: Item) -> str:
    """The issuing body as the register names it: the notice's issuer, else the publishing unit."""
    return (item.notice.issuing_body if item.notice else None) or item.unit.name


def document_kinds(collection: Collection) -> list[DocumentKind]:
    """The kinds the bulletin has published, in the order of the official lists."""
    present = {item.notice.kind.name for item in collection.of_kind("ket-luan") if item.notice}
    return [kind for kind in KINDS if kind.name in present]


def document_kind_items(collection: Collection, kind: DocumentKind) -> list[Item]:
    return collection.documents_of_kind(kind.name)


def kind_url(kind: DocumentKind) -> str:
    return f"van-ban/loai/{kind.slug}/"


def padded_slugs(collection: Collection) -> dict[str, str]:
    """Old addresses of numbers spelled with leading zeros (08-tt-tu), each with the address it moved to."""
    moved: dict[str, str] = {}
    for item in collection.items:
        numbers = [item.notice.number] if item.notice and item.notice.number else []
        for number in numbers + collection.cited[item.url]:
            padded, slug = padded_slug(number), document_slug(number)
            if padded != slug:
                moved.setdefault(padded, slug)
    return moved


def document_url(number: str) -> str:
    return document_address(document_slug(number))


def unit_pages(collection: Collection, unit: Unit, per_page: int) -> Iterator[PageSpec]:
    """An organization's page: who it is, its lineage, and its items newest first, paginated."""
    base = unit_url(unit)
    registry = collection.registry
    lineage = {
        "parent": registry.parent_of(unit),
        "successor": registry.successor_of(unit),
        "predecessors": [(other, len(collection.by_unit(other))) for other in registry.predecessors_of(unit)],
        "children": registry.children_of(unit),
        "mentioned": collection.mentioning(unit),
    }
    for page in paginate(collection.by_unit(unit), per_page):
        title = unit.name if page.number == 1 else f"{unit.name} – trang {page.number}"
        context = {"unit": unit, "listing": page, "base": base, **lineage}
        yield PageSpec(page_uri(base, page.number), title, "bantin/unit.html", context=context)


def unit_url(unit: Unit) -> str:
    return f"don-vi/{unit.slug}/"
