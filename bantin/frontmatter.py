"""Our own frontmatter parser: YAML errors become ContentErrors with lines, never silence.

MkDocs' parser drops a broken YAML block without a word; an editor must instead hear which line
is wrong. Values are returned with the line each key stands on, so validation can point at it.

YAML is read as data, never as a program: every value is the text as written (`title: 20:30` is "20:30", not
YAML 1.1's sexagesimal 1230; `yes`, `0x1F`, `1e3` stay text), lists and mappings stay lists and mappings, and
validation converts the few typed fields (`views`, dates) by its own rules. Anchors and aliases (`&a`, `*a`) are
refused before anything is built from them, so a "billion laughs" block is one short error, not a hang.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from bantin.errors import ContentError

# libyaml's parser when PyYAML was built with it: ten times faster over a 10,000-article archive. The base loader
# resolves no implicit types and constructs no tags: scalars are strings, collections lists and dicts.
BaseLoader: type[yaml.BaseLoader] = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


class ContentLoader(BaseLoader):  # type: ignore[valid-type,misc]
    """The base loader, with a key written without a value (`unit:`) read as no value rather than empty text."""

    def construct_scalar(self, node: yaml.ScalarNode) -> str | None:
        if not node.style and node.value == "":  # plain, empty
            return None
        return str(super().construct_scalar(node))


REFERENCE = 'giá trị bắt đầu bằng "*" hoặc "&" phải đặt trong ngoặc kép (không dùng tham chiếu)'


@dataclass(frozen=True)
class Document:
    """A content file split into its fields (with their lines) and its Markdown body."""

    fields: dict[str, Any]
    lines: dict[str, int]
    body: str
    body_line: int


def parse_document(path: str, text: str) -> Document:
    """Split `---` frontmatter from the body and parse it; raises ContentError when impossible."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ContentError(path, 1, HEAD, 'tệp phải mở đầu bằng dòng "---" rồi đến các trường title, date, unit')
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            fields, key_lines = parse_mapping(path, yaml_text, first_line=2)
            return Document(fields, key_lines, body, body_line=index + 2)
    raise ContentError(path, 1, HEAD, 'thiếu dòng "---" đóng phần thông tin ở đầu tệp')


def parse_mapping(path: str, yaml_text: str, first_line: int = 1) -> tuple[dict[str, Any], dict[str, int]]:
    """Parse a YAML mapping, returning values and the 1-based line of each key in the file."""
    simple = simple_mapping(yaml_text, first_line)
    if simple is not None:
        return simple
    node = compose(path, yaml_text, first_line)
    if node is None:
        return {}, {}
    if not isinstance(node, yaml.MappingNode):
        raise ContentError(path, first_line, HEAD, "phần thông tin phải là các dòng dạng khoá: giá trị")
    return mapping_fields(path, node, first_line)


def compose(path: str, yaml_text: str, first_line: int) -> yaml.Node | None:
    try:
        refuse_references(path, yaml_text, first_line)
        return yaml.compose(yaml_text, Loader=ContentLoader)
    except yaml.MarkedYAMLError as error:
        line, message = explain(error, first_line, yaml_text)
        raise ContentError(path, line, HEAD, message) from None
    except yaml.YAMLError:
        raise ContentError(path, first_line, HEAD, UNREADABLE) from None


# The field of a message about how the head of a file is written, in the editor's words (no "yaml").
HEAD = "thông tin"
TAB = "dòng này có ký tự Tab (phím Tab); hãy xoá Tab và thụt lề bằng dấu cách"
UNREADABLE = "dòng này viết chưa đúng dạng khoá: giá trị (kiểm tra dấu hai chấm, dấu ngoặc và thụt lề)"


