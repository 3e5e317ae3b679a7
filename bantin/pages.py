"""Every page the site generates from the collection, each with typed data holding all its template shows.

A page's data is a frozen dataclass per kind of page, built here in Python: dates already Vietnamese text,
numbers grouped, addresses made by `bantin.urls`, images chosen, charts drawn. Templates only read attributes,
loop and test; the one filter they apply to our data is `url`, which turns an address into a link relative to
the page. What several pages show of one item (its `Card`) is made once per item.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from markupsafe import Markup

from bantin import charts
from bantin.cards import Card, Cards, Moment, moment_of, published_time
from bantin.citations import document_slug, number_source, padded_slug
from bantin.collection import Collection, Group
from bantin.documents import KINDS, DocumentKind
from bantin.images import LeadImage
from bantin.items import Item
from bantin.listings import Page as Listing
from bantin.listings import archive_months, archive_years, most_viewed, paginate, unit_directory
from bantin.search.kinds import filter_counts
from bantin.text import make_slug
from bantin.units import Unit
from bantin.urls import (
    ARCHIVE,
    CONCLUSIONS,
    DOCUMENTS,
    MOST_VIEWED,
    NEWS,
    SEARCH,
    SEARCH_INDEX,
    UNITS,
    Link,
    absolute,
    category_address,
    document_address,
    file_beside,
    kind_address,
    listing_address,
    listing_source,
    number_address,
    section_source,
    topic_address,
    unit_address,
)
from bantin.vietnamese import document_date, file_size, grouped, partial_date

MONTHS = "tháng {month}/{year}"
HOME_LATEST = 6
HOME_PER_CATEGORY = 3
HOME_SIDE = 5
CITING_SHOWN = 5
PREDECESSOR_SHOWN = 3
SUBORDINATES_SHOWN = 10


@dataclass(frozen=True)
class Pagination:
    """Where a listing's page sits among its pages, with the addresses of its neighbours."""

    number: int
    count: int
    previous: str | None
    next: str | None


@dataclass(frozen=True)
class Counted:
    """A link with how many items are behind it, grouped ("1.204")."""

    link: Link
    count: str


@dataclass(frozen=True)
class Attached:
    name: str
    href: str
    type: str
    size: str


@dataclass(frozen=True)
class SignatureColumn:
    authority: tuple[str, ...]
    title: str | None
    note: str | None
    name: str | None


@dataclass(frozen=True)
class DocumentFacts:
    """What a document's page adds to an article's: its kind, its dated line, files, signatures, who cites it."""

    kind: Link
    dated: str
    """ "ngày 05 tháng 8 năm 2024", or "Khoảng tháng 8/2024" when the date was estimated."""
    estimated: bool
    attachments: tuple[Attached, ...]
    columns: tuple[SignatureColumn, ...]
    number_href: str | None
    """The /van-ban/ page of its own number, None for a document without one."""
    citing: tuple[Card, ...]
    citing_count: str


@dataclass(frozen=True)
class ItemPage:
    """A news article (article.html) or a document (notice.html)."""

    item: Item
    card: Card
    unit: Link
    category: Link | None
    tags: tuple[Link, ...]
    organizations: tuple[Link, ...]
    views: str | None
    """Grouped, "0" included; None when the item has no count at all."""
    image: LeadImage | None
    og_image: str | None
    """The link preview's picture as a full URL (needs `site_url`)."""
    published: str
    newer: Card | None
    older: Card | None
    related: tuple[Card, ...]
    cited: tuple[Link, ...]
    """The document numbers its body cites, each with its /van-ban/ page."""
    document: DocumentFacts | None = None


@dataclass(frozen=True)
class ListingPage:
    """One page of a list of items: news, most viewed, a category, a topic, a year or month, a document, a kind."""

    base: str
    heading: str
    cards: tuple[Card, ...]
    number: int
    total: str
    pagination: Pagination
    kicker: str | None = None
    periods: tuple[Counted, ...] = ()
    notice: Card | None = None
    """The document a number's page lists citations of, when the bulletin publishes it."""
    document_kind: DocumentKind | None = None


