"""What the build can handle, checked before it starts: a file `bantin check` accepts always builds.

Each limit is far beyond what a bulletin needs and comes from something measured: Python-Markdown recurses once per
level of nesting (a list nested a thousand deep exhausts Python's stack; two hundred already take seconds), runs
inline markup in time that grows with the square of a paragraph's length, and our search index packs a word's
count in an item into 18 bits (`bantin.search.index`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

from bantin.errors import ContentError
from bantin.vietnamese import grouped

FIRST_YEAR, LAST_YEAR = 1900, 2100
MAX_FILE_BYTES = 4_000_000
"""A content file larger than this is not read at all (a body of MAX_BODY_CHARS Vietnamese letters fits)."""
MAX_BODY_CHARS = 1_000_000
MAX_BLOCK_CHARS = 50_000
"""A paragraph (text between blank lines): Python-Markdown's inline markup slows down with its square."""
MAX_NESTING = 32
"""Levels of quotes, lists and indentation on one line, and of unclosed `[` in a paragraph."""
MAX_EMPHASIS_RUN = 200
"""Consecutive `*`: Python-Markdown's emphasis recurses on each one."""
MAX_WORD_COUNT = (1 << 18) - 1
"""Weighted occurrences of one word in one item that the search index can count (18 bits)."""

BLOCKS = re.compile(r"\n[ \t]*\n")
LINE_PREFIX = re.compile(r"[ \t]*(?:>|[-*+][ \t]|[0-9]{1,9}[.)][ \t])")
EMPHASIS_RUN = re.compile(rf"\*{{{MAX_EMPHASIS_RUN + 1},}}")
# A line's depth counts at most one level per character of its opening run of these (a tab is four columns, one
# level; a marker with its space one): a body without such a run longer than the limit nests no line too deep.
DEEP_LINE = re.compile(rf"\n[ \t>*+\-0-9.)]{{{MAX_NESTING + 1}}}")  # after "\n": a literal to look for


def limit_problems(path: str, body: str, first_line: int) -> list[ContentError]:
    """Size and nesting problems of a Markdown body, each at its line."""
    if len(body) > MAX_BODY_CHARS:
        message = f"nội dung bài dài {grouped(len(body))} ký tự, quá giới hạn {grouped(MAX_BODY_CHARS)} ký tự"
        message += "; hãy chia thành nhiều bài"
        return [ContentError(path, first_line, "body", message)]
    if (
        len(body) <= MAX_BLOCK_CHARS
        and "*" * (MAX_EMPHASIS_RUN + 1) not in body
        and body.count("[") <= MAX_NESTING
        and not DEEP_LINE.search("\n" + body)
    ):
        return []  # no paragraph can be too long or nest too deep: most bodies, without a look at each line
    return paragraph_problems(path, body, first_line)


def paragraph_problems(path: str, body: str, first_line: int) -> list[ContentError]:
    """Each paragraph's problems, looked at line by line."""
    errors = []
    line, offset = first_line, 0
    for block in BLOCKS.split(body):
        start = body.find(block, offset)
        line += body.count("\n", offset, start)
        errors.extend(block_problems(path, block, line))
        line += block.count("\n")
        offset = start + len(block)
    return errors


def block_problems(path: str, block: str, first_line: int) -> list[ContentError]:
    if len(block.strip()) > MAX_BLOCK_CHARS:
        message = (
            f"đoạn văn dài quá {grouped(MAX_BLOCK_CHARS)} ký tự; hãy chia thành nhiều đoạn, cách nhau một dòng trống"
        )
        return [ContentError(path, first_line, "body", message)]
    errors = []
    long_run = "*" * (MAX_EMPHASIS_RUN + 1) in block  # the emphasis and bracket checks only where they can fail
    for number, line in enumerate(block.split("\n")):
        if line_depth(line) > MAX_NESTING:
            message = f"lồng quá {MAX_NESTING} tầng (trích dẫn, danh sách, thụt lề); hãy bớt các tầng lồng nhau"
            errors.append(ContentError(path, first_line + number, "body", message))
        if long_run and EMPHASIS_RUN.search(line):
            message = f'quá {MAX_EMPHASIS_RUN} dấu "*" liền nhau; hãy bớt, hoặc viết "\\*" cho mỗi dấu sao muốn hiện'
            errors.append(ContentError(path, first_line + number, "body", message))
    if block.count("[") > MAX_NESTING and bracket_depth(block) > MAX_NESTING:
        at = first_line + block.count("\n", 0, depth_offset(block))
        message = f'quá {MAX_NESTING} dấu "[" chưa đóng trong một đoạn; hãy đóng bằng "]" hoặc viết "\\["'
        errors.append(ContentError(path, at, "body", message))
    return errors


def line_depth(line: str) -> int:
    """Quote markers, list markers and four-column indents before a line's text."""
    depth = 0
    position = 0
    while True:
        match = LINE_PREFIX.match(line, position)
        if match is None:
            break
        depth += 1 + columns(match.group()) // 4
        position = match.end()
    return depth + columns(line[position : len(line) - len(line[position:].lstrip(" \t"))]) // 4


def columns(whitespace: str) -> int:
    return sum(4 if char == "\t" else 1 for char in whitespace if char in " \t")


def bracket_depth(block: str) -> int:
    """The most `[` open at once in a paragraph (escaped ones do not count)."""
    depth = deepest = 0
    for match in re.finditer(r"\\.|[\[\]]", block):
        if match.group() == "[":
            depth += 1
            deepest = max(deepest, depth)
        elif match.group() == "]":
            depth = max(0, depth - 1)
    return deepest


def depth_offset(block: str) -> int:
    """Where the paragraph's brackets first go deeper than the limit."""
    depth = 0
    for match in re.finditer(r"\\.|[\[\]]", block):
        if match.group() == "[":
            depth += 1
            if depth > MAX_NESTING:
                return match.start()
        elif match.group() == "]":
            depth = max(0, depth - 1)
    return 0


def year_problem(year: int) -> str | None:
    if FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return f"năm {year} nằm ngoài khoảng {FIRST_YEAR}–{LAST_YEAR} mà bản tin hỗ trợ; hãy kiểm tra lại ngày"


def word_overflow(fields: Sequence[tuple[str, int]], words: Callable[[str], list[str]]) -> str | None:
    """The word repeated more often than the search index can count in one item, if any.

    Words are separated by at least one character, so a field of n characters holds at most (n + 1) / 2 of them:
    only an item long enough to overflow at all is counted word by word.
    """
    if sum(weight * (len(text) + 1) // 2 for text, weight in fields) <= MAX_WORD_COUNT:
        return None
    counts: Counter[str] = Counter()
    for text, weight in fields:
        for word, count in Counter(words(text)).items():
            counts[word] += count * weight
    word, count = counts.most_common(1)[0] if counts else ("", 0)
    if count <= MAX_WORD_COUNT:
        return None
    repeated = f'từ "{word[:40]}" lặp lại {grouped(count)} lần, quá {grouped(MAX_WORD_COUNT)} lần'
    return repeated + " mà ô tìm kiếm đếm được; hãy bớt các đoạn lặp lại"
