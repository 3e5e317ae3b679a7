"""Reading one page of a legacy portal: the facts it states and its body paragraphs, with the portal's chrome gone.

Two inputs meet here: text dumps (what a browser's "save as text" or a crawler keeps: menus, title, date line,
body, "Lượt xem: 9913", a signature, footers, one paragraph per line) and saved HTML pages, whose main content
trafilatura extracts and whose own markup (Open Graph, `article:published_time`, schema.org `itemprop`) states
title, date and author. Both end in the same `PortalPage`; nothing is invented: a fact the page does not state is
either inferred from its text and listed in `approximate`, or left out and named in `missing`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bantin.citations import is_document_number
from bantin.dates import content_date, find_date, from_iso
from bantin.text import fold, nfc
from bantin.units import Registry

# What portals print around an article, compared without diacritics or case. A line made only of these is chrome.
EDGE_PHRASES = (
    "image",
    "imageuser",
    "site banner",
    "co chu",
    "mau chu",
    "tang co chu",
    "giam co chu",
    "ban in",
    "in bai",
    "in trang",
    "quay lai",
    "tro ve",
    "len dau trang",
    "gui bai",
    "gui email",
    "gui cho ban be",
    "chia se",
    "luu bai",
    "luu thong tin",
    "facebook",
    "zalo",
    "twitter",
    "email",
    "|",
)
# Buttons that are ordinary words too ("Đóng" is also "động"): chrome only when they are the whole line.
LINE_PHRASES = (
    *EDGE_PHRASES,
    "trang chu",
    "dong",
    "thong tin ca nhan",
    "ban vui long de lai thong tin de gui binh luan",
    "a+",
    "a-",
    "a",
    "thich",
    "tweet",
    "top",
)
# A line that opens what follows an article: related lists, comments, "most viewed" boxes. The body ends there.
END_MARKERS = (
    "tin khac",
    "cac tin khac",
    "tin lien quan",
    "bai lien quan",
    "bai viet lien quan",
    "cac bai viet khac",
    "cac tin da dua",
    "tin cung chuyen muc",
    "tin moi hon",
    "tin da dua",
    "tin da dang",
    "tin cu hon",
    "binh luan",
    "y kien ban doc",
    "gui y kien",
    "gui binh luan",
    "phan hoi",
    "gui phan hoi",
    "moi nhat",
    "tin moi nhat",
    "xem nhieu nhat",
    "tin xem nhieu",
    "doc nhieu nhat",
    "tin noi bat",
)
TOOL_LINE = re.compile(r"^publishingportal\b|^block_", re.IGNORECASE)
VIEWS = re.compile(r"(?:Lượt xem|Lượt đọc|Số lượt xem|Số lần xem|Đã xem)\s*:?\s*(\d[\d.,\s]*)", re.IGNORECASE)
SOURCE_PREFIX = re.compile(
    r"^\(([A-ZĐ][A-ZĐ0-9.&]{1,20})\)\s*[-–—]\s*|^([A-ZĐ]{2,}[A-ZĐ0-9.]*)\s*[-–—]\s+(?=[A-ZĐÀ-Ỹ])"
)
DATE_WORDS = ("thu", "ngay", "cap nhat", "dang luc", "ngay dang", "luc", "gio", "sa", "ch", "am", "pm", "chu nhat")
WEEKDAY = re.compile(r"\b(thứ\s+(hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật)\b", re.IGNORECASE)
CAPTION_VERBS = re.compile(r"\b(phát biểu|trao|tặng|chụp ảnh|thăm|dự|tham quan|kiểm tra|chủ trì|làm việc)\b")
CAPTION_OPENINGS = ("đồng chí", "các đồng chí", "quang cảnh", "toàn cảnh", "lãnh đạo", "các đại biểu", "đại biểu")
PHOTO = re.compile(r"\((?:Ảnh|Ảnh minh họa|Ảnh minh hoạ)\s*[:.]|^Ảnh\s*:", re.IGNORECASE)
ROMAN_HEADING = re.compile(r"^[IVXLC]+\s*[-.–)]\s*\S")
ORDERED = re.compile(r"^(\d+)\.(\s)")
SENTENCE_END = (".", ",", ";", ":", "!", "?", "…")
# Official documents: the kind line in capitals, "Số: 212-TB/TU", "Bến Tre, ngày 27 tháng 11 năm 2014", "Nơi nhận:".
DOCUMENT_KINDS = (
    "THÔNG BÁO",
    "KẾT LUẬN",
    "NGHỊ QUYẾT",
    "CHỈ THỊ",
    "QUYẾT ĐỊNH",
    "HƯỚNG DẪN",
    "CÔNG VĂN",
    "BÁO CÁO",
    "KẾ HOẠCH",
    "CHƯƠNG TRÌNH",
    "QUY ĐỊNH",
    "THÔNG CÁO",
    "THÔNG CÁO BÁO CHÍ",
    "THÔNG TRI",
    "TỜ TRÌNH",
)
NUMBER_LINE = re.compile(r"^Số\s*:?\s*(\S+)", re.IGNORECASE)
PLACE_DATE = re.compile(r"^([^,]{2,40}),\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}", re.IGNORECASE)
RECIPIENTS = re.compile(r"^Nơi\s+nhận\s*:?\s*$", re.IGNORECASE)
AUTHORITY = re.compile(r"^(T/M|T/L|K/T|TM\.|TL\.|KT\.|Q\.|TUQ\.)\s*\S", re.IGNORECASE)
SIGNATURE_NOTE = re.compile(r"^\((?:đã ký|đã kí|ký|kí)[^)]*\)$", re.IGNORECASE)
# Words of offices and bodies written with a capital in position titles ("Chánh Văn phòng", "Phó Bí thư").
OFFICE_WORDS = (
    "văn phòng",
    "bí thư",
    "ban",
    "tỉnh ủy",
    "tỉnh uỷ",
    "thành ủy",
    "thành uỷ",
    "huyện ủy",
    "huyện uỷ",
    "quận ủy",
    "quận uỷ",
    "đảng ủy",
    "đảng uỷ",
    "thường trực",
    "thường vụ",
    "ủy ban",
    "uỷ ban",
    "mặt trận",
    "hội đồng",
    "trung ương",
    "bộ chính trị",
)


@dataclass
class PortalPage:
    """What one legacy page says. `facts` holds frontmatter values in content's own spelling."""

    kind: str
    facts: dict[str, object] = field(default_factory=dict)
    body: list[str] = field(default_factory=list)
    approximate: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)  # unit names the page states (issuer, publisher)