@dataclass(frozen=True)
class Archived:
    """A predecessor's newest items on its successor's page."""

    unit: Counted
    cards: tuple[Card, ...]


@dataclass(frozen=True)
class UnitPage:
    unit: Unit
    base: str
    cards: tuple[Card, ...]
    number: int
    total: str
    pagination: Pagination
    until: str | None
    parent: Link | None
    successor: Link | None
    predecessors: tuple[Counted, ...]
    children: tuple[Link, ...]
    chart: Markup
    archives: tuple[Archived, ...]
    """Only on page 1, for predecessors that published anything."""
    subordinates: tuple[Card, ...]
    mentioned: tuple[Card, ...]
    mentioned_count: str


@dataclass(frozen=True)
class DirectoryEntry:
    link: Link
    published: str
    until: str


@dataclass(frozen=True)
class DirectoryLevel:
    name: str
    provinces: tuple[tuple[str, tuple[DirectoryEntry, ...]], ...]


@dataclass(frozen=True)
class UnitsPage:
    count: str
    directory: tuple[DirectoryLevel, ...]


@dataclass(frozen=True)
class ArchivePage:
    chart: Markup
    years: tuple[Counted, ...]


@dataclass(frozen=True)
class RegisterRow:
    """One document in a register: what its columns show and what the filters match (slugs, digits)."""

    href: str
    number: str | None
    number_slug: str
    digits: str
    kind: str
    kind_slug: str
    issuer: str
    issuer_slug: str
    year: int
    sorted_date: str
    date: Moment
    subject: str
    meeting: str | None


@dataclass(frozen=True)
class Filter:
    value: str
    label: str
    count: str = ""


@dataclass(frozen=True)
class DocumentsPage:
    """/van-ban/: the register of published documents with its filters, then every number cited."""

    count: str
    kinds: tuple[tuple[Link, Filter], ...]
    issuers: tuple[Filter, ...]
    years: tuple[int, ...]
    rows: tuple[RegisterRow, ...]
    chart: Markup
    cited: tuple[Counted, ...]
    cited_count: str


@dataclass(frozen=True)
class RegisterPage:
    """/ket-luan/: every conclusion notice, newest first."""

    count: str
    rows: tuple[RegisterRow, ...]
    chart: Markup


@dataclass(frozen=True)
class SearchPage:
    action: str
    index: str
    number_pattern: str
    kinds: tuple[Filter, ...]


@dataclass(frozen=True)
class RedirectPage:
    target: str


@dataclass(frozen=True)
class CategoryBlock:
    link: Link
    slug: str
    cards: tuple[Card, ...]
    count: str
    more: bool


@dataclass(frozen=True)
class HomePage:
    lead: Card | None
    lead_category: Link | None
    latest: tuple[Card, ...]
    categories: tuple[CategoryBlock, ...]
    documents: tuple[Card, ...]
    most_viewed: tuple[Card, ...]
    topics: tuple[Counted, ...]
    directory: tuple[DirectoryLevel, ...]


PageData = (
    ItemPage
    | ListingPage
    | UnitPage
    | UnitsPage
    | ArchivePage
    | DocumentsPage
    | RegisterPage
    | SearchPage
    | RedirectPage
    | HomePage
)


@dataclass(frozen=True)
class PageSpec:
    """A generated page: where it lives, its title, which template draws it and the data that template shows."""

    src_uri: str
    title: str
    template: str
    data: PageData
    indexed: bool = True
    """False for a page that only points elsewhere (a moved address): kept out of the sitemap, marked noindex."""
    group: str = ""
    """The listing a page belongs to (all its pages share a sitemap date); "" for a page on its own."""
    shown: tuple[Item, ...] = field(default=(), repr=False)
    """The items whose publication changes what the page shows (`bantin.feeds.page_lastmods`)."""

    @property
    def source(self) -> bytes:
        """The page's Markdown in UTF-8: an item's body (held so, `bantin.items.Item`); other pages have none."""
        return self.data.item.body_utf8 if isinstance(self.data, ItemPage) else b""

    @property
    def markdown(self) -> str:
        return self.source.decode("utf-8")


