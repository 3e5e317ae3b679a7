"""The in-memory collection every page is computed from: items newest first, indexed once."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from bantin.items import Item
from bantin.units import Registry, Unit


@dataclass
class Collection:
    """All items sorted newest first, with indexes by unit (publisher or mentioned), year and kind."""

    items: list[Item]
    registry: Registry = field(default_factory=Registry)

    def __post_init__(self) -> None:
        self.items = sorted(self.items, key=lambda item: (item.date, item.url), reverse=True)
        self.published_by: dict[str, list[Item]] = defaultdict(list)
        self.mentioned_in: dict[str, list[Item]] = defaultdict(list)
        self.position: dict[str, int] = {}
        for index, item in enumerate(self.items):
            self.position[item.url] = index
            self.published_by[item.unit.name].append(item)
            for unit in item.organizations:
                if unit != item.unit:
                    self.mentioned_in[unit.name].append(item)

    def of_kind(self, kind: str) -> list[Item]:
        return [item for item in self.items if item.kind == kind]

    def by_unit(self, unit: Unit) -> list[Item]:
        return self.published_by.get(unit.name, [])

    def mentioning(self, unit: Unit) -> list[Item]:
        return self.mentioned_in.get(unit.name, [])

    def newer(self, item: Item) -> Item | None:
        """The next item forward in time ("Tin mới hơn"), across kinds."""
        index = self.position[item.url]
        return self.items[index - 1] if index > 0 else None

    def older(self, item: Item) -> Item | None:
        """The previous item back in time ("Tin đã đưa")."""
        index = self.position[item.url]
        return self.items[index + 1] if index + 1 < len(self.items) else None