@dataclass
class Line:
    text: str
    gap_before: bool  # portal chrome stood between this line and the previous one
    heading: bool | None = None  # stated by the page's markup; None when only the text can tell


def clean(text: str) -> str:
    """NFC, no-break spaces as spaces, runs of spaces as one."""
    return " ".join(nfc(text).replace("\xa0", " ").replace("\u200b", "").split())


def strip_chrome(text: str) -> str:
    """The line without the portal buttons printed at its start or end ("image …", "… Cỡ chữ Màu chữ image")."""
    if fold(text) in LINE_PHRASES:
        return ""
    words = text.split()
    changed = True
    while words and changed:
        changed = False
        for size in (8, 7, 6, 5, 4, 3, 2, 1):
            if len(words) >= size and fold(" ".join(words[:size])) in EDGE_PHRASES:
                words, changed = words[size:], True
                break
            if len(words) >= size and fold(" ".join(words[-size:])) in EDGE_PHRASES:
                words, changed = words[:-size], True
                break
    return " ".join(words)


def is_end_marker(text: str) -> bool:
    folded = fold(text).rstrip(" :")
    folded = re.sub(r"\s*\(\d+\)$", "", folded)
    return folded in END_MARKERS


def date_line(text: str) -> tuple[datetime, bool] | None:
    """The date of a line that is only a date (weekday, "Ngày", time, labels around it), else None."""
    found = find_date(text)
    if found is None:
        return None
    rest = re.sub(r"\d+", " ", WEEKDAY.sub(" ", text))
    rest_words = [word for word in re.split(r"[\s,/:.()\-–|]+", fold(rest)) if word]
    if len([word for word in rest_words if word not in DATE_WORDS and len(word) > 1]) > 2:
        return None
    return found