@dataclass
class Site:
    """What building the pages shares: the collection, each item's card, where absolute links start."""

    collection: Collection
    cards: Cards
    site_url: str = ""
    kept: dict[str, tuple[ItemSources, PageSpec]] | None = None
    """Under `mkdocs serve`, each item's page of the build before with what it was drawn from (bantin.live): a page
    drawn from the same is that very page, made again only when something it shows changed."""
    listings: KeptListings | None = None
    """Under `mkdocs serve`, the listings' pages of the build before, kept as item pages are."""

    @cached_property
    def directory(self) -> tuple[DirectoryLevel, ...]:
        return directory_of(self.collection)

    @classmethod
    def of(cls, collection: Collection, images: Mapping[str, LeadImage] | None = None, site_url: str = "") -> Site:
        return cls(collection, Cards(collection, images or {}), site_url)


def site_pages(site: Site, per_page: int) -> Iterator[PageSpec]:
    collection = site.collection
    yield from item_pages(site)
    yield from listing_pages(site, NEWS, "Tin tức", collection.of_kind("tin"), per_page)
    yield from listing_pages(site, MOST_VIEWED, "Xem nhiều nhất", most_viewed(collection), per_page)
    for group in collection.categories.values():
        yield from listing_pages(site, category_address(group.name), group.name, group.items, per_page, "Chuyên mục")
    for group in collection.topics.values():
        yield from listing_pages(site, topic_address(group.name), group.name, group.items, per_page, "Chủ đề")
    yield from archive_pages(site, per_page)
    yield from document_pages(site, per_page)
    notices = collection.conclusions()
    caption = "Số thông báo kết luận theo năm ban hành, theo loại"
    register = RegisterPage(grouped(len(notices)), register_rows(notices), drawn_register(notices, caption))
    yield PageSpec(
        section_source(CONCLUSIONS), "Thông báo kết luận", "bantin/register.html", register, shown=tuple(notices)
    )
    units = UnitsPage(grouped(len(collection.registry.units)), site.directory)
    yield PageSpec(section_source(UNITS), "Đơn vị", "bantin/units.html", units, shown=tuple(collection.items[:1]))
    search = SearchPage(SEARCH, SEARCH_INDEX, number_source("javascript"), search_kinds(collection))
    yield PageSpec(section_source(SEARCH), "Tìm kiếm", "bantin/search.html", search)
    for unit in collection.registry.units:
        yield from unit_pages(site, unit, per_page)


Drawn = tuple[str, int, str | None, tuple[Counted, ...], Card | None, DocumentKind | None]
"""What a listing's pages are drawn from besides its items: heading, items per page, kicker, periods, the card of
the document it lists citations of, the kind of document it lists."""


@dataclass
class Listed:
    drawn: Drawn
    items: list[Item]
    urls: set[str]
    specs: list[PageSpec]


@dataclass
class KeptListings:
    """Under `mkdocs serve`, each listing's pages of the build before with what they were drawn from (bantin.live).

    A page is drawn from its items' cards, its number, the listing's count of items and what `Drawn` holds: a
    listing drawn from the same, of the same items (the very items, or equal ones) none of whose cards changed
    since, is its very pages; otherwise each of its pages showing the same items as before, none of whose cards
    changed, is kept, and the others are made again.
    """

    before: dict[str, Listed] = field(default_factory=dict)
    now: dict[str, Listed] = field(default_factory=dict)
    changed: set[str] = field(default_factory=set)

    def start(self, changed: set[str]) -> None:
        """A build begins; `changed` are the items (by address) whose card is not the build before's very card."""
        self.before, self.now, self.changed = self.now, {}, changed

    def found(self, base: str, drawn: Drawn, items: list[Item]) -> list[PageSpec] | None:
        listed = self.before.get(base)
        if listed is None or listed.drawn != drawn or listed.items != items or not self.changed.isdisjoint(listed.urls):
            return None
        self.now[base] = listed
        return listed.specs

    def page(self, base: str, drawn: Drawn, total: int, number: int, entries: tuple[Item, ...]) -> PageSpec | None:
        """A page of a listing whose items changed, as it was when it showed the same items."""
        listed = self.before.get(base)
        if listed is None or listed.drawn != drawn or len(listed.items) != total or number > len(listed.specs):
            return None
        spec = listed.specs[number - 1]
        if spec.shown != entries or any(item.url in self.changed for item in entries):
            return None
        return spec

    def put(self, base: str, drawn: Drawn, items: list[Item], specs: list[PageSpec]) -> None:
        self.now[base] = Listed(drawn, list(items), {item.url for item in items}, specs)


