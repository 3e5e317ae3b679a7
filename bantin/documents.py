"""Official documents: their kinds, issuing systems and the parts each official format lays out.

Kinds and codes follow the Party's Quy định 66-QĐ/TW and Hướng dẫn 36-HD/VPTW and the State's Nghị định
30/2020/NĐ-CP. A Party number reads `07-KL/VPTW` (the kind's code before the slash), a State or Front number
`12/TB-UBND` or `30/2020/NĐ-CP` (after it); a State công văn carries no kind code at all (`123/UBND-VX`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bantin.text import fold, make_slug

System = Literal["dang", "nha-nuoc", "mat-tran"]
SYSTEM_NAMES: dict[System, str] = {"dang": "Đảng", "nha-nuoc": "Nhà nước", "mat-tran": "Mặt trận"}
PARTY_NATION = ("ĐẢNG CỘNG SẢN VIỆT NAM",)
STATE_NATION = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
CONCLUSIONS = ("Kết luận", "Thông báo kết luận")
"""The kinds the conclusions register (/ket-luan/) and its feed hold."""


@dataclass(frozen=True)
class DocumentKind:
    """A kind of document: its name, the code it carries in each system's numbers, and whether it has a heading."""

    name: str
    party: str | None
    state: str | None
    heading: str | None
    also: tuple[str, ...] = ()
    """Other codes its numbers carry: Party quy định are numbered QĐ since Quy định 66-QĐ/TW (2022), QĐi before."""

    @property
    def slug(self) -> str:
        return make_slug(self.name)

    @property
    def short(self) -> str:
        """How an official refers to it in a search box: "kết luận", "công văn"."""
        return self.name.lower()


def kind(
    name: str, party: str | None, state: str | None, heading: str | None = "", also: tuple[str, ...] = ()
) -> DocumentKind:
    return DocumentKind(name, party, state, name if heading == "" else heading, also)


KINDS: tuple[DocumentKind, ...] = (
    kind("Nghị quyết", "NQ", "NQ"),
    kind("Quyết định", "QĐ", "QĐ"),
    kind("Chỉ thị", "CT", "CT"),
    kind("Kết luận", "KL", None),
    kind("Quy chế", "QC", "QC"),
    kind("Quy định", "QĐi", "QyĐ", also=("QĐ",)),
    kind("Thông tri", "TT", None),
    kind("Hướng dẫn", "HD", "HD"),
    kind("Thông báo", "TB", "TB"),
    kind("Thông báo kết luận", None, None, "Thông báo"),
    kind("Thông cáo", "TC", "TC"),
    kind("Báo cáo", "BC", "BC"),
    kind("Kế hoạch", "KH", "KH"),
    kind("Chương trình", "CTr", "CTr"),
    kind("Đề án", "ĐA", "ĐA"),
    kind("Phương án", "PA", "PA"),
    kind("Dự án", None, "DA"),
    kind("Tờ trình", "TTr", "TTr"),
    kind("Biên bản", "BB", "BB"),
    kind("Công văn", "CV", None, None),
    kind("Công điện", "CĐ", "CĐ"),
    kind("Giấy mời", "GM", "GM"),
    kind("Giấy giới thiệu", "GGT", "GGT"),
    kind("Hợp đồng", None, "HĐ"),
    kind("Bản ghi nhớ", None, "BGN"),
    kind("Bản thỏa thuận", None, "BTT"),
    kind("Luật", None, "QH"),
    kind("Nghị định", None, "NĐ"),
    kind("Thông tư", None, "TT"),
    kind("Thông tư liên tịch", None, "TTLT"),
    kind("Nghị quyết liên tịch", None, "NQLT"),
    kind("Pháp lệnh", None, "PL"),
)
BY_NAME = {fold(each.name): each for each in KINDS}
PARTY_CODES = {each.party.casefold(): each for each in KINDS if each.party}
STATE_CODES = {each.state.casefold(): each for each in KINDS if each.state}
FALLBACK = BY_NAME[fold("Thông báo kết luận")]
"""A document with neither a kind nor a number: what the conclusions folder has always held."""
NO_CODE = BY_NAME[fold("Công văn")]
"""A State number whose first code names the issuer (123/UBND-VX) is a công văn's."""
SO_PREFIX = re.compile(r"^(?:số|so)\s*[:.]?\s*(?=\d)", re.IGNORECASE)


