"""The static search index: term postings sharded by hash, so a query downloads a few small files.

Layout under the output folder (every file gzip-compressed; the browser decompresses it):

- `meta.bin`      JSON: document count, bucket count, units, kinds and the kind filter's options, and per
                  document its unit, year and kind.
- `t/<b>.bin`     bucket `b` of the term dictionary: every term whose FNV-1a hash falls in it, with its
                  postings inline or, when large, the number of the file `s/<n>.bin` that holds them.
- `d/<id>.bin`    JSON of one document as a result shows it: url, title, date, unit, kind and plain text.

Terms are exact syllables (`dân`, weighted counts per document) and exact pairs of neighbouring syllables
(`dân vận`, with positions, so quoted phrases match exactly). Vietnamese words are mostly two-syllable
compounds, so pairs are what make a query selective; syllable postings carry no positions, which keeps the
common ones small. An accentless key (`~dan`, `~dan van`) holds no postings, only the exact spellings that
fold to it, so `dan van` reads the postings of `dân vận`, `dân văn`… and the ones spelled as typed rank first.
Documents are numbered newest first, so "newest" is ascending id.
"""

from __future__ import annotations

import gc
import gzip
import json
import os
import shutil
import sys
from array import array
from collections import Counter
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import chain, pairwise, repeat
from multiprocessing import get_context
from operator import and_, rshift, sub
from pathlib import Path
from typing import Protocol

from bantin.items import Item
from bantin.search.kinds import fine_kind, fine_kinds, kind_filters
from bantin.search.records import SearchRecord, search_record
from bantin.search.tokenize import fold, token, words
from bantin.urls import NO_ADDRESSES, Addresses

# A result's thumbnail: "webp" (a srcset), "src" (the JPEG fallback), "width" and "height", URIs from the site root.
Thumbnail = dict[str, str | int]

FORMAT = 2  # 2: kinds are document kinds, with the "Loại" options (bantin.search.kinds)
MAX_POSITION = 32767  # position gaps are stored as signed 16-bit; a longer document matches by its first 32,767 tokens
SPILL_BYTES = 2048  # postings larger than this get their own file, so a bucket stays a few kilobytes
BUCKET_BYTES = 4096  # target size of a bucket's inline postings, which decides the bucket count
PARALLEL_FROM = 1500  # below this many documents, starting worker processes costs more than it saves
SEGMENT = 1000  # documents per indexed run: the unit of work of a worker and of the build cache


@dataclass(frozen=True)
class IndexStats:
    documents: int
    terms: int
    buckets: int
    files: int
    bytes: int


class Postings:
    """Postings of every exact term for a run of documents, filled in id order.

    This runs for every token of the archive, so per-token work stays in C calls: syllables are small integer
    ids, a pair is `first << 32 | second`, and a posting is one integer, document << 18 | count.
    """

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.spellings: list[str] = [""]  # id 0 separates fields: no pair spans two
        self.syllables: dict[int, array[int]] = {}
        self.pairs: dict[int, tuple[array[int], array[int]]] = {}

    def add(self, doc: int, record: SearchRecord) -> None:
        known = self.ids.get
        sequence: list[int] = []
        counts: Counter[int] = Counter()
        for text, weight in record.fields:
            found = [known(word) or self.new_id(word) for word in words(text)]
            if weight == 1:
                counts.update(found)
            else:
                for key in found:
                    counts[key] += weight
            sequence += found
            sequence.append(0)
        del sequence[MAX_POSITION:]
        base = doc << 18
        syllables = self.syllables
        for key, count in counts.items():
            entry = syllables.get(key)
            if entry is None:
                entry = syllables[key] = array("Q")
            entry.append(base | count)
        positions: dict[int, list[int]] = {}
        seen = positions.get
        for offset, pair in enumerate([first << 32 | second for first, second in pairwise(sequence)]):
            places = seen(pair)
            if places is None:
                positions[pair] = [offset]
            else:
                places.append(offset)
        pairs = self.pairs
        for pair, places in positions.items():
            pair_entry = pairs.get(pair)
            if pair_entry is None:
                if not pair & 0xFFFFFFFF or not pair >> 32:
                    continue
                pair_entry = pairs[pair] = (array("Q"), array("H"))
            pair_entry[0].append(base | len(places))
            pair_entry[1].extend(places)

    def new_id(self, word: str) -> int:
        """Words spelled two ways ("thuỷ", "thủy") share the id of their canonical spelling."""
        spelled = token(word).text
        found = self.ids.get(spelled)
        if found is None:
            found = len(self.spellings)
            self.spellings.append(spelled)
            self.ids[spelled] = found
        self.ids[word] = found
        return found

    def encoded(self) -> Terms:
        """This run's postings encoded and keyed by spelling, which (unlike ids) means the same in every worker."""
        spelling = self.spellings
        terms = Terms({}, {})
        for key, entries in self.syllables.items():
            terms.syllables[spelling[key]] = [postings(entries)]
        for key, (entries, places) in self.pairs.items():
            pair = spelling[key >> 32] + " " + spelling[key & 0xFFFFFFFF]
            terms.pairs[pair] = (
                [postings(entries)],
                [little_endian(array("h", map(sub, places, chain((0,), places))))],
            )
        return terms


