"""What search knows about an item: the texts it matches against, with weights, and what a result shows."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bantin.citations import find_citations
from bantin.documents import parse_number
from bantin.items import Item
from bantin.vietnamese import approximate_date, short_date

TITLE_WEIGHT = 4
HEADING_WEIGHT = 2
NUMBER_WEIGHT = 2 * TITLE_WEIGHT
MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
HTML_TAG = re.compile(r"<[^>]+>|\{:[^}]*\}")
# Markup that marks a line (a heading, a quote, a list item), then emphasis and code marks wherever they are.
LINE_MARKS = re.compile(r"(?m)^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+\.\s+)")
INLINE_MARKS = "*_`~"


@dataclass(frozen=True)
class SearchRecord:
    """One searchable item: `fields` are (text, weight) pairs matched separately, so phrases never span two.

    `date` and `unit` read as a result shows them: an estimated one says so.
    """

    url: str
    title: str
    date: str
    kind: str
    year: int
    unit: str
    unit_slug: str
    fields: tuple[tuple[str, int], ...]
    text: str
    badge: str | None = None
    """A document's kind ("Công văn"), shown on its result."""


def search_record(item: Item, cited: list[str] | None = None) -> SearchRecord:
    """Everything an official may search by: title, number, subject, organization, author, topics and the body.

    `cited` is what the item cites (the collection's list); without it the item's texts are read for numbers.
    """
    fields: list[tuple[str, int]] = [(item.title, TITLE_WEIGHT)]
    notice = item.notice
    if notice is not None:
        if notice.number:  # the document itself before what cites it, even in its title
            fields.append((notice.number, NUMBER_WEIGHT))
        if notice.subject != item.title:
            fields.append((notice.subject, TITLE_WEIGHT))
        notice_parts = (notice.issuer, notice.place, notice.meeting, notice.signer, notice.signer_title)
        fields.extend((part, 1) for part in (*notice_parts, notice.signing_authority) if part)
        fields.extend((recipient, 1) for recipient in notice.recipients)
    fields.extend(references(item, cited))
    fields.append((item.unit.name, HEADING_WEIGHT))
    fields.extend((unit.name, 1) for unit in item.organizations if unit != item.unit)
    for part in (item.author, item.category, item.summary, item.image_caption):
        if part:
            fields.append((part, 1))
    fields.extend((tag, HEADING_WEIGHT) for tag in item.tags)
    text = plain_text(item.body)
    fields.append((text, 1))
    return SearchRecord(
        url=item.url,
        title=item.title,
        date=f"{approximate_date(item.date)} (ước tính)" if "date" in item.approximate else short_date(item.date),
        kind=item.kind,
        year=item.year,
        unit=f"{item.unit.name} (suy từ nội dung)" if "unit" in item.approximate else item.unit.name,
        unit_slug=item.unit.slug,
        fields=tuple(fields),
        text=text,
        badge=item.notice.kind.name if item.notice else None,
    )


def references(item: Item, cited: list[str] | None = None) -> list[tuple[str, int]]:
    """How officials refer to numbers: "kết luận 212", "công văn 402", a code alone ("VPĐU"), one field each.

    A document's own number outweighs any title, so "kết luận 212" finds 212-KL/TW before what cites it.
    """
    own = [item.notice.number] if item.notice and item.notice.number else []
    shown: list[tuple[str, int]] = []
    for number in own:
        assert item.notice is not None
        shown.append((short_reference(number, item.notice.kind.name), NUMBER_WEIGHT))
    if cited is None:
        cited = find_citations("\n".join((item.title, item.summary or "", *item.tags, item.body)))
    for number in cited:
        if number not in own:
            shown.append((short_reference(number, None), 1))
    return shown


def short_reference(number: str, kind: str | None) -> str:
    """How an official says a number: "Kết luận 212 số 212 KL TW" for 212-KL/TW.

    The kind, the digits without leading zeros (again after "số", as in "kết luận số 212"), then the codes.
    """
    parts = parse_number(number)
    name = kind or (parts.kind.name if parts.kind else "")
    said = (name, parts.digits, "số", parts.digits, parts.code or "", *parts.issuers)
    return " ".join(part for part in said if part)


def plain_text(markdown: str) -> str:
    """The body as a reader sees it, for matching and snippets: link text kept, link targets and markup dropped."""
    text = MARKDOWN_LINK.sub(r"\1", markdown) if "](" in markdown else markdown  # most bodies have no link
    if "<" in text or "{:" in text:
        text = HTML_TAG.sub(" ", text)
    return " ".join(without_marks(text).split())


def without_marks(text: str) -> str:
    """The text without LINE_MARKS, then without any of INLINE_MARKS.

    The same as one pass of either pattern at each character (the line's first, since a line mark may begin with
    `*`): no run of inline marks holds a line break, so none hides the start of a line from the line pattern, and
    every inline mark outside a line mark goes. Two scans for one: the inline marks go by `str.replace`, far cheaper
    than a regex tried at every character of every body.
    """
    text = LINE_MARKS.sub("", text)
    for mark in INLINE_MARKS:
        if mark in text:
            text = text.replace(mark, "")
    return text