def find_kind(name: str) -> DocumentKind | None:
    """The kind named, whatever its case or diacritics."""
    return BY_NAME.get(fold(" ".join(name.split())))


@dataclass(frozen=True)
class NumberParts:
    """What a document number says: its digits, year, kind code and issuer codes, and which system wrote it."""

    digits: str
    year: str | None
    code: str | None
    issuers: tuple[str, ...]
    system: System

    @property
    def kind(self) -> DocumentKind | None:
        """The kind its code names; a State number without a kind code is a công văn."""
        if self.system == "dang":
            return PARTY_CODES.get((self.code or "").casefold())
        if self.code is None:
            return NO_CODE if self.year is None else None
        return STATE_CODES.get(self.code.casefold())


def parse_number(number: str) -> NumberParts:
    """Split a number `is_document_number` accepted: 07-KL/VPTW, 12/TB-UBND, 30/2020/NĐ-CP, 123/UBND-VX."""
    compact = re.sub(r"\s*-\s*", "-", number.strip())
    digits = re.match(r"\d+[a-z]?", compact)
    head = digits.group() if digits else ""
    rest = compact[len(head) :]
    if rest.startswith("-"):
        code, _, issuer = rest[1:].partition("/")
        return NumberParts(head.lstrip("0") or "0", None, code, tuple(issuer.split("-")), "dang")
    parts = rest.lstrip("/").split("/")
    year = parts[0] if len(parts) == 2 else None
    codes = parts[-1].split("-")
    first = codes[0].casefold()
    if year is not None or first in STATE_CODES:
        return NumberParts(head.lstrip("0") or "0", year, codes[0], tuple(codes[1:]), "nha-nuoc")
    return NumberParts(head.lstrip("0") or "0", year, None, tuple(codes), "nha-nuoc")


def default_kind(number: NumberParts | None, title: str, subject: str) -> DocumentKind:
    """The kind a document is when its frontmatter names none: from its number's code, else from its title.

    A Thông báo whose trích yếu is a Kết luận ("Kết luận của đồng chí Tổng Bí thư…") is a thông báo kết luận.
    """
    found = number.kind if number else None
    if found is None and number is None:
        found = kind_in_title(title)
    if found is None or (found.name == "Kết luận" and number is None):
        found = FALLBACK
    if found.name == "Thông báo" and any(fold(text).startswith(fold("Kết luận")) for text in (subject, title)):
        found = FALLBACK
    return found


def kind_in_title(title: str) -> DocumentKind | None:
    """The kind a title opens with ("Thông cáo đặc biệt về…"), the longest name first."""
    folded = fold(title)
    for each in sorted(KINDS, key=lambda entry: -len(entry.name)):
        name = fold(each.name)
        if folded.startswith(name) and (len(folded) == len(name) or not folded[len(name)].isalnum()):
            return each
    return None


def kind_matches_number(chosen: DocumentKind, number: NumberParts) -> bool:
    """Whether a kind the editor named agrees with the code in the number (a thông báo kết luận is numbered TB)."""
    implied = number.kind
    if implied is None or implied == chosen:
        return True
    if number.code is not None and number.code.casefold() in (code.casefold() for code in chosen.also):
        return True
    return chosen == FALLBACK and implied.name == "Thông báo"


def number_line(number: str, system: System) -> str:
    """ "Số 07-KL/VPTW" in the Party's form, "Số: 12/TB-UBND" in the State's and the Front's."""
    return f"Số {number}" if system == "dang" else f"Số: {number}"


def subject_after_kind(chosen: DocumentKind, subject: str) -> str:
    """The trích yếu under the heading: "Kết luận của …" under the heading KẾT LUẬN reads "của …"."""
    if chosen.heading is None:
        return re.sub(r"^(?:V/v|về việc)\s+", "", subject, flags=re.IGNORECASE)
    name = fold(chosen.heading)
    folded = fold(subject)
    if folded.startswith(name + " ") and len(subject) > len(name) + 1:
        return subject[len(name) + 1 :].lstrip()
    return subject


def nation_lines(system: System) -> tuple[str, ...]:
    return PARTY_NATION if system == "dang" else STATE_NATION


def system_from_name(name: str) -> System | None:
    """ "Đảng", "Nhà nước", "Mặt trận" (or their slugs) as a system, whatever the case or diacritics."""
    wanted = fold(name)
    for key, shown in SYSTEM_NAMES.items():
        if wanted in (fold(shown), key, fold(shown).replace(" ", "-")):
            return key
    return None
