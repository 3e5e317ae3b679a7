"""Cited documents: Party and State document numbers found in what editors wrote, each with its own page.

Party numbers read `NUMBER-TYPE/ISSUER` (62-KL/TW, 24-CTr/QU, 13-CT/ĐU); State numbers read `NUMBER/TYPE-ISSUER`
or `NUMBER/YEAR/TYPE-ISSUER` (12/TB-UBND, 30/2020/NĐ-CP). Both need capital letters after the digits, which is what
keeps dates (25/01/2018, 8-1-2016), ratios (4/15), ranges (2016-2021) and phone numbers out.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from html import escape
from html.parser import HTMLParser

from bantin.documents import KINDS
from bantin.text import make_slug, nfc

CAPITALS = "A-ZĐ"
# An abbreviation: capitals, then at most one lowercase letter (CTr, QĐi, TTg).
ABBREVIATION = f"[{CAPITALS}]+[a-zđ]?"
# A hyphen as typed: "57- NQ/TW", "135/2020/NĐ -CP", "75/KH- UBND" (one space at most on either side).
HYPHEN = " ?- ?"
PARTY = f"[0-9]{{1,5}}[a-z]?{HYPHEN}{ABBREVIATION}/[{CAPITALS}]+(?:-[{CAPITALS}]+)*"
STATE_PART = f"{ABBREVIATION}[0-9]*"  # digits only at the end, as in QH13
STATE = f"[0-9]{{1,5}}/(?:[0-9]{{4}}/{STATE_PART}(?:{HYPHEN}{STATE_PART})*|{STATE_PART}(?:{HYPHEN}{STATE_PART})+)"
# Letters and digits, in each regular-expression dialect: Python's `[^\W_]`, the browser's Unicode classes.
WORD_CHAR = {"python": "[^\\W_]", "javascript": "[\\p{L}\\p{N}]"}


def number_source(dialect: str) -> str:
    """The one document-number pattern, written for Python (`re`) or for the browser (a `u`-flag RegExp).

    Not glued to a word or number on either side, nor to a decimal point, a path or a hyphenated date before it.
    The leading (?=[0-9]) is only for speed: the lookbehinds are then tried at digits only (2x faster on 46 MB).
    The browser's form has no lookbehind, which iOS 15 Safari rejects: group 1 matches the start or the character
    before the number (anything but a letter, digit, ".", "/" or "-"), group 2 the number.
    """
    word = WORD_CHAR[dialect]
    if dialect == "javascript":
        return f"(^|[^\\p{{L}}\\p{{N}}./-])((?:{PARTY}|{STATE}))(?!{word})"
    return f"(?=[0-9])(?<!{word})(?<![./-])(?:{PARTY}|{STATE})(?!{word})"


NUMBER = re.compile(number_source("python"))
# "Quyết định 217, 218-QĐ/TW", "Kết luận số 187, 188- KL/TW": numbers sharing the code of the Party number
# right after them, when a kind's name or "số" comes first. Tried only just before a Party number, so cheap.
SERIES = re.compile(
    "(?:^|(?<![^\\W_]))(?:số|" + "|".join(re.escape(each.name) for each in KINDS) + ")\\s+"
    "((?:[0-9]{1,5}[a-z]?(?: ?, ?| và ))+)$",
    re.IGNORECASE,
)
PARTY_NUMBER = re.compile(PARTY)
NUMBER_CHARS = f"0-9a-z{CAPITALS}đ /-"  # every character PARTY and STATE can match
NUMBER_RUN = re.compile(f"[{NUMBER_CHARS}]*")
OUTSIDE_NUMBER = re.compile(f"[^{NUMBER_CHARS}]")
SERIES_REACH = 80  # characters before a number where its series may start
EDGES = " \t\n\"'“”‘’«»()[]{}<>.,;:!?*_"
# Text inside these is never linked: an existing link, code, or what browsers do not show as prose.
UNLINKED = frozenset({"a", "code", "pre", "script", "style", "textarea"})


@functools.lru_cache(maxsize=1 << 16)  # a pure function, asked for every number every item cites
def normalize_number(text: str) -> str:
    """NFC, no spaces around hyphens, no quotes, brackets or sentence punctuation around it: how a number is shown."""
    return re.sub(r"\s*-\s*", "-", " ".join(nfc(text).split()).strip(EDGES))


@functools.lru_cache(maxsize=1 << 16)  # a pure function, asked ~100,000 times a build at 10,000 items
def document_slug(number: str) -> str:
    """The number's part of `/van-ban/<slug>/`: 62-KL/TW → 62-kl-tw, 30/2020/NĐ-CP → 30-2020-nd-cp.

    Leading zeros go (07-KL/VPTW and 7-KL/VPTW are one document); `padded_slug` keeps them for old links.
    """
    return re.sub("^0+(?=[0-9])", "", padded_slug(number))


@functools.lru_cache(maxsize=1 << 16)
def padded_slug(number: str) -> str:
    """The slug as the number is spelled, leading zeros kept: what `/van-ban/` used before zeros were dropped."""
    return make_slug(normalize_number(number))


def find_citations(text: str) -> list[str]:
    """Document numbers in plain text or Markdown, in order of first appearance, one per slug.

    A series sharing one code ("Quyết định 217, 218-QĐ/TW") gives each of its numbers.
    """
    text = nfc(text)
    found: list[str] = []
    for match in number_matches(text):
        start = match.start()
        if may_follow_series(text, start) and PARTY_NUMBER.fullmatch(match.group()):
            series = SERIES.search(text, max(0, start - SERIES_REACH), start)
            if series is not None:
                suffix = match.group()[re.match("[0-9]+[a-z]?", match.group()).end() :]  # type: ignore[union-attr]
                found += [digits + suffix for digits in re.findall("[0-9]+[a-z]?", series.group(1))]
        found.append(match.group())
    return unique(found)


def may_follow_series(text: str, start: int) -> bool:
    """Whether what comes before `start` ends as a series must (", ", "," or " và "): most numbers follow a word and
    a space, and SERIES need not be tried over the characters before each of them."""
    before = text[max(0, start - 4) : start]
    return before.endswith((",", ", ")) or before.lower().endswith(" và ")


def number_matches(text: str) -> Iterator[re.Match[str]]:
    """NUMBER's matches in `text`, looked for only in the runs of NUMBER_CHARS holding a "/": every number has one
    and is all such characters, and most prose has few of either (a run ends at any other letter, "ế" or "ậ", and
    at punctuation). The pattern still sees the text around each run. About a third of a whole scan's time on the
    bodies of a generated archive, for the same matches (tests/test_citations.py)."""
    slash = text.find("/")
    while slash != -1:
        start = run_start(text, slash)
        end = NUMBER_RUN.match(text, slash).end()  # type: ignore[union-attr]  # matches the empty run at least
        yield from NUMBER.finditer(text, start, min(len(text), end + 1))  # + 1: the lookahead sees what ends it
        slash = text.find("/", end)


def run_start(text: str, slash: int) -> int:
    """Where the run of NUMBER_CHARS holding `slash` starts: just after the last character before it no number holds."""
    end = slash
    while end > 0:
        window = max(0, end - 64)
        outside = [match.end() for match in OUTSIDE_NUMBER.finditer(text, window, end)]
        if outside:
            return outside[-1]
        end = window
    return 0


def is_document_number(text: str) -> bool:
    """Whether `text` is exactly one Party or State document number, as a notice's `number` must be."""
    return NUMBER.fullmatch(normalize_number(text)) is not None


