"""Plain-text leads of items, for feed readers and link previews: Markdown in, short plain text out."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

from bantin.items import Item

BLOCKS = re.compile(r"\n[ \t]*\n")
BLOCKS_UTF8 = re.compile(BLOCKS.pattern.encode())  # the same gaps in UTF-8, whose newlines, spaces and tabs are ASCII
LEAD_BYTES = 4096  # where a body's lead is looked for first (lead_of): a dozen paragraphs of Vietnamese prose
CHARS_PER_WORD = 8  # more than a Vietnamese syllable and its space take, markup included
# Blocks that are not a lead: headings (ATX or setext), fences, indented code, tables, rules, attribute lists, raw HTML.
NOT_PROSE = re.compile(
    r"^(?:#|```|~~~|\||\{:|    |\t|<(?:!--|table|figure|script|style|iframe|pre)\b)"
    r"|^([-*_])(?:[ \t]*\1){2,}[ \t]*$"
    r"|\n(?:=+|-+)[ \t]*$",
    re.IGNORECASE,
)
# Markdown syntax to plain text, applied in order: images go, links keep their words, markup keeps its content.
# Each pattern goes with what every match of it holds (one of these strings; nothing: always scanned), and a text
# holding none of them is not scanned for it: most bodies are prose, and a scan costs a pass over the whole body.
# Emphasis patterns start with their delimiter and look behind it after (a backslash or a letter may not precede
# it): a pattern that starts with a literal is searched for that literal, not tried at every character.
MARKUP = (
    (re.compile(r"!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])"), "", ("![",)),
    (re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])"), r"\1", ("](", "][")),
    (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), r"\1", ("<",)),
    (re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL), "", ("<",)),
    (re.compile(r"<[^>]*>"), "", ("<",)),
    (re.compile(r"\{:?[ \t]*[#.][^}]*\}"), "", ("{",)),
    (re.compile(r"(`+)(.+?)\1"), r"\2", ("`",)),
    (re.compile(r"(\*\*|__)(?<!\\..)(?=\S)(.+?)(?<=\S)\1"), r"\2", ("**", "__")),
    (re.compile(r"\*(?<![\\\w*].)(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1", ("*",)),
    (re.compile(r"_(?<![\\\w]_)(?=\S)(.+?)(?<=\S)_(?!\w)"), r"\1", ("_",)),
    (re.compile(r"^[ \t]*(?:>[ \t]?)+", re.MULTILINE), "", (">",)),
    (re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+", re.MULTILINE), "", ()),
    (re.compile(r"\\([!-/:-@\[-`{-~])"), r"\1", ("\\",)),
)


def excerpt(item: Item, limit: int) -> str:
    """The item's lead for feeds and link previews: its summary, else its first paragraph, as plain text."""
    if item.summary:
        return shorten(item.summary, limit)
    return shorten(lead_of(item.body_utf8), limit)


def lead_of(body: bytes) -> str:
    """`first_paragraph` of a UTF-8 body, looked for first in the whole blocks of its head: the lead is nearly
    always there, and every card and feed entry would otherwise decode and split the whole body for it."""
    if len(body) > LEAD_BYTES:  # a shorter body is read whole at once, not scanned for gaps first
        ends = [gap.start() for gap in BLOCKS_UTF8.finditer(body, 0, LEAD_BYTES)]
        # Up to a gap between blocks, the head splits into exactly the whole body's first blocks.
        lead = first_paragraph(body[: ends[-1]].decode("utf-8")) if ends else ""
        if lead:
            return lead
    return first_paragraph(body.decode("utf-8"))


def first_paragraph(body: str) -> str:
    """The first block of the body that is prose with text: headings, images, tables and code are no lead."""
    for block in blocks(body.strip("\n")):
        if NOT_PROSE.search(block):
            continue
        text = plain_text(block)
        if text:
            return text
    return ""


def blocks(text: str) -> Iterator[str]:
    """`BLOCKS.split(text)`, one block at a time: a lead is found in the first few of a body's dozens."""
    start = 0
    for gap in BLOCKS.finditer(text):
        yield text[start : gap.start()]
        start = gap.end()
    yield text[start:]


def plain_text(markdown: str) -> str:
    """Markdown inline syntax and HTML tags removed, entities decoded, whitespace collapsed to single spaces."""
    return " ".join(unmarked(markdown).split())


def unmarked(markdown: str) -> str:
    """Markdown inline syntax and HTML tags removed, entities decoded; whitespace as it was."""
    for pattern, replacement, needs in MARKUP:
        if not needs or any(needed in markdown for needed in needs):
            markdown = pattern.sub(replacement, markdown)
    return unescape(markdown)


def plain_words(markdown: str, count: int) -> list[str]:
    """The first `count` words of `plain_text(markdown)`, from only as much of a long body as they need.

    Only links, images, HTML and attribute lists reach across a line break, and each opens with "[", "<" or "{":
    a part up to a line break that holds none of these reads the same alone as at the head of the whole body.
    The words are split off the unmarked text, not from it joined by single spaces and split again.
    """
    cut = markdown.find("\n", CHARS_PER_WORD * count)
    if cut != -1:
        head = markdown[:cut]
        if not any(opening in head for opening in "[<{"):
            found = unmarked(head).split(None, count)[:count]
            if len(found) == count:
                return found
    return unmarked(markdown).split(None, count)[:count]


def shorten(text: str, limit: int) -> str:
    """Cut at the last space before `limit` (Vietnamese syllables are space-separated) and mark the cut with "…"."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–") + "…"
