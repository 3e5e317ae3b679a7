"""Search without a browser: Vietnamese tokens, search records and the index files they become."""

from __future__ import annotations

import gzip
import itertools
import json
from datetime import datetime
from pathlib import Path

import pytest

from bantin.items import Item, Notice
from bantin.search import index
from bantin.search.index import LEVELS, fnv1a, write_index
from bantin.search.records import TITLE_WEIGHT, search_record
from bantin.search.tokenize import fold, query_words, tokens, words
from bantin.units import Unit

UNIT = Unit("Ban Dân vận Huyện ủy Hải Hà", "ban-dan-van-huyen-uy-hai-ha")


def item(title: str, body: str, *, kind: str = "tin", day: int = 1, notice: Notice | None = None) -> Item:
    return Item(
        kind=kind,  # type: ignore[arg-type]
        path=f"{kind}/2024/bai-{day}.md",
        year=2024,
        slug=f"bai-{day}",
        title=title,
        date=datetime(2024, 1, day),
        has_time=False,
        unit=UNIT,
        body_utf8=body.encode(),
        author="Hương Dịu",
        notice=notice,
    )


def test_accentless_fold_turns_d_stroke_into_d() -> None:
    assert fold("Đảng ủy") == "dang uy"
    assert fold("dân vận khéo") == "dan van kheo"


def test_document_numbers_are_single_tokens() -> None:
    assert words("Thực hiện Kết luận 62-KL/TW và Nghị định 30/2020/NĐ-CP, Thông báo 12/TB-UBND.") == [
        "thực", "hiện", "kết", "luận", "62-kl/tw", "và", "nghị", "định", "30/2020/nđ-cp", "thông", "báo", "12/tb-ubnd",
    ]  # fmt: skip
    assert [token.text for token in tokens("30/2020/NĐ-CP")] == ["30/2020/nd-cp"]


def test_dates_and_ranges_are_not_document_numbers() -> None:
    assert words("ngày 15/3/2020, 2-3/tháng") == ["ngày", "15", "3", "2020", "2", "3", "tháng"]


def test_a_query_typed_in_lower_case_still_has_its_document_number() -> None:
    assert query_words("kết luận 62-kl/tw") == ["kết", "luận", "62-kl/tw"]


def test_both_tone_placements_are_one_spelling() -> None:
    assert [token.text for token in tokens("hoà thuỷ Đảng uỷ quý")] == ["hòa", "thủy", "đảng", "ủy", "quý"]


def test_record_holds_what_officials_search_by() -> None:
    notice = Notice(
        number="212-TB/TU",
        issuer="Thường trực Tỉnh ủy",
        place=None,
        subject="Kết luận về công tác dân vận năm 2024",
        meeting=None,
        signer="Lê Tấn Lai",
        signer_title=None,
        signing_authority=None,
        signature_note=None,
        recipients=(),
    )
    record = search_record(item("Thông báo kết luận", "Nội dung [xem thêm](https://example.vn/x).", notice=notice))
    texts = [text for text, _ in record.fields]
    for expected in ("212-TB/TU", "Kết luận về công tác dân vận năm 2024", UNIT.name, "Hương Dịu", "Lê Tấn Lai"):
        assert expected in texts
    assert record.text == "Nội dung xem thêm."


Entry = dict[int, int] | list[str] | tuple[bool, bool, bytes] | None


def read_entry(index_dir: Path, key: str, groups: list[int] | None = None) -> Entry:
    """The bucket entry for `key`, read the way search.js reads it: a term's count in each document holding it (from
    every file of levels, for a large term, whose files' highest levels go into `groups`), the exact spellings
    of an accentless key, or a gram's positions (`@` and the gram): whether the index extends it, whether every
    run's positions are there, and the positions."""
    meta = json.loads(gzip.decompress((index_dir / "meta.bin").read_bytes()))
    data = gzip.decompress((index_dir / "t" / f"{fnv1a(key.encode('utf-8')) % meta['buckets']}.bin").read_bytes())
    reader = Reader(data)
    for _ in range(reader.varint()):
        name, tag = reader.string(), reader.varint()
        kind, size = tag & 3, tag >> 2
        value: Entry = None
        flags = reader.varint() if name.startswith("@") else 0  # a gram's positions: their size, whether extended
        if kind == 0:
            if name.startswith("@"):  # a gram's positions are raw
                value = (bool(flags & 1), bool(flags & 2), data[reader.offset : reader.offset + size])
            else:
                blob = Reader(data, reader.offset)
                length = blob.varint()
                value = dict.fromkeys(docs_of(data[blob.offset : blob.offset + length]), 1)
                value.update(levels(data[blob.offset + length : reader.offset + size]))
            reader.offset += size
        elif kind == 1:
            listing = [reader.varint() for _ in range(2 * reader.varint())]
            files = listing[1::2]
            if name == key and groups is not None:
                groups.extend(listing[0::2])
            value = dict.fromkeys(docs_of(gzip.decompress((index_dir / "s" / f"{size}.bin").read_bytes())), 1)
            for number in files:
                listed = levels(gzip.decompress((index_dir / "s" / f"{number}.bin").read_bytes()))
                assert listed.keys() <= value.keys()
                value.update(listed)
        elif kind == 2:
            value = [reader.string() for _ in range(size)]
        else:
            value = (bool(flags & 1), bool(flags & 2), gzip.decompress((index_dir / "s" / f"{size}.bin").read_bytes()))
        if name == key:
            return value
    return None