def name_case(text: str) -> str:
    """A person's name as written in content: "BA MINH" → "Ba Minh"; names already in mixed case are kept."""
    if text != text.upper():
        return text
    return " ".join(word[:1].upper() + word[1:].lower() for word in text.split())


def is_name(text: str) -> bool:
    """A signature line: two to five capitalized syllables (or several such names joined by "-", ","), no digits."""
    parts = [part.strip() for part in re.split(r"\s*[-–,]\s*", text) if part.strip()]
    if not parts or len(text) > 60 or any(char.isdigit() for char in text) or text.endswith(SENTENCE_END[:2]):
        return False
    for part in parts:
        words = part.split()
        if not 2 <= len(words) <= 5 or not all(word[:1].isupper() for word in words):
            return False
    return True


def office_case(text: str, registry: Registry) -> str:
    """Capitals as official style writes them, for words a document prints in capitals ("CHÁNH VĂN PHÒNG")."""
    lowered = text.lower()
    spans: list[tuple[int, int, str]] = []
    names = sorted(registry.names(), key=len, reverse=True)
    for name in names:
        start = lowered.find(name.lower())
        if start >= 0 and not any(a < start + len(name) and start < b for a, b, _ in spans):
            spans.append((start, start + len(name), name))
    for word in OFFICE_WORDS:
        for match in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", lowered):
            if not any(a <= match.start() < b for a, b, _ in spans):
                spans.append((match.start(), match.end(), word[:1].upper() + word[1:]))
    result = lowered
    for start, end, replacement in sorted(spans, reverse=True):
        result = result[:start] + replacement + result[end:]
    return result[:1].upper() + result[1:]


def markdown_paragraph(text: str) -> str:
    """A paragraph as Markdown that shows exactly the page's text: "1." kept as written, no stray HTML."""
    text = ORDERED.sub(r"\1\\.\2", text)
    if text.startswith("#"):
        text = "\\" + text
    return text.replace("<", "\\<")


def is_caption(text: str, first: bool) -> bool:
    """A photo caption: "(Ảnh: …)", or a short first line that describes a scene ("Đồng chí … phát biểu tại …")."""
    if len(text) > 400:
        return False
    if PHOTO.search(text):
        return True
    folded = text.casefold()
    return first and folded.startswith(CAPTION_OPENINGS) and bool(CAPTION_VERBS.search(folded))


def is_heading(text: str, following: str | None) -> bool:
    if following is None or text.startswith(("-", "+", "*", "•")) or ORDERED.match(text):
        return False
    if ROMAN_HEADING.match(text) and len(text) <= 200:
        return True
    return (
        len(text) <= 120 and len(text.split()) <= 20 and not text.endswith(SENTENCE_END) and len(following) > len(text)
    )


def read_lines(text: str) -> tuple[list[Line], int | None]:
    """Non-empty lines with chrome removed (remembering where it stood), the body's end, and the page's views."""
    lines: list[Line] = []
    gap = False
    views: int | None = None
    for raw in text.split("\n"):
        line = clean(raw)
        match = VIEWS.search(line)
        if match:
            digits = re.sub(r"\D", "", match.group(1))
            views = int(digits) if digits and views is None else views
            line = clean(line[: match.start()] + line[match.end() :])
            gap = True
        if not line:
            continue
        stripped = strip_chrome(line)
        if not stripped or TOOL_LINE.match(stripped):
            gap = True
            continue
        if is_end_marker(stripped):
            lines.append(Line("", True))  # sentinel: the article ended here
            gap = True
            continue
        previous = lines[-1].text if lines else ""
        if continues(previous, stripped):  # a paragraph the dump broke across lines
            lines[-1] = Line(f"{previous} {stripped}", lines[-1].gap_before)
        else:
            lines.append(Line(stripped, gap))
        gap = False
    return lines, views


