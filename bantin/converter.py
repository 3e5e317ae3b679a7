"""The build's Markdown converter: MkDocs' `Page.render`, with the work Python-Markdown does for nothing left out.

Python-Markdown tries every pattern, processor and pass on every document, although most of an article is plain
paragraphs. Each shortcut here leaves out only what is known, from the text it would be given, to find nothing: the
HTML is the same, byte for byte (tests/test_converter.py converts the corpora, the real documents, the seeds and
generated Markdown both ways; tests/test_build_cache.py compares whole pages with MkDocs' own rendering).
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar, cast
from xml.etree.ElementTree import Element

import markdown
from markdown.blockprocessors import (
    BlockQuoteProcessor,
    HashHeaderProcessor,
    HRProcessor,
    ReferenceProcessor,
    SetextHeaderProcessor,
)
from markdown.extensions.attr_list import AttrListTreeprocessor
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.extensions.footnotes import FootnoteBlockProcessor, FootnoteInlineProcessor
from markdown.extensions.tables import TableProcessor
from markdown.extensions.toc import TocTreeprocessor
from markdown.inlinepatterns import (
    AUTOLINK_RE,
    AUTOMAIL_RE,
    BACKTICK_RE,
    ENTITY_RE,
    ESCAPE_RE,
    HTML_RE,
    IMAGE_LINK_RE,
    LINE_BREAK_RE,
    LINK_RE,
    AutolinkInlineProcessor,
    AutomailInlineProcessor,
    BacktickInlineProcessor,
    DelimiterProcessor,
    EscapeInlineProcessor,
    HtmlInlineProcessor,
    ImageInlineProcessor,
    InlineProcessor,
    LinkInlineProcessor,
    SubstituteTagInlineProcessor,
)
from markdown.preprocessors import HtmlBlockPreprocessor, NormalizeWhitespace
from markdown.treeprocessors import InlineProcessor as InlineTreeprocessor
from markdown.util import AtomicString, Registry
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import (
    Page,
    _ExtractAnchorsTreeprocessor,
    _ExtractTitleTreeprocessor,
    _RawHTMLPreprocessor,
    _RelativePathTreeprocessor,
)
from mkdocs.structure.toc import get_toc

T = TypeVar("T")


class Converter:
    """MkDocs' `Page.render` with one Markdown converter per process instead of one per page.

    Building a converter with every extension costs about half as much as converting an article, so the pages of a
    build share one, reset between pages as Python-Markdown intends; MkDocs' own processors (raw HTML anchors,
    anchors, relative links, the title) are registered once and given each page's state as `Page.render` gives
    it to new ones (MkDocs 1.6). A page left without Markdown (a listing, whose template draws it all) needs no
    converter. tests/test_converter.py and tests/test_build_cache.py compare the pages with MkDocs' own rendering.
    """

    def __init__(self, config: MkDocsConfig) -> None:
        self.config = config
        self.markdown: markdown.Markdown | None = None

    def render(self, page: Page, files: Files) -> None:
        if not page.markdown:
            page.content, page.toc, page.present_anchor_ids = "", get_toc([]), set()
            return
        if self.markdown is None:
            self.markdown = self.converter(page, files)
        md = self.markdown.reset()
        # MkDocs' processors, as MkDocs makes them for each page: each one's state is made anew by its own __init__,
        # in the place it was registered in once (registering them again re-sorted three registries every page).
        self.raw_html.__init__()  # type: ignore[misc]
        self.anchors.__init__(page.file, files, self.config)  # type: ignore[misc]
        self.links.__init__(page.file, files, self.config)  # type: ignore[misc]
        self.title.title = None
        page.content = md.convert(page.markdown)
        page.toc = get_toc(getattr(md, "toc_tokens", []))
        page._title_from_render = self.title.title
        page.present_anchor_ids = self.anchors.present_anchor_ids | self.raw_html.present_anchor_ids
        if logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = self.links.links_to_anchors

    def converter(self, page: Page, files: Files) -> markdown.Markdown:
        md = markdown.Markdown(
            extensions=self.config.markdown_extensions, extension_configs=self.config.mdx_configs or {}
        )
        skip_hopeless(md)
        freeze_patterns(md)
        skip_plain(md)
        skip_idle(md)
        self.raw_html = _RawHTMLPreprocessor()
        self.raw_html._register(md)
        self.anchors = _ExtractAnchorsTreeprocessor(page.file, files, self.config)
        self.anchors._register(md)
        self.links = _RelativePathTreeprocessor(page.file, files, self.config)
        self.links._register(md)
        self.title = _ExtractTitleTreeprocessor()
        self.title._register(md)
        self.raw_html.run = needing_markup(self.raw_html.run, "<")  # type: ignore[method-assign,assignment]
        return md


# Python-Markdown's inline patterns, block processors and preprocessors whose regex (known by its exact source)
# starts with no literal the regex engine could look for, so it is tried at every position of every text and block,
# although every match holds one of a few characters: the backtick's alone was a fifth of converting a body.
FOOTNOTE_RE = r"\[\^([^\]]*)\]"  # the footnotes extension's inline pattern (registered inside its extendMarkdown)
INLINE_NEEDS = {BACKTICK_RE: ("`",), LINK_RE: ("[",)}  # LINK_RE is also the (short) reference's
BLOCK_NEEDS = {
    BlockQuoteProcessor.RE.pattern: ("RE", (">",)),
    HashHeaderProcessor.RE.pattern: ("RE", ("#",)),
    SetextHeaderProcessor.RE.pattern: ("RE", ("\n",)),
    HRProcessor.SEARCH_RE.pattern: ("SEARCH_RE", ("-", "_", "*")),  # and where a line starts with one (Rule)
    ReferenceProcessor.RE.pattern: ("RE", ("[",)),
    FootnoteBlockProcessor.RE.pattern: ("RE", ("[^",)),
    FencedBlockPreprocessor.FENCED_BLOCK_RE.pattern: ("FENCED_BLOCK_RE", ("~~~", "```")),
}


class Needing:
    """A compiled regex that finds nothing, at once, in a string holding none of the texts every match holds."""

    def __init__(self, regex: re.Pattern[str], needed: tuple[str, ...]) -> None:
        self.regex = regex
        self.needed = needed

    def possible(self, string: str) -> bool:
        # For every block and text of every body: no generator for the usual one character.
        return self.needed[0] in string or (len(self.needed) > 1 and any(needed in string for needed in self.needed))

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.regex.search(string, pos, endpos) if self.possible(string) else None

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.regex.match(string, pos, endpos) if self.possible(string) else None

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.regex.finditer(string, pos, endpos) if self.possible(string) else iter(())

    def __getattr__(self, name: str) -> object:
        return getattr(self.regex, name)


class Rule(Needing):
    """The horizontal rule's regex, tried only where a line starts, after at most three spaces, with -, _ or *: most
    paragraphs hold a dash (" - " joins Vietnamese phrases), and the rule's regex was tried on each of them."""

    def possible(self, string: str) -> bool:
        return string.lstrip(" ")[:1] in self.needed or RULE_START.search(string) is not None


