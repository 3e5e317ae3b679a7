"""The static search index: term postings sharded by hash, so a query downloads a few small files.

Layout under the output folder (every file gzip-compressed; the browser decompresses it):

- `meta.bin`      JSON: document count, bucket count, the levels of counts, units, kinds and the kind filter's
                  options, and per document its unit, year and kind.
- `t/<b>.bin`     bucket `b` of the term dictionary: every term whose FNV-1a hash falls in it, with its
                  postings inline or, when large, the numbers of the files `s/<n>.bin` that hold them.
- `s/<n>.bin`     a large term's documents; or some of its levels of counts; or a gram's positions.
- `d/<id>.bin`    JSON of one document as a result shows it: url, title, date, unit, kind and plain text.

Terms are exact syllables (`dân`, weighted counts per document), exact pairs of neighbouring syllables
(`dân vận`, counts per document) and exact grams of three syllables or more (`dân vận khéo`, documents only, and
where each starts, under `@` and the gram). Vietnamese words are mostly compounds of two or three syllables, so
pairs are what make a query selective and a quoted phrase of three syllables is one triple's documents.
Syllable and pair postings carry no positions, which keeps the common ones small.

Longer quoted phrases ("mặt trận tổ quốc việt nam") are read with phrase grams: every triple is indexed, and a
gram in at least 1/EXTEND_SHARE of the documents of every run of SEGMENT documents that holds it is *extended*:
every gram one syllable longer that follows it is indexed too, up to LONGEST_GRAM syllables. A run extends what
is common in it; the merge keeps the longer grams only of a gram every run holding it extended, so they are
complete. So a phrase of common words, whose triples' positions would weigh megabytes, is one gram's documents;
any other is the cover of the phrase by grams (rare ones, or the longest) whose positions weigh the fewest bytes,
checked to stand in a row. The `@` entry says how many bytes of positions a gram has and whether it is extended;
an extended gram of four syllables or more has none, its longer grams stand in (search.js, `planPhrase`).
An accentless key (`~dan`, `~dan van`, `~dan van kheo`) holds no postings, only the exact spellings that fold to
it, so `dan van` reads the postings of `dân vận`, `dân văn`… and the ones spelled as typed rank first.
Documents are numbered newest first, so "newest" is ascending id.

A large term's postings are split so that a query reads what it needs and no more: which documents hold the
term (one file: enough for the result count, the filters and their counts, and "Mới nhất"), then its counts by
level (LEVELS: 2, 3–4, 5–8, …; a count of 1 is implied), highest first, in files of at least GROUP_BYTES. The
browser ranks from the highest levels down and stops as soon as the top results are certain (search.js,
`Ranker`). A term in more than half the documents ranks by presence alone, so its counts are not written.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import itertools
import json
import math
import os
import shutil
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Protocol, cast

import numpy as np
import numpy.typing as npt
from isal import igzip

from bantin.cache import write_all
from bantin.items import Item
from bantin.publish import die_with_parent
from bantin.render import can_fork, gather_shares
from bantin.search.kinds import fine_kind, fine_kinds, kind_filters
from bantin.search.records import SearchRecord, search_record
from bantin.search.tokenize import fold, spelling, words
from bantin.urls import NO_ADDRESSES, Addresses

# A result's thumbnail: "webp" (a srcset), "src" (the JPEG fallback), "width" and "height", URIs from the site root.
Thumbnail = dict[str, str | int]

FORMAT = 3  # 2: kinds are document kinds, with the "Loại" options (bantin.search.kinds); 3: phrase grams
MAX_POSITION = 32767  # position gaps are stored as signed 16-bit; a longer document matches by its first 32,767 tokens
SPILL_BYTES = 2048  # postings larger than this get their own file, so a bucket stays a few kilobytes
GROUP_BYTES = 1024  # a term's levels of counts are fetched in files of at least this many bytes, highest first
LEVELS = (1, 2, 3, 5, 9, 17, 33, 65)
"""Lowest count of each level: a term's (document, count) entries are stored by level, so ranking can read the
highest counts first and bound the rest by the level they are in."""
BUCKET_BYTES = 2048  # target size of a bucket's inline postings, which decides the bucket count
PARALLEL_FROM = 1500  # below this many documents, starting worker processes costs more than it saves
SEGMENT = 200  # documents per indexed run: the unit of work of a worker and of the build cache
FORK_UNTIL = 20_000
"""The most documents whose index workers are forked: past it the build they would share is gigabytes, which the
merge, writing beside workers that live as long as it, copies page by page (at 100,000 items the cold build's peak
went from 3,417 to 5,331 MiB); spawned workers import bantin and numpy again instead, about half a second each."""
SHARE_FILES = 128  # index files compressed by one task of the pool's: a few shares at a time sit in its pipes
COMPRESS_FORK_FROM = 2000  # index files to compress from which, without a pool of workers, forked ones help
LONGEST_GRAM = 8  # the longest phrase gram indexed: longer quoted phrases are read as grams in a row
EXTEND_SHARE = 2  # a gram in at least 1/EXTEND_SHARE of a run's documents has its longer grams indexed there:
# half, where its positions would weigh the most (a quarter cost 6 % more index CPU and 9 % more files at 10,000)


@dataclass(frozen=True)
class IndexStats:
    documents: int
    terms: int
    buckets: int
    files: int
    bytes: int


class Postings:
    """Postings of every exact term for a run of documents, filled in id order.

    This runs for every token of the archive, so per-token work stays in C: `add` only maps a document's words
    to small integer ids (0 separates fields: no pair spans two); `encoded` then sorts, counts and encodes every
    term of the run at once with numpy, so Python runs once per term, never once per token.
    """

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.spellings: list[str] = [""]
        self.tokens = array("i")  # every document's word ids, each field followed by a 0
        self.weights = array("b")  # per field, its weight: every token of the field has it
        self.sizes = array("i")  # per field, its number of tokens and separator
        self.lengths: list[int] = []  # per document, its number of tokens and separators
        self.docs: list[int] = []  # per document, its id

    def add(self, doc: int, record: SearchRecord) -> None:
        known = self.ids.get
        tokens = self.tokens
        sizes = self.sizes
        length = 0
        for text, _ in record.fields:
            spelled = words(text)
            found: list[int | None] = list(map(known, spelled))
            if None in found:  # a word this run has not seen yet: rare once a few documents are in
                found = [self.new_id(word) if key is None else key for key, word in zip(found, spelled, strict=True)]
            found.append(0)
            tokens.extend(cast(list[int], found))
            sizes.append(len(found))
            length += len(found)
        self.weights.extend(weight for _, weight in record.fields)
        self.lengths.append(length)
        self.docs.append(doc)

    def new_id(self, word: str) -> int:
        """Words spelled two ways ("thuỷ", "thủy") share the id of their canonical spelling."""
        spelled = spelling(word)
        found = self.ids.get(spelled)
        if found is None:
            found = len(self.spellings)
            self.spellings.append(spelled)
            self.ids[spelled] = found
        self.ids[word] = found
        return found

    def encoded(self) -> Terms:
        """This run's postings encoded and keyed by spelling, which (unlike ids) means the same in every worker.

        Syllables come in id order, pairs in the order they first occur and triples in the order of their ids, so
        the bytes never depend on how a sort breaks ties.
        """
        terms = Terms({}, {}, {}, [])
        if self.tokens:
            self.encode_syllables(terms)
            self.encode_pairs(terms)
        return terms

    def encode_syllables(self, terms: Terms) -> None:
        """A weighted count per (term, document), grouped by term, documents ascending."""
        ids = np.frombuffer(self.tokens, dtype=np.int32)
        local = np.repeat(np.arange(len(self.lengths), dtype=np.int64), self.lengths)  # the run's own numbering
        word = ids != 0
        keys = ids[word].astype(np.int64) << 20 | local[word]
        del local
        order = np.argsort(keys)  # equal keys are one word in one document: their order does not matter
        keys = keys[order]
        # Per token, its field's weight (a separator's is its field's too, and never counted: it is no word).
        counted = np.repeat(np.frombuffer(self.weights, dtype=np.int8), np.frombuffer(self.sizes, dtype=np.int32))
        counted = counted[word][order]
        del order, word
        firsts = starts_of(keys)
        counts = np.add.reduceat(counted, firsts, dtype=np.int64)
        entry_terms = keys[firsts] >> 20
        docs = np.array(self.docs, dtype=np.int64)[keys[firsts] & 0xFFFFF]
        del keys, counted
        spellings = self.spellings
        encoded = postings_of(entry_terms, docs, counts)
        for term, postings in zip(entry_terms[starts_of(entry_terms)].tolist(), encoded, strict=True):
            terms.syllables[spellings[term]] = postings

    def encode_pairs(self, terms: Terms) -> None:
        """Pairs and triples of neighbours within a field and the first MAX_POSITION tokens: a pair's documents and
        counts; a triple's documents and where it starts in each, for quoted phrases of four syllables or more."""
        ids = np.frombuffer(self.tokens, dtype=np.int32).astype(np.int64)
        lengths = np.array(self.lengths, dtype=np.int64)
        local = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
        offsets = np.arange(len(ids), dtype=np.int64) - (np.cumsum(lengths) - lengths)[local]
        limit = np.minimum(lengths, MAX_POSITION)[local]
        second = np.append(ids[1:], 0)
        third = np.append(ids[2:], [0, 0])
        paired = (offsets + 1 < limit) & (ids != 0) & (second != 0)  # 0 ends every field: no gram spans two
        tripled = paired & (offsets + 2 < limit) & (third != 0)
        vocabulary = len(self.spellings)
        # Tokens are in (document, offset) order: a stable order keeps it within each pair.
        pairs, order = stable_sorted((ids * vocabulary + second)[paired], vocabulary * vocabulary)
        pair_docs = local[paired][order]
        pair_starts = starts_of(pairs)
        entries = starts_of(pairs, pair_docs)
        docs = np.array(self.docs, dtype=np.int64)
        encoded = postings_of(pairs[entries], docs[pair_docs[entries]], np.diff(np.append(entries, len(pairs))))
        spellings = self.spellings
        keys_of = pairs[pair_starts].tolist()
        for number in np.argsort(order[pair_starts], kind="stable").tolist():  # in the order first seen
            pair = keys_of[number]
            terms.pairs[spellings[pair // vocabulary] + " " + spellings[pair % vocabulary]] = encoded[number]
        # A triple is its pair's number (in the sorted pairs) and the third id.
        changed = np.zeros(len(pairs), dtype=np.int64)
        changed[pair_starts] = 1
        numbered = np.empty(len(pairs), dtype=np.int64)
        numbered[order] = np.cumsum(changed) - 1
        del changed
        pair_number = np.zeros(len(ids), dtype=np.int64)
        pair_number[paired] = numbered
        del pairs, pair_docs, order, numbered, paired
        starts = np.flatnonzero(tripled)
        triples, order = stable_sorted(pair_number[starts] * vocabulary + third[starts], len(pair_starts) * vocabulary)
        del pair_number, tripled
        starts = starts[order]
        at = starts[starts_of(triples)]
        names = [
            spellings[one] + " " + spellings[two] + " " + spellings[three]
            for one, two, three in zip(ids[at].tolist(), second[at].tolist(), third[at].tolist(), strict=True)
        ]
        del second, third
        self.encode_grams(terms, triples, starts, names, 3, (ids, local, offsets, limit, docs))

    def encode_grams(
        self,
        terms: Terms,
        keys: npt.NDArray[np.int64],
        starts: npt.NDArray[np.int64],
        names: list[str],
        length: int,
        tokens: tuple[npt.NDArray[np.int64], ...],
    ) -> None:
        """Grams of `length` syllables (`keys` sorted, `starts` where each occurs, `names` per distinct key): their
        documents and positions; then, for those in at least 1/EXTEND_SHARE of the run's documents, every gram one
        syllable longer (up to LONGEST_GRAM), which the merge keeps where every run extended the gram alike."""
        ids, local, offsets, limits, docs = tokens
        gram_docs, places = local[starts], offsets[starts]
        firsts = starts_of(keys)
        entries = starts_of(keys, gram_docs)
        sizes = np.diff(np.append(entries, len(keys)))
        listed = documents_of(starts_of(keys[entries]), docs[gram_docs[entries]])  # a count of 1 each: no levels
        # Positions, 16-bit little-endian: per document how many, then gaps from the one before (from 0 in each).
        values = np.empty(len(entries) + len(keys), dtype="<u2")
        heads = entries + np.arange(len(entries))
        values[heads] = sizes
        gaps = np.diff(places, prepend=0)
        gaps[entries] = places[entries]
        values[np.arange(len(keys)) + np.repeat(np.arange(1, len(entries) + 1), sizes)] = gaps
        del gaps
        bytes_of = values.tobytes()
        bounds = (np.append(heads[np.searchsorted(entries, firsts)], len(values)) * 2).tolist()
        # A gram's number (its rank among this length's) at each occurrence; its documents in the run.
        changed = np.zeros(len(keys), dtype=np.int64)
        changed[firsts] = 1
        numbered = np.cumsum(changed) - 1
        del changed
        held = np.bincount(numbered[entries], minlength=len(firsts))
        extended = (held * EXTEND_SHARE >= len(self.lengths)) & (length < LONGEST_GRAM)
        placed = [bytes_of[start:end] for start, end in itertools.pairwise(bounds)]
        grows = np.flatnonzero(extended).tolist()
        if length > 3:  # a gram of four syllables or more this run extends is read through its longer grams
            for number in grows:
                placed[number] = b""
        terms.grams.update(zip(names, zip(listed, placed, strict=True), strict=True))
        terms.extended.extend(names[number] for number in grows)
        if not extended.any():
            return
        # Every occurrence of an extended gram followed, in its field and the first MAX_POSITION tokens, by a word.
        going = extended[numbered]
        following = starts + length
        going &= (offsets[starts] + length < limits[starts]) & (ids[np.minimum(following, len(ids) - 1)] != 0)
        if not going.any():
            return
        at = starts[going]
        spellings = self.spellings
        vocabulary = len(spellings)
        longer, order = stable_sorted(numbered[going] * vocabulary + ids[at + length], len(firsts) * vocabulary)
        at = at[order]
        grown = [
            names[key // vocabulary] + " " + spellings[key % vocabulary] for key in longer[starts_of(longer)].tolist()
        ]
        self.encode_grams(terms, longer, at, grown, length + 1, tokens)


def stable_sorted(keys: npt.NDArray[np.int64], bound: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """`keys` (each below `bound`) sorted, and the order a stable argsort gives: one plain sort of each key with its
    index packed below it, three times faster than a stable argsort, which stays for keys too wide to pack."""
    shift = max(1, (len(keys) - 1).bit_length())
    if (bound - 1).bit_length() + shift > 62:
        order = np.argsort(keys, kind="stable")
        return keys[order], order
    packed = np.sort(keys << shift | np.arange(len(keys), dtype=np.int64))
    return packed >> shift, packed & ((1 << shift) - 1)


def starts_of(*columns: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Where each run of equal rows starts in sorted columns (none in empty ones: a run may hold no triple)."""
    if not len(columns[0]):
        return np.zeros(0, dtype=np.int64)
    changed = np.zeros(len(columns[0]), dtype=bool)
    changed[0] = True
    for column in columns:
        changed[1:] |= column[1:] != column[:-1]
    return np.flatnonzero(changed)


def level_of(counts: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The level (index into LEVELS) of each count."""
    return np.searchsorted(np.array(LEVELS, dtype=np.int64), counts, side="right") - 1


def postings_of(
    terms: npt.NDArray[np.int64], docs: npt.NDArray[np.int64], counts: npt.NDArray[np.int64]
) -> list[Encoded]:
    """Each term's documents, and its (document, count) entries by level of count, from entries grouped by term
    with documents ascending; all terms at once.

    Both are varints of flagged document numbers: `doc << 1 | 1` starts a run's segment, `gap << 1` continues it,
    so segments of runs indexed apart join end to end and still decode, and a client never needs a count to
    walk them. Level streams interleave each document with its count. A count of 1 (level 0, most entries) is
    not listed: a document holding the term that no level lists holds it once.
    """
    firsts = starts_of(terms)
    listed = np.flatnonzero(counts > 1)
    # Most terms (most pairs, every gram) list no level: their entries are made at once, the others' below.
    encoded: list[Encoded] = list(zip(documents_of(firsts, docs), itertools.repeat(())))
    if not len(listed):
        return encoded
    term_numbers = np.repeat(np.arange(len(firsts)), np.diff(np.append(firsts, len(terms))))[listed]
    keys, grouped = stable_sorted(term_numbers * len(LEVELS) + level_of(counts[listed]), len(firsts) * len(LEVELS))
    listed = listed[grouped]  # by term, level, then document
    group_docs = docs[listed]
    groups = starts_of(keys)
    level_gaps = np.diff(group_docs, prepend=0) << 1
    level_gaps[groups] = group_docs[groups] << 1 | 1
    values = np.empty(2 * len(listed), dtype=np.int64)
    values[0::2] = level_gaps
    values[1::2] = counts[listed]
    level_bytes, value_starts = leb128(values)
    level_bounds = np.append(value_starts[2 * groups], len(level_bytes)).tolist()
    streams = [level_bytes[start:end] for start, end in itertools.pairwise(level_bounds)]
    group_terms = keys[groups] // len(LEVELS)
    levels = (keys[groups] % len(LEVELS)).tolist()
    term_groups = starts_of(group_terms)  # where each term's groups start
    bounds = np.append(term_groups, len(groups)).tolist()
    for term, start, end in zip(group_terms[term_groups].tolist(), bounds[:-1], bounds[1:], strict=True):
        encoded[term] = (encoded[term][0], tuple(zip(levels[start:end], streams[start:end], strict=True)))
    return encoded


def documents_of(firsts: npt.NDArray[np.int64], docs: npt.NDArray[np.int64]) -> list[bytes]:
    """Each term's documents (grouped by term from `firsts` on, ascending) as varints of flagged numbers."""
    flagged = np.diff(docs, prepend=0) << 1
    flagged[firsts] = docs[firsts] << 1 | 1
    doc_bytes, doc_starts = leb128(flagged)
    bounds = np.append(doc_starts[firsts], len(doc_bytes)).tolist()
    return [doc_bytes[start:end] for start, end in itertools.pairwise(bounds)]


def leb128(values: npt.NDArray[np.int64]) -> tuple[bytes, npt.NDArray[np.int64]]:
    """`varints` of every value at once (each below 2**35), and where each value's bytes start.

    Most values take one byte, so the first byte of every value is written in one pass and only the longer ones
    are visited again.
    """
    sizes = np.ones(len(values), dtype=np.int64)
    for bits in (7, 14, 21, 28):
        sizes += values >= 1 << bits
    starts = np.cumsum(sizes) - sizes
    out = np.empty(int(starts[-1] + sizes[-1]) if len(values) else 0, dtype=np.uint8)
    out[starts] = values & 127 | (sizes > 1) << 7
    longer = np.flatnonzero(sizes > 1)
    byte = 1
    while len(longer):
        rest = values[longer] >> 7 * byte
        out[starts[longer] + byte] = rest & 127 | (sizes[longer] > byte + 1) << 7
        longer = longer[sizes[longer] > byte + 1]
        byte += 1
    return out.tobytes(), starts


Levels = tuple[tuple[int, bytes], ...]
"""A term's (document, count) entries by level of count: (level, stream) pairs, the lowest level first."""
Encoded = tuple[bytes, Levels]
"""One term's postings for a run: its documents, and its entries by level of count."""


@dataclass
class Terms:
    """One run's encoded postings keyed by spelling: a syllable's, a pair's, and a gram's (three syllables or more)
    documents and positions; and the grams this run extended (every gram one syllable longer is in `grams`)."""

    syllables: dict[str, Encoded]
    pairs: dict[str, Encoded]
    grams: dict[str, tuple[bytes, bytes]]
    extended: list[str]


class Joined:
    """Every run's postings of one term joined in document order: its documents, and its entries per level."""

    __slots__ = ("docs", "listed", "places")

    def __init__(self, docs: bytes, levels: Levels, places: bytes | None) -> None:
        self.docs = bytearray(docs)
        # Most terms (most pairs) only ever occur once per document: no levels, and no dictionary kept for them.
        self.listed = {level: bytearray(stream) for level, stream in levels} if levels else None
        self.places = bytearray(places) if places is not None else None

    def documents(self) -> int:
        """How many documents hold the term: one varint each, so the bytes that end one."""
        return int(np.count_nonzero(np.frombuffer(self.docs, dtype=np.uint8) < 128))

    def runs(self) -> int:
        """How many runs hold the term: each run's segment starts with a flagged number (`postings_of`)."""
        data = np.frombuffer(self.docs, dtype=np.uint8)
        starting = np.ones(len(data), dtype=bool)
        starting[1:] = data[:-1] < 128
        return int(np.count_nonzero(starting & (data & 1 == 1)))

    def size(self) -> int:
        """Bytes of its documents and entries by level: what an inline entry holds."""
        listed = self.listed
        return len(self.docs) + (sum(map(len, listed.values())) if listed else 0)

    def add_levels(self, levels: Levels) -> None:
        mine = self.listed
        if mine is None:
            mine = self.listed = {}
        for level, stream in levels:
            found = mine.get(level)
            if found is None:
                mine[level] = bytearray(stream)
            else:
                found += stream


class Merged:
    """Every run's postings joined in document order, one set of buffers per term.

    A run's segments restart their document numbers (flagged, see `postings_of`) and a pair's positions restart
    with each document, so runs indexed in separate processes join without decoding.
    """

    def __init__(self) -> None:
        self.syllables: dict[str, Joined] = {}
        self.pairs: dict[str, Joined] = {}
        self.grams: dict[str, Joined] = {}
        self.extended: dict[str, int] = {}  # per gram, how many runs extended it
        self.unplaced: set[str] = set()  # grams of four syllables or more with no positions from some run

    def extend(self, later: Terms) -> None:
        """This runs once per term and run: the common case (a term seen before, most often once per document)
        stays a dictionary look-up and a join."""
        for table, added in ((self.syllables, later.syllables), (self.pairs, later.pairs)):
            for key, (docs, levels) in added.items():
                found = table.get(key)
                if found is None:
                    table[key] = Joined(docs, levels, None)
                else:
                    found.docs += docs
                    if levels:
                        found.add_levels(levels)
        grams = self.grams
        unplaced = self.unplaced
        for gram, (docs, places) in later.grams.items():
            mine = grams.get(gram)
            if mine is None:
                mine = grams[gram] = Joined(docs, (), places)
            else:
                mine.docs += docs
                if gram not in unplaced:
                    mine.places += places  # type: ignore[operator]  # a gram always has positions
            if not places:  # a run that extends a longer gram writes none: its positions are no use
                unplaced.add(gram)
                mine.places = bytearray()
        extended = self.extended
        for gram in later.extended:
            extended[gram] = extended.get(gram, 0) + 1

    def settle(self) -> set[str]:
        """The grams every run holding them extended, so that every gram one syllable longer is indexed whole; the
        longer grams of any other gram are dropped (some run lacks them), and theirs in turn. Returns the first."""
        whole = {gram for gram, runs in self.extended.items() if runs == self.grams[gram].runs()}
        complete: dict[str, bool] = {}

        def kept(gram: str) -> bool:
            if gram.count(" ") == 2:
                return True
            found = complete.get(gram)
            if found is None:
                prefix = gram.rpartition(" ")[0]
                found = complete[gram] = prefix in whole and kept(prefix)
            return found

        for gram in [gram for gram in self.grams if gram.count(" ") > 2 and not kept(gram)]:
            del self.grams[gram]
        return {gram for gram in whole if gram in self.grams}

    def variants(self) -> dict[str, list[str]]:
        """Accentless keys and the exact spellings folding to each, the one spelled exactly so (if any) first."""
        folded: dict[str, list[str]] = {}
        folds = {key: fold(key) for key in self.syllables}
        for key, value in folds.items():
            folded.setdefault("~" + value, []).append(key)
        for pair in self.pairs:
            first, second = pair.split(" ")
            folded.setdefault("~" + folds[first] + " " + folds[second], []).append(pair)
        for gram in self.grams:
            folded.setdefault("~" + " ".join(folds[word] for word in gram.split(" ")), []).append(gram)
        for key, spellings in folded.items():
            spellings.sort(key=lambda spelling: (spelling != key[1:], spelling))
        return folded


class SegmentCache(Protocol):
    """Where a build keeps indexed runs of documents (bantin.site_cache): a run whose items are unchanged is reused."""

    def key(self, start: int, items: Sequence[Item]) -> str: ...

    def has(self, key: str) -> bool: ...

    def get(self, key: str) -> Segment | None: ...

    def put(self, key: str, segment: Segment) -> None: ...

    def keeper(self) -> Keeper | None:
        """What stores a run where this cache finds it, for a worker to call on the run it indexed (picklable): the
        build's process then need not pickle every run again. None when only `put` will do."""
        ...


Segment = tuple[Terms, list[bytes]]
"""One run of documents indexed: its postings, and the compressed result file of each document."""
Keeper = Callable[[str, Segment], None]


class IndexFiles:
    """Where the index's files go: `folder`, which already holds the files of `previous`.

    `previous` and `files` map each file (relative path) to a digest of its content, taken before compression, and
    the size written. A file whose content is that of the previous index is neither compressed nor written again;
    one the new index lacks is removed. So an index written over the one before it writes only what changed, and
    ends byte for byte as if written anew.
    """

    def __init__(self, folder: Path, previous: Mapping[str, tuple[bytes, int]] | None = None) -> None:
        self.folder = folder
        self.previous = previous or {}
        self.files: dict[str, tuple[bytes, int]] = {}
        self.changed: list[str] = []
        self.pending: list[tuple[str, bytes, bytes]] = []
        self.pool: ProcessPoolExecutor | None = None  # where compressed files go while more are written
        self.sent: list[tuple[list[tuple[str, bytes]], Future[list[int]]]] = []  # (name, digest) of each, its sizes
        if not self.previous:
            if folder.exists():
                shutil.rmtree(folder)
            for sub_dir in ("t", "s", "d"):
                (folder / sub_dir).mkdir(parents=True)

    def write(self, relative: str, data: bytes | bytearray, compress: bool = False, written: bool = False) -> None:
        """Write `data` (gzip-compressed first when `compress`) unless the folder holds it already (or a worker
        has just `written` it); compressed files wait for `flush`."""
        digest = hashlib.blake2b(data, digest_size=16).digest()
        known = self.previous.get(relative)
        if known is not None and known[0] == digest:
            self.files[relative] = known
            return
        self.changed.append(relative)
        if compress:
            self.pending.append((relative, digest, bytes(data)))
            if self.pool is not None and len(self.pending) >= SHARE_FILES:
                self.send(self.pool, self.pending)
                self.pending = []
            return
        if not written:
            write_file(os.path.join(self.folder, relative), data, replace=bool(self.previous))
        self.files[relative] = (digest, len(data))

    def compress_on(self, pool: ProcessPoolExecutor | None) -> None:
        """Compress files on `pool`'s workers as they are written, SHARE_FILES at a time, while the index writes
        the rest (the workers are idle then); `flush` gathers them."""
        self.pool = pool

    def send(self, pool: ProcessPoolExecutor, pending: Sequence[tuple[str, bytes, bytes]]) -> None:
        future = pool.submit(
            compress_files, str(self.folder), [(relative, data) for relative, _, data in pending], bool(self.previous)
        )
        self.sent.append(([(relative, digest) for relative, digest, _ in pending], future))

    def flush(self, pool: ProcessPoolExecutor | None) -> None:
        """Compress and write the waiting files, on the pool's workers when there is one."""
        pending, self.pending = self.pending, []
        folder = str(self.folder)
        replace = bool(self.previous)
        if pool is None:  # on forked workers when it is safe and worth it (bantin.render.gather_shares)
            tasks = [(relative, data) for relative, _, data in pending]
            work = functools.partial(compressed_sizes, folder, replace=replace)
            named = dict(gather_shares(tasks, work, COMPRESS_FORK_FROM))
            sizes = [named[relative] for relative, _ in tasks]
            for (relative, digest, _), size in zip(pending, sizes, strict=True):
                self.files[relative] = (digest, size)
            return
        # Many small shares: the pool pickles a few at a time, so only a few of them are copied into its pipes at
        # once (the end of a 100,000-item index, where the build peaks).
        for start in range(0, len(pending), SHARE_FILES):
            self.send(pool, pending[start : start + SHARE_FILES])
        del pending
        sent, self.sent = self.sent, []
        self.pool = None
        for names, future in sent:
            for (relative, digest), size in zip(names, future.result(), strict=True):
                self.files[relative] = (digest, size)

    @property
    def bytes(self) -> int:
        return sum(size for _, size in self.files.values())

    def finish(self) -> list[str]:
        """Remove what the previous index had and this one has not; returns those relative paths."""
        gone = [relative for relative in self.previous if relative not in self.files]
        for relative in gone:
            (self.folder / relative).unlink(missing_ok=True)
        return gone


def write_index(
    items: Sequence[Item],
    out: Path | IndexFiles,
    addresses: Addresses = NO_ADDRESSES,
    thumbnails: Mapping[str, Thumbnail] | None = None,
    cited: Sequence[list[str]] | None = None,
    cache: SegmentCache | None = None,
) -> IndexStats:
    """Index `items` (already newest first) into `out`: a folder, whose content it replaces, or `IndexFiles`.

    Documents are indexed in runs of SEGMENT documents, whatever the machine, so the index is the same on every
    machine; a run found in `cache` is not indexed again. From PARALLEL_FROM items to index on, runs are indexed
    in worker processes: forked where that is safe (`mkdocs build`, up to FORK_UNTIL documents: no import of bantin
    and numpy again, a second of CPU for two workers), else started with "spawn" (under the threads of `mkdocs
    serve`, or for a larger build); a script that builds a site must then guard its entry point with
    `if __name__ == "__main__":`, as the `mkdocs` command does.
    Runs are merged as they come, while the workers index the next ones.
    """
    files = out if isinstance(out, IndexFiles) else IndexFiles(out)
    starts = list(range(0, len(items), SEGMENT))
    keys = [cache.key(start, items[start : start + SEGMENT]) if cache else "" for start in starts]
    # Runs the cache holds are read one at a time as they are merged: together they are the whole index.
    held = [cache is not None and cache.has(key) for key in keys]
    missing = [number for number, found in enumerate(held) if not found]
    chunks = [list(items[starts[number] : starts[number] + SEGMENT]) for number in missing]
    pictures = [[(thumbnails or {}).get(item.url) for item in chunk] for chunk in chunks]
    # What each item cites, as the collection found it, so records need not read every body again.
    cited_chunks = [
        list(cited[starts[number] : starts[number] + SEGMENT]) if cited is not None else None for number in missing
    ]
    to_index = sum(len(chunk) for chunk in chunks)
    workers = min(os.cpu_count() or 1, 4, len(chunks)) if to_index >= PARALLEL_FROM else 1
    merged = Merged()
    # Into a fresh folder the workers write the result files themselves; over a previous index only what changed is.
    fresh = str(files.folder) if not files.previous else None
    with ExitStack() as stack:
        pool: ProcessPoolExecutor | None = None
        keeper: Keeper | None = None
        if workers > 1:
            forking = can_fork() and len(items) <= FORK_UNTIL
            context = get_context("fork" if forking else "spawn")
            pool = stack.enter_context(
                ProcessPoolExecutor(workers, context, initializer=die_with_parent, initargs=(os.getpid(),))
            )
            firsts = [starts[number] for number in missing]
            # Each run goes with the addresses of its own items: the whole site's map (17 MB pickled at 100,000
            # items) sent with every one of 500 runs cost about a minute of CPU and 8 GB through the pipes.
            served = [Addresses({item.url: addresses(item.url) for item in chunk}) for chunk in chunks]
            keeper = cache.keeper() if cache is not None else None  # the workers store the runs they index
            folders = [fresh] * len(chunks)
            arguments = (firsts, chunks, served, pictures, cited_chunks, folders)
            frozen = gc.get_freeze_count()
            if forking:
                gc.freeze()  # the workers, forked at the first task, must not copy the build by collecting it
            try:
                indexed: Iterator[Segment | None] = (
                    pool.map(index_chunk, *arguments)
                    if keeper is None
                    else pool.map(kept_chunk, *arguments, [keeper] * len(chunks), [keys[n] for n in missing])
                )
            finally:
                if forking and not frozen:
                    gc.unfreeze()
        else:
            runs = zip(missing, chunks, pictures, cited_chunks, strict=True)
            indexed = (index_chunk(starts[n], chunk, addresses, picture, cites) for n, chunk, picture, cites in runs)
        del chunks
        for number, start in enumerate(starts):
            segment = cache.get(keys[number]) if cache is not None and held[number] else None
            from_worker = not held[number] and pool is not None and fresh is not None
            if not held[number]:
                segment = next(indexed)
                if segment is None:  # a worker stored it: read from the cache, rather than pickled again to a pipe
                    segment = cast(SegmentCache, cache).get(keys[number])
                elif cache is not None:
                    cache.put(keys[number], segment)
            if segment is None:  # held (or just stored) but unreadable, as one written by another Python: indexed here
                chunk = list(items[start : start + SEGMENT])
                picture = [(thumbnails or {}).get(item.url) for item in chunk]
                cites = list(cited[start : start + SEGMENT]) if cited is not None else None
                segment = index_chunk(start, chunk, addresses, picture, cites)
            part, documents = segment
            del segment
            merged.extend(part)
            for doc, data in enumerate(documents, start):
                files.write(f"d/{doc}.bin", data, written=from_worker)
            del part, documents
        files.compress_on(pool)  # the workers are done indexing: they compress what is written from here on
        extended = merged.settle()
        unplaced = merged.unplaced
        variants = merged.variants()
        terms: dict[str, Joined] = {**merged.syllables, **merged.pairs, **merged.grams}
        del merged
        sizes = [joined.size() for joined in terms.values()]
        inline = sum(len(key) + 2 + size for key, size in zip(terms, sizes, strict=True) if size <= SPILL_BYTES)
        inline += sum(len(key) + len(joined.places) + 4 for key, joined in terms.items()
                      if joined.places is not None and len(joined.places) <= SPILL_BYTES)  # fmt: skip
        inline += sum(len(key) + sum(len(name) + 1 for name in spellings) for key, spellings in variants.items())
        bucket_count = buckets_for(inline)
        entries: list[tuple[bytes, bytes]] = []  # (key, value) in the order written: each bucket keeps that order
        spilled = 0

        def spill(data: bytes | bytearray) -> int:
            nonlocal spilled
            files.write(f"s/{spilled}.bin", data, compress=True)
            spilled += 1
            return spilled - 1

        term_count = len(terms)
        for key, size in zip(list(terms), sizes, strict=True):
            joined = terms.pop(key)  # each term's postings go once encoded: the index is not held twice at the end
            levels = sorted(joined.listed.items(), reverse=True) if joined.listed else []  # the highest counts first
            if size <= SPILL_BYTES:
                blob = varints([len(joined.docs)]) + joined.docs
                if levels:
                    blob += levels_blob(levels)
                add_entry(entries, key, varints([len(blob) << 2]) + blob)
            else:
                docs = spill(joined.docs)
                common = 2 * joined.documents() > len(items)  # ranks by presence alone: its counts are of no use
                groups = [] if common else [(group[0][0], spill(levels_blob(group))) for group in level_groups(levels)]
                value = varints([docs << 2 | 1, len(groups), *(number for group in groups for number in group)])
                add_entry(entries, key, value)
            places = joined.places
            if places is not None:  # a gram's positions: their size, whether all are there, whether it is extended
                flags = len(places) << 2 | (key not in unplaced) << 1 | (key in extended)
                if len(places) <= SPILL_BYTES:
                    add_entry(entries, "@" + key, varints([len(places) << 2, flags]) + places)
                else:
                    add_entry(entries, "@" + key, varints([spill(places) << 2 | 3, flags]))
        for key, spellings in variants.items():
            value = varints([len(spellings) << 2 | 2]) + b"".join(string_bytes(spelling) for spelling in spellings)
            add_entry(entries, key, value)
        buckets = bucket_entries(entries, bucket_count)
        del entries
        for number, bucket in enumerate(buckets):
            files.write(f"t/{number}.bin", varints([len(bucket)]) + b"".join(bucket), compress=True)
            buckets[number] = []  # held joined, for the flush
        files.write("meta.bin", json_bytes(meta_of(items, bucket_count)), compress=True)
        files.flush(pool)
    files.finish()
    return IndexStats(len(items), term_count + len(variants), bucket_count, len(files.files), files.bytes)


def index_chunk(
    start: int,
    items: list[Item],
    addresses: Addresses = NO_ADDRESSES,
    pictures: Sequence[Thumbnail | None] = (),
    cited: list[list[str]] | None = None,
    folder: str | None = None,
) -> Segment:
    """Postings and compressed result files of documents `start`…; runs in a worker process on large archives,
    which also writes the result files into `folder` when given one."""
    postings = Postings()
    documents = []
    collecting = gc.isenabled()
    gc.disable()  # many small acyclic containers: the collector would rescan them over and over
    try:
        for doc, item in enumerate(items, start):
            record = search_record(item, cited[doc - start] if cited is not None else None)
            postings.add(doc, record)
            result = result_of(record, addresses)
            picture = pictures[doc - start] if pictures else None
            if picture:
                result["image"] = picture  # the thumbnail a result shows, as every list does
            documents.append(compressed(json_bytes(result)))
    finally:
        if collecting:
            gc.enable()
    if folder is not None:
        for doc, data in enumerate(documents, start):
            write_file(os.path.join(folder, "d", f"{doc}.bin"), data)
    return postings.encoded(), documents


def kept_chunk(
    start: int,
    items: list[Item],
    addresses: Addresses,
    pictures: Sequence[Thumbnail | None],
    cited: list[list[str]] | None,
    folder: str | None,
    keeper: Keeper,
    key: str,
) -> None:
    """`index_chunk` in a pool's worker, the run stored with `keeper` under `key`: the build then reads it from
    the cache, instead of a pickle of a few megabytes going through the pool's pipe as well."""
    keeper(key, index_chunk(start, items, addresses, pictures, cited, folder))


def compress_files(folder: str, files: Sequence[tuple[str, bytes]], replace: bool = False) -> list[int]:
    """Gzip and write index files into `folder` (in a worker when there is one); their sizes written."""
    sizes = []
    for relative, data in files:
        packed = compressed(data)
        write_file(os.path.join(folder, relative), packed, replace)
        sizes.append(len(packed))
    return sizes


def compressed_sizes(folder: str, files: Sequence[tuple[str, bytes]], replace: bool = False) -> list[tuple[str, int]]:
    """`compress_files`, each size beside its file's name."""
    return list(zip((relative for relative, _ in files), compress_files(folder, files, replace), strict=True))


def write_file(path: str, data: bytes | bytearray, replace: bool = False) -> None:
    """Write a file; with `replace`, over a folder that may hold it, as a new file: a site's index may be hard-linked
    to the cache's (bantin.site_cache.link_all), which must never change in place."""
    if replace:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
    # Unbuffered, one write each (write_all writes through a memoryview, which a bytearray is as good for).
    write_all(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666), cast(bytes, data))


def buckets_for(inline: int) -> int:
    """About one bucket per BUCKET_BYTES of inline entries, on steps of a quarter octave (19 %): an edit changes
    those bytes by a little and so almost never the count, which would move every term to another bucket."""
    return round(2 ** (math.floor(4 * math.log2(max(inline / BUCKET_BYTES, 16))) / 4))


def levels_blob(levels: Sequence[tuple[int, bytes | bytearray]]) -> bytes:
    """Entries of several levels in one blob: each level's number and byte length, then its stream."""
    return b"".join(varints([level, len(stream)]) + stream for level, stream in levels)


def level_groups(levels: list[tuple[int, bytearray]]) -> list[list[tuple[int, bytearray]]]:
    """Levels (highest first) gathered into files of at least GROUP_BYTES, so a query fetches the highest counts
    first, a file at a time, and a term's rarest levels do not cost a request each."""
    groups: list[list[tuple[int, bytearray]]] = []
    size = GROUP_BYTES
    for level in levels:
        if size >= GROUP_BYTES:
            groups.append([])
            size = 0
        groups[-1].append(level)
        size += len(level[1])
    return groups


def add_entry(entries: list[tuple[bytes, bytes]], key: str, value: bytes) -> None:
    """A bucket entry: the key, then a tag whose low bits say inline postings (0), spill file (1) or spellings (2)."""
    entries.append((key.encode("utf-8"), value))


def bucket_entries(entries: Sequence[tuple[bytes, bytes]], count: int) -> list[list[bytes]]:
    """Each of `count` buckets' entries, encoded, in the order given: every key's bucket hashed at once."""
    buckets: list[list[bytes]] = [[] for _ in range(count)]
    numbers = (fnv1a_all([key for key, _ in entries]) % count).tolist()
    for number, (key, value) in zip(numbers, entries, strict=True):
        buckets[number].append(varints([len(key)]) + key + value)
    return buckets


def string_bytes(text: str) -> bytes:
    encoded = text.encode("utf-8")
    return varints([len(encoded)]) + encoded


def meta_of(items: Sequence[Item], bucket_count: int) -> dict[str, object]:
    """What every query needs first: sizes, and each document's unit, year and kind for filters and counts.

    A document's kind indexes `kinds` (news, or its document kind); `filters` are the "Loại" options
    (`bantin.search.kinds`): value, label, the kinds each finds, and whether the page lists it.
    """
    units: dict[str, int] = {}
    unit_list: list[list[str]] = []
    for item in items:
        if item.unit.slug not in units:
            units[item.unit.slug] = len(unit_list)
            unit_list.append([item.unit.name, item.unit.slug])
    kinds = fine_kinds(items)
    values = {value: number for number, (value, _) in enumerate(kinds)}
    return {
        "format": FORMAT,
        "levels": LEVELS,
        "documents": len(items),
        "buckets": bucket_count,
        "longest": LONGEST_GRAM,
        "units": unit_list,
        "unit": [units[item.unit.slug] for item in items],
        "year": [item.year for item in items],
        "kinds": [[value, name] for value, name in kinds],
        "kind": [values[fine_kind(item)] for item in items],
        "filters": [[option.value, option.label, list(option.kinds), option.shown] for option in kind_filters(kinds)],
    }


def result_of(record: SearchRecord, addresses: Addresses = NO_ADDRESSES) -> dict[str, object]:
    return {
        "url": addresses(record.url),
        "title": record.title,
        "date": record.date,
        "kind": record.kind,
        "unit": record.unit,
        "text": record.text,
        **({"badge": record.badge} if record.badge else {}),
    }


def json_bytes(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def compressed(data: bytes | bytearray) -> bytes:
    """Gzip by ISA-L at its highest level: on this index's postings and result files a third of the CPU of zlib's
    level 1 (postings) and 4 (results), for 3 % fewer bytes of postings and 7 % more of results (bench/README.md)."""
    return igzip.compress(data, compresslevel=3, mtime=0)


def fnv1a(data: bytes) -> int:
    """32-bit FNV-1a: cheap, and the same in the browser with Math.imul."""
    value = 0x811C9DC5
    for byte in data:
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def fnv1a_all(keys: Sequence[bytes]) -> npt.NDArray[np.uint64]:
    """`fnv1a` of every key at once, a byte position at a time over the keys still that long (longest first)."""
    lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    order = np.argsort(-lengths, kind="stable")
    data = np.frombuffer(b"".join(keys), dtype=np.uint8).astype(np.uint64)
    starts = (np.cumsum(lengths) - lengths)[order]
    longest = lengths[order]
    hashes = np.full(len(keys), 0x811C9DC5, dtype=np.uint64)
    for position in range(int(longest[0]) if len(keys) else 0):
        live = int(np.searchsorted(-longest, -position, side="left"))  # keys longer than `position`
        hashes[:live] = ((hashes[:live] ^ data[starts[:live] + position]) * np.uint64(0x01000193)) & np.uint64(
            0xFFFFFFFF
        )
    found = np.empty(len(keys), dtype=np.uint64)
    found[order] = hashes
    return found


def varints(values: Sequence[int] | array[int]) -> bytes:
    """LEB128 unsigned integers; most postings hold only values below 128, written in one C call."""
    if not values or max(values) < 128:
        return bytes(values)
    out = bytearray()
    for value in values:
        while value >= 128:
            out.append((value & 127) | 128)
            value >>= 7
        out.append(value)
    return bytes(out)