def continues(previous: str, text: str) -> bool:
    return (
        bool(previous)
        and text[:1].islower()
        and not previous.endswith((".", ":", ";", "!", "?", "…"))
        and previous != previous.upper()
    )


def article_lines(lines: list[Line]) -> list[Line]:
    """The lines before the first end marker (related lists, comments) that follows some body text."""
    for index, line in enumerate(lines):
        if line.text == "" and index > 2:
            return lines[:index]
    return [line for line in lines if line.text]


def read_text_page(text: str, registry: Registry) -> PortalPage:
    """A text dump of a legacy portal page."""
    lines, views = read_lines(text)
    lines = article_lines(lines)
    page = read_document(lines, registry) if is_document(lines) else read_news(lines, registry)
    if views is not None:
        page.facts["views"] = views
    return page


def is_document(lines: list[Line]) -> bool:
    head = [line.text for line in lines[:8]]
    return any(text in DOCUMENT_KINDS for text in head) or (
        any(NUMBER_LINE.match(text) and is_document_number(NUMBER_LINE.match(text).group(1)) for text in head)  # type: ignore[union-attr]
        and any(RECIPIENTS.match(line.text) for line in lines)
    )


def first_paragraph_index(texts: list[str]) -> int:
    """Where the body starts: the first line that reads as a paragraph (long, or a sentence)."""
    for index, text in enumerate(texts):
        if date_line(text) is not None and len(text) < 80:
            continue
        if len(text) >= 160 or (text.endswith((".", ":", "…", "!", "?")) and len(text) >= 60):
            return index
    return min(len(texts), 1)


def read_news(lines: list[Line], registry: Registry) -> PortalPage:
    page = PortalPage(kind="tin")
    texts = [line.text for line in lines]
    start = first_paragraph_index(texts)
    header = list(range(start))
    stated_date = None
    for index in header:
        found = date_line(texts[index])
        if found is not None:
            stated_date = found
            header.remove(index)
            break
    title_index = max(header, key=lambda index: len(texts[index]), default=None)
    if title_index is None and texts:  # a page whose title is its only short line before a long first paragraph
        title_index, start = 0, 1
    if title_index is not None:
        page.facts["title"] = texts[title_index]
        earlier = [index for index in header if index < title_index]
        if earlier and len(texts[earlier[-1]].split()) <= 8:
            page.facts["category"] = breadcrumb(texts[earlier[-1]])
    else:
        page.missing.append("title")
    body = lines[start:]
    fill_body(page, body, registry)
    if stated_date is not None:
        page.facts["date"] = content_date(*stated_date)
    else:
        infer_date(page)
    return page


def breadcrumb(text: str) -> str:
    """The section a breadcrumb ends with ("Trang chủ > Tin tức > Hoạt động Đảng bộ" → "Hoạt động Đảng bộ")."""
    return re.split(r"\s+[>»/›]\s+", text)[-1].strip()


def fill_body(page: PortalPage, body: list[Line], registry: Registry) -> None:
    """Lead, caption, signature, source and headings out of the body lines; the rest are its paragraphs."""
    texts = [line.text for line in body]
    if texts and is_name(texts[-1]):
        page.facts["author"] = name_case(texts.pop())
    elif texts and (signed := re.match(r"^(?:Tin, ảnh|Tin và ảnh|Bài, ảnh|Bài và ảnh|Tin|Bài)\s*:\s*(.+)$", texts[-1])):
        page.facts["author"] = name_case(signed.group(1).strip())
        texts.pop()
    gaps = [line.gap_before for line in body[: len(texts)]]
    if len(texts) > 2 and gaps[1] and not is_caption(texts[0], True) and not texts[1].startswith("("):
        page.facts["summary"] = texts.pop(0)
        gaps.pop(0)
    for index in range(len(texts) - 1):
        if texts[index] == texts[index + 1] and len(texts[index]) <= 400:  # an image's alt text, then its caption
            page.facts["image_caption"] = texts[index]
            del texts[index : index + 2]
            break
    for index, text in enumerate(texts):
        if "image_caption" not in page.facts and is_caption(text, index == 0):
            page.facts["image_caption"] = texts.pop(index)
            break
    if texts:
        source = SOURCE_PREFIX.match(texts[0])
        if source:
            page.facts["source"] = source.group(1) or source.group(2)
    marks = {line.text: line.heading for line in body}
    paragraphs = []
    for index, text in enumerate(texts):
        following = texts[index + 1] if index + 1 < len(texts) else None
        heading = marks.get(text)
        if heading is None:
            heading = is_heading(text, following)
        paragraphs.append(f"## {text}" if heading else markdown_paragraph(text))
    page.body = paragraphs
    if "title" in page.facts:
        stated_unit(page, registry)


