"""The official parts of a published document, read from its frontmatter and checked field by field.

Kind, system and header derive from the number and the issuer's registry entry; the frontmatter may override
each. A missing optional part is simply not shown; nothing is invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from bantin.citations import is_document_number, normalize_number
from bantin.documents import (
    FALLBACK,
    KINDS,
    SO_PREFIX,
    SYSTEM_NAMES,
    DocumentKind,
    NumberParts,
    System,
    default_kind,
    find_kind,
    kind_matches_number,
    nation_lines,
    number_line,
    parse_number,
    subject_after_kind,
    system_from_name,
)
from bantin.suggest import did_you_mean
from bantin.units import Registry, Unit

ATTACHMENT_TYPES = {".pdf": "PDF", ".doc": "Word", ".docx": "Word", ".xls": "Excel", ".xlsx": "Excel"}
SIGNATURE_KEYS = ("authority", "title", "note", "name")
DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class Fields(Protocol):
    """What reading a document needs of the item checker (bantin.items.Checker)."""

    doc: Any

    def line(self, key: str) -> int: ...
    def error(self, key: str, message: str, line: int | None = None) -> None: ...
    def text(self, key: str, required: bool = False) -> str | None: ...
    def texts(self, key: str) -> list[str]: ...


@dataclass(frozen=True)
class Signature:
    """One signature column: "T/M BỘ CHÍNH TRỊ", the signer's title, "(Đã ký)" or a seal note, the name."""

    authority: str | None
    title: str | None
    note: str | None
    name: str | None


@dataclass(frozen=True)
class Attachment:
    """A file published beside the document: its name, type ("PDF", "Word", "Excel") and size in bytes."""

    name: str
    type: str
    size: int