RULE_START = re.compile(r"\n {0,3}[-_*]")


def skip_hopeless(md: markdown.Markdown) -> None:
    """Give the patterns and processors of INLINE_NEEDS and BLOCK_NEEDS a regex that skips what they cannot match.

    A string holding none of what every match holds has no match, so the output is the same, byte for byte
    (tests/test_converter.py compares with Markdown's own; tests/test_build_cache.py with MkDocs' rendering)."""
    for pattern in md.inlinePatterns:
        needed = INLINE_NEEDS.get(pattern.pattern) if isinstance(pattern, InlineProcessor) else None
        if needed is not None and isinstance(pattern.compiled_re, re.Pattern):
            pattern.compiled_re = cast(re.Pattern[str], Needing(pattern.compiled_re, needed))
    for processor in [*md.parser.blockprocessors, *md.preprocessors]:
        for attribute in ("RE", "SEARCH_RE", "FENCED_BLOCK_RE"):
            regex = getattr(processor, attribute, None)
            if isinstance(regex, re.Pattern) and BLOCK_NEEDS.get(regex.pattern, ("", ()))[0] == attribute:
                kind = Rule if regex.pattern == HRProcessor.SEARCH_RE.pattern else Needing
                setattr(processor, attribute, kind(regex, BLOCK_NEEDS[regex.pattern][1]))


def freeze_patterns(md: markdown.Markdown) -> None:
    """The inline processor's patterns as a tuple in their order: it indexes its registry for every pattern of every
    text (a sort check and two lookups a time, a tenth of converting a body). Only Python-Markdown's own inline
    processor, whose patterns extensions register once, when the converter is made."""
    for processor in md.treeprocessors:
        if type(processor) is InlineTreeprocessor and isinstance(processor.inlinePatterns, Registry):
            processor.inlinePatterns = cast(Registry[InlineProcessor], tuple(processor.inlinePatterns))