def stated_unit(page: PortalPage, registry: Registry) -> None:
    """A registered unit the title names in full ("Ban Dân vận Quận ủy Gò Vấp tổ chức …"): inferred, so approximate.

    Only the title: a body names many units ("Phó Bí thư Thường trực Tỉnh ủy") that did not publish the page.
    """
    if "unit" in page.facts:
        return
    title = str(page.facts.get("title", "")).casefold()
    for name in sorted(registry.names(), key=len, reverse=True):
        if re.search(rf"(?<!\w){re.escape(name.casefold())}(?!\w)", title):
            unit = registry.find(name)
            if unit is not None:
                page.facts["unit"] = unit.name
                page.approximate.append("unit")
            return


def infer_date(page: PortalPage) -> None:
    """No date stated: the date the first sentence opens with ("Ngày 11 tháng 6 năm 2018, …"), as approximate."""
    first = next((text for text in page.body if not text.startswith("#")), "")
    opening = re.match(r"^(?:\([^)]*\)\s*[-–]\s*)?(?:Sáng|Chiều|Tối|Trưa)?\s*(?:ngày|Ngày)\s+[^,]{4,30},", first)
    found = find_date(opening.group(0)) if opening else None
    if found is not None:
        page.facts["date"] = content_date(found[0], False)
        page.approximate.append("date")
    else:
        page.missing.append("date")


def read_document(lines: list[Line], registry: Registry) -> PortalPage:
    """An official document: header, kind and subject, body, recipients and signature."""
    page = PortalPage(kind="ket-luan")
    texts = [line.text for line in lines]
    kind_index = next((index for index, text in enumerate(texts[:8]) if text in DOCUMENT_KINDS), None)
    stated_date = None
    for text in texts[: kind_index if kind_index is not None else 6]:
        number = NUMBER_LINE.match(text)
        if number and is_document_number(number.group(1).rstrip(".,;")):
            page.facts["number"] = number.group(1).rstrip(".,;")
        place = PLACE_DATE.match(text)
        if place:
            page.facts["place"] = place.group(1).strip()
            stated_date = find_date(text)
    position = (kind_index + 1) if kind_index is not None else 0
    subject_lines = []
    while position < len(texts) and texts[position] == texts[position].upper() and len(texts[position]) < 200:
        subject_lines.append(texts[position])
        position += 1
    meeting = None
    if position < len(texts) and texts[position][:1].islower() and len(texts[position]) < 400:
        meeting = texts[position]
        position += 1
    if subject_lines:
        subject = office_case(" ".join(subject_lines), registry)
        page.facts["subject"] = subject
        issuer = re.search(r"\bcủa\s+(.+)$", subject)
        if issuer:
            page.facts["issuer"] = issuer.group(1).strip()
    if meeting and meeting.startswith("tại "):
        page.facts["meeting"] = meeting
    elif meeting and "subject" in page.facts:
        page.facts["subject"] = f"{page.facts['subject']} {meeting}"
    if "subject" in page.facts:
        page.facts["title"] = document_title(str(page.facts["subject"]), str(page.facts.get("meeting") or ""))
    else:
        page.missing.append("title")
    end = read_signature(page, texts, position, registry)
    page.body = [markdown_paragraph(text) for text in texts[position:end]]
    page.body = headings(page.body)
    issuer_name = page.facts.get("issuer")
    if isinstance(issuer_name, str):
        unit = registry.find(issuer_name)
        page.facts["unit"] = unit.name if unit else issuer_name
        page.units.append(issuer_name)
    else:
        page.missing.append("unit")
    if stated_date is not None:
        page.facts["date"] = content_date(stated_date[0], False)
    else:
        infer_date(page)
    return page


