"""`bantin import`: legacy portal pages (text dumps or saved HTML) into content files, never overwriting one.

Each page becomes one Markdown file in `tin/NĂM/` or `ket-luan/NĂM/` (a page without a stated or inferable date
goes to `tin/chua-ro-ngay/` with `date` left for the editor). The summary names what was imported, what was
skipped and why, which fields each page left undetermined, and gives a ready-to-paste `don-vi.yml` entry for
every unit a page names that the registry does not know.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from bantin.portal import PortalPage, read_html_page, read_text_page
from bantin.text import fold, make_slug, nfc
from bantin.units import REGISTRY_FILE, Registry, load_registry

PAGE_SUFFIXES = (".txt", ".text", ".htm", ".html", ".xhtml", ".shtml", ".aspx", ".php")
HTML_SUFFIXES = (".htm", ".html", ".xhtml", ".shtml", ".aspx", ".php")
UNDATED_FOLDER = "chua-ro-ngay"
SLUG_LENGTH = 90
FIELD_ORDER = (
    "title",
    "date",
    "unit",
    "author",
    "views",
    "category",
    "source",
    "summary",
    "image_caption",
    "number",
    "issuer",
    "place",
    "subject",
    "meeting",
    "signing_authority",
    "signer_title",
    "signer",
    "signature_note",
    "recipients",
)
FIELD_NAMES = {
    "title": "tiêu đề",
    "date": "ngày đăng",
    "unit": "đơn vị đăng",
    "body": "nội dung",
}
LEVEL_WORDS = (
    ("trung-ương", ("trung uong", "bo chinh tri", "ban bi thu")),
    ("xã", ("xa ", "phuong ", "thi tran", "dang uy xa", "dang uy phuong")),
    ("huyện", ("huyen", "quan ", "thi xa", "thi uy", "quan uy")),
    ("tỉnh", ("tinh", "thanh uy", "thanh pho")),
)


@dataclass
class Outcome:
    """What became of one page."""

    source: str
    written: str | None = None
    skipped: str | None = None
    missing: list[str] = field(default_factory=list)
    approximate: list[str] = field(default_factory=list)


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    unknown_units: list[str] = field(default_factory=list)

    @property
    def imported(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.written]

    @property
    def skipped(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.skipped]

    def report(self) -> str:
        lines = [f"Đã nhập {len(self.imported)} trang, bỏ qua {len(self.skipped)} trang."]
        for outcome in self.imported:
            lines.append(f"  {outcome.written}  (từ {outcome.source})")
            if outcome.missing:
                names = ", ".join(FIELD_NAMES.get(name, name) + f" ({name})" for name in outcome.missing)
                lines.append(f"      chưa xác định được: {names}; hãy điền vào tệp")
            if outcome.approximate:
                lines.append(f"      ước tính từ nội dung, cần xem lại: {', '.join(outcome.approximate)}")
        if self.skipped:
            lines.append("Bỏ qua:")
            lines.extend(f"  {outcome.source}: {outcome.skipped}" for outcome in self.skipped)
        if self.unknown_units:
            lines.append(
                f"Đơn vị chưa có trong {REGISTRY_FILE}; chép các dòng sau vào cuối tệp (dưới units:) rồi xem lại:"
            )
            lines.extend(registry_entry(name) for name in self.unknown_units)
        if self.imported:
            lines.append("Sau khi sửa các mục trên, chạy: bantin check")
        return "\n".join(lines)


def registry_entry(name: str) -> str:
    """A `don-vi.yml` entry for a unit, its level guessed from its name only when the name says it."""
    entry = f"  - name: {json.dumps(name, ensure_ascii=False)}"
    folded = fold(name) + " "
    for level, words in LEVEL_WORDS:
        if any(word in folded for word in words):
            return f"{entry}\n    level: {level}"
    return entry


def page_files(paths: Iterable[Path]) -> tuple[list[Path], list[Outcome]]:
    """Pages named on the command line, folders searched (sorted, hidden files left out)."""
    files: list[Path] = []
    problems: list[Outcome] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                found
                for found in sorted(path.rglob("*"))
                if found.is_file()
                and found.suffix.lower() in PAGE_SUFFIXES
                and not any(part.startswith(".") for part in found.relative_to(path).parts)
            )
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Outcome(str(path), skipped="không tìm thấy tệp hoặc thư mục này"))
    return files, problems


def read_page(path: Path, registry: Registry) -> PortalPage:
    data = path.read_bytes()
    text = decode(data)
    looks_html = path.suffix.lower() in HTML_SUFFIXES or text.lstrip()[:200].lower().startswith(("<!doctype", "<html"))
    return read_html_page(text, registry) if looks_html else read_text_page(text, registry)


def decode(data: bytes) -> str:
    """UTF-8 when it is; otherwise the encoding charset-normalizer finds (old portals saved in Windows-1258)."""
    try:
        return nfc(data.decode("utf-8-sig")).replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise
        return nfc(str(best)).replace("\r\n", "\n").replace("\r", "\n")


def import_pages(
    paths: Iterable[Path],
    content_dir: Path,
    unit: str | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> Summary:
    """Import every page; the summary says what happened to each."""
    registry, _errors = load_registry(content_dir)
    files, problems = page_files(paths)
    summary = Summary(outcomes=list(problems))
    publisher = None
    if unit:
        found = registry.find(unit)
        publisher = found.name if found else unit
        if not found:
            summary.unknown_units.append(unit)
    for number, path in enumerate(files, 1):
        if progress:
            progress(number, len(files), path.name)
        summary.outcomes.append(import_one(path, content_dir, registry, publisher, summary))
    return summary


def import_one(path: Path, content_dir: Path, registry: Registry, publisher: str | None, summary: Summary) -> Outcome:
    outcome = Outcome(str(path))
    try:
        page = read_page(path, registry)
    except (UnicodeDecodeError, ValueError) as error:
        outcome.skipped = f"không đọc được trang ({type(error).__name__})"
        return outcome
    if publisher and page.kind == "tin":
        page.facts["unit"] = publisher
        if "unit" in page.approximate:
            page.approximate.remove("unit")
    if "unit" not in page.facts and "unit" not in page.missing:
        page.missing.append("unit")
    for name in page.units:
        if registry.find(name) is None and name not in summary.unknown_units:
            summary.unknown_units.append(name)
    if not page.body:
        outcome.skipped = "không tìm thấy nội dung bài trên trang"
        return outcome
    title = page.facts.get("title")
    if not isinstance(title, str) or not title:
        outcome.skipped = "không tìm thấy tiêu đề bài trên trang"
        return outcome
    date = page.facts.get("date")
    folder = str(date)[:4] if isinstance(date, str) else UNDATED_FOLDER
    target = content_dir / page.kind / folder / f"{short_slug(title)}.md"
    relative = target.relative_to(content_dir).as_posix()
    if target.exists():
        outcome.skipped = f"đã có tệp {relative}; không ghi đè"
        return outcome
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even a file created meanwhile
        handle.write(render(page))
    outcome.written = relative
    outcome.missing = list(page.missing)
    outcome.approximate = list(page.approximate)
    return outcome


def short_slug(title: str) -> str:
    """The file name from the title, cut at a word so paths stay readable."""
    slug = make_slug(title)
    if len(slug) <= SLUG_LENGTH:
        return slug
    return slug[:SLUG_LENGTH].rsplit("-", 1)[0]


def render(page: PortalPage) -> str:
    """The content file: fields in the usual order, quoted so any text reads back as written, then the body."""
    lines = ["---"]
    for key in FIELD_ORDER:
        if key == "unit" and "unit" in page.missing:
            lines.append("unit:  # chưa rõ đơn vị đăng: điền tên đơn vị có trong don-vi.yml")
            continue
        if key == "date" and "date" in page.missing:
            lines.append("date:  # trang gốc không ghi ngày: điền ngày (YYYY-MM-DD) rồi chuyển tệp vào thư mục năm")
            continue
        value = page.facts.get(key)
        if value is None:
            continue
        if isinstance(value, list):
            lines.append(f"{key}:")
            lines.extend(f"  - {quoted(str(entry))}" for entry in value)
        elif isinstance(value, int):
            lines.append(f"{key}: {value}")
        else:
            lines.append(f"{key}: {quoted(str(value))}")
    if page.approximate:
        lines.append("# Các trường sau không ghi trên trang gốc mà được ước tính từ nội dung: hãy xem lại.")
        lines.append(f"approximate: [{', '.join(page.approximate)}]")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + "\n\n".join(page.body) + "\n"


def quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


class Progress:
    """A progress bar on stderr when it is a terminal; silent otherwise (logs and pipes get the summary only)."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.active = stream.isatty()

    def __call__(self, done: int, total: int, name: str) -> None:
        if not self.active:
            return
        width = 30
        filled = width * done // max(total, 1)
        bar = "█" * filled + "·" * (width - filled)
        self.stream.write(f"\r[{bar}] {done}/{total} {name[:40]:<40}")
        if done == total:
            self.stream.write("\n")
        self.stream.flush()