def unique(numbers: Iterable[str]) -> list[str]:
    """Normalized, keeping the first spelling of each slug so 217-QĐ/TW and 217-QD/TW share one page."""
    first: dict[str, str] = {}
    seen: set[str] = set()  # a number cited again as spelled before: its slug is known
    for number in numbers:
        if number not in seen:
            seen.add(number)
            shown = normalize_number(number)
            first.setdefault(document_slug(shown), shown)
    return list(first.values())


def link_citations(html: str, url_for: Callable[[str], str | None]) -> str:
    """Wrap each number in the HTML's visible text in a link to its page; tags and attributes are left byte for byte.

    Numbers inside links, code and preformatted text stay as they are; `url_for` returning None leaves one unlinked.
    """
    if next(number_matches(html), None) is None:
        return html  # most bodies cite nothing: skip the parse
    pieces: list[str] = []
    done = 0
    for start, text in text_spans(html):
        if "/" not in text:
            continue  # every number holds one (PARTY, STATE): most runs of prose have none
        for match in number_matches(text):
            url = url_for(match.group())
            if url is None:
                continue
            pieces += [html[done : start + match.start()], f'<a class="bt-citation" href="{escape(url)}">']
            pieces += [match.group(), "</a>"]
            done = start + match.end()
    pieces.append(html[done:])
    return "".join(pieces)