@dataclass
class Terms:
    """Encoded postings keyed by spelling, one segment per run of documents, in document order.

    A term's file is its segments end to end: each restarts its gaps (and a pair's positions) from zero, so runs
    indexed in separate processes join without decoding.
    """

    syllables: dict[str, list[bytes]]
    pairs: dict[str, tuple[list[bytes], list[bytes]]]

    def extend(self, later: Terms) -> None:
        for key, segments in later.syllables.items():
            self.syllables.setdefault(key, []).extend(segments)
        for pair, (pair_segments, places) in later.pairs.items():
            mine = self.pairs.setdefault(pair, ([], []))
            mine[0].extend(pair_segments)
            mine[1].extend(places)

    def blobs(self) -> dict[str, bytes]:
        """Every exact term's postings; a pair's positions under `@` + its key, read only for longer phrases."""
        encoded = {key: b"".join(segments) for key, segments in self.syllables.items()}
        for key, (segments, places) in self.pairs.items():
            encoded[key] = b"".join(segments)
            encoded["@" + key] = b"".join(places)
        return encoded

    def variants(self) -> dict[str, list[str]]:
        """Accentless keys and the exact spellings folding to each, the one spelled exactly so (if any) first."""
        folded: dict[str, list[str]] = {}
        folds = {key: fold(key) for key in self.syllables}
        for key, value in folds.items():
            folded.setdefault("~" + value, []).append(key)
        for pair in self.pairs:
            first, second = pair.split(" ")
            folded.setdefault("~" + folds[first] + " " + folds[second], []).append(pair)
        for key, spellings in folded.items():
            spellings.sort(key=lambda spelling: (spelling != key[1:], spelling))
        return folded


def postings(entries: array[int]) -> bytes:
    """One segment: count of documents, their id gaps (the first from zero), then their counts, all varints."""
    docs = list(map(rshift, entries, repeat(18)))
    counts = list(map(and_, entries, repeat(0x3FFFF)))
    return varints([len(docs)]) + varints(list(map(sub, docs, chain((0,), docs)))) + varints(counts)


class SegmentCache(Protocol):
    """Where a build keeps indexed runs of documents (bantin.site_cache): a run whose items are unchanged is reused."""

    def key(self, start: int, items: Sequence[Item]) -> str: ...

    def get(self, key: str) -> Segment | None: ...

    def put(self, key: str, segment: Segment) -> None: ...


Segment = tuple["Terms", list[bytes]]
"""One run of documents indexed: its postings, and the compressed result file of each document."""