class Reader:
    def __init__(self, data: bytes, offset: int = 0) -> None:
        self.data = data
        self.offset = offset

    def varint(self) -> int:
        value, shift = 0, 0
        while True:
            byte = self.data[self.offset]
            self.offset += 1
            value |= (byte & 127) << shift
            shift += 7
            if byte < 128:
                return value

    def string(self) -> str:
        length = self.varint()
        self.offset += length
        return self.data[self.offset - length : self.offset].decode("utf-8")

    def values(self, end: int) -> list[int]:
        found = []
        while self.offset < end:
            found.append(self.varint())
        return found


def flagged(values: list[int]) -> list[int]:
    """Document numbers from flagged varints: an odd value starts a run's segment, an even one is a gap."""
    docs, doc = [], 0
    for value in values:
        doc = value >> 1 if value & 1 else doc + (value >> 1)
        docs.append(doc)
    return docs


def docs_of(blob: bytes) -> list[int]:
    return flagged(Reader(blob).values(len(blob)))


def levels(blob: bytes) -> dict[int, int]:
    """Document → count from a blob of levels: per level its number and byte length, then (document, count) pairs;
    level 0 (a count of 1) is never listed."""
    reader, found = Reader(blob), dict[int, int]()
    while reader.offset < len(blob):
        level, length = reader.varint(), reader.varint()
        values = reader.values(reader.offset + length)
        counts = values[1::2]
        assert level > 0 and all(LEVELS[level] <= count < (*LEVELS, 2**31)[level + 1] for count in counts)
        found.update(zip(flagged(values[0::2]), counts, strict=True))
    return found


def test_index_keeps_exact_spellings_and_their_accentless_keys(tmp_path: Path) -> None:
    items = [
        item("Xây dựng nông thôn mới", "Mọi người cùng làm.", day=3),
        item("Trời nóng", "Mời dự họp Đảng ủy.", day=2),
        item("Dân vận khéo", "Số 62-KL/TW.", day=1),
    ]
    write_index(items, tmp_path / "index")
    index = tmp_path / "index"
    assert read_entry(index, "mới") == {0: TITLE_WEIGHT}
    assert read_entry(index, "~moi") == ["mọi", "mới", "mời"]
    assert read_entry(index, "~dang uy") == ["đảng ủy"]
    assert read_entry(index, "nông thôn") == {0: 1}
    assert read_entry(index, "62-kl/tw") == {2: 1}
    shown = json.loads(gzip.decompress((index / "d" / "2.bin").read_bytes()))
    assert shown == {
        "url": "tin/2024/bai-1/",
        "title": "Dân vận khéo",
        "date": "01/01/2024",
        "kind": "tin",
        "unit": UNIT.name,
        "text": "Số 62-KL/TW.",
    }


def test_large_terms_keep_documents_apart_from_counts_by_level_highest_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "khéo" in half the articles, 1 to 40 times; "vận" in every one.
    repeats = [1, 2, 3, 5, 9, 40]
    items = [item("Dân vận", " ".join(["Dân vận khéo."] * n), day=day) for day, n in enumerate(repeats, 1)]
    items += [item("Dân vận", "Dân vận giỏi.", day=10 + day) for day in range(6)]
    write_index(items, tmp_path / "inline")
    monkeypatch.setattr(index, "SPILL_BYTES", 0)
    monkeypatch.setattr(index, "GROUP_BYTES", 1)
    write_index(items, tmp_path / "split")
    expected = dict(enumerate(repeats))
    assert read_entry(tmp_path / "inline", "khéo") == read_entry(tmp_path / "split", "khéo") == expected
    levels: list[int] = []
    read_entry(tmp_path / "split", "khéo", levels)
    assert levels == [6, 4, 3, 2, 1]  # one file each (GROUP_BYTES), highest first; a count of 1 is implied
    counted: list[int] = []
    assert read_entry(tmp_path / "split", "vận") == dict.fromkeys(range(12), 1)
    read_entry(tmp_path / "split", "vận", counted)
    assert counted == []  # in more than half the articles: ranked by presence, counts not written