TAG = re.compile(r"""<(/?)([a-zA-Z][^\t\n\r\f />\x00]*)(?:[^<>"']|"[^"]*"|'[^']*')*?(/?)>""")
ENTITY = re.compile(r"&[a-zA-Z][-.a-zA-Z0-9]*;")


def text_spans(html: str) -> list[tuple[int, str]]:
    """The linkable text runs, as `TextSpans` finds them, found by two patterns where the HTML is as the sanitizer
    writes it: every `<` opens a plain tag (quoted attributes, no comment) and every `&` an entity such as `&amp;`.
    Anything else is left to `TextSpans`' full parse. tests/test_citations.py holds both to the same runs."""
    spans: list[tuple[int, str]] = []
    open_tags = dict.fromkeys(UNLINKED, 0)
    unlinked = 0
    done = 0
    for tag in TAG.finditer(html):
        if tag.start() > done and not text_runs(html, done, tag.start(), spans if not unlinked else []):
            return TextSpans.of(html)
        done = tag.end()
        closing, name, empty = tag.group(1), tag.group(2).lower(), tag.group(3)
        if name not in open_tags or empty:
            continue
        if closing:
            if open_tags[name]:
                open_tags[name] -= 1
                unlinked -= 1
        else:
            open_tags[name] += 1
            unlinked += 1
            if name in ("script", "style"):  # their content is raw text to the full parser
                return TextSpans.of(html)
    if done < len(html) and not text_runs(html, done, len(html), spans if not unlinked else []):
        return TextSpans.of(html)
    return spans


def text_runs(html: str, start: int, end: int, spans: list[tuple[int, str]]) -> bool:
    """The runs of html[start:end], text between two tags, split at its entities; False where it holds a `<` or an
    `&` that is no entity (for the full parser to read)."""
    text = html[start:end]
    if "<" in text:
        return False
    if "&" not in text:
        spans.append((start, text))
        return True
    done = 0
    for entity in ENTITY.finditer(text):
        if entity.start() > done:
            spans.append((start + done, text[done : entity.start()]))
        done = entity.end()
    if done < len(text):
        spans.append((start + done, text[done:]))
    return text.count("&") == len(ENTITY.findall(text))


class TextSpans(HTMLParser):
    """Where the linkable text runs are in a piece of HTML, as offsets, so the HTML is never re-serialized."""

    def __init__(self, html: str) -> None:
        # Raw text, entities left as they are: offsets then point straight into `html`.
        super().__init__(convert_charrefs=False)
        self.line_starts = [0, *(match.end() for match in re.finditer("\n", html))]
        self.open = dict.fromkeys(UNLINKED, 0)
        self.spans: list[tuple[int, str]] = []

    @classmethod
    def of(cls, html: str) -> list[tuple[int, str]]:
        parser = cls(html)
        parser.feed(html)
        parser.close()
        return parser.spans

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.open:
            self.open[tag] += 1

    def handle_endtag(self, tag: str) -> None:
        if self.open.get(tag):
            self.open[tag] -= 1

    def handle_data(self, data: str) -> None:
        if not any(self.open.values()):
            line, column = self.getpos()
            self.spans.append((self.line_starts[line - 1] + column, data))
