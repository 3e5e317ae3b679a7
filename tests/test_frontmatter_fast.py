"""The fields read without YAML (bantin.frontmatter.simple_mapping) are YAML's own, wherever that reading is taken.

Heads of real articles and documents, of the demo content and of generated archives, then heads made up of every
shape and every character YAML gives a meaning to: each is read both ways, and the fast reading either declines
(YAML then reads it, and reports its mistakes) or gives exactly YAML's values and key lines.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bantin.errors import ContentError
from bantin.frontmatter import compose, mapping_fields, parse_document, simple_mapping

REPO = Path(__file__).resolve().parent.parent
REALWORLD = REPO.parent / "shared" / "realworld"
GENERATOR = REPO.parent / "shared" / "bench" / "gen_corpus.py"


def yaml_reading(text: str, first_line: int = 2) -> tuple[dict[str, Any], dict[str, int]] | str:
    """What YAML itself reads, or the message it reports."""
    try:
        node = compose("x.md", text, first_line)
        if not isinstance(node, yaml.MappingNode):
            return "not a mapping"
        return mapping_fields("x.md", node, first_line)
    except ContentError as error:
        return str(error)


def heads(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.md")):
        lines = path.read_text(encoding="utf-8").split("\n")
        if lines[0].strip() != "---":
            continue
        end = next((index for index in range(1, len(lines)) if lines[index].strip() in ("---", "...")), None)
        if end is not None:
            found.append("\n".join(lines[1:end]))
    return found


def agrees(text: str) -> bool:
    """Whether the fast reading took the head (and then read it as YAML does); fails the test otherwise."""
    fast = simple_mapping(text, 2)
    if fast is None:
        return False
    assert fast == yaml_reading(text), text
    return True


def test_real_articles_and_documents_are_read_as_yaml_reads_them() -> None:
    texts = heads(REALWORLD) + heads(REPO / "content")
    assert len(texts) >= 10
    taken = [agrees(text) for text in texts]
    assert sum(taken) >= len(taken) * 3 // 4  # block lists of recipients, flow lists of topics: the usual shapes


def test_a_generated_archive_is_read_without_yaml(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(GENERATOR), "300", str(tmp_path / "archive")], check=True, capture_output=True)
    texts = heads(tmp_path / "archive")
    assert len(texts) == 300
    assert all(agrees(text) for text in texts)


SHAPES = [
    'title: "Hội nghị: tổng kết"',
    "title: Hội nghị tổng kết năm 2024",
    "title: 'Kết luận số 62-KL/TW'",
    "date: 2024-12-20 03:12",
    "title: 20:30",
    "views: 133",
    "views: 0x1F",
    "flag: yes",
    "title: ~",
    "title: null",
    "unit:",
    "unit:   ",
    'unit: ""',
    "unit: ''",
    "tags: [Nghị quyết số 57-NQ/TW, Chuyển đổi số]",
    'tags: ["Nghị quyết 25-NQ/TW"]',
    "tags: []",
    "tags: [ a ,b ]",
    "tags: [a, ]",
    "tags: [a, [b]]",
    'tags: ["a, b"]',
    "recipients:\n  - Các đảng ủy\n  - Lưu Văn phòng",
    "recipients:\n- Các đảng ủy\n- 'Lưu'",
    "recipients:\n  - a\n    - b",
    "recipients:\n  - a\n   b",
    "recipients:\n  -\n  - b",
    "recipients:\n  - a: b",
    "recipients:\n  - [a]",
    "title: Hội nghị [mở rộng]",
    "title: C# và F#",
    "title: a #b",
    "title: a: b",
    "title: a:",
    "title: http://example.vn/a",
    "title:x",
    'title: "a" b',
    'title: "a\\"b"',
    'title: "a\\\\b"',
    'title: "a\\nb"',
    'title: "a\\\\"',
    "title: 'it''s'",
    "title: &a x",
    "title: *a",
    "title: !!str x",
    "title: |\n  a",
    "title: >\n  a",
    "title: - a",
    "title: ? a",
    "title: @a",
    "title: `a`",
    "title: %a",
    "title: a\tb",
    "title: a\u00a0",
    "title: a\u2028b",
    "title: a\rb",
    "title: a\x85b",
    "title: a\x07b",
    "title: \ufeffa",
    "title: a\n  continued",
    "title: a\ntitle: b",
    "# a comment\ntitle: a",
    "title: a\n\ndate: 2024-01-01",
    "  title: a",
    "Title_2: a",
    "tiêu_đề: a",
    '"title": a',
    "- a",
    "a",
    "",
]


@pytest.mark.parametrize("text", SHAPES)
def test_each_shape_is_read_as_yaml_reads_it_or_left_to_yaml(text: str) -> None:
    agrees(text)


def test_what_yaml_reports_is_left_to_yaml() -> None:
    mistakes = ["title: a: b", 'title: "a', "tags: [a, b", "title: a\ntitle: b", "title: *a", "- a"]
    for text in mistakes:
        assert simple_mapping(text, 2) is None, text
        assert isinstance(yaml_reading(text), str), text


def test_a_document_keeps_its_key_lines_and_body() -> None:
    document = parse_document("x.md", "---\ntitle: a\n\ntags:\n  - b\n  - c\ndate: 2024-01-01\n---\nThân bài\n")
    assert document.fields == {"title": "a", "tags": ["b", "c"], "date": "2024-01-01"}
    assert document.lines == {"title": 2, "tags": 4, "date": 7}
    assert (document.body, document.body_line) == ("Thân bài\n", 9)


PIECES = st.sampled_from(
    [
        *"abcđơ09 ",
        *":-#,[]{}&*!|>'\"%@`?~\\\t\r\u00a0\u2028\x85\x07",
        ": ",
        " #",
        "Hội nghị",
        "57-NQ/TW",
        "\n",
        "\n  - ",
        "\n- ",
        "\n  ",
    ]
)
KEYS = st.sampled_from(["title", "date", "tags", "unit", "recipients", "Title_2", "x"])


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.tuples(KEYS, st.lists(PIECES, max_size=8)), min_size=1, max_size=5))
def test_made_up_heads_are_read_as_yaml_reads_them_or_left_to_yaml(entries: list[tuple[str, list[str]]]) -> None:
    agrees("\n".join(f"{key}:{''.join(value)}" for key, value in entries))
