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

import heapq
import itertools
import math
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import timedelta

from bantin.citations import document_slug
from bantin.excerpts import plain_words
from bantin.items import Item
from bantin.render import gather_shares
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
KEY_KINDS = {"d": "document", "t": "topic", "u": "unit"}
NEAREST = 60  # of a unit's or topic's hundreds of items, the nearest in date on each side are candidates
PARALLEL_FROM = 1000  # fewer items than this are related faster here than a forked worker costs


class RelatedIndex:
    """Built once from every item and what each cites (by item URL, or a function of the item).

    Phrases are numbered as they are met and only those two to `limit` items share are kept, with each item's
    rarest PHRASES_FOLLOWED of them: what `related` follows, in memory linear in the archive and small per item.
    """

    def __init__(
        self,
        items: Iterable[Item],
        cited: Cited,
        family: Family | None = None,
        phrases_of: Callable[[Item], Iterable[str]] | None = None,
    ) -> None:
        self.place(items, cited, family)
        # Phrases: hundreds per item, most of them either in one item only or in too many to say anything; only
        # the others are kept (by number), so the index holds a few per item however large the archive.
        self.numbers: dict[str, int] = {}
        said = [self.phrase_numbers(item, phrases_of) for item in self.items]
        counts = [0] * len(self.numbers)
        for numbers in said:
            for number in numbers:
                counts[number] += 1
        self.numbers = {phrase: number for phrase, number in self.numbers.items() if 2 <= counts[number] <= self.limit}
        self.spelled = {number: phrase for phrase, number in self.numbers.items()}
        self.shares = {number: counts[number] for number in self.spelled}
        del counts
        said = [[number for number in numbers if number in self.shares] for numbers in said]
        self.followed = [self.rarest(numbers) for numbers in said]
        self.phrase_postings: dict[int, list[int]] = defaultdict(list)
        for index, numbers in enumerate(said):
            for number in numbers:
                self.phrase_postings[number].append(index)
        self.families: dict[str, list[str]] = {}

    def place(self, items: Iterable[Item], cited: Cited, family: Family | None) -> None:
        """The items newest first, and what they share besides phrases: documents, topics and units, few per item,
        each followed to its nearest items in date."""
        self.cited = cited
        self.family = family
        self.items = sorted(items, key=lambda item: (item.date, item.url), reverse=True)
        self.urls = [item.url for item in self.items]
        self.position = {url: index for index, url in enumerate(self.urls)}
        self.duplicated = {url for url, count in Counter(self.urls).items() if count > 1}
        count = len(self.items)
        self.limit = min(MAX_POSTINGS, max(2, int(count * COMMON)))
        self.ties = [sorted(self.tie_keys(item)) for item in self.items]
        self.postings: dict[str, list[int]] = defaultdict(list)
        for index, keys in enumerate(self.ties):
            for key in keys:
                self.postings[key].append(index)
        self.idf = {key: idf(count, len(found)) for key, found in self.postings.items()}

    def tie_keys(self, item: Item) -> set[str]:
        """What an item shares besides phrases, as prefixed keys: its documents, its topics, its unit."""
        return tie_keys(item, self.cited)

    def phrase_numbers(self, item: Item, phrases_of: Callable[[Item], Iterable[str]] | None = None) -> list[int]:
        """The item's phrases by number, numbering the new ones (numbers never decide a result: ties go by text)."""
        numbers = self.numbers
        return [numbers.setdefault(phrase, len(numbers)) for phrase in (phrases_of or phrases)(item)]

    def rarest(self, numbers: Iterable[int]) -> list[int]:
        """Of the phrases kept (another item also uses each, and not too many), the rarest."""
        shares, spelled = self.shares, self.spelled
        return sorted(numbers, key=lambda number: (shares[number], spelled[number]))[:PHRASES_FOLLOWED]

    def nearest(self, key: str, here: int) -> list[int]:
        """The items carrying `key` nearest in date to position `here`: a unit's whole output need not be scored."""
        found = self.postings.get(key, [])
        if len(found) <= 2 * NEAREST:
            return found
        middle = bisect_left(found, here)
        return found[max(0, middle - NEAREST) : middle + NEAREST]

    def family_keys(self, item: Item) -> list[str]:
        """The keys of the units of an item's unit's family, looked up once per unit."""
        if not self.family:
            return []
        name = item.unit.name
        if name not in self.families:
            self.families[name] = sorted({"u:" + other for other in self.family(item.unit)})
        return self.families[name]

    def related(self, item: Item, limit: int = LIMIT) -> list[Item]:
        """Up to `limit` related items, most related first; never the item itself, never an unrelated filler."""
        index = self.position.get(item.url)
        if index is not None:
            ties, followed, here = self.ties[index], self.followed[index], index
        else:  # an item outside the index (a draft in preview): its phrases known to the index, where it would sit
            ties = sorted(self.tie_keys(item))
            known = {self.numbers[phrase] for phrase in phrases(item) if phrase in self.numbers}
            followed = self.rarest(known)
            here = sum(1 for other in self.items if (other.date, other.url) > (item.date, item.url))
        said: dict[int, float] = defaultdict(float)  # what shared phrases score
        shared: dict[int, int] = defaultdict(int)
        for number in followed:
            weight = idf(len(self.items), self.shares[number])
            for other in self.phrase_postings[number]:
                said[other] += weight
                shared[other] += 1
        scores: dict[int, float] = defaultdict(float)  # what shared documents, topics and units score
        for key in ties:
            weight = WEIGHTS[KEY_KINDS[key[0]]] * self.idf.get(key, 0.0)  # none: an outside item's own key
            for other in self.nearest(key, here):
                scores[other] += weight
        family: dict[int, float] = defaultdict(float)  # the parent's or a child's items: closer, not related alone
        for key in self.family_keys(item):
            if key not in ties:
                weight = WEIGHTS["family"] * self.idf.get(key, 0.0)
                for other in self.nearest(key, here):
                    family[other] += weight
        # A phrase or two in common is chance on its own; beside another tie it tells which is closer.
        for other in scores:
            scores[other] = scores[other] + said.get(other, 0.0) + family.get(other, 0.0)
        for other, score in said.items():
            if other not in scores and shared[other] >= MIN_PHRASES:
                scores[other] = score + family.get(other, 0.0)
        if item.url in self.duplicated:
            for other in [other for other in scores if self.urls[other] == item.url]:
                del scores[other]
        elif index is not None:
            scores.pop(index, None)
        best = ranked(scores, limit, lambda other: abs(self.items[other].date - item.date))
        return [self.items[other] for other in best]

    def all_related(self, limit: int = LIMIT) -> list[tuple[int, ...]]:
        """Every indexed item's related items, by position in the index's order (newest first); on every core
        (bantin.render.gather_shares), each item's answer being its own."""
        where = {id(item): index for index, item in enumerate(self.items)}

        def related_of(positions: Sequence[int]) -> list[tuple[int, tuple[int, ...]]]:
            items, related = self.items, self.related
            return [(index, tuple(where[id(other)] for other in related(items[index], limit))) for index in positions]

        found = dict(gather_shares(range(len(self.items)), related_of, PARALLEL_FROM))
        return [found[index] for index in range(len(self.items))]