@dataclass(frozen=True)
class Notice:
    """The parts of an official document; missing parts stay None or empty."""

    number: str | None
    issuer: str | None
    place: str | None
    subject: str
    meeting: str | None
    signer: str | None
    signer_title: str | None
    signing_authority: str | None
    signature_note: str | None
    recipients: tuple[str, ...]
    kind: DocumentKind = FALLBACK
    system: System = "dang"
    superior: str | None = None
    issuer_lines: tuple[str, ...] = ()
    co_issuers: tuple[Unit, ...] = ()
    addressees: tuple[str, ...] = ()
    issued: datetime | None = None
    signatures: tuple[Signature, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    issuer_name: str | None = None
    """The issuing body as registers list it: its registry name, not the header lines it was written as."""

    @property
    def columns(self) -> tuple[Signature, ...]:
        """Signature columns: the listed ones for a joint document, else the one from the signer fields."""
        if self.signatures:
            return self.signatures
        single = Signature(self.signing_authority, self.signer_title, self.signature_note, self.signer)
        return (single,) if any((single.authority, single.title, single.note, single.name)) else ()

    @property
    def issuing_body(self) -> str | None:
        return self.issuer_name or self.issuer

    @property
    def recipient_lines(self) -> tuple[str, ...]:
        """ "Nơi nhận" as written: an editor's own punctuation is kept; a list without any gets ";" and a final "."."""
        punctuated = any(entry.endswith((";", ".", ",")) for entry in self.recipients)
        lines = []
        for index, entry in enumerate(self.recipients):
            line = entry if entry.startswith(("-", "+")) else f"- {entry}"
            if not punctuated:
                line += "." if index == len(self.recipients) - 1 else ";"
            lines.append(line)
        return tuple(lines)

    @property
    def parts(self) -> NumberParts | None:
        return parse_number(self.number) if self.number else None

    @property
    def number_text(self) -> str | None:
        """ "Số 07-KL/VPTW" or "Số: 12/TB-UBND", as the document's system writes it."""
        return number_line(self.number, self.system) if self.number else None

    @property
    def trich_yeu(self) -> str:
        """The subject as it stands under the heading, or after "V/v" in a công văn."""
        return subject_after_kind(self.kind, self.subject)

    @property
    def nation(self) -> tuple[str, ...]:
        """The right-hand header: the Party's name, or the State's name and motto."""
        return nation_lines(self.system)

    def issued_on(self, published: datetime) -> datetime:
        """The date on the document itself, which may differ from the day it was published here."""
        return self.issued or published


def read_notice(check: Fields, title: str | None, registry: Registry, source: Path | None) -> Notice:
    """Every official part of one document, each mistake recorded at its line with a suggestion."""
    number = check.text("number")
    if number and SO_PREFIX.match(number) and is_document_number(SO_PREFIX.sub("", number)):
        bare = SO_PREFIX.sub("", number)
        check.error("number", f'bỏ chữ "Số" ở đầu, chỉ ghi số hiệu: number: {bare}')
        number = None
    elif number and not is_document_number(number):
        check.error("number", f'"{number}" không giống số hiệu văn bản (ví dụ 212-TB/TU hoặc 12/TB-UBND)')
        number = None
    number = normalize_number(number) if number else None
    parts = parse_number(number) if number else None
    subject = check.text("subject") or title or ""
    chosen = read_kind(check, parts, title or "", subject)
    issuer_text = multiline(check, "issuer")
    issuer_unit = registry.find(" ".join(issuer_text.split())) if issuer_text else None
    unit_name = check.doc.fields.get("unit")
    # The registry entry that speaks for the issuer: its own, else the publishing unit's.
    speaker = issuer_unit or (registry.find(unit_name) if isinstance(unit_name, str) else None)
    system = read_system(check, speaker, parts)
    written_superior = issuer_text is not None and "\n" in issuer_text  # "BAN CHẤP HÀNH TRUNG ƯƠNG\nVĂN PHÒNG"
    co_issuers = tuple(
        unit
        for name in check.texts("co_issuers")
        if (unit := find_unit(check, "co_issuers", name, registry)) is not None
    )
    return Notice(
        number=number,
        issuer=" ".join(issuer_text.split()) if issuer_text else None,
        place=check.text("place"),
        subject=subject,
        meeting=check.text("meeting"),
        signer=check.text("signer"),
        signer_title=check.text("signer_title"),
        signing_authority=multiline(check, "signing_authority"),
        signature_note=check.text("signature_note"),
        recipients=tuple(listed(check, "recipients", "nơi nhận")),
        kind=chosen,
        system=system,
        superior=check.text("superior") or (speaker.superior if speaker and not written_superior else None),
        issuer_lines=header_lines(issuer_text, issuer_unit or speaker),
        co_issuers=co_issuers,
        addressees=tuple(listed(check, "addressees", "nơi được kính gửi")),
        issued=read_issued(check),
        signatures=read_signatures(check),
        attachments=read_attachments(check, source),
        issuer_name=registry_name(issuer_text, issuer_unit, speaker if written_superior else None),
    )


def read_kind(check: Fields, parts: NumberParts | None, title: str, subject: str) -> DocumentKind:
    name = check.text("kind")
    if not name:
        return default_kind(parts, title, subject)
    found = find_kind(name)
    if found is None:
        hint = did_you_mean(name, [each.name for each in KINDS])
        check.error("kind", f'không có loại văn bản "{name}"' + (hint or "; xem danh sách loại trong README"))
        return default_kind(parts, title, subject)
    if parts is not None and not kind_matches_number(found, parts):
        implied = parts.kind
        assert implied is not None
        check.error(
            "kind",
            f'"{found.name}" không khớp số hiệu (mã {parts.code} là {implied.name}); sửa kind hoặc number',
        )
    return found


def read_system(check: Fields, unit: Unit | None, parts: NumberParts | None) -> System:
    """Frontmatter first, then the issuer's registry entry, then the number's form; Party by default."""
    name = check.text("system")
    if name:
        found = system_from_name(name)
        if found is not None:
            return found
        choices = ", ".join(SYSTEM_NAMES.values())
        check.error(
            "system", f'"{name}" không hợp lệ; dùng một trong: {choices}' + did_you_mean(name, SYSTEM_NAMES.values())
        )
    if unit is not None and unit.system is not None:
        return unit.system
    return parts.system if parts else "dang"


def multiline(check: Fields, key: str) -> str | None:
    """A header text as written, its line breaks kept: "BAN CHẤP HÀNH TRUNG ƯƠNG\\nVĂN PHÒNG" is two lines."""
    value = check.doc.fields.get(key)
    if isinstance(value, str) and "\n" in value.strip():
        return "\n".join(" ".join(line.split()) for line in value.strip().split("\n") if line.strip())
    return check.text(key)


def registry_name(issuer: str | None, unit: Unit | None, written_for: Unit | None) -> str | None:
    """The registry's name for the issuer; header lines written out name the publishing unit."""
    if unit is not None:
        return unit.name
    if written_for is not None:
        return written_for.name
    return " ".join(issuer.split()) if issuer else None


def header_lines(issuer: str | None, unit: Unit | None) -> tuple[str, ...]:
    """The issuer block's lines: as the editor wrote the issuer, else as the registry writes the unit in headers.

    An issuer written as the registry's name (or alias) is drawn as the registry draws it ("VĂN PHÒNG").
    """
    if unit is not None and unit.header and (issuer is None or unit.name == issuer or issuer in unit.aliases):
        return unit.header
    if not issuer:
        return ()
    return tuple(line.strip() for line in issuer.split("\n") if line.strip())


def find_unit(check: Fields, key: str, name: str, registry: Registry) -> Unit | None:
    unit = registry.find(name)
    if unit is None:
        check.error(key, f'không có đơn vị "{name}" trong don-vi.yml' + did_you_mean(name, registry.names()))
    return unit


def listed(check: Fields, key: str, what: str) -> list[str]:
    """A list written one entry a line; one long string would lose where each entry ends."""
    value = check.doc.fields.get(key)
    if isinstance(value, str) and "," not in value:  # with commas, the checker explains list brackets
        example = f"{key}:\n  - {value.split(';')[0].strip(' -')}\n  - …"
        check.error(key, f"phải là danh sách, mỗi {what} một dòng bắt đầu bằng dấu gạch, ví dụ:\n{example}")
        return []
    return check.texts(key)


def read_issued(check: Fields) -> datetime | None:
    value: Any = check.doc.fields.get("issued")
    if value is None:
        return None
    text = str(value).strip()
    match = DATE.match(text)
    if match:
        try:
            year, month, day = (int(part) for part in match.groups())
            return datetime(year, month, day)
        except ValueError:
            pass
    check.error("issued", f'"{text}" phải là ngày ban hành có thật, dạng YYYY-MM-DD (ví dụ 2024-08-05)')
    return None


def read_signatures(check: Fields) -> tuple[Signature, ...]:
    """Several signature columns for a joint document: a list of {authority, title, note, name}."""
    value: Any = check.doc.fields.get("signatures")
    if value is None:
        return ()
    example = "signatures:\n  - authority: T/M BAN THƯỜNG VỤ\n    title: BÍ THƯ\n    name: Nguyễn Văn A"
    if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
        check.error("signatures", f"phải là danh sách các cột chữ ký, ví dụ:\n{example}")
        return ()
    columns = []
    for entry in value:
        for key in entry:
            if key not in SIGNATURE_KEYS:
                check.error("signatures", f'"{key}" không được hỗ trợ' + did_you_mean(str(key), SIGNATURE_KEYS))
        texts = {key: " ".join(str(entry[key]).split()) if entry.get(key) else None for key in SIGNATURE_KEYS}
        columns.append(Signature(texts["authority"], texts["title"], texts["note"], texts["name"]))
    return tuple(columns)


def read_attachments(check: Fields, source: Path | None) -> tuple[Attachment, ...]:
    """Files beside the document, published with it: each must exist and be of a type the site publishes."""
    found = []
    allowed = ", ".join(sorted({suffix.lstrip(".").upper() for suffix in ATTACHMENT_TYPES}))
    for name in check.texts("attachments"):
        suffix = Path(name).suffix.lower()
        if "/" in name or "\\" in name or name.startswith("."):
            check.error("attachments", f'"{name}": đặt tệp ngay cạnh văn bản và chỉ ghi tên tệp')
            continue
        if suffix not in ATTACHMENT_TYPES:
            check.error("attachments", f'"{name}": trang chỉ đăng tệp đính kèm {allowed}')
            continue
        path = source.parent / name if source is not None else None
        if path is None or not path.is_file():
            folder = source.parent.name if source is not None else "cùng thư mục"
            nearby = [other.name for other in source.parent.iterdir()] if source is not None else []
            check.error(
                "attachments", f'không thấy tệp "{name}" cạnh văn bản (thư mục {folder}/)' + did_you_mean(name, nearby)
            )
            continue
        found.append(Attachment(name, ATTACHMENT_TYPES[suffix], path.stat().st_size))
    return tuple(found)