def headings(paragraphs: list[str]) -> list[str]:
    result = []
    for index, text in enumerate(paragraphs):
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        result.append(f"## {text}" if ROMAN_HEADING.match(text) and is_heading(text, following) else text)
    return result


def document_title(subject: str, meeting: str) -> str:
    """Subject and meeting, up to where the meeting's own subject begins (" về …"), as registers list them."""
    if not meeting:
        return subject
    cut = re.search(r"\)\s+về\s", meeting)
    return f"{subject} {meeting[: cut.start() + 1] if cut else meeting}"


def read_signature(page: PortalPage, texts: list[str], start: int, registry: Registry) -> int:
    """Recipients and the signature block at the end; returns where the body ends."""
    end = len(texts)
    recipients_at = next((index for index in range(start, len(texts)) if RECIPIENTS.match(texts[index])), None)
    tail = list(range(recipients_at, len(texts))) if recipients_at is not None else []
    # The signature may be printed before "Nơi nhận" (two columns flattened) or after it.
    back = (recipients_at if recipients_at is not None else len(texts)) - 1
    while back > start and is_signature_line(texts[back]):
        back -= 1
    signature = list(range(back + 1, recipients_at if recipients_at is not None else len(texts)))
    end = signature[0] if signature else (recipients_at if recipients_at is not None else len(texts))
    recipients = []
    for index in tail[1:]:
        text = texts[index]
        if text.startswith(("-", "+", "•")):
            recipients.append(text.lstrip("-+• ").rstrip(";,."))
        elif is_signature_line(text):
            signature.append(index)
    if recipients:
        page.facts["recipients"] = recipients
    signer = next(
        (index for index in reversed(signature) if is_name(texts[index]) and not AUTHORITY.match(texts[index])), None
    )
    if signer is not None:
        page.facts["signer"] = name_case(texts[signer])
    for index in signature:
        text = texts[index]
        if SIGNATURE_NOTE.match(text):
            page.facts["signature_note"] = text
        elif AUTHORITY.match(text):
            page.facts["signing_authority"] = text
        elif index != signer and text == text.upper() and "signer_title" not in page.facts:
            page.facts["signer_title"] = office_case(text, registry)
    return end


def is_signature_line(text: str) -> bool:
    return bool(
        SIGNATURE_NOTE.match(text)
        or AUTHORITY.match(text)
        or (text == text.upper() and len(text) < 60 and not any(char.isdigit() for char in text))
        or (is_name(text) and len(text) < 40)
    )


def date_from_markup(value: str) -> str | None:
    found = from_iso(value)
    return content_date(*found) if found else None


def read_html_page(html: str, registry: Registry) -> PortalPage:
    """A saved HTML page: the portal's markup for the facts it states, trafilatura for the main content."""
    import trafilatura
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(html)
    facts = markup_facts(tree)
    markdown = trafilatura.extract(
        html,
        output_format="markdown",
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_formatting=True,
        include_links=False,
        favor_precision=True,
    )
    lines = markdown_lines(markdown or "", str(facts.get("title", "")))
    lines = article_lines(lines)
    if is_document(lines):
        page = read_document(lines, registry)
    else:
        page = PortalPage(kind="tin")
        for key in ("title", "category"):
            if key in facts:
                page.facts[key] = facts[key]
        if "title" not in page.facts:
            page.missing.append("title")
        summary = facts.get("summary")
        if isinstance(summary, str):
            lines = [line for line in lines if fold(line.text.strip("* ")) != fold(summary)]
        fill_body(page, lines, registry)
        if isinstance(summary, str):
            page.facts["summary"] = summary
    for key in ("author", "image_caption", "views"):
        if key in facts:
            page.facts[key] = facts[key]
    if "date" in facts:
        page.facts["date"] = facts["date"]
        if "date" in page.approximate:
            page.approximate.remove("date")
        if "date" in page.missing:
            page.missing.remove("date")
    elif "date" not in page.facts and "date" not in page.missing:
        page.missing.append("date")
    if "views" not in page.facts:
        views = VIEWS.search(clean(tree.text_content()))
        if views and re.sub(r"\D", "", views.group(1)):
            page.facts["views"] = int(re.sub(r"\D", "", views.group(1)))
    if page.kind == "tin" and "title" in page.facts:
        stated_unit(page, registry)
    return page


