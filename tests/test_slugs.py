"""Slugs of titles and headings: the ones folded by Bản tin are python-slugify's, byte for byte."""

from __future__ import annotations

import random

import pytest
from slugify import slugify

from bantin.text import PLAIN_TITLE, VIETNAMESE, make_slug
from tests.documents import markdown_files


def slugified(text: str, separator: str = "-") -> str:
    """The slug as python-slugify makes it (đ made d first, as make_slug always did)."""
    return str(slugify(text.replace("đ", "d").replace("Đ", "D"), separator=separator))


def titles_and_headings() -> list[str]:
    """Every title and heading line of the demo content and of the real documents (sources in their README)."""
    found = []
    for path in markdown_files():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or line.startswith("title:"):
                found.append(line.lstrip("#").removeprefix("title:").strip().strip("\"'"))
    return found


def test_every_vietnamese_letter_folds_as_python_slugify_folds_it() -> None:
    assert len(VIETNAMESE) >= 134  # the 67 lowercase and 67 capital letters with marks, at least
    for letter in VIETNAMESE:
        assert make_slug.__wrapped__(f"Xã {letter}a") == slugified(f"Xã {letter}a"), letter


def test_real_titles_and_headings_get_python_slugifys_slugs() -> None:
    lines = titles_and_headings()
    plain = [line for line in lines if PLAIN_TITLE.fullmatch(line)]
    assert len(plain) > len(lines) / 2  # the fast way is the usual one
    for line in lines:
        assert make_slug.__wrapped__(line) == slugified(line), line
        assert make_slug.__wrapped__(line, "_") == slugified(line, "_"), line


@pytest.mark.parametrize("seed", range(3))
def test_fuzzed_titles_get_python_slugifys_slugs(seed: int) -> None:
    """Punctuation runs at either end, commas between digits ("1,5" is "15" there), quotes, ellipses, slashes."""
    rng = random.Random(seed)
    alphabet = [*VIETNAMESE[::3], *"aZ09 .:;!?()-đĐ,\"“”…/%&'", "1,5", "a, b", "&amp;", "Đảng"]
    for _ in range(4000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 16)))
        assert make_slug.__wrapped__(text) == slugified(text), repr(text)


def test_a_title_with_a_thousands_comma_goes_to_python_slugify() -> None:
    assert PLAIN_TITLE.fullmatch("Hỗ trợ 1,5 tỷ đồng") is None
    assert make_slug("Hỗ trợ 1,5 tỷ đồng") == "ho-tro-15-ty-dong"
    assert make_slug("Đại hội, “Dân vận khéo”…") == "dai-hoi-dan-van-kheo"