def test_every_key_hashes_at_once_as_one_at_a_time() -> None:
    """The buckets of a real index's keys (of every length, multi-byte, "@" and "~"), hashed together or apart."""
    body = "Công tác dân vận khéo số {}: Kết luận 62-KL/TW."
    items = [item(f"Hội nghị {n} Ban Dân vận", body.format(n), day=n) for n in (1, 2)]
    postings = index.Postings()
    for doc, one in enumerate(items):
        postings.add(doc, search_record(one))
    terms = postings.encoded()
    keys = [key.encode() for table in (terms.syllables, terms.pairs, terms.grams) for key in table]
    keys += [b"", b"@" + keys[-1], b"~dan van", "đ".encode() * 300]
    assert index.fnv1a_all(keys).tolist() == [fnv1a(key) for key in keys]
    assert index.fnv1a_all([]).tolist() == []


def test_bucket_count_moves_in_steps_so_an_edit_leaves_terms_in_their_buckets() -> None:
    counts = [index.buckets_for(size) for size in range(0, 50_000_000, 997)]
    steps = [(a, b) for a, b in itertools.pairwise(counts) if a != b]
    assert len(steps) == 42 and all(1.1 < b / a < 1.3 for a, b in steps)  # 16 to 24,000 buckets
    assert index.buckets_for(2048 * 2095) == index.buckets_for(2048 * 2096)  # one edit at 10,000 articles


def test_triples_hold_documents_and_positions_and_short_fields_hold_none() -> None:
    postings = index.Postings()
    record = search_record(item("Dân vận khéo", "Dân vận khéo, dân vận."))
    fields = (("Tin", 4), ("xin chào", 1), ("dân vận khéo dân vận khéo", 1))
    postings.add(7, record.__class__(**{**record.__dict__, "fields": fields}))
    terms = postings.encoded()
    assert "tin" in terms.syllables and "xin chào" in terms.pairs and "tin xin" not in terms.pairs
    assert list(terms.grams)[:3] == ["dân vận khéo", "vận khéo dân", "khéo dân vận"]
    documents, places = terms.grams["dân vận khéo"]
    assert docs_of(documents) == [7]
    # Where it starts in the document (fields and their ends counted): "tin", end, "xin chào", end, then 4 and 7.
    assert list(memoryview(places).cast("H")) == [2, 5, 3]
    assert terms.pairs["dân vận"][1] == ((1, b"\x0f\x02"),)  # twice in the document: level 1


PHRASE_GRAMS = json.loads((Path(__file__).parent / "data" / "phrase_grams.json").read_text(encoding="utf-8"))


def phrase_items() -> list[Item]:
    """The table's articles, the first the newest (document 0)."""
    articles = PHRASE_GRAMS["articles"]
    return [item(f"Tin số {n + 1}", body, day=len(articles) - n) for n, body in enumerate(articles)]


def spelled(index_dir: Path, gram: list[str]) -> list[str]:
    """The exact grams a gram stands for: itself typed with diacritics (when indexed), else its accentless key's."""
    exact = [token.text for token in tokens(" ".join(gram))]
    if any(token.text != token.folded for token in tokens(" ".join(gram))):
        return [" ".join(exact)] if read_entry(index_dir, "@" + " ".join(exact)) else []
    found = read_entry(index_dir, "~" + " ".join(gram))
    return found if isinstance(found, list) else []


def read_as_one(index_dir: Path, phrase: list[str]) -> bool:
    """What search.js's planPhrase decides first: every gram from the phrase's first syllable, three syllables and
    more, is extended (every spelling of it), so the phrase itself is an indexed gram."""
    if len(phrase) > index.LONGEST_GRAM:
        return False
    for length in range(3, len(phrase)):
        keys = spelled(index_dir, phrase[:length])
        if not keys or not all(entry_extended(index_dir, key) for key in keys):
            return False
    return True


def entry_extended(index_dir: Path, key: str) -> bool:
    found = read_entry(index_dir, "@" + key)
    return isinstance(found, tuple) and found[0]


@pytest.mark.parametrize("case", PHRASE_GRAMS["cases"], ids=lambda case: case["phrase"])
def test_phrase_grams_extend_where_every_run_holds_them_often(
    case: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index, "SEGMENT", PHRASE_GRAMS["segment"])
    monkeypatch.setattr(index, "EXTEND_SHARE", PHRASE_GRAMS["extend_share"])
    items = phrase_items()
    phrase = words(str(case["phrase"]))
    # The table's own truth: the words in a row (punctuation between them), accentless when typed so.
    plain = all(fold(word) == word for word in phrase)
    held = [
        n
        for n, one in enumerate(items)
        if " ".join(phrase) in " ".join(fold(word) if plain else word for word in words(one.body))
    ]
    assert held == case["found"]
    write_index(items, tmp_path / "index")
    assert read_as_one(tmp_path / "index", phrase) == case["whole"]
    if case["whole"] and not plain:
        found = read_entry(tmp_path / "index", " ".join(token.text for token in tokens(" ".join(phrase))))
        assert sorted(found or {}) == case["found"]  # the phrase's own documents answer it