def item_pages(site: Site) -> Iterator[PageSpec]:
    kept = site.kept
    for item in site.collection.items:
        sources = item_sources(site, item)
        if kept is not None:
            found = kept.get(item.url)
            if found is not None and found[0] == sources:
                yield found[1]
                continue
        template = "bantin/notice.html" if item.kind == "ket-luan" else "bantin/article.html"
        spec = PageSpec(item.src_uri, item.title, template, item_page(sources), shown=(item,))
        if kept is not None:
            kept[item.url] = (sources, spec)
        yield spec


@dataclass(frozen=True)
class ItemSources:
    """Everything an item's page is drawn from (`item_page` reads nothing else): the item, its card, the cards of
    its neighbours, related items and the items citing its number, the numbers it cites and the site's address."""

    item: Item
    card: Card
    newer: Card | None
    older: Card | None
    related: tuple[Card, ...]
    cited: tuple[str, ...]
    citing: tuple[Card, ...]
    citing_count: int
    site_url: str


def item_sources(site: Site, item: Item) -> ItemSources:
    collection, cards = site.collection, site.cards
    newer, older = collection.newer(item), collection.older(item)
    citing: list[Item] = []
    if item.notice is not None and item.notice.number:
        group = collection.documents.get(document_slug(item.notice.number))
        citing = [other for other in group.items if other is not item] if group else []
    return ItemSources(
        item=item,
        card=cards(item),
        newer=cards(newer) if newer else None,
        older=cards(older) if older else None,
        related=cards.all(collection.related(item)),
        cited=tuple(collection.cited[item.url]),
        citing=cards.all(citing[:CITING_SHOWN]),
        citing_count=len(citing),
        site_url=site.site_url,
    )


def item_page(sources: ItemSources) -> ItemPage:
    item, card = sources.item, sources.card
    image = card.image
    return ItemPage(
        item=item,
        card=card,
        unit=unit_link(item.unit),
        category=Link(item.category, category_address(item.category)) if item.category else None,
        tags=tuple(Link(tag, topic_address(tag)) for tag in item.tags),
        organizations=tuple(unit_link(unit) for unit in item.organizations),
        views=grouped(item.views) if item.views is not None else None,
        image=image,
        og_image=absolute(sources.site_url, image.open_graph.uri) if image and sources.site_url else None,
        published=published_time(item.date),
        newer=sources.newer,
        older=sources.older,
        related=sources.related,
        cited=tuple(Link(number, number_address(number)) for number in sources.cited),
        document=document_facts(sources),
    )


def document_facts(sources: ItemSources) -> DocumentFacts | None:
    """For a document: its kind's page, the date line, its files and signatures, and the items citing its number."""
    item = sources.item
    notice = item.notice
    if notice is None:
        return None
    estimated = "date" in item.approximate and not notice.issued
    return DocumentFacts(
        kind=Link(notice.kind.name, kind_address(notice.kind.slug)),
        dated=moment_of(item).text if estimated else document_date(notice.issued_on(item.date)),
        estimated=estimated,
        attachments=tuple(
            Attached(file.name, file_beside(item.src_uri, file.name), file.type, file_size(file.size))
            for file in notice.attachments
        ),
        columns=tuple(
            SignatureColumn(
                tuple(column.authority.split("\n")) if column.authority else (), column.title, column.note, column.name
            )
            for column in notice.columns
        ),
        number_href=number_address(notice.number) if notice.number else None,
        citing=sources.citing,
        citing_count=grouped(sources.citing_count),
    )


def unit_link(unit: Unit) -> Link:
    return Link(unit.name, unit_address(unit.slug))


