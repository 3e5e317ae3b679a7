"""A body's size and nesting limits: the quick look that clears most bodies finds what the line-by-line look finds."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from bantin.limits import MAX_BODY_CHARS, MAX_NESTING, limit_problems, line_depth, paragraph_problems
from tests.hostile import LIMIT_BODIES

PROSE = "Hội nghị tổng kết công tác dân vận năm 2024.\n"


def nested(prefix: str, depth: int) -> str:
    return PROSE + "\n" + prefix * depth + "mục lồng nhau\n"


def test_a_line_one_level_too_deep_is_reported_whichever_way_it_nests() -> None:
    for prefix in ("> ", ">", "- ", "* ", "+ ", "1. ", "12) ", "    ", "\t", "\t> ", " >"):
        depth = next(depth for depth in itertools.count(1) if line_depth(prefix * depth + "chữ") > MAX_NESTING)
        assert limit_problems("x.md", nested(prefix, depth - 1), 5) == [], prefix
        found = limit_problems("x.md", nested(prefix, depth), 5)
        assert [(error.line, error.field) for error in found] == [(7, "body")], prefix
        assert found == paragraph_problems("x.md", nested(prefix, depth), 5)


def test_bodies_that_exhaust_something_are_reported_as_line_by_line() -> None:
    for body in [body for body in LIMIT_BODIES if len(body) <= MAX_BODY_CHARS]:  # longer: refused whole
        assert limit_problems("x.md", body, 3) == paragraph_problems("x.md", body, 3)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from([" ", "\t", ">", "- ", "* ", "1. ", "[", "]", "*" * 67, "chữ", "\n", "\n\n"]), max_size=80)
)
def test_made_up_bodies_are_cleared_only_when_line_by_line_finds_nothing(pieces: list[str]) -> None:
    body = "".join(pieces)
    assert limit_problems("x.md", body, 1) == paragraph_problems("x.md", body, 1)


def test_the_quick_bound_on_an_items_length_clears_only_items_that_cannot_overflow() -> None:
    """`may_overflow` first bounds the item's repr by four characters a body byte: its answer stays the repr's."""
    from bantin.limits import MAX_WORD_COUNT
    from bantin.loader import may_overflow
    from bantin.search.records import NUMBER_WEIGHT, TITLE_WEIGHT
    from tests.factories import item

    answers = set()
    for unit in ("a ", "ở ", "\\", "\n", "Đảng\t"):
        for length in range(8_000, 70_000, 997):
            body = (unit * (length // len(unit) + 1))[:length]
            made = item("bai", "2024-01-01", body=body)
            expected = max(TITLE_WEIGHT, NUMBER_WEIGHT) * (len(repr(made)) + 1) // 2 > MAX_WORD_COUNT
            assert may_overflow(made) == expected, (unit, length)
            answers.add(expected)
    assert answers == {True, False}
