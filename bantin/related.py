"""Related news ("Tin khác"): other items that say the same things, never padded with unrelated newest items.

An item is related to another when they share a cited document, a topic, the publishing unit (or a parent, child
or sibling unit), or enough rare phrases: pairs of neighbouring syllables ("hội nông dân", "khối dân vận") that
few items use. A pair most items use ("dân vận" in a Dân vận bulletin) says nothing and is left out. Each shared
thing scores by how rare it is, so two items quoting the same uncommon document or phrase outrank two from the same
unit; the closest in date wins a tie. Fewer than five related items means fewer than five are shown.

Phrases come from the title, the lead and the first words of the body (where an article says what it is about),
and each item only follows its rarest phrases through an inverted index, and of a unit's or topic's many items
only the nearest in date: no pair of items is compared directly, which keeps 10,000 items to seconds.
"""

from __future__ import annotations

import itertools
import math
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

from bantin.citations import document_slug
from bantin.excerpts import plain_text
from bantin.items import Item
from bantin.text import make_slug
from bantin.units import Unit

LIMIT = 5
Cited = Mapping[str, Sequence[str]] | Callable[[Item], Sequence[str]]
Family = Callable[[Unit], Iterable[str]]  # names of a unit's parent, children and siblings
BODY_WORDS = 400  # how much of the body speaks for the item
PHRASES_FOLLOWED = 60  # an item's rarest shared phrases followed through the index
COMMON = 0.2  # a phrase in more than this share of items is no sign of relation
MAX_POSTINGS = 60  # nor one in more than this many items, however large the archive
MIN_PHRASES = 4  # phrases alone relate two items only when they share at least this many
# Function words: a pair holding one ("của mặt", "năm qua") says how a sentence runs, not what it is about.
FUNCTION_WORDS = frozenset(
    """của và các có là với được những cho trong này đã về để từ tại theo một năm người khi ở đến không cũng
    như thì mà nên sẽ đang rất nhiều hơn đó đây vào ra trên dưới qua lại còn phải bằng do vì nhằm việc
    số ngày tháng nay sau trước cùng mỗi bị hay hoặc nhưng tới""".split()  # noqa: SIM905 -- reads as the word list it is
)
WEIGHTS = {"document": 3.0, "topic": 2.0, "unit": 1.5, "family": 0.75}
NEAREST = 60  # of a unit's or topic's hundreds of items, the nearest in date on each side are candidates


class RelatedIndex:
    """Built once from every item and what each cites (by item URL, or a function of the item)."""

    def __init__(self, items: Iterable[Item], cited: Cited, family: Family | None = None) -> None:
        self.cited = cited
        self.family = family
        self.items = sorted(items, key=lambda item: (item.date, item.url), reverse=True)
        self.position = {item.url: index for index, item in enumerate(self.items)}
        self.keys = [self.keys_of(item) for item in self.items]
        self.postings: dict[str, list[int]] = defaultdict(list)
        for index, keys in enumerate(self.keys):
            for key in keys:
                self.postings[key].append(index)
        count = len(self.items)
        self.limit = min(MAX_POSTINGS, max(2, int(count * COMMON)))
        self.idf = {key: math.log(1 + count / len(found)) for key, found in self.postings.items()}

    def keys_of(self, item: Item) -> set[str]:
        """Everything an item can share, as prefixed keys: documents, topics, its unit, its unit's family, phrases."""
        numbers = self.cited(item) if callable(self.cited) else self.cited.get(item.url, ())
        keys = {"d:" + document_slug(number) for number in numbers}
        keys |= {"t:" + make_slug(tag) for tag in item.tags}
        keys.add("u:" + item.unit.name)
        keys |= {"p:" + phrase for phrase in phrases(item)}
        return keys

    def nearest(self, key: str, here: int) -> list[int]:
        """The items carrying `key` nearest in date to position `here`: a unit's whole output need not be scored."""
        found = self.postings.get(key, [])
        if len(found) <= 2 * NEAREST:
            return found
        middle = bisect_left(found, here)
        return found[max(0, middle - NEAREST) : middle + NEAREST]

    def family_keys(self, item: Item) -> set[str]:
        return {"u:" + name for name in self.family(item.unit)} if self.family else set()

    def related(self, item: Item, limit: int = LIMIT) -> list[Item]:
        """Up to `limit` related items, most related first; never the item itself, never an unrelated filler."""
        index = self.position.get(item.url)
        keys = self.keys[index] if index is not None else self.keys_of(item)
        here = (
            index
            if index is not None
            else sum(1 for other in self.items if (other.date, other.url) > (item.date, item.url))
        )
        said: dict[int, float] = defaultdict(float)  # what shared phrases score
        shared: Counter[int] = Counter()
        # The rarest phrases another item also uses; one only this item uses leads nowhere.
        followed = [key for key in keys if key.startswith("p:") and 2 <= len(self.postings.get(key, ())) <= self.limit]
        followed.sort(key=lambda key: (len(self.postings[key]), key))
        for key in followed[:PHRASES_FOLLOWED]:
            for other in self.postings[key]:
                said[other] += self.idf[key]
                shared[other] += 1
        ties: dict[int, float] = defaultdict(float)  # what shared documents, topics and units score
        for key in keys:
            if not key.startswith("p:"):
                weight = WEIGHTS[{"d": "document", "t": "topic", "u": "unit"}[key[0]]] * self.idf[key]
                for other in self.nearest(key, here):
                    ties[other] += weight
        family: dict[int, float] = defaultdict(float)  # the parent's or a child's items: closer, not related alone
        for key in self.family_keys(item) - keys:
            for other in self.nearest(key, here):
                family[other] += WEIGHTS["family"] * self.idf[key]
        # A phrase or two in common is chance on its own; beside another tie it tells which is closer.
        scores = {other: ties[other] + said[other] + family[other] for other in ties}
        for other in said:
            if other not in ties and shared[other] >= MIN_PHRASES:
                scores[other] = said[other] + family[other]
        ranked = sorted(
            (other for other in scores if self.items[other].url != item.url),
            key=lambda other: (-round(scores[other], 6), abs(self.items[other].date - item.date), other),
        )
        return [self.items[other] for other in ranked[:limit]]


def phrases(item: Item) -> set[str]:
    """Pairs of neighbouring syllables from the title, the lead and the body's first BODY_WORDS words."""
    from bantin.search.tokenize import words  # the search's own word rule; bantin.search imports the collection

    text = " ".join([item.title, item.notice.subject if item.notice else "", item.summary or ""])
    body = plain_text(item.body).split()[:BODY_WORDS]
    found: set[str] = set()
    for part in (text, " ".join(body)):
        syllables = words(part)
        found |= {
            f"{first} {second}"
            for first, second in itertools.pairwise(syllables)
            if not (first in FUNCTION_WORDS or second in FUNCTION_WORDS or first.isdigit() or second.isdigit())
        }
    return found


def related(item: Item, candidates: Iterable[Item], cited: Cited, limit: int = LIMIT) -> list[Item]:
    """Related items for a single item; for a whole site build one RelatedIndex and ask it for each item."""
    return RelatedIndex(candidates, cited).related(item, limit)
