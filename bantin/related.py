"""Related news ("Tin khác"): other items that cite the same documents, come from the same unit or share topics.

Ranking, strongest first: more cited documents in common; then the same publishing unit; then more topics in
common; then the closest in date (the newer one on a tie), so an item from 2014 is shown what was said around 2014.
Slots still free are filled by recency, the site's newest items, as readers of the legacy portals expect: the
items just before and after are already linked beside the article, so the filler never repeats them by design.

Each document, unit and topic keeps the set of items that carry it as a bitmask over the items sorted by date.
Counting what a candidate shares is then a few integer ANDs over all items at once, and the closest items in a set
are its nearest set bits: no pair of items is ever compared, which keeps 10,000 items to about a second.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence

from bantin.citations import document_slug
from bantin.items import Item
from bantin.text import make_slug

LIMIT = 5
Cited = Mapping[str, Sequence[str]] | Callable[[Item], Sequence[str]]


class RelatedIndex:
    """Built once from every item and what each cites (by item URL, or a function of the item)."""

    def __init__(self, items: Iterable[Item], cited: Cited) -> None:
        self.cited = cited
        self.items = sorted(items, key=lambda item: (item.date, item.url))
        self.dates = [(item.date, item.url) for item in self.items]
        self.position = {item.url: index for index, item in enumerate(self.items)}
        self.everyone = (1 << len(self.items)) - 1
        self.documents: dict[str, int] = {}
        self.units: dict[str, int] = {}
        self.topics: dict[str, int] = {}
        self.keys: dict[str, tuple[list[str], str, list[str]]] = {}
        for index, item in enumerate(self.items):
            keys = self.keys_of(item, cited)
            self.keys[item.url] = keys
            documents, unit, topics = keys
            bit = 1 << index
            for document in documents:
                self.documents[document] = self.documents.get(document, 0) | bit
            self.units[unit] = self.units.get(unit, 0) | bit
            for topic in topics:
                self.topics[topic] = self.topics.get(topic, 0) | bit

    @staticmethod
    def keys_of(item: Item, cited: Cited) -> tuple[list[str], str, list[str]]:
        """Document and topic slugs (so spellings of one number or tag meet) and the unit's name."""
        numbers = cited(item) if callable(cited) else cited.get(item.url, ())
        documents = list(dict.fromkeys(document_slug(number) for number in numbers))
        return documents, item.unit.name, list(dict.fromkeys(make_slug(tag) for tag in item.tags))

    def related(self, item: Item, limit: int = LIMIT) -> list[Item]:
        """Up to `limit` items in ranking order, then the newest others; never the item itself."""
        keys = self.keys.get(item.url)
        if keys is None:  # not indexed: rank the indexed items around its date
            keys = self.keys_of(item, self.cited)
            below = above = bisect_left(self.dates, (item.date, item.url))
        else:
            below = self.position[item.url]
            above = below + 1
        documents, unit, topics = keys
        sharing_documents = exactly(self.everyone, [self.documents.get(key, 0) for key in documents])
        sharing_topics = exactly(self.everyone, [self.topics.get(key, 0) for key in topics])
        same_unit = self.units.get(unit, 0)
        found: list[Item] = []
        for document_count in reversed(range(len(sharing_documents))):
            for is_same_unit, unit_mask in ((True, same_unit), (False, self.everyone ^ same_unit)):
                for topic_count in reversed(range(len(sharing_topics))):
                    if document_count == 0 and not is_same_unit and topic_count == 0:
                        continue  # nothing in common
                    group = sharing_documents[document_count] & unit_mask & sharing_topics[topic_count]
                    if group:
                        found += self.closest(item, group, below, above, limit - len(found))
                        if len(found) == limit:
                            return found
        return found + self.newest(item, found, limit - len(found))

    def newest(self, item: Item, chosen: list[Item], count: int) -> list[Item]:
        """The `count` newest items that are neither `item` nor already `chosen`."""
        skipped = {item.url, *(entry.url for entry in chosen)}
        filler: list[Item] = []
        for candidate in reversed(self.items):
            if len(filler) == count:
                break
            if candidate.url not in skipped:
                filler.append(candidate)
        return filler

    def closest(self, item: Item, group: int, below: int, above: int, count: int) -> list[Item]:
        """The `count` items of `group` nearest in date: positions before `below` or from `above` on."""
        older = group & ((1 << below) - 1)
        newer = group >> above
        chosen: list[Item] = []
        while len(chosen) < count and (older or newer):
            before = self.items[older.bit_length() - 1] if older else None  # highest bit below: latest older item
            after = (newer & -newer).bit_length() - 1 if newer else -1  # lowest bit above: earliest newer item
            if after >= 0 and (before is None or self.items[above + after].date - item.date <= item.date - before.date):
                chosen.append(self.items[above + after])
                newer ^= 1 << after
            elif before is not None:
                chosen.append(before)
                older ^= 1 << (older.bit_length() - 1)
        return chosen


def exactly(everyone: int, sets: Sequence[int]) -> list[int]:
    """`result[k]` holds the items in exactly k of `sets` (as bitmasks), for k from 0 to len(sets)."""
    at_least = [everyone] + [0] * len(sets)
    for members in sets:
        for count in range(len(sets), 0, -1):
            at_least[count] |= at_least[count - 1] & members
    return [at_least[count] ^ (at_least[count + 1] if count < len(sets) else 0) for count in range(len(sets) + 1)]


def related(item: Item, candidates: Iterable[Item], cited: Cited, limit: int = LIMIT) -> list[Item]:
    """Related items for a single item; for a whole site build one RelatedIndex and ask it for each item."""
    return RelatedIndex(candidates, cited).related(item, limit)