def markdown_lines(markdown: str, title: str) -> list[Line]:
    """trafilatura's Markdown as lines: headings marked, a paragraph in bold read for its text, the title dropped."""
    lines: list[Line] = []
    for block in re.split(r"\n\s*\n", markdown):
        block = block.strip()
        if not block:
            continue
        heading: bool | None = False
        if block.startswith("#"):
            block, heading = block.lstrip("#").strip(), True
        elif block.startswith("**") and block.endswith("**") and block.count("**") == 2:
            block, heading = block.strip("*").strip(), None
        text = "\n".join(clean(part) for part in block.split("\n")) if "\n" in block else clean(block)
        if not lines and fold(text) == fold(title):
            continue
        match = VIEWS.search(text)
        if match:
            text = clean(text[: match.start()] + text[match.end() :])
        stripped = strip_chrome(text) if "\n" not in text else text
        if not stripped:
            continue
        if is_end_marker(stripped):
            lines.append(Line("", True))
            continue
        lines.append(Line(stripped, False, heading))
    return lines


def markup_facts(tree: object) -> dict[str, object]:
    """Title, date, author, section, views, caption and lead as the page's own markup states them."""
    root: Any = tree
    meta: dict[str, str] = {}
    for element in root.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()
        content = element.get("content")
        if key and content and content.strip():
            meta.setdefault(key, clean(content))
    facts: dict[str, object] = {}

    def itemprop(name: str) -> str | None:
        for element in root.xpath(f'//*[@itemprop="{name}"]'):
            value = element.get("content") or element.get("datetime") or clean(element.text_content())
            if value:
                return clean(value)
        return None

    site = meta.get("og:site_name", "")
    title = itemprop("headline") or meta.get("og:title") or meta.get("twitter:title") or first_text(root, "//h1")
    title = title or first_text(root, "//title")
    if title:
        for separator in (" - ", " | ", " – "):
            if site and title.endswith(separator + site):
                title = title[: -len(separator + site)]
        facts["title"] = title
    for key in ("article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate", "date"):
        value = meta.get(key)
        if value and (date := date_from_markup(value)):
            facts["date"] = date
            break
    else:
        value = itemprop("datePublished") or first_attribute(root, "//time[@datetime]", "datetime")
        if value and (date := date_from_markup(value)):
            facts["date"] = date
    author = meta.get("author") or meta.get("article:author") or itemprop("author")
    if author and not author.startswith(("http://", "https://")):
        facts["author"] = name_case(author)
    section = meta.get("article:section") or itemprop("articleSection")
    if section:
        facts["category"] = section
    count = itemprop("interactionCount") or itemprop("userInteractionCount")
    if count and re.sub(r"\D", "", count):
        facts["views"] = int(re.sub(r"\D", "", count))
    caption = first_text(root, "//figcaption") or first_text(root, '//*[contains(@class, "caption")]')
    if caption:
        facts["image_caption"] = caption
    lead = first_text(
        root,
        '//*[contains(@class, "sapo") or contains(@class, "summary") or contains(@class, "lead")'
        ' or contains(@class, "chapeau") or @itemprop="description"][not(self::meta)]',
    )
    if lead and 40 <= len(lead) <= 1000:
        facts["summary"] = lead
    return facts


def first_text(root: Any, xpath: str) -> str | None:
    for element in root.xpath(xpath):
        text = clean(element.text_content())
        if text:
            return text
    return None


def first_attribute(root: Any, xpath: str, name: str) -> str | None:
    for element in root.xpath(xpath):
        if element.get(name):
            return str(element.get(name))
    return None
