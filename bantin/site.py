"""What every template can ask of the whole site, as the Jinja global `bantin`."""

from __future__ import annotations

from dataclasses import dataclass

from bantin.collection import Collection, Group
from bantin.items import Item
from bantin.listings import latest, most_viewed
from bantin.pages import unit_url
from bantin.units import Unit


@dataclass
class SiteContext:
    collection: Collection

    def latest(self, count: int, kind: str | None = None) -> list[Item]:
        return latest(self.collection, count, kind)

    def most_viewed(self, count: int) -> list[Item]:
        return most_viewed(self.collection)[:count]

    def categories(self) -> list[Group]:
        return list(self.collection.categories.values())

    def topics(self) -> list[Group]:
        return list(self.collection.topics.values())

    def unit_url(self, unit: Unit) -> str:
        return unit_url(unit)

    def units(self) -> list[Unit]:
        return self.collection.registry.units

    def preview_mark(self, item: Item) -> str:
        """ "draft" or "scheduled" for an item shown only in preview (`mkdocs serve`), else ""."""
        if item.draft:
            return "draft"
        return "scheduled" if any(held.url == item.url for held in self.collection.held) else ""