def skip_plain(md: markdown.Markdown) -> None:
    """Leave alone what holds no syntax at all: a text holding none of what any inline pattern needs, a block without
    `|` for the tables' test, a document without `{` for attr_list's pass over every element. Most paragraphs of an
    article are plain text, each of which the inline processor otherwise tries against every pattern in turn.

    Only where every inline pattern is one of Python-Markdown's own, known by its class and exact regex (an extension
    adding another keeps the full pass): a text none of whose patterns can match comes back unchanged, byte for byte
    (tests/test_converter.py compares with Markdown's own)."""
    for processor in md.treeprocessors:
        if type(processor) is InlineTreeprocessor:
            needles = inline_needles(processor.inlinePatterns)
            if (
                needles is not None
                and isinstance(processor.inlinePatterns, tuple)
                and hasattr(processor, APPLY_PATTERN)
            ):
                setattr(processor, HANDLE_INLINE, needing_text(processor, needles))
        elif type(processor) is AttrListTreeprocessor:
            processor.run = needing_braces(md, processor.run)
    for block in md.parser.blockprocessors:
        if type(block) is TableProcessor:
            block.test = needing_pipe(block.test)


HANDLE_INLINE = "_InlineProcessor__handleInline"  # Python-Markdown's inline processor's one loop over its patterns
APPLY_PATTERN = "_InlineProcessor__applyPattern"  # and its trying one pattern on a text
INLINE_SYNTAX = {
    BACKTICK_RE: ("`",),
    ESCAPE_RE: ("\\",),
    LINK_RE: ("[",),
    IMAGE_LINK_RE: ("![",),
    AUTOLINK_RE: ("<",),
    AUTOMAIL_RE: ("<",),
    LINE_BREAK_RE: ("  \n",),
    HTML_RE: ("<",),
    ENTITY_RE: ("&",),
    FOOTNOTE_RE: ("[^",),
}
"""Python-Markdown's inline regexes by their source, each with what every one of its matches holds."""
INLINE_CLASSES = (
    BacktickInlineProcessor,
    EscapeInlineProcessor,
    LinkInlineProcessor,
    ImageInlineProcessor,
    AutolinkInlineProcessor,
    AutomailInlineProcessor,
    SubstituteTagInlineProcessor,
    HtmlInlineProcessor,
    FootnoteInlineProcessor,
)


def inline_needles(patterns: Iterable[object]) -> tuple[str, ...] | None:
    """Every text any of the patterns can match holds one of these; None if a pattern is not known here."""
    each = pattern_needles(patterns)
    return None if each is None else tuple(dict.fromkeys(needle for needles in each for needle in needles))


def pattern_needles(patterns: Iterable[object]) -> list[Sequence[str]] | None:
    """For each pattern, what every text it can match holds (a delimiter's own list of tokens, which it keeps up to
    date); None if a pattern is not known here."""
    needles: list[Sequence[str]] = []
    for pattern in patterns:
        if isinstance(pattern, DelimiterProcessor) and type(pattern) is DelimiterProcessor:  # at any delimiter
            needles.append(pattern.tokens)
        elif isinstance(pattern, INLINE_CLASSES) and pattern.pattern in INLINE_SYNTAX:
            needles.append(INLINE_SYNTAX[pattern.pattern])
        else:
            return None
    return needles


def needing_text(processor: InlineTreeprocessor, needles: tuple[str, ...]) -> Callable[..., str]:
    """Python-Markdown's loop over the inline patterns (InlineProcessor.__handleInline), each pattern tried only on a
    text holding what it needs: a text with one `**` was searched by every pattern in turn, each missing. A pattern
    left out is one that would find no match, and a pattern that finds none changes nothing; the placeholders put
    in for earlier matches hold no pattern's needle, so each test is made on the text as that pattern would see it.
    A text holding no pattern's needle at all comes back as it is."""
    found = re.compile("|".join(re.escape(needle) for needle in needles)).search
    patterns = cast(Sequence[InlineProcessor], processor.inlinePatterns)
    each = pattern_needles(patterns)
    apply = getattr(processor, APPLY_PATTERN)
    assert each is not None

    def handle_inline(data: str, index: int = 0) -> str:
        if isinstance(data, AtomicString) or not found(data):
            return data
        start, count = 0, len(patterns)
        while index < count:
            if not any(needle in data for needle in each[index]):
                index, start = index + 1, 0
                continue
            data, matched, start = apply(patterns[index], data, index, start)
            if not matched:
                index += 1
        return data

    return handle_inline


