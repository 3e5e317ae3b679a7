"""The content model: one news article or conclusion notice per Markdown file, validated field by field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from bantin.dates import content_date, find_date, now_in_vietnam
from bantin.errors import ContentError
from bantin.frontmatter import Document
from bantin.limits import limit_problems, year_problem
from bantin.notices import Notice as Notice  # re-exported: items carry their notice
from bantin.notices import read_notice
from bantin.safety import Renderer, removal_errors
from bantin.suggest import did_you_mean
from bantin.text import make_slug
from bantin.units import Registry, Unit
from bantin.urls import item_address, item_source
from bantin.vietnamese import partial_date

Kind = Literal["tin", "ket-luan"]
KINDS: tuple[Kind, ...] = ("tin", "ket-luan")

COMMON_TEXT = ("title", "author", "category", "summary", "source", "image", "image_caption", "image_credit")
NOTICE_TEXT = ("number", "issuer", "place", "subject", "meeting", "signer", "signer_title", "signing_authority")
NOTICE_TEXT_EXTRA = ("signature_note", "kind", "system", "superior", "issued")
LISTS = ("tags", "organizations", "approximate")
NOTICE_LISTS = ("recipients", "co_issuers", "addressees", "signatures", "attachments")
NEWS_KEYS = (*COMMON_TEXT, "date", "unit", "views", "draft", *LISTS)
NOTICE_KEYS = (*NEWS_KEYS, *NOTICE_TEXT, *NOTICE_TEXT_EXTRA, *NOTICE_LISTS)
APPROXIMABLE = ("date", "unit", "author")
DOCUMENT_ONLY = tuple(key for key in NOTICE_KEYS if key not in NEWS_KEYS)
# How far ahead an item may be scheduled before its date reads as a typing mistake.
SCHEDULE_LIMIT = timedelta(days=366)

DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
VIEWS = re.compile(r"^[0-9]{1,15}$")
# A yes/no field, read from its text (YAML is read as data: `true` is text until a field says what it means).
FLAGS = {"true": True, "yes": True, "có": True, "false": False, "no": False, "không": False}


@dataclass(frozen=True)
class Item:
    """One published item. `path` is relative to the content folder; `url` is the page's directory URL.

    Its body is held as UTF-8 (`body_utf8`) and decoded each time it is asked for (`body`): a Python string of
    Vietnamese text takes two bytes a character, its UTF-8 a third less, and pickling a string (the build cache,
    the search index's workers) adds its UTF-8 to it for as long as it lives; at 100,000 items the bodies were
    1.5 GB of a build's 3 GB, and are 0.6 GB held so.
    """

    kind: Kind
    path: str
    year: int
    slug: str
    title: str
    date: datetime
    has_time: bool
    unit: Unit
    body_utf8: bytes
    author: str | None = None
    views: int | None = None
    category: str | None = None
    tags: tuple[str, ...] = ()
    organizations: tuple[Unit, ...] = ()
    summary: str | None = None
    source: str | None = None
    image: str | None = None  # a file name beside the Markdown file (bantin.images checks and resizes it)
    image_caption: str | None = None
    image_credit: str | None = None
    approximate: frozenset[str] = frozenset()
    notice: Notice | None = None
    draft: bool = False
    body_line: int = 1

    @cached_property
    def url(self) -> str:
        """Its address (bantin.urls), made once: every index and listing looks items up by it."""
        return item_address(self.kind, self.year, self.slug)

    @property
    def body(self) -> str:
        """The Markdown after the fields (ending with one newline)."""
        return self.body_utf8.decode("utf-8")

    @property
    def src_uri(self) -> str:
        return item_source(self.kind, self.year, self.slug)


def build_item(
    path: str,
    kind: Kind,
    folder_year: str | None,
    doc: Document,
    registry: Registry,
    now: datetime | None = None,
    warnings: list[ContentError] | None = None,
    source: Path | None = None,
    renderer: Renderer | None = None,
) -> Item:
    """Validate one parsed file into an Item; raises ItemErrors listing every problem in it.

    `now` (Vietnam time) bounds how far ahead a date may be; `warnings` collects what is allowed but likely wrong;
    `source` is the file itself, beside which a document's attachments must be. With a `renderer`, the body is
    rendered as the site renders it and whatever the sanitizer would remove is an error.
    """
    check = Checker(path, doc, now or now_in_vietnam())
    keys = NOTICE_KEYS if kind == "ket-luan" else NEWS_KEYS
    document_fields = [key for key in doc.fields if kind != "ket-luan" and key in DOCUMENT_ONLY]
    if document_fields:  # a document saved among the news: one message to move it, not one per field
        names = ", ".join(document_fields)
        target = "ket-luan/" + path.split("/", 1)[-1]
        check.error(
            document_fields[0],
            f"bài có các trường của văn bản ({names}): chuyển tệp sang thư mục văn bản, thành {target}",
        )
    for key in doc.fields:
        if key not in keys and key not in document_fields:
            check.error(key, "khoá không được hỗ trợ" + did_you_mean(key, keys))
    title = check.text("title", required=True)
    date, has_time = check.date()
    unit = check.unit("unit", registry)
    organizations = tuple(
        found for name in check.texts("organizations") if (found := check.find_unit("organizations", name, registry))
    )
    approximate = check.texts("approximate")
    for name in approximate:
        if name not in APPROXIMABLE:
            check.error("approximate", f'"{name}" không hợp lệ; chỉ dùng: {", ".join(APPROXIMABLE)}')
    slug = path.rsplit("/", 1)[-1].removesuffix(".md")
    if not SLUG.match(slug):
        check.error(
            "file", f'tên tệp phải là chữ thường không dấu và gạch nối; đổi tên thành "{make_slug(slug)}.md"', 1
        )
    if date is not None and folder_year != str(date.year):
        check.error("date", f"ngày thuộc năm {date.year} nên tệp phải nằm trong {kind}/{date.year}/")
    if slug == "index":
        check.error("file", 'tên tệp "index.md" dành cho trang danh sách; hãy đặt tên theo nội dung bài', 1)
    body = doc.body.strip("\n") + "\n"
    body_line = doc.body_line + len(doc.body) - len(doc.body.lstrip("\n"))
    if not doc.body.strip():
        check.error("body", "bài chưa có nội dung sau phần thông tin", doc.body_line)
    too_big = limit_problems(path, body, body_line)
    check.errors.extend(too_big)
    if renderer is not None and not too_big:
        check.errors.extend(removal_errors(path, body, body_line, renderer.html(body)))
    item = Item(
        kind=kind,
        path=path,
        year=date.year if date else 0,
        slug=slug,
        title=title or "",
        date=date or datetime.min,
        has_time=has_time,
        unit=unit or Unit("", ""),
        body_utf8=body.encode("utf-8"),
        author=check.text("author"),
        views=check.views(),
        category=check.named("category"),
        tags=tuple(check.named_list("tags")),
        organizations=organizations,
        summary=check.text("summary"),
        source=check.text("source"),
        image=check.text("image"),
        image_caption=check.text("image_caption"),
        image_credit=check.text("image_credit"),
        approximate=frozenset(approximate),
        notice=read_notice(check, title, registry, source) if kind == "ket-luan" else None,
        draft=check.flag("draft"),
        body_line=body_line,
    )
    if unit is not None and date is not None:
        check.unit_in_time("unit", unit, date, registry)
    if warnings is not None:
        warnings.extend(check.warnings)
    check.raise_if_any()
    return item


class ItemErrors(Exception):
    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = errors
        super().__init__("\n".join(map(str, errors)))


class Checker:
    """Reads typed values out of a document, recording a ContentError for each wrong one."""

    def __init__(self, path: str, doc: Document, now: datetime | None = None) -> None:
        self.path = path
        self.doc = doc
        self.now = now or now_in_vietnam()
        self.errors: list[ContentError] = []
        self.warnings: list[ContentError] = []

    def line(self, key: str) -> int:
        return self.doc.lines.get(key, 1)

    def error(self, key: str, message: str, line: int | None = None) -> None:
        self.errors.append(ContentError(self.path, line if line is not None else self.line(key), key, message))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ItemErrors(self.errors)

    def text(self, key: str, required: bool = False) -> str | None:
        value: Any = self.doc.fields.get(key)
        if value is not None and not isinstance(value, str):
            self.error(key, "phải là một dòng chữ")
            return None
        text = " ".join((value or "").split())
        if not text:
            if required:
                self.error(key, f'thiếu trường bắt buộc "{key}"')
            return None
        return text

    def texts(self, key: str) -> list[str]:
        value: Any = self.doc.fields.get(key)
        if value is None:
            return []
        if isinstance(value, str) and "," in value:
            names = [" ".join(part.split()) for part in value.split(",") if part.strip()]
            self.error(
                key,
                f'"{value}" sẽ thành một mục; viết danh sách trong ngoặc vuông: [{", ".join(names)}]'
                ' (một tên có dấu phẩy thì đặt trong ngoặc kép, ví dụ ["Hà Nội, ngày 20/5"])',
            )
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(entry, str) for entry in value):
            self.error(key, "phải là danh sách, ví dụ: [mục 1, mục 2]")
            return []
        return [" ".join(str(entry).split()) for entry in value if str(entry).strip()]

    def named(self, key: str) -> str | None:
        """A category: text that must give a page address (a name of only punctuation gives none)."""
        name = self.text(key)
        if name is not None and not make_slug(name):
            self.error(key, f'"{name[:40]}" phải có chữ hoặc số: tên này đặt địa chỉ cho trang của nó')
            return None
        return name

    def named_list(self, key: str) -> list[str]:
        """Topics: like `named`, for each entry of the list."""
        names = []
        for name in self.texts(key):
            if make_slug(name):
                names.append(name)
            else:
                self.error(key, f'"{name[:40]}" phải có chữ hoặc số: tên này đặt địa chỉ cho trang của nó')
        return names

    def date(self) -> tuple[datetime | None, bool]:
        value: Any = self.doc.fields.get("date")
        if value is None:
            self.error("date", 'thiếu trường bắt buộc "date" (dạng YYYY-MM-DD hoặc YYYY-MM-DD HH:MM)')
            return None, False
        text = value if isinstance(value, str) else "…"
        match = DATE.match(text.strip())
        if not match:
            message = f'"{text[:40]}" không đúng dạng YYYY-MM-DD hoặc YYYY-MM-DD HH:MM (giờ Việt Nam)'
            found = find_date(text)
            if found is not None:
                message += f'; viết là "{content_date(*found)}"'
            self.error("date", message)
            return None, False
        year, month, day, hour, minute = match.groups()
        try:
            moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
        except ValueError:
            self.error("date", f'"{text}" không phải ngày giờ có thật')
            return None, False
        if (problem := year_problem(moment.year)) is not None:
            self.error("date", problem)
            return None, False
        if moment - self.now > SCHEDULE_LIMIT:
            self.error(
                "date",
                f'"{text}" là hơn một năm nữa mới tới (có phải năm {self.now.year}?); '
                "bài hẹn giờ đăng chỉ được đặt trong vòng một năm",
            )
            return None, False
        return moment, hour is not None

    def flag(self, key: str) -> bool:
        value: Any = self.doc.fields.get(key)
        if value is None:
            return False
        answer = value.strip().lower() if isinstance(value, str) else None
        if answer not in FLAGS:
            self.error(key, f'"{str(value)[:40]}" phải là true (bản nháp, chưa đăng) hoặc false')
            return False
        return FLAGS[answer]

    def views(self) -> int | None:
        value: Any = self.doc.fields.get("views")
        if value is None:
            return None
        if not isinstance(value, str) or not VIEWS.match(value.strip()):
            shown = value if isinstance(value, str) else "…"
            self.error("views", f'"{shown[:40]}" phải là số nguyên không âm, viết liền không dấu chấm (ví dụ 9913)')
            return None
        return int(value)

    def unit(self, key: str, registry: Registry) -> Unit | None:
        name = self.text(key, required=True)
        return self.find_unit(key, name, registry) if name else None

    def find_unit(self, key: str, name: str, registry: Registry) -> Unit | None:
        unit = registry.find(name)
        if unit is None and registry.broken:  # don-vi.yml has its own errors: no false "unknown unit" here
            return Unit(name, make_slug(name))
        if unit is None:
            self.error(key, f'không có đơn vị "{name}" trong don-vi.yml' + did_you_mean(name, registry.names()))
        return unit

    def unit_in_time(self, key: str, unit: Unit, date: datetime, registry: Registry) -> None:
        """A unit named after it ceased (`until`): allowed, but likely its successor was meant."""
        if not unit.until or date.strftime("%Y-%m-%d")[: len(unit.until)] <= unit.until:
            return
        successor = registry.successor_of(unit)
        advice = f'ghi đơn vị kế thừa "{successor.name}"' if successor else "kiểm tra lại đơn vị hoặc ngày đăng"
        message = (
            f'"{unit.name}" thôi hoạt động từ sau {partial_date(unit.until)} mà bài đăng ngày {date:%d/%m/%Y}; {advice}'
        )
        self.warnings.append(ContentError(self.path, self.line(key), key, message))
