"""Plain text out of Markdown bodies: the few words related items read equal the head of the whole plain text."""

from __future__ import annotations

from pathlib import Path

import pytest

from bantin.excerpts import CHARS_PER_WORD, plain_text, plain_words
from bantin.frontmatter import parse_document
from tests.conftest import REPO

REAL = [
    *sorted((REPO.parent / "shared" / "realworld").glob("*/*/*.md")),
    *sorted((REPO / "content").glob("*/*/*.md")),
]


@pytest.mark.parametrize("path", REAL, ids=lambda path: path.name)
def test_the_first_words_of_a_real_body_are_those_of_its_whole_plain_text(path: Path) -> None:
    body = parse_document(str(path), path.read_text(encoding="utf-8")).body
    for count in (1, 40, 400):
        assert plain_words(body, count) == plain_text(body).split()[:count]


def test_a_link_reaching_past_the_first_words_is_read_whole() -> None:
    # The link opens in the part the first words come from and closes after it: its target must not become words.
    opening = "Hội nghị " * 5 + "[Kết luận số 62-KL/TW\n" + "về Mặt trận " * CHARS_PER_WORD
    body = opening + "\n](https://example.vn/ket-luan-62)\n" + "tiếp tục\n" * 50
    assert body.find("\n", CHARS_PER_WORD * 12) < body.index("]")  # the first twelve words end before the link does
    assert plain_words(body, 12) == plain_text(body).split()[:12]
    assert "example.vn" not in " ".join(plain_words(body, 200))


def test_a_body_of_markup_only_has_no_words() -> None:
    assert plain_words("![Ảnh](anh.jpg)\n\n<br>\n", 5) == []
    assert plain_words("", 5) == []