def pagination(base: str, page: Listing[Item]) -> Pagination:
    previous = listing_address(base, page.number - 1) if page.has_previous else None
    following = listing_address(base, page.number + 1) if page.has_next else None
    return Pagination(page.number, page.count, previous, following)


def listing_pages(
    site: Site,
    base: str,
    heading: str,
    items: Sequence[Item],
    per_page: int,
    kicker: str | None = None,
    periods: tuple[Counted, ...] = (),
    notice: Item | None = None,
    document_kind: DocumentKind | None = None,
) -> Iterator[PageSpec]:
    """A paginated listing at `base`, `base`trang/2/, …"""
    shown_notice = site.cards(notice) if notice else None
    kept = site.listings
    drawn: Drawn = (heading, per_page, kicker, periods, shown_notice, document_kind)
    listed = items if isinstance(items, list) else list(items)
    if kept is not None and (found := kept.found(base, drawn, listed)) is not None:
        yield from found
        return
    specs = []
    for page in paginate(items, per_page):
        entries = tuple(page.entries)
        if kept is not None and (same := kept.page(base, drawn, len(listed), page.number, entries)) is not None:
            specs.append(same)
            continue
        title = heading if page.number == 1 else f"{heading} – trang {page.number}"
        data = ListingPage(
            base,
            heading,
            site.cards.all(entries),
            page.number,
            grouped(page.total),
            pagination(base, page),
            kicker,
            periods,
            shown_notice,
            document_kind,
        )
        source = listing_source(base, page.number)
        specs.append(PageSpec(source, title, "bantin/listing.html", data, group=base, shown=entries))
    if kept is not None:
        kept.put(base, drawn, listed, specs)
    yield from specs


def archive_pages(site: Site, per_page: int) -> Iterator[PageSpec]:
    """/luu-tru/ lists years; each year lists its months and items; each month its items."""
    collection = site.collection
    years = archive_years(collection)
    chart = charts.per_year(collection.items, "Số bài trong lưu trữ theo năm, theo loại", by_kind=True)
    front = ArchivePage(
        drawn(chart, "bt-chart-archive"), tuple(counted(f"{year.year}", year.url, year.count) for year in years)
    )
    yield PageSpec(section_source(ARCHIVE), "Lưu trữ", "bantin/archive.html", front, shown=tuple(collection.items[:1]))
    for year in years:
        months = archive_months(collection, year.year)
        heading = f"Lưu trữ năm {year.year}"
        periods = tuple(counted(f"{month.month}", month.url, month.count) for month in months)
        yield from listing_pages(site, year.url, heading, collection.by_year[year.year], per_page, periods=periods)
        for month in months:
            assert month.month is not None
            heading = f"Lưu trữ {MONTHS.format(month=month.month, year=month.year)}"
            month_items = collection.by_month[(month.year, month.month)]
            yield from listing_pages(site, month.url, heading, month_items, per_page)


def counted(title: str, address: str, count: int) -> Counted:
    return Counted(Link(title, address), grouped(count))


def document_pages(site: Site, per_page: int) -> Iterator[PageSpec]:
    """/van-ban/: the register of published documents, then every cited number; a page per number and per kind.

    /van-ban/<slug>/ lists every item citing a number and leads to its full text when the bulletin publishes it;
    a number first met with leading zeros (08-TT/TU) keeps its old address as a redirect to the new one.
    """
    collection = site.collection
    documents = sorted(collection.documents.values(), key=lambda group: (-len(group.items), group.name))
    published = collection.of_kind("ket-luan")
    register = documents_page(published, documents)
    yield PageSpec(section_source(DOCUMENTS), "Văn bản", "bantin/documents.html", register, shown=tuple(published))
    for group in documents:
        notice = collection.notice_numbered(group.slug)
        citing = [item for item in group.items if item is not notice]
        heading = f"Văn bản {group.name}"
        base = document_address(group.slug)
        yield from listing_pages(site, base, heading, citing, per_page, "Văn bản", notice=notice)
    for padded, slug in padded_slugs(collection).items():
        moved = RedirectPage(document_address(slug))
        yield PageSpec(
            section_source(document_address(padded)), "Đã chuyển", "bantin/redirect.html", moved, indexed=False
        )
    for kind in document_kinds(collection):
        items = document_kind_items(collection, kind)
        base = kind_address(kind.slug)
        yield from listing_pages(site, base, kind.name, items, per_page, "Loại văn bản", document_kind=kind)


