"""Pure functions from the collection to what listing pages show."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from bantin.collection import Collection
from bantin.items import Item
from bantin.units import Unit
from bantin.urls import archive_address

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
        return archive_address(self.year, self.month)


def archive_years(collection: Collection) -> list[Period]:
    return [Period(year, None, len(items)) for year, items in sorted(collection.by_year.items(), reverse=True)]


def archive_months(collection: Collection, year: int) -> list[Period]:
    months = [(month, items) for (each_year, month), items in collection.by_month.items() if each_year == year]
    return [Period(year, month, len(items)) for month, items in sorted(months, reverse=True)]


LEVEL_NAMES = {"trung-ương": "Trung ương", "tỉnh": "Cấp tỉnh", "huyện": "Cấp huyện", "xã": "Cấp xã"}
PROVINCE_PREFIXES = ("Tỉnh ủy ", "Thành ủy ")
PLACE = re.compile(r"(?:Tỉnh|Thành phố|TP\.|Quận|Huyện|Thị xã|Xã|Phường|Thị trấn|quận|huyện|tỉnh)\s+(.+)$")


@dataclass(frozen=True)
class UnitGroup:
    """Units of one level, by province (or "" for units above or outside any province)."""

    level: str
    name: str
    provinces: list[tuple[str, list[UnitSummary]]]


def unit_directory(collection: Collection) -> list[UnitGroup]:
    """Every unit by level (central first), then by the province it belongs to, for the home and units pages."""
    registry = collection.registry
    provinces: dict[str, str] = {}  # a place name ("Gò Vấp") → its province, from units whose parents say so

    def province_of(unit: Unit) -> str:
        seen: list[Unit] = []
        current: Unit | None = unit
        while current is not None and current not in seen:
            if current.level == "tỉnh" and current.name.startswith(PROVINCE_PREFIXES):
                return current.name.split(" ", 2)[2]
            seen.append(current)
            current = registry.parent_of(current)
        top = seen[-1] if seen else unit
        return province_of(top) if top is not unit and top.level == "tỉnh" else ""

    for unit in registry.units:
        province = province_of(unit)
        if province and (place := place_name(unit.name)):
            provinces.setdefault(place, province)
    levels: dict[str, dict[str, list[UnitSummary]]] = {}
    for summary in unit_summaries(collection):
        unit = summary.unit
        place = place_name(unit.name)
        province = province_of(unit) or provinces.get(place or "", "")
        if unit.level == "tỉnh" and not province and place:
            province = place
        levels.setdefault(unit.level or "", {}).setdefault(province, []).append(summary)
    order = [*LEVEL_NAMES, ""]
    return [
        UnitGroup(level, LEVEL_NAMES.get(level, "Đơn vị khác"), sorted(by_province.items(), key=province_order))
        for level in sorted(levels, key=lambda level: order.index(level) if level in order else len(order))
        for by_province in [levels[level]]
    ]


def province_order(entry: tuple[str, list[UnitSummary]]) -> tuple[bool, str]:
    return (entry[0] == "", entry[0].casefold())


def place_name(name: str) -> str | None:
    """The place a unit's name ends with ("Hội Cựu chiến binh Quận Gò Vấp" → "Gò Vấp"), if it names one."""
    for prefix in PROVINCE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    match = PLACE.search(name)
    if not match:
        return None
    words = match.group(1).split()
    while words and not words[0][0].isupper():  # "Quận ủy Gò Vấp", "Quận đoàn Gò Vấp": the place is capitalized
        words.pop(0)
    return " ".join(words) or None
