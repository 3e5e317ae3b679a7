"""What search knows about an item: the texts it matches against, with weights, and what a result shows."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bantin.items import Item
from bantin.vietnamese import approximate_date, short_date

TITLE_WEIGHT = 4
HEADING_WEIGHT = 2
MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
HTML_TAG = re.compile(r"<[^>]+>|\{:[^}]*\}")
MARKDOWN_MARKS = re.compile(r"(?m)^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+\.\s+)|[*_`~]{1,3}")


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


def search_record(item: Item) -> SearchRecord:
    """Everything an official may search by: title, number, subject, organization, author, topics and the body."""
    fields: list[tuple[str, int]] = [(item.title, TITLE_WEIGHT)]
    notice = item.notice
    if notice is not None:
        if notice.number:
            fields.append((notice.number, TITLE_WEIGHT))
        if notice.subject != item.title:
            fields.append((notice.subject, TITLE_WEIGHT))
        notice_parts = (notice.issuer, notice.place, notice.meeting, notice.signer, notice.signer_title)
        fields.extend((part, 1) for part in (*notice_parts, notice.signing_authority) if part)
        fields.extend((recipient, 1) for recipient in notice.recipients)
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
    )


def plain_text(markdown: str) -> str:
    """The body as a reader sees it, for matching and snippets: link text kept, link targets and markup dropped."""
    text = MARKDOWN_LINK.sub(r"\1", markdown)
    text = HTML_TAG.sub(" ", text)
    text = MARKDOWN_MARKS.sub("", text)
    return " ".join(text.split())
