"""Pure functions from the collection to what listing pages show."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from bantin.collection import Collection
from bantin.items import Item
from bantin.units import Unit

T = TypeVar("T")
PER_PAGE = 20


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a paginated listing; `number` starts at 1."""

    entries: Sequence[T]
    number: int
    count: int
    total: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.count


def paginate(entries: Sequence[T], per_page: int = PER_PAGE) -> list[Page[T]]:
    """Split into pages; an empty listing still has one (empty) page so its URL exists."""
    count = max(1, -(-len(entries) // per_page))
    return [
        Page(entries[index * per_page : (index + 1) * per_page], index + 1, count, len(entries))
        for index in range(count)
    ]


def page_uri(base: str, number: int) -> str:
    """Source URI of page `number` of a listing at directory `base` ("don-vi/x/" → "don-vi/x/trang/2.md")."""
    return f"{base}index.md" if number == 1 else f"{base}trang/{number}.md"


def latest(collection: Collection, count: int, kind: str | None = None) -> list[Item]:
    items = collection.items if kind is None else collection.of_kind(kind)
    return items[:count]


@dataclass(frozen=True)
class UnitSummary:
    unit: Unit
    published: int
    mentioned: int


def unit_summaries(collection: Collection) -> list[UnitSummary]:
    """Every registered unit with its counts, in registry order grouped by level."""
    return [
        UnitSummary(unit, len(collection.by_unit(unit)), len(collection.mentioning(unit)))
        for unit in collection.registry.units
    ]


def most_viewed(collection: Collection) -> list[Item]:
    """Items by view count (migrated plus counted from logs), most first; items without any count are left out."""
    counted = [item for item in collection.items if item.views is not None]  # no count: not "most viewed"
    return sorted(counted, key=lambda item: -(item.views or 0))


@dataclass(frozen=True)
class Period:
    """A year or a month of the archive, with how many items it holds."""

    year: int
    month: int | None
    count: int

    @property
    def url(self) -> str:
        return f"luu-tru/{self.year}/" if self.month is None else f"luu-tru/{self.year}/{self.month:02d}/"


def archive_years(collection: Collection) -> list[Period]:
    return [Period(year, None, len(items)) for year, items in sorted(collection.by_year.items(), reverse=True)]


def archive_months(collection: Collection, year: int) -> list[Period]:
    months = [(month, items) for (each_year, month), items in collection.by_month.items() if each_year == year]
    return [Period(year, month, len(items)) for month, items in sorted(months, reverse=True)]