def test_longer_grams_of_a_gram_some_run_holds_rarely_are_dropped_and_extended_ones_have_no_positions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index, "SEGMENT", PHRASE_GRAMS["segment"])
    monkeypatch.setattr(index, "EXTEND_SHARE", PHRASE_GRAMS["extend_share"])
    write_index(phrase_items(), tmp_path / "index")
    folder = tmp_path / "index"
    # "hội liên hiệp" is in two articles of the first run, one of the second: not extended, no longer grams kept.
    found = read_entry(folder, "@hội liên hiệp")
    assert isinstance(found, tuple) and found[:2] == (False, True) and found[2]
    assert read_entry(folder, "hội liên hiệp phụ") is None
    # "mặt trận tổ quốc" is in most articles of both: extended, read through its longer grams, so no positions.
    assert read_entry(folder, "@mặt trận tổ quốc") == (True, False, b"")
    assert read_entry(folder, "mặt trận tổ quốc việt") is not None
    found = read_entry(folder, "@mặt trận tổ")
    assert isinstance(found, tuple) and found[:2] == (True, True) and found[2]  # a triple keeps its positions
    meta = json.loads(gzip.decompress((folder / "meta.bin").read_bytes()))
    assert meta["longest"] == index.LONGEST_GRAM


def test_a_longer_gram_one_run_extends_and_another_not_keeps_no_positions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index, "SEGMENT", 8)
    monkeypatch.setattr(index, "EXTEND_SHARE", 4)
    # "mặt trận tổ" is in two of each run's eight articles; "mặt trận tổ quốc" in two of the first run's, one of
    # the second's: the first run extends it and writes no positions for it, the second does not extend it.
    first = ["Mặt trận Tổ quốc Việt Nam.", "Mặt trận Tổ quốc Việt Nam tỉnh."] + ["Dân vận khéo."] * 6
    second = ["Mặt trận Tổ quốc Việt Nam.", "Mặt trận tổ chức hội nghị."] + ["Nông thôn mới."] * 6
    items = [item("Tin", body, day=20 - n) for n, body in enumerate(first + second)]
    write_index(items, tmp_path / "index")
    folder = tmp_path / "index"
    assert read_entry(folder, "mặt trận tổ quốc") == {0: 1, 1: 1, 8: 1}  # its documents are whole
    assert read_entry(folder, "@mặt trận tổ quốc") == (False, False, b"")  # not all its positions: never a piece
    assert read_entry(folder, "mặt trận tổ quốc việt") is None  # the second run has not indexed it


def test_a_run_extends_the_grams_in_half_of_its_documents() -> None:
    postings = index.Postings()
    bodies = ["Mặt trận Tổ quốc Việt Nam.", "Mặt trận Tổ quốc.", "Dân vận khéo.", "Nông thôn mới."]
    for doc, body in enumerate(bodies):
        record = search_record(item("Tin", body))
        postings.add(doc, record.__class__(**{**record.__dict__, "fields": ((body, 1),)}))
    terms = postings.encoded()
    assert index.EXTEND_SHARE == 2
    # "mặt trận tổ quốc" is in two of the four documents: extended; "mặt trận tổ quốc việt" in one: indexed, since
    # its prefix is extended, but not extended itself, so no longer gram follows it.
    assert "mặt trận tổ" in terms.extended and "mặt trận tổ quốc" in terms.extended
    assert "mặt trận tổ quốc việt" in terms.grams and "mặt trận tổ quốc việt" not in terms.extended
    assert "mặt trận tổ quốc việt nam" not in terms.grams
    assert "dân vận khéo" in terms.grams and "dân vận khéo" not in terms.extended
    documents, places = terms.grams["mặt trận tổ quốc"]
    assert docs_of(documents) == [0, 1] and places == b""  # extended: read through its longer grams
    documents, places = terms.grams["mặt trận tổ"]
    assert docs_of(documents) == [0, 1]
    assert list(memoryview(places).cast("H")) == [1, 0, 1, 0]  # a triple's: in each, once, from the start
    documents, places = terms.grams["mặt trận tổ quốc việt"]
    assert docs_of(documents) == [0] and list(memoryview(places).cast("H")) == [1, 0]
