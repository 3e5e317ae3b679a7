"""How dates and numbers read in Vietnamese: "Thứ Năm, 25/01/2018, 18:40", "9.913"."""

from __future__ import annotations

from datetime import datetime

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def grouped(number: int) -> str:
    """Digit grouping with dots, as Vietnamese writes thousands: 9913 → "9.913"."""
    return f"{number:,}".replace(",", ".")


def short_date(moment: datetime) -> str:
    return moment.strftime("%d/%m/%Y")


def long_date(moment: datetime, with_time: bool) -> str:
    """Weekday, day/month/year and, when the source gave one, the time."""
    text = f"{WEEKDAYS[moment.weekday()]}, {short_date(moment)}"
    return f"{text}, {moment:%H:%M}" if with_time else text


def approximate_date(moment: datetime) -> str:
    """A date the page did not state: only the month it falls in is claimed."""
    return f"Khoảng tháng {moment.month}/{moment.year}"


def document_date(moment: datetime) -> str:
    """The italic place-and-date line of an official document: "ngày 05 tháng 8 năm 2024", "ngày 27 tháng 11 năm 2014".

    A zero only before days under 10 and before months 1 and 2, as Nghị định 30 and Hướng dẫn 36 write them.
    """
    month = f"{moment.month:02d}" if moment.month < 3 else str(moment.month)
    return f"ngày {moment.day:02d} tháng {month} năm {moment.year}"


def file_size(size: int) -> str:
    """An attachment's size as a reader sees it: "850 KB", "1,2 MB" (decimal comma)."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


def partial_date(value: str) -> str:
    """A registry date that may be YYYY, YYYY-MM or YYYY-MM-DD, written the Vietnamese way."""
    parts = value.split("-")
    return "/".join(reversed(parts))