def refuse_references(path: str, yaml_text: str, first_line: int) -> None:
    """Raise at the first anchor or alias, reading events only: nothing is expanded, nothing is printed."""
    if "&" not in yaml_text and "*" not in yaml_text:
        return
    for event in yaml.parse(yaml_text, Loader=ContentLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            line = first_line + (event.start_mark.line if event.start_mark else 0)
            raise ContentError(path, line, HEAD, REFERENCE)


# PyYAML's words for the mistakes editors make, said in Vietnamese. `{line}` is the line where the unclosed
# quote or bracket began; such errors are reported there, not at the end of the frontmatter where PyYAML noticed.
YAML_MISTAKES = (
    ("quoted scalar", "end of stream", "dấu ngoặc kép (hoặc nháy đơn) mở ở dòng {line} chưa được đóng"),
    ("flow sequence", "expected ','", 'danh sách mở bằng "[" ở dòng {line} chưa được đóng bằng "]"'),
    ("flow mapping", "expected ','", 'dấu "{{" mở ở dòng {line} chưa được đóng bằng "}}"'),
    (
        "",
        "mapping values are not allowed",
        'giá trị có dấu ": " phải đặt trong ngoặc kép, ví dụ title: "Hội nghị: tổng kết"',
    ),
    ("", "tab character", TAB),
    ("an alias", "", 'giá trị bắt đầu bằng "*" hoặc "&" phải đặt trong ngoặc kép'),
    ("an anchor", "", 'giá trị bắt đầu bằng "*" hoặc "&" phải đặt trong ngoặc kép'),
    ("", "undefined alias", 'giá trị bắt đầu bằng "*" hoặc "&" phải đặt trong ngoặc kép'),
    ("", "expected key", "dòng này không theo dạng khoá: giá trị (kiểm tra thụt lề và dấu ngoặc)"),
)


def explain(error: yaml.MarkedYAMLError, first_line: int, text: str = "") -> tuple[int, str]:
    """The file line to point at and a message an editor can act on, in Vietnamese whatever PyYAML said."""
    context, problem = error.context or "", error.problem or ""
    mark = error.problem_mark or error.context_mark
    line = first_line + (mark.line if mark else 0)
    source_lines = text.split("\n")
    if mark and mark.line < len(source_lines) and "\t" in source_lines[mark.line]:
        return line, TAB  # libyaml's words for a tab vary ("cannot start any token"); the line says it all
    for context_words, problem_words, message in YAML_MISTAKES:
        if context_words in context and problem_words in problem:
            if context_words and error.context_mark:  # an unclosed quote or bracket: point where it opened
                line = first_line + error.context_mark.line
            return line, message.format(line=line)
    return line, UNREADABLE


def mapping_fields(path: str, node: yaml.MappingNode, first_line: int) -> tuple[dict[str, Any], dict[str, int]]:
    """Construct each value of a mapping node, keeping key lines and refusing duplicate keys."""
    fields: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        line = first_line + key_node.start_mark.line
        key = str(key_node.value)
        if key in fields:
            raise ContentError(path, line, key, f"khoá bị lặp (đã có ở dòng {key_lines[key]})")
        fields[key] = construct(path, value_node, line, key)
        key_lines[key] = line
    return fields, key_lines


def construct(path: str, node: yaml.Node, line: int, key: str) -> Any:
    loader = ContentLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError):
        raise ContentError(path, line, key, "giá trị viết chưa đúng; đặt cả giá trị trong ngoặc kép") from None
    finally:
        loader.dispose()


def node_line(node: yaml.Node, first_line: int) -> int:
    return first_line + node.start_mark.line


# The shapes editors write, read without building YAML's nodes (a third of reading a 10,000-article archive): one
# `key: value` a line, the value plain, quoted without escapes, or a list in brackets or of `- ` lines below.
# Whatever else a head holds (and anything these patterns are unsure of) goes to YAML itself, which gives the same
# values, and reports each mistake. tests/test_frontmatter_fast.py holds both readings to the same results.
SIMPLE_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +(.*))?")
SIMPLE_ITEM = re.compile(r"( *)- +(.*)")
# A plain value: not starting with a character YAML gives a meaning to, no ": " or " #", no ":" at the end.
PLAIN = re.compile(r"""[^\s\-?:,\[\]{}#&*!|>'"%@`](?:(?!: | #)[^\t])*(?<![\s:])""")
FLOW_PLAIN = re.compile(r"""[^\s\-?:,\[\]{}#&*!|>'"%@`][^,\[\]{}#:\t]*(?<!\s)""")
QUOTED = re.compile(r'"((?:[^"\\]|\\["\\])*)"|\'([^\']*)\'')  # of the escapes, only \" and \\
ESCAPED = re.compile(r'\\(["\\])')
# What YAML reads as a line break besides "\n", or refuses outright (control characters, a byte order mark).
UNSIMPLE = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def simple_mapping(yaml_text: str, first_line: int) -> tuple[dict[str, Any], dict[str, int]] | None:
    """The fields and key lines of a head written in the simple shapes, as YAML would read it; None otherwise."""
    if UNSIMPLE.search(yaml_text):
        return None
    fields: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    lines = yaml_text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.strip(" ") or line.startswith("#"):
            index += 1
            continue
        match = SIMPLE_KEY.fullmatch(line.rstrip(" "))
        if match is None or match.group(1) in fields:
            return None
        key, written = match.group(1), match.group(2)
        key_lines[key] = first_line + index
        index += 1
        if written:
            value = simple_value(written)
            if value is None:
                return None
            fields[key] = value
            continue
        items: list[str] = []  # nothing after the colon: no value, or a list of `- ` lines right below
        indent = None
        while index < len(lines) and (item := SIMPLE_ITEM.fullmatch(lines[index].rstrip(" "))) is not None:
            if indent is not None and item.group(1) != indent:
                return None
            indent = item.group(1)
            value = simple_value(item.group(2), PLAIN)
            if not isinstance(value, str):
                return None
            items.append(value)
            index += 1
        if index < len(lines) and lines[index].startswith((" ", "-")):
            return None  # more below the key than `- ` lines: YAML reads it
        fields[key] = items or None
    return (fields, key_lines) if fields else None


def simple_value(written: str, plain: re.Pattern[str] = PLAIN) -> str | list[str] | None:
    """A value on one line as YAML reads it, when it is plain, quoted without escapes or a bracketed list of
    those; None when YAML must read it."""
    quoted = QUOTED.fullmatch(written)
    if quoted is not None:
        double = quoted.group(1)
        if double is None:
            return quoted.group(2)
        return ESCAPED.sub(r"\1", double) if "\\" in double else double
    if written.startswith("[") and written.endswith("]"):
        inner = written[1:-1].strip(" ")
        if not inner:
            return []
        found: list[str] = []
        for part in inner.split(","):
            value = simple_value(part.strip(" "), FLOW_PLAIN)
            if not isinstance(value, str):
                return None
            found.append(value)
        return found
    return written if plain.fullmatch(written) else None
