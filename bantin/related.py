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
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt

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
MICROSECOND = timedelta(microseconds=1)


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
        # Each item's date as microseconds from the first's: distances in date compared as integers, made at once.
        self.first = self.items[0].date if self.items else datetime.min
        self.stamps = np.array([(item.date - self.first) // MICROSECOND for item in self.items], np.int64)
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
        return [self.items[other] for other in Scorer(self).best(item, limit)]

    def all_related(self, limit: int = LIMIT) -> list[tuple[int, ...]]:
        """Every indexed item's related items, by position in the index's order (newest first); on every core
        (bantin.render.gather_shares), each item's answer being its own."""

        def related_of(positions: Sequence[int]) -> list[tuple[int, tuple[int, ...]]]:
            scorer, items = Scorer(self), self.items
            return [(index, tuple(scorer.best(items[index], limit))) for index in positions]

        found = dict(gather_shares(range(len(self.items)), related_of, PARALLEL_FROM))
        return [found[index] for index in range(len(self.items))]


class Scorer:
    """Scores one item after another against a RelatedIndex, with arrays instead of a dict update per pair.

    Each shared thing adds its weight to every item holding it, in the same order as one addition per pair would
    (a phrase's or key's holders are distinct), so every score is the same float. The score arrays are the length
    of the archive, made once and cleared after each item where it wrote; postings become arrays as first used.
    """

    def __init__(self, index: RelatedIndex) -> None:
        self.index = index
        count = len(index.items)
        self.said = np.zeros(count)  # what shared phrases score
        self.shared = np.zeros(count, np.int64)  # how many phrases are shared
        self.tied = np.zeros(count)  # what shared documents, topics and units score
        self.touched = np.zeros(count, np.bool_)  # tied at all (a key's weight may be 0.0: an outside item's own)
        self.family = np.zeros(count)  # the parent's or a child's items: closer, not related alone
        self.phrase_arrays: dict[int, npt.NDArray[np.int64]] = {}
        self.key_arrays: dict[str, npt.NDArray[np.int64]] = {}
        self.weights: dict[int, float] = {}

    def phrase_holders(self, number: int) -> npt.NDArray[np.int64]:
        found = self.phrase_arrays.get(number)
        if found is None:
            found = self.phrase_arrays[number] = np.array(self.index.phrase_postings[number], np.int64)
        return found

    def phrase_weight(self, number: int) -> float:
        found = self.weights.get(number)
        if found is None:
            found = self.weights[number] = idf(len(self.index.items), self.index.shares[number])
        return found

    def nearest(self, key: str, here: int) -> npt.NDArray[np.int64]:
        """RelatedIndex.nearest, as an array."""
        found = self.key_arrays.get(key)
        if found is None:
            found = self.key_arrays[key] = np.array(self.index.postings.get(key, []), np.int64)
        if len(found) <= 2 * NEAREST:
            return found
        middle = int(np.searchsorted(found, here))
        return found[max(0, middle - NEAREST) : middle + NEAREST]

    def best(self, item: Item, limit: int) -> list[int]:
        """The positions of the item's related items, most related first."""
        index_of = self.index
        index = index_of.position.get(item.url)
        if index is not None:
            ties, followed, here = index_of.ties[index], index_of.followed[index], index
        else:  # an item outside the index (a draft in preview): its phrases known to the index, where it would sit
            ties = sorted(index_of.tie_keys(item))
            known = {index_of.numbers[phrase] for phrase in phrases(item) if phrase in index_of.numbers}
            followed = index_of.rarest(known)
            here = sum(1 for other in index_of.items if (other.date, other.url) > (item.date, item.url))
        said, shared, tied, touched, family = self.said, self.shared, self.tied, self.touched, self.family
        holders = [self.phrase_holders(number) for number in followed]
        phrased = np.concatenate(holders) if holders else np.zeros(0, np.int64)
        if holders:
            weights = np.repeat([self.phrase_weight(number) for number in followed], [len(each) for each in holders])
            np.add.at(said, phrased, weights)
            np.add.at(shared, phrased, 1)
        reached = []
        for key in ties:
            weight = WEIGHTS[KEY_KINDS[key[0]]] * index_of.idf.get(key, 0.0)  # none: an outside item's own key
            near = self.nearest(key, here)
            tied[near] += weight
            touched[near] = True
            reached.append(near)
        tied_ones = distinct(np.concatenate(reached)) if reached else phrased[:0]
        kin = []
        for key in index_of.family_keys(item):
            if key not in ties:
                near = self.nearest(key, here)
                family[near] += WEIGHTS["family"] * index_of.idf.get(key, 0.0)
                kin.append(near)
        # A phrase or two in common is chance on its own; beside another tie it tells which is closer.
        phrase_ones = distinct(phrased)
        phrase_ones = phrase_ones[~touched[phrase_ones] & (shared[phrase_ones] >= MIN_PHRASES)]
        others = np.concatenate([tied_ones, phrase_ones])
        scores = np.concatenate(
            [tied[tied_ones] + said[tied_ones] + family[tied_ones], said[phrase_ones] + family[phrase_ones]]
        )
        said[phrased] = 0.0
        shared[phrased] = 0
        tied[tied_ones] = 0.0
        touched[tied_ones] = False
        for near in kin:
            family[near] = 0.0
        if item.url in index_of.duplicated:
            keep = np.array([index_of.urls[other] != item.url for other in others.tolist()], np.bool_)
            others, scores = others[keep], scores[keep]
        elif index is not None:
            keep = others != index
            others, scores = others[keep], scores[keep]
        if len(scores) > limit:  # only the few that can be among the best go on to `ranked`
            floor = np.partition(scores, len(scores) - limit)[len(scores) - limit] - 1e-5
            keep = scores >= floor
            others, scores = others[keep], scores[keep]
        return self.ranked(others, scores, limit, item)

    def ranked(
        self, others: npt.NDArray[np.int64], scores: npt.NDArray[np.float64], limit: int, item: Item
    ) -> list[int]:
        """`ranked` of these candidates (distinct, already cut to its pool), each sort key made in one pass: the
        rounded score, the distance in date as whole microseconds (timedeltas order as theirs do), the position."""
        if not len(others):
            return []
        here = (item.date - self.index.first) // MICROSECOND
        distances = np.abs(self.index.stamps[others] - here).tolist()
        rounded = [-round(score, 6) for score in scores.tolist()]
        return [other for _, _, other in sorted(zip(rounded, distances, others.tolist(), strict=True))[:limit]]


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


def distinct(positions: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Each position once, in order (numpy's own unique hashes, slower on a few thousand)."""
    ordered = np.sort(positions)
    if len(ordered) < 2:
        return ordered
    first = np.empty(len(ordered), np.bool_)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


def idf(count: int, found: int) -> float:
    return math.log(1 + count / found)


def phrases(item: Item) -> set[str]:
    """Pairs of neighbouring syllables from the title, the lead and the body's first BODY_WORDS words."""
    return set(phrase_list(item))


def phrase_list(item: Item) -> list[str]:
    """The item's phrases, each once, in the order they first occur: the same list from the same item in every
    process (a set's order changes with the process's string hashing), without sorting it."""
    from bantin.search.tokenize import words  # bantin.search imports the collection, which imports this

    text = " ".join([item.title, item.notice.subject if item.notice else "", item.summary or ""])
    body = plain_words(item.body, BODY_WORDS)
    found: dict[str, None] = {}
    for part in (text, " ".join(body)):
        # Each syllable looked at once: a function word or a number ("" here) ends a pair on either side.
        said = ["" if syllable in FUNCTION_WORDS or syllable.isdigit() else syllable for syllable in words(part)]
        found.update(
            dict.fromkeys(f"{first} {second}" for first, second in itertools.pairwise(said) if first and second)
        )
    return list(found)


def phrase_texts(items: Sequence[tuple[str, Item]]) -> list[tuple[str, str]]:
    """Each (key, item)'s phrases as one text, one per line in the order they occur (as bantin.related_cache keeps
    them: which phrases, never their order, decides related items)."""
    return [(key, "\n".join(phrase_list(item))) for key, item in items]


def related(item: Item, candidates: Iterable[Item], cited: Cited, limit: int = LIMIT) -> list[Item]:
    """Related items for a single item; for a whole site build one RelatedIndex and ask it for each item."""
    return RelatedIndex(candidates, cited).related(item, limit)
