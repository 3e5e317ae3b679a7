"""The search records' plain text: cheaper passes that must give what the one-regex rule gave, byte for byte."""

from __future__ import annotations

import random
import re

import pytest

from bantin.search.records import plain_text, without_marks
from tests.documents import markdown_files

# The rule as one regex (line marks tried first at a line's start, then emphasis and code marks anywhere).
ONE_PASS = re.compile(r"(?m)^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+\.\s+)|[*_`~]{1,3}")


def bodies() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in markdown_files()]


def test_marks_go_as_the_one_pass_rule_removes_them_on_every_real_body() -> None:
    texts = bodies()
    assert len(texts) > 5
    for text in texts:
        assert without_marks(text) == ONE_PASS.sub("", text)


@pytest.mark.parametrize("seed", range(4))
def test_marks_go_as_the_one_pass_rule_removes_them_on_fuzzed_markup(seed: int) -> None:
    """Line marks that start with an inline mark (`* `), marks across blank lines, runs of four marks and more."""
    rng = random.Random(seed)
    alphabet = ["*", "_", "`", "~", "#", ">", "-", "+", " ", "\n", "\t", "1", ".", "a", "ộ", "**", "\n\n", "  "]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 40)))
        assert without_marks(text) == ONE_PASS.sub("", text), repr(text)


def test_plain_text_keeps_words_and_drops_markup() -> None:
    body = "## Tiêu đề\n\n> Trích **Kết luận** số `62`\n\n* Một ý\n1. Hai ý ~~cũ~~\n\n[Xem thêm](/tin/)"
    assert plain_text(body) == "Tiêu đề Trích Kết luận số 62 Một ý Hai ý cũ Xem thêm"