def write_index(
    items: Sequence[Item],
    out_dir: Path,
    addresses: Addresses = NO_ADDRESSES,
    thumbnails: Mapping[str, Thumbnail] | None = None,
    cited: Sequence[list[str]] | None = None,
    cache: SegmentCache | None = None,
) -> IndexStats:
    """Index `items` (already newest first) into `out_dir`, replacing what was there.

    Documents are indexed in runs of SEGMENT documents, whatever the machine, so the index is the same on every
    machine; a run found in `cache` is not indexed again. From PARALLEL_FROM items to index on, runs are indexed
    in worker processes started with "spawn" (safe under the threads of `mkdocs serve`); a script that builds a
    site must then guard its entry point with `if __name__ == "__main__":`, as the `mkdocs` command does.
    """
    if out_dir.exists():
        shutil.rmtree(out_dir)
    for sub_dir in ("t", "s", "d"):
        (out_dir / sub_dir).mkdir(parents=True)
    starts = list(range(0, len(items), SEGMENT))
    keys = [cache.key(start, items[start : start + SEGMENT]) if cache else "" for start in starts]
    segments: list[Segment | None] = [cache.get(key) if cache else None for key in keys]
    missing = [number for number, segment in enumerate(segments) if segment is None]
    chunks = [list(items[starts[number] : starts[number] + SEGMENT]) for number in missing]
    pictures = [[(thumbnails or {}).get(item.url) for item in chunk] for chunk in chunks]
    # What each item cites, as the collection found it, so records need not read every body again.
    cited_chunks = [
        list(cited[starts[number] : starts[number] + SEGMENT]) if cited is not None else None for number in missing
    ]
    to_index = sum(len(chunk) for chunk in chunks)
    workers = min(os.cpu_count() or 1, 4, len(chunks)) if to_index >= PARALLEL_FROM else 1
    if workers > 1:
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            firsts = [starts[number] for number in missing]
            arguments = (firsts, chunks, [addresses] * len(chunks), pictures, cited_chunks)
            indexed = list(pool.map(index_chunk, *arguments))
    else:
        runs = zip(missing, chunks, pictures, cited_chunks, strict=True)
        indexed = [
            index_chunk(starts[number], chunk, addresses, picture, numbers) for number, chunk, picture, numbers in runs
        ]
    del chunks
    for number, fresh in zip(missing, indexed, strict=True):
        segments[number] = fresh
        if cache is not None:
            cache.put(keys[number], fresh)
    del indexed
    terms = Terms({}, {})
    written = 0
    for number, start in enumerate(starts):
        segment = segments[number]
        assert segment is not None
        segments[number] = None  # let each merged part go at once: memory peaks here
        part, documents = segment
        del segment
        terms.extend(part)
        for doc, data in enumerate(documents, start):
            (out_dir / "d" / f"{doc}.bin").write_bytes(data)
            written += len(data)
        del part, documents
    del segments
    blobs = terms.blobs()
    variants = terms.variants()
    del terms
    inline = sum(len(blob) + len(key) + 2 for key, blob in blobs.items() if len(blob) <= SPILL_BYTES)
    inline += sum(len(key) + sum(len(spelling) + 1 for spelling in spellings) for key, spellings in variants.items())
    bucket_count = max(16, inline // BUCKET_BYTES)
    buckets: list[list[bytes]] = [[] for _ in range(bucket_count)]
    spilled = 0
    for key, blob in blobs.items():
        if len(blob) > SPILL_BYTES:
            written += write_file(out_dir / "s" / f"{spilled}.bin", blob)
            value = varints([spilled << 2 | 1])
            spilled += 1
        else:
            value = varints([len(blob) << 2]) + blob
        add_entry(buckets, key, value)
    for key, spellings in variants.items():
        value = varints([len(spellings) << 2 | 2]) + b"".join(string_bytes(spelling) for spelling in spellings)
        add_entry(buckets, key, value)
    for number, entries in enumerate(buckets):
        written += write_file(out_dir / "t" / f"{number}.bin", varints([len(entries)]) + b"".join(entries))
    written += write_file(out_dir / "meta.bin", json_bytes(meta_of(items, bucket_count)))
    files = len(items) + spilled + bucket_count + 1
    return IndexStats(len(items), len(blobs) + len(variants), bucket_count, files, written)


def index_chunk(
    start: int,
    items: list[Item],
    addresses: Addresses = NO_ADDRESSES,
    pictures: Sequence[Thumbnail | None] = (),
    cited: list[list[str]] | None = None,
) -> Segment:
    """Postings and compressed result files of documents `start`…; runs in a worker process on large archives."""
    postings = Postings()
    documents = []
    collecting = gc.isenabled()
    gc.disable()  # millions of small acyclic containers: the collector would rescan them over and over
    try:
        for doc, item in enumerate(items, start):
            record = search_record(item, cited[doc - start] if cited is not None else None)
            postings.add(doc, record)
            result = result_of(record, addresses)
            picture = pictures[doc - start] if pictures else None
            if picture:
                result["image"] = picture  # the thumbnail a result shows, as every list does
            documents.append(gzip.compress(json_bytes(result), compresslevel=6, mtime=0))
    finally:
        if collecting:
            gc.enable()
    return postings.encoded(), documents


def add_entry(buckets: list[list[bytes]], key: str, value: bytes) -> None:
    """A bucket entry: the key, then a tag whose low bits say inline postings (0), spill file (1) or spellings (2)."""
    encoded = key.encode("utf-8")
    buckets[fnv1a(encoded) % len(buckets)].append(varints([len(encoded)]) + encoded + value)


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
        "documents": len(items),
        "buckets": bucket_count,
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


def write_file(path: Path, data: bytes, level: int = 1) -> int:
    """Gzip at level 1 by default: on postings it is twice as fast as level 6 for about 8 % more bytes."""
    compressed = gzip.compress(data, compresslevel=level, mtime=0)
    path.write_bytes(compressed)
    return len(compressed)


def fnv1a(data: bytes) -> int:
    """32-bit FNV-1a: cheap, and the same in the browser with Math.imul."""
    value = 0x811C9DC5
    for byte in data:
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


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


def little_endian(values: array[int]) -> bytes:
    if sys.byteorder == "big":
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()
