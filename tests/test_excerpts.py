"""Plain text out of Markdown bodies: the few words related items read equal the head of the whole plain text."""

from __future__ import annotations

from pathlib import Path

import pytest

from bantin.excerpts import BLOCKS, CHARS_PER_WORD, LEAD_BYTES, first_paragraph, lead_of, plain_text, plain_words
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


def whole_body_lead(body: str) -> str:
    """What `lead_of` must give: the first prose block of every block of the whole body."""
    for block in BLOCKS.split(body.strip("\n")):
        text = first_paragraph(block)
        if text:
            return text
    return ""


@pytest.mark.parametrize("path", REAL, ids=lambda path: path.name)
def test_the_lead_found_in_a_real_body_s_head_is_that_of_the_whole_body(path: Path) -> None:
    body = parse_document(str(path), path.read_text(encoding="utf-8")).body
    assert lead_of(body.encode()) == first_paragraph(body) == whole_body_lead(body)


@pytest.mark.parametrize(
    "body",
    [
        # No prose in the head: headings, a table and a picture fill it, the lead comes after.
        "## Mục lục\n\n" + "| a | b |\n" * (LEAD_BYTES // 8) + "\n\n![Ảnh](a.jpg)\n\nLời dẫn của bài.\n",
        # The head ends inside the first paragraph: it has no whole block, the whole body is read.
        "Đoạn đầu rất dài " * (LEAD_BYTES // 10) + "\n\nĐoạn sau.\n",
        # A gap of blank lines with spaces and tabs straddles the head's end.
        "# Tiêu đề\n" + "x" * (LEAD_BYTES - 12) + "\n \t \n\n\nLời dẫn.\n",
        # Multi-byte letters right at the cut: the head is decoded only up to a gap, never inside a letter.
        "```\n" + "ễ" * (LEAD_BYTES // 3) + "\n```\n\n" + "Đồng chí Bí thư " * 20 + "\n",
        "\n\n\nTin ngắn.",
        "",
    ],
    ids=["lead-after-head", "long-first-block", "gap-at-the-cut", "letters-at-the-cut", "short", "empty"],
)
def test_the_lead_of_a_hostile_body_is_that_of_the_whole_body(body: str) -> None:
    assert lead_of(body.encode()) == first_paragraph(body) == whole_body_lead(body)