def needing_braces(md: markdown.Markdown, run: Callable[[Element], None]) -> Callable[[Element], None]:
    def run_attributes(doc: Element) -> None:
        if "{" in "\n".join(md.lines):  # what the tree was parsed from; every attribute list is in braces
            run(doc)

    return run_attributes


def needing_pipe(test: Callable[[Element, str], bool]) -> Callable[[Element, str], bool]:
    def test_table(parent: Element, block: str) -> bool:
        return "|" in block and test(parent, block)  # a table's header row holds a pipe

    return test_table


def skip_idle(md: markdown.Markdown) -> None:
    """Leave out the passes over a whole document that have nothing to do in it (most articles):

    - normalizing whitespace finds nothing without a tab, a carriage return, the two characters Markdown keeps for
      its placeholders or a space before a line break: the lines come back as they are (the blank lines it adds);
    - the raw HTML blocks' parser keeps every text as it is without a `<` or a `&`;
    - the table of contents' marker, never in the document's text, is never replaced, and the div drawn to replace
      it (and serialized, for `md.toc`, which MkDocs does not read) is not drawn: `md.toc` stays empty.
    """
    for processor in md.preprocessors:
        if type(processor) is NormalizeWhitespace:
            processor.run = normalizing(processor.run)
        elif type(processor) is HtmlBlockPreprocessor:
            processor.run = needing_markup(processor.run, "<&")
    for processor in md.treeprocessors:
        if type(processor) is TocTreeprocessor:
            processor.run = needing_marker(md, processor)
    blocks = md.parser.blockprocessors
    if type(blocks) is Registry:
        md.parser.blockprocessors = Listed.of(blocks)


UNUSUAL_SPACE = ("\t", "\r", "\x02", "\x03", " \n")
"""What Python-Markdown's NormalizeWhitespace changes: tabs, carriage returns, STX and ETX, and a line of spaces,
whose match holds a space before a line break (a search for each is faster than one regex for all)."""


def normalizing(run: Callable[[list[str]], list[str]]) -> Callable[[list[str]], list[str]]:
    def normalize(lines: list[str]) -> list[str]:
        source = "\n".join(lines) + "\n\n"  # what NormalizeWhitespace searches, blank lines added
        return run(lines) if any(unusual in source for unusual in UNUSUAL_SPACE) else source.split("\n")

    return normalize


def needing_markup(run: Callable[[list[str]], list[str]], needles: str) -> Callable[[list[str]], list[str]]:
    """A preprocessor that finds nothing to take out of a document holding none of `needles`: its lines stay."""

    def run_on_markup(lines: list[str]) -> list[str]:
        source = "\n".join(lines)
        return run(lines) if any(needle in source for needle in needles) else source.split("\n")

    return run_on_markup


def needing_marker(md: markdown.Markdown, toc: TocTreeprocessor) -> Callable[[Element], None]:
    run, build, replace = toc.run, toc.build_toc_div, toc.replace_marker
    nothing = Element("div")

    def run_toc(doc: Element) -> None:
        marker = toc.marker
        if marker and (marker in "\n".join(md.lines) or "\n" in marker):  # every text of the tree is in the lines
            run(doc)
            return
        toc.build_toc_div, toc.replace_marker = lambda toc_list: nothing, lambda root, elem: None
        try:
            run(doc)
        finally:
            toc.build_toc_div, toc.replace_marker = build, replace
        md.toc = ""

    return run_toc


class Listed(Registry[T]):  # type: ignore[misc]
    """A registry iterated as a tuple made once, not sorted and copied again for each of the parser's blocks."""

    listed: tuple[T, ...] | None = None

    @classmethod
    def of(cls, registry: Registry[T]) -> Listed[T]:
        listed = cls()
        listed._data, listed._priority, listed._is_sorted = registry._data, registry._priority, False
        return listed

    def __iter__(self) -> Iterator[T]:
        if self.listed is None or not self._is_sorted:
            self._sort()
            self.listed = tuple(self._data[item.name] for item in self._priority)
        return iter(self.listed)

    def register(self, item: T, name: str, priority: float) -> None:
        self.listed = None
        super().register(item, name, priority)

    def deregister(self, name: str, strict: bool = True) -> None:
        self.listed = None
        super().deregister(name, strict)
