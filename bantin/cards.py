"""What every page showing an item shows of it, computed once per item however many pages list it.

A card is plain data for the templates: the address, the title, the date as Vietnamese text, the unit, the view
count grouped, the thumbnail and the lead's first words. Listings, neighbours, related items, the home page and
the unit pages all hand the same `Card` to the same macros.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from bantin.collection import Collection
from bantin.excerpts import excerpt
from bantin.images import LeadImage
from bantin.items import Item
from bantin.vietnamese import approximate_date, grouped, long_date

PREVIEW_LENGTH = 200  # the lead's words on the home page and in link previews
CARD_LENGTH = 150  # a list card's excerpt, cut shorter again


@dataclass(frozen=True)
class Moment:
    """A date as the page prints it: `machine` for `<time datetime>`, `text` for the reader."""

    machine: str
    text: str
    approximate: bool
    long: str
    """The full date even where only the month is claimed (the preview's "from …")."""


def moment_of(item: Item) -> Moment:
    """An estimated date claims only its month; a stated one reads "Thứ Năm, 25/01/2018, 18:40"."""
    date, has_time = item.date, item.has_time
    written = long_date(date, has_time)
    if "date" in item.approximate:
        return Moment(date.strftime("%Y-%m"), approximate_date(date), True, written)
    machine = date.strftime("%Y-%m-%dT%H:%M:00+07:00" if has_time else "%Y-%m-%d")
    return Moment(machine, written, False, written)


@dataclass(frozen=True)
class Card:
    item: Item
    href: str
    title: str
    kind: str
    document_kind: str | None
    """The kind of document ("Kết luận") for a document, None for news."""
    label: str
    """What a text card in place of a missing picture says: the document's kind, else the category."""
    year: int
    date: Moment
    unit: str
    unit_approximate: bool
    views: str
    """Grouped ("1.204"), empty when nobody counted or nobody viewed."""
    preview: str
    """ "draft" or "scheduled" for an item shown only in preview (`mkdocs serve`), else ""."""
    image: LeadImage | None

    @cached_property
    def excerpt(self) -> str:
        """The lead's first words, made when a page first shows them: a build whose pages all come from the cache
        never cuts one (the item's fingerprint, which keys every page showing the card, covers its body)."""
        return excerpt(self.item, PREVIEW_LENGTH)

    @cached_property
    def short_excerpt(self) -> str:
        return truncated(self.excerpt, CARD_LENGTH)


class Cards:
    """Each item's card, made the first time a page asks for it."""

    def __init__(self, collection: Collection, images: Mapping[str, LeadImage]) -> None:
        self.images = images
        self.held = {item.url for item in collection.held}
        self.made: dict[str, Card] = {}

    def __call__(self, item: Item) -> Card:
        card = self.made.get(item.url)
        if card is None:
            card = self.made[item.url] = self.make(item)
        return card

    def all(self, items: Sequence[Item]) -> tuple[Card, ...]:
        made = self.made  # looked up here: the site's pages ask for 180,000 cards at 10,000 items
        return tuple(made.get(item.url) or self(item) for item in items)

    def make(self, item: Item) -> Card:
        notice = item.notice
        return Card(
            item=item,
            href=item.url,
            title=item.title,
            kind=item.kind,
            document_kind=notice.kind.name if notice else None,
            label=notice.kind.name if notice else (item.category or "Tin tức"),
            year=item.date.year,
            date=moment_of(item),
            unit=item.unit.name,
            unit_approximate="unit" in item.approximate,
            views=grouped(item.views) if item.views else "",
            preview=self.preview(item),
            image=self.images.get(item.url),
        )

    def preview(self, item: Item) -> str:
        if item.draft:
            return "draft"
        return "scheduled" if item.url in self.held else ""


def truncated(text: str, length: int, end: str = "…") -> str:
    """Cut to `length` characters, the cut marked (as Jinja's `truncate(length, true, end, 0)` would)."""
    return text if len(text) <= length else text[: length - len(end)] + end


def published_time(moment: datetime) -> str:
    """`article:published_time` for link previews, in Vietnam's time zone."""
    return moment.strftime("%Y-%m-%dT%H:%M:00+07:00")