def tie_keys(item: Item, cited: Cited) -> set[str]:
    """What an item shares with others besides phrases, as prefixed keys: its documents, its topics, its unit."""
    numbers = cited(item) if callable(cited) else cited.get(item.url, ())
    keys = {"d:" + document_slug(number) for number in numbers}
    keys |= {"t:" + make_slug(tag) for tag in item.tags}
    keys.add("u:" + item.unit.name)
    return keys


def ranked(scores: Mapping[int, float], limit: int, distance: Callable[[int], timedelta]) -> list[int]:
    """The `limit` best by score (to six decimals), then nearest in date, then position; only the few that can be
    among them are sorted, found by a margin wider than the rounding below the `limit`-th best score."""
    pool: Iterable[int] = scores
    if len(scores) > limit:
        floor = heapq.nlargest(limit, scores.values())[-1] - 1e-5
        pool = [other for other, score in scores.items() if score >= floor]
    best = sorted(pool, key=lambda other: (-round(scores[other], 6), distance(other), other))
    return best[:limit]


def idf(count: int, found: int) -> float:
    return math.log(1 + count / found)


def phrases(item: Item) -> set[str]:
    """Pairs of neighbouring syllables from the title, the lead and the body's first BODY_WORDS words."""
    from bantin.search.tokenize import words  # the search's own word rule; bantin.search imports the collection

    text = " ".join([item.title, item.notice.subject if item.notice else "", item.summary or ""])
    body = plain_words(item.body, BODY_WORDS)
    found: set[str] = set()
    for part in (text, " ".join(body)):
        # Each syllable looked at once: a function word or a number ("" here) ends a pair on either side.
        syllables = ["" if syllable in FUNCTION_WORDS or syllable.isdigit() else syllable for syllable in words(part)]
        found |= {f"{first} {second}" for first, second in itertools.pairwise(syllables) if first and second}
    return found


def phrase_texts(items: Sequence[tuple[str, Item]]) -> list[tuple[str, str]]:
    """Each (key, item)'s phrases as one text, sorted, one per line (as bantin.related_cache keeps them)."""
    return [(key, "\n".join(sorted(phrases(item)))) for key, item in items]


def related(item: Item, candidates: Iterable[Item], cited: Cited, limit: int = LIMIT) -> list[Item]:
    """Related items for a single item; for a whole site build one RelatedIndex and ask it for each item."""
    return RelatedIndex(candidates, cited).related(item, limit)
