"""The in-memory collection every page is computed from: items newest first, indexed once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from bantin.citations import document_slug, find_citations
from bantin.documents import CONCLUSIONS
from bantin.errors import ContentError
from bantin.items import Item
from bantin.related import RelatedIndex
from bantin.text import make_slug
from bantin.units import Registry, Unit
from bantin.vietnamese import long_date


@dataclass(frozen=True)
class Group:
    """Items sharing a category or topic; `name` is the first spelling met, `slug` its URL part."""

    slug: str
    name: str
    items: list[Item]


@dataclass
class Collection:
    """All items sorted newest first, with indexes by unit, category, topic, cited document, year and month."""

    items: list[Item]
    registry: Registry = field(default_factory=Registry)
    known_citations: dict[str, list[str]] = field(default_factory=dict)
    """What each item cites, by content path, when the loader has it already (from the build cache)."""

    def __post_init__(self) -> None:
        self.held: list[Item] = []  # drafts and scheduled items: validated, published only in preview
        self.warnings: list[ContentError] = []  # allowed but likely wrong, said by `bantin check`
        self.assets: list[tuple[str, Path]] = []  # files published beside the items, as the loader found them
        # Every item's related items by position, when a build cache holds them for exactly these items
        # (bantin.related_cache); else they are computed from `related_index`, which takes phrases from
        # `phrases_of` when set.
        self.related_known: list[tuple[int, ...]] | None = None
        self.phrases_of: Callable[[Item], Iterable[str]] | None = None
        self.items = sorted(self.items, key=lambda item: (item.date, item.url), reverse=True)
        self.position = {item.url: index for index, item in enumerate(self.items)}
        self.published_by: dict[str, list[Item]] = defaultdict(list)
        self.mentioned_in: dict[str, list[Item]] = defaultdict(list)
        self.by_year: dict[int, list[Item]] = defaultdict(list)
        self.by_month: dict[tuple[int, int], list[Item]] = defaultdict(list)
        self.categories = group_by(self.items, lambda item: [item.category] if item.category else [])
        self.topics = group_by(self.items, lambda item: list(item.tags))
        known = self.known_citations
        self.cited = {item.url: known[item.path] if item.path in known else item_citations(item) for item in self.items}
        numbers = {item.url: [*own_number(item), *self.cited[item.url]] for item in self.items}
        self.documents = group_by(self.items, lambda item: numbers[item.url], document_slug)
        for item in self.items:  # a number is shown as the document we publish writes it (07-KL/VPTW, not 7-KL/VPTW)
            for number in own_number(item):
                group = self.documents[document_slug(number)]
                self.documents[group.slug] = Group(group.slug, number, group.items)
        for item in self.items:
            self.published_by[item.unit.name].append(item)
            for unit in item.organizations:
                if unit != item.unit:
                    self.mentioned_in[unit.name].append(item)
            self.by_year[item.date.year].append(item)
            self.by_month[(item.date.year, item.date.month)].append(item)

    def schedule_notes(self) -> list[str]:
        """What `bantin check` says about items not on the site yet, and the warnings, in the editor's words."""
        notes = []
        for item in self.held:
            if item.draft:
                notes.append(f"Bản nháp, chưa đăng: {item.path} (bỏ dòng draft: true để đăng)")
            else:
                when = long_date(item.date, item.has_time)
                notes.append(f"Hẹn đăng: {item.path} sẽ hiện trên trang từ {when} (khi trang được tạo lại sau giờ đó)")
        notes.extend(f"Cảnh báo: {warning}" for warning in self.warnings)
        return notes

    def of_kind(self, kind: str) -> list[Item]:
        return [item for item in self.items if item.kind == kind]

    def documents_of_kind(self, name: str) -> list[Item]:
        """Published documents of one kind ("Công văn"), newest first."""
        return [item for item in self.items if item.notice is not None and item.notice.kind.name == name]

    def conclusions(self) -> list[Item]:
        """What the conclusions register and its feed hold: kết luận and thông báo kết luận."""
        return [item for item in self.items if item.notice is not None and item.notice.kind.name in CONCLUSIONS]

    def by_unit(self, unit: Unit) -> list[Item]:
        return self.published_by.get(unit.name, [])

    def mentioning(self, unit: Unit) -> list[Item]:
        return self.mentioned_in.get(unit.name, [])

    @cached_property
    def related_index(self) -> RelatedIndex:
        """Built when related items are first asked for: `bantin check` never asks."""
        return RelatedIndex(self.items, self.related_numbers(), self.family_of, self.phrases_of)

    def related_numbers(self) -> dict[str, list[str]]:
        """A document and what cites it are related: each item's own number and the numbers it cites."""
        return {item.url: [*own_number(item), *self.cited[item.url]] for item in self.items}

    def related(self, item: Item) -> list[Item]:
        """ "Tin khác": items saying the same things, citing the same documents, from the same unit or family."""
        known = self.related_known
        index = self.position.get(item.url)
        if known is not None and index is not None and self.items[index] is item:
            return [self.items[other] for other in known[index]]
        return self.related_index.related(item)

    def family_of(self, unit: Unit) -> list[str]:
        """The names of a unit's parent and children: their items are related to its own."""
        parent = self.registry.parent_of(unit)
        return [*([parent.name] if parent else []), *(child.name for child in self.registry.children_of(unit))]

    def notice_numbered(self, slug: str) -> Item | None:
        """The conclusion notice we publish whose own number has this slug, if any."""
        group = self.documents.get(slug)
        for item in group.items if group else []:
            if item.notice and item.notice.number and document_slug(item.notice.number) == slug:
                return item
        return None

    def newer(self, item: Item) -> Item | None:
        """The next item forward in time ("Tin mới hơn"), across kinds."""
        index = self.position[item.url]
        return self.items[index - 1] if index > 0 else None

    def older(self, item: Item) -> Item | None:
        """The previous item back in time ("Tin đã đưa")."""
        index = self.position[item.url]
        return self.items[index + 1] if index + 1 < len(self.items) else None


def item_citations(item: Item, body: str | None = None) -> list[str]:
    """What an item cites: numbers in its title, lead, topics and body; a document never cites its own number.

    `body` is `item.body` where the caller has it decoded already (decoding 10,000 bodies is about 0.2 CPU s).
    """
    own = {document_slug(number) for number in own_number(item)}
    parts = [item.title, item.notice.subject if item.notice else "", item.summary or "", *item.tags]
    parts.append(item.body if body is None else body)
    return [number for number in find_citations("\n".join(parts)) if document_slug(number) not in own]


def own_number(item: Item) -> list[str]:
    return [item.notice.number] if item.notice and item.notice.number else []


def group_by(
    items: list[Item], names_of: Callable[[Item], list[str]], slug_of: Callable[[str], str] = make_slug
) -> dict[str, Group]:
    """Group items under each name they carry, keyed by slug so "Dân vận khéo"/"dân vận khéo" meet."""
    groups: dict[str, Group] = {}
    for item in items:
        for name in names_of(item):
            slug = slug_of(name)
            group = groups.get(slug)
            if group is None:  # made once per name, not per item
                group = groups[slug] = Group(slug, name, [])
            if not group.items or group.items[-1] is not item:
                group.items.append(item)
    return dict(sorted(groups.items(), key=lambda entry: entry[1].name.casefold()))