def documents_page(published: Sequence[Item], documents: Sequence[Group]) -> DocumentsPage:
    kinds: dict[str, tuple[DocumentKind, int]] = {}
    for item in published:
        assert item.notice is not None
        kind, count = kinds.get(item.notice.kind.name, (item.notice.kind, 0))
        kinds[kind.name] = (kind, count + 1)
    by_count = sorted(kinds.values(), key=lambda entry: (-entry[1], entry[0].name))
    issuers = sorted({issuer_of(item) for item in published}, key=str.casefold)
    return DocumentsPage(
        count=grouped(len(published)),
        kinds=tuple(
            (Link(kind.name, kind_address(kind.slug)), Filter(kind.slug, kind.name, grouped(count)))
            for kind, count in by_count
        ),
        issuers=tuple(Filter(make_slug(issuer), issuer) for issuer in issuers),
        years=tuple(sorted({item.year for item in published}, reverse=True)),
        rows=register_rows(published),
        chart=drawn_register(list(published), "Số văn bản theo năm ban hành, theo loại"),
        cited=tuple(counted(group.name, document_address(group.slug), len(group.items)) for group in documents),
        cited_count=grouped(len(documents)),
    )


def register_rows(published: Sequence[Item]) -> tuple[RegisterRow, ...]:
    rows = []
    for item in published:
        notice = item.notice
        assert notice is not None
        issuer = issuer_of(item)
        parts = notice.parts if notice.number else None
        rows.append(
            RegisterRow(
                href=item.url,
                number=notice.number,
                number_slug=document_slug(notice.number or ""),
                digits=str(parts.digits) if parts else "",
                kind=notice.kind.name,
                kind_slug=notice.kind.slug,
                issuer=issuer,
                issuer_slug=make_slug(issuer),
                year=item.year,
                sorted_date=item.date.strftime("%Y-%m-%dT%H:%M"),
                date=moment_of(item),
                subject=notice.subject,
                meeting=notice.meeting,
            )
        )
    return tuple(rows)


def issuer_of(item: Item) -> str:
    """The issuing body as the register names it: the notice's issuer, else the publishing unit."""
    return (item.notice.issuing_body if item.notice else None) or item.unit.name


def document_kinds(collection: Collection) -> list[DocumentKind]:
    """The kinds the bulletin has published, in the order of the official lists."""
    present = {item.notice.kind.name for item in collection.of_kind("ket-luan") if item.notice}
    return [kind for kind in KINDS if kind.name in present]


def document_kind_items(collection: Collection, kind: DocumentKind) -> list[Item]:
    return collection.documents_of_kind(kind.name)


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


def unit_pages(site: Site, unit: Unit, per_page: int) -> Iterator[PageSpec]:
    """An organization's page: who it is, its lineage, and its items newest first, paginated."""
    collection, cards = site.collection, site.cards
    base = unit_address(unit.slug)
    registry = collection.registry
    parent, successor = registry.parent_of(unit), registry.successor_of(unit)
    predecessors = registry.predecessors_of(unit)
    published = collection.by_unit(unit)
    mentioned = collection.mentioning(unit)
    lineage = tuple(Counted(unit_link(other), grouped(len(collection.by_unit(other)))) for other in predecessors)
    archives = tuple(
        Archived(entry, cards.all(collection.by_unit(other)[:PREDECESSOR_SHOWN]))
        for other, entry in zip(predecessors, lineage, strict=True)
        if collection.by_unit(other)
    )
    for page in paginate(published, per_page):
        title = unit.name if page.number == 1 else f"{unit.name} – trang {page.number}"
        first = page.number == 1
        data = UnitPage(
            unit=unit,
            base=base,
            cards=cards.all(tuple(page.entries)),
            number=page.number,
            total=grouped(page.total),
            pagination=pagination(base, page),
            until=partial_date(unit.until) if unit.until else None,
            parent=unit_link(parent) if parent else None,
            successor=unit_link(successor) if successor else None,
            predecessors=lineage,
            children=tuple(unit_link(child) for child in registry.children_of(unit)),
            chart=unit_chart(collection, unit) if first and page.total > 1 else Markup(""),
            archives=archives if first else (),
            subordinates=cards.all(from_subordinates(collection, unit, SUBORDINATES_SHOWN)) if first else (),
            mentioned=cards.all(mentioned) if first else (),
            mentioned_count=grouped(len(mentioned)),
        )
        source = listing_source(base, page.number)
        yield PageSpec(source, title, "bantin/unit.html", data, group=base, shown=(*page.entries, *mentioned))


