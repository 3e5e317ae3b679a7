"""What every template can ask of the whole site, as the Jinja global `bantin`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from bantin import charts
from bantin.collection import Collection, Group
from bantin.images import LeadImage
from bantin.items import Item
from bantin.listings import UnitGroup, latest, most_viewed, unit_directory
from bantin.navigation import Link, menu, sections_of
from bantin.pages import unit_url
from bantin.search.kinds import KindFilter, filter_counts
from bantin.units import Unit


@dataclass
class SiteContext:
    collection: Collection
    images: dict[str, LeadImage] = field(default_factory=dict)  # by item URL

    def latest(self, count: int, kind: str | None = None) -> list[Item]:
        return latest(self.collection, count, kind)

    def most_viewed(self, count: int) -> list[Item]:
        """Only items with a view count: an item nobody counted is not "most viewed"."""
        return most_viewed(self.collection)[:count]

    def categories(self) -> list[Group]:
        return list(self.collection.categories.values())

    def topics(self) -> list[Group]:
        return list(self.collection.topics.values())

    def unit_url(self, unit: Unit) -> str:
        return unit_url(unit)

    def units(self) -> list[Unit]:
        return self.collection.registry.units

    def directory(self) -> list[UnitGroup]:
        return unit_directory(self.collection)

    def menu(self, nav: Iterable[Any]) -> list[Link]:
        """The menu under the masthead: the site's sections (MkDocs' `nav`) with the busiest categories."""
        return menu(self.collection, sections_of(nav))

    def image(self, item: Item) -> LeadImage | None:
        return self.images.get(item.url)

    def lead_story(self) -> Item | None:
        """The home page's lead: the newest news item with a picture, else the newest news item."""
        news = self.collection.of_kind("tin")
        return next((item for item in news[:10] if item.url in self.images), news[0] if news else None)

    def published(self, unit: Unit, count: int) -> list[Item]:
        """A unit's newest items: a successor's page shows its predecessors' archive."""
        return self.collection.by_unit(unit)[:count]

    def from_subordinates(self, unit: Unit, count: int) -> list[Item]:
        """What the units under this one publish (Tỉnh ủy → its Ban Dân vận), newest first."""
        registry = self.collection.registry
        seen: list[Unit] = []
        waiting = list(registry.children_of(unit))
        while waiting:
            child = waiting.pop()
            if child not in seen and child != unit:
                seen.append(child)
                waiting.extend(registry.children_of(child))
        items = [item for child in seen for item in self.collection.by_unit(child)]
        return sorted(items, key=lambda item: (item.date, item.url), reverse=True)[:count]

    @staticmethod
    def drawn(chart: charts.Chart | None, ident: str) -> Markup:
        """A chart worth drawing has two bars at least: one bar says no more than its number."""
        return Markup(charts.render(chart, ident)) if chart and len(chart.labels) > 1 else Markup("")

    def unit_chart(self, unit: Unit) -> Markup:
        chart = charts.per_period(self.collection.by_unit(unit), f"Số bài {unit.name} đăng theo thời gian")
        return self.drawn(chart, "bt-chart-unit")

    def archive_chart(self) -> Markup:
        chart = charts.per_year(self.collection.items, "Số bài trong lưu trữ theo năm, theo loại", by_kind=True)
        return self.drawn(chart, "bt-chart-archive")

    def register_chart(self, notices: list[Item], caption: str = "Số văn bản theo năm ban hành, theo loại") -> Markup:
        """The documents a register lists, per year and per kind of document."""
        return self.drawn(charts.documents_per_year(notices, caption), "bt-chart-register")

    def search_kinds(self) -> list[tuple[KindFilter, int]]:
        """The search page's "Loại" options as listed before a query: what each finds in the whole bulletin."""
        return filter_counts(self.collection.items)

    def preview_mark(self, item: Item) -> str:
        """ "draft" or "scheduled" for an item shown only in preview (`mkdocs serve`), else ""."""
        if item.draft:
            return "draft"
        return "scheduled" if any(held.url == item.url for held in self.collection.held) else ""
