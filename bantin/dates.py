"""Dates as Vietnamese pages and editors write them, read into the one form content uses (YYYY-MM-DD HH:MM).

The importer reads "Thứ năm, Ngày 25/01/2018, 06:40 CH" off legacy portals, and `bantin check` proposes the
corrected value when an editor types `20/5/2025`: both read dates here, so they agree.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7), "ICT")

NUMERIC = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)")
ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?")
WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
TIME = re.compile(
    r"(?<![\d/.])(\d{1,2})\s*(?::|h|giờ)\s*(\d{2})(?:\s*:\s*\d{2})?(?:\s*(SA|CH|AM|PM|sáng|chiều|tối))?", re.I
)
AFTERNOON = {"ch", "pm", "chiều", "tối"}
MORNING = {"sa", "am", "sáng"}


def now_in_vietnam() -> datetime:
    """The current time in Vietnam as a naive datetime, the way content dates are written."""
    return datetime.now(VIETNAM).replace(tzinfo=None)


def find_date(text: str) -> tuple[datetime, bool] | None:
    """The first date in `text` (and its time, when one is written beside it); None when there is none."""
    found = None
    for pattern, order in ((ISO, (0, 1, 2)), (NUMERIC, (2, 1, 0)), (WORDS, (2, 1, 0))):
        match = pattern.search(text)
        if match and (found is None or match.start() < found[0].start()):
            found = (match, order)
    if found is None:
        return None
    match, order = found
    parts = match.groups()
    year, month, day = (int(parts[index]) for index in order)
    try:
        moment = datetime(year, month, day)
    except ValueError:
        return None
    if pattern_has_time(match):
        hour, minute = int(match.group(4)), int(match.group(5))
        return with_time(moment, hour, minute, None)
    time = TIME.search(text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :])
    if time is None:
        return moment, False
    return with_time(moment, int(time.group(1)), int(time.group(2)), time.group(3))


def pattern_has_time(match: re.Match[str]) -> bool:
    return match.re is ISO and match.group(4) is not None


def with_time(moment: datetime, hour: int, minute: int, meridiem: str | None) -> tuple[datetime, bool] | None:
    marker = (meridiem or "").casefold()
    if marker in AFTERNOON and hour < 12:
        hour += 12
    elif marker in MORNING and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return moment, False
    return moment.replace(hour=hour, minute=minute), True


def content_date(moment: datetime, has_time: bool) -> str:
    """The value an editor writes in `date:`: "2025-05-20" or "2025-05-20 08:30" (no seconds)."""
    return f"{moment:%Y-%m-%d %H:%M}" if has_time else f"{moment:%Y-%m-%d}"


def from_iso(value: str) -> tuple[datetime, bool] | None:
    """A machine date from a page's markup ("2024-05-20T08:30:00+07:00"), in Vietnam time."""
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        found = find_date(value)
        return found
    if moment.tzinfo is not None:
        moment = moment.astimezone(VIETNAM).replace(tzinfo=None)
    has_time = "T" in value or " " in value.strip()
    return moment.replace(second=0, microsecond=0), has_time