def from_subordinates(collection: Collection, unit: Unit, count: int) -> list[Item]:
    """What the units under this one publish (Tỉnh ủy → its Ban Dân vận), newest first."""
    registry = collection.registry
    seen: list[Unit] = []
    waiting = list(registry.children_of(unit))
    while waiting:
        child = waiting.pop()
        if child not in seen and child != unit:
            seen.append(child)
            waiting.extend(registry.children_of(child))
    items = [item for child in seen for item in collection.by_unit(child)]
    return sorted(items, key=lambda item: (item.date, item.url), reverse=True)[:count]


def drawn(chart: charts.Chart | None, ident: str) -> Markup:
    """A chart worth drawing has two bars at least: one bar says no more than its number."""
    return Markup(charts.render(chart, ident)) if chart and len(chart.labels) > 1 else Markup("")


def unit_chart(collection: Collection, unit: Unit) -> Markup:
    chart = charts.per_period(collection.by_unit(unit), f"Số bài {unit.name} đăng theo thời gian")
    return drawn(chart, "bt-chart-unit")


def drawn_register(notices: list[Item], caption: str) -> Markup:
    """The documents a register lists, per year and per kind of document."""
    return drawn(charts.documents_per_year(notices, caption), "bt-chart-register")


def search_kinds(collection: Collection) -> tuple[Filter, ...]:
    """The search page's "Loại" options as listed before a query: what each finds in the whole bulletin."""
    return tuple(Filter(kind.value, kind.label, grouped(count)) for kind, count in filter_counts(collection.items))


def directory_of(collection: Collection) -> tuple[DirectoryLevel, ...]:
    """Organizations by level, then by province, with how many items each published (home and units pages)."""
    return tuple(
        DirectoryLevel(
            group.name,
            tuple(
                (
                    province,
                    tuple(
                        DirectoryEntry(
                            unit_link(summary.unit),
                            grouped(summary.published) if summary.published else "",
                            partial_date(summary.unit.until) if summary.unit.until else "",
                        )
                        for summary in summaries
                    ),
                )
                for province, summaries in group.provinces
            ),
        )
        for group in unit_directory(collection)
    )


def home_page(site: Site) -> HomePage:
    """The home page: the lead story with a picture, the latest news, a block per category, the latest documents,
    the most viewed, topics, and the organizations."""
    collection, cards = site.collection, site.cards
    news = collection.of_kind("tin")
    lead = next((item for item in news[:10] if cards(item).image), news[0] if news else None)
    latest = [item for item in news[: HOME_LATEST + 1] if item != lead][:HOME_LATEST]
    return HomePage(
        lead=cards(lead) if lead else None,
        lead_category=Link(lead.category, category_address(lead.category)) if lead and lead.category else None,
        latest=cards.all(latest),
        categories=tuple(
            CategoryBlock(
                Link(group.name, category_address(group.name)),
                group.slug,
                cards.all(group.items[:HOME_PER_CATEGORY]),
                grouped(len(group.items)),
                len(group.items) > HOME_PER_CATEGORY,
            )
            for group in collection.categories.values()
        ),
        documents=cards.all(collection.of_kind("ket-luan")[:HOME_SIDE]),
        most_viewed=cards.all(most_viewed(collection)[:HOME_SIDE]),
        topics=tuple(
            counted(group.name, topic_address(group.name), len(group.items)) for group in collection.topics.values()
        ),
        directory=site.directory,
    )
