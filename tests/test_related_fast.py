"""The related index's fast paths give what the general rules give, on real documents and on made-up text.

`bantin.search.tokenize.words` (the search's words, which related phrases are made of too) splits text between
spaces, without the word pattern, where it can; `bantin.excerpts.plain_words` splits the first words off the
unmarked text. Each is held here to the general rule it stands for (the word pattern alone,
`plain_text(...).split()`), and an item's phrases to the phrases made with the general rule.
"""

from __future__ import annotations

import itertools
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bantin.citations import NUMBER
from bantin.excerpts import plain_text, plain_words
from bantin.frontmatter import parse_document
from bantin.loader import load_content
from bantin.related import (
    BODY_WORDS,
    FUNCTION_WORDS,
    RelatedIndex,
    Scorer,
    phrase_texts,
    phrases,
    ranked,
)
from bantin.search.tokenize import SEPARATORS, WORD, runs, words
from tests.conftest import REPO, generated_corpus
from tests.documents import write_content
from tests.factories import item as make_item

REALWORLD = REPO.parent / "shared" / "realworld"
REAL = [*sorted(REALWORLD.glob("*/*/*.md")), *sorted((REPO / "content").glob("*/*/*.md"))]


def pattern_words(text: str) -> list[str]:
    """The search's word rule with the word pattern alone: what `words`, split between spaces, stands for."""
    text = unicodedata.normalize("NFC", text)
    found: list[str] = []
    position = 0
    for match in NUMBER.finditer(text) if "/" in text else ():
        found.extend(WORD.findall(text[position : match.start()].lower()))
        found.append(match.group().lower())
        position = match.end()
    found.extend(WORD.findall(text[position:].lower()))
    return found


def general_phrases(title: str, body: str) -> set[str]:
    """bantin.related.phrases as it reads with the search's own word rule and the whole plain text."""
    found: set[str] = set()
    for part in (title, " ".join(plain_text(body).split()[:BODY_WORDS])):
        said = ["" if word in FUNCTION_WORDS or word.isdigit() else word for word in pattern_words(part)]
        found |= {f"{first} {second}" for first, second in itertools.pairwise(said) if first and second}
    return found


def test_the_separators_are_no_part_of_any_word() -> None:
    assert WORD.search(SEPARATORS) is None
    assert all(not mark.isspace() for mark in SEPARATORS)


@pytest.mark.parametrize("path", REAL, ids=lambda path: path.name)
def test_a_real_document_has_the_search_s_words(path: Path) -> None:
    document = parse_document(str(path), path.read_text(encoding="utf-8"))
    for text in (document.body, plain_text(document.body), " ".join(plain_words(document.body, BODY_WORDS))):
        assert words(text) == pattern_words(text)


def test_real_items_have_the_phrases_of_the_general_rule(tmp_path: Path) -> None:
    checked = 0
    folders = (write_content(tmp_path / "real"), REPO / "content", generated_corpus(tmp_path / "corpus", 400))
    for folder in folders:
        for entry in load_content(folder, check_bodies=False).items:
            title = " ".join([entry.title, entry.notice.subject if entry.notice else "", entry.summary or ""])
            assert phrases(entry) == general_phrases(title, entry.body), entry.path
            checked += 1
    assert checked > 400


PIECES = st.sampled_from(
    [
        *"aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ0123456789",
        *SEPARATORS,
        " ",
        "\n",
        "\t",
        "\u00a0",
        "_",
        "²",
        "½",
        "٣",
        "İ",
        "ß",
        "e\u0301",
        "o\u0302\u0301",
        "~",
        "@",
        "+",
        "=",
        "|",
        "\\",
        "62-KL/TW",
        "Kết luận số 62-KL/TW",
        "7- KL/VPTW",
        "30/2020/NĐ-CP",
        "12/TB-UBND",
        "1/2",
        "dân vận",
        "của",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_made_up_text_has_the_search_s_words(text: str) -> None:
    assert words(text) == pattern_words(text)
    assert runs(text.lower()) == WORD.findall(text.lower())


MARKUP = st.sampled_from(["**", "*", "[", "](x)", "<br>", "&amp;", "\n\n", "# "])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(PIECES, MARKUP), max_size=60))
def test_made_up_markdown_has_the_first_words_of_its_plain_text(pieces: list[str]) -> None:
    body = "".join(pieces)
    for count in (1, 3, 12):
        assert plain_words(body, count) == plain_text(body).split()[:count]


SCORES = st.sampled_from([0.0, 0.5, 1.0, 1.0000001, 1.0000004, 0.9999996, 2.25, 2.2500049, 2.2500051, 3.7, 10.0])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(0, 3 * 24 * 3600), min_size=2, max_size=30),
    st.data(),
)
def test_the_scorer_ranks_as_the_general_ranking(offsets: list[int], data: st.DataObject) -> None:
    start = datetime(2020, 1, 1, 8, 0)
    items = [
        make_item(f"bai-{number}", (start + timedelta(seconds=offset)).isoformat())
        for number, offset in enumerate(offsets)
    ]
    index = RelatedIndex(items, {})
    scorer = Scorer(index)
    here = data.draw(st.integers(0, len(items) - 1))
    others = np.array(sorted(data.draw(st.sets(st.integers(0, len(items) - 1)))), np.int64)
    scores = np.array([data.draw(SCORES) for _ in others], np.float64)
    limit = data.draw(st.integers(1, 6))
    item = index.items[here]
    expected = ranked(
        dict(zip(others.tolist(), scores.tolist(), strict=True)),
        limit,
        lambda other: abs(index.items[other].date - item.date),
    )
    if len(scores) > limit:  # the pool Scorer.best hands on: what can be among the best
        floor = np.partition(scores, len(scores) - limit)[len(scores) - limit] - 1e-5
        others, scores = others[scores >= floor], scores[scores >= floor]
    assert scorer.ranked(others, scores, limit, item) == expected


def test_an_item_s_phrase_text_holds_its_phrases_once_each_in_the_order_they_occur(tmp_path: Path) -> None:
    loaded = load_content(write_content(tmp_path / "real"), check_bodies=False).items
    for (_, text), entry in zip(phrase_texts([("", entry) for entry in loaded]), loaded, strict=True):
        said = text.split("\n")
        assert len(said) == len(set(said))
        assert set(said) == phrases(entry)
        title = " ".join([entry.title, entry.notice.subject if entry.notice else "", entry.summary or ""])
        spoken = " ".join([*words(title), "|", *words(" ".join(plain_words(entry.body, BODY_WORDS)))])
        places = [spoken.find(phrase) for phrase in said]
        assert -1 not in places and places == sorted(places), entry.path
