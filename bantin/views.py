"""Views counted from web-server access logs into `content/luot-xem.json`, which the build adds to `views`.

One view per visitor (address and browser) per day per item page; crawlers are recognised by CrawlerDetect's
maintained list of user agents; assets, redirects, errors and other methods are not views. A line that is not in
nginx's or Apache's combined format is counted and reported, never fatal. Counts are kept per item and day and
merged by taking the larger count of a day, so reading the same log twice never counts it twice.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from bantin.dates import VIETNAM
from bantin.errors import ContentError

VIEWS_FILE = "luot-xem.json"
# nginx `combined` and Apache `%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"` write the same line.
COMBINED = re.compile(
    r'^(?P<address>\S+) \S+ \S+ \[(?P<time>[^\]]+)\] "(?P<request>[^"]*)" (?P<status>\d{3}) \S+'
    r' "(?P<referer>(?:[^"\\]|\\.)*)" "(?P<agent>(?:[^"\\]|\\.)*)"'
)
ITEM_PATH = re.compile(r"(?:^|/)((?:tin|ket-luan)/\d{4}/[a-z0-9]+(?:-[a-z0-9]+)*)/(?:index\.html)?$")
VIEW_STATUSES = {"200", "304"}


@dataclass
class Tally:
    """Views by item and day from the logs read, with what was left out and why."""

    days: dict[str, dict[str, set[tuple[str, str]]]] = field(default_factory=lambda: defaultdict(dict))
    lines: int = 0
    malformed: int = 0
    crawlers: int = 0
    examples: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, dict[str, int]]:
        return {item: {day: len(visitors) for day, visitors in days.items()} for item, days in self.days.items()}


def open_log(path: Path) -> Any:
    """A log file, gzip-rotated (`access.log.2.gz`) or plain, decoded leniently: a bad byte is not a lost day."""
    with path.open("rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    return path.open(encoding="utf-8", errors="replace")


def read_logs(paths: list[Path]) -> Tally:
    from crawlerdetect import CrawlerDetect

    detector = CrawlerDetect()
    tally = Tally()
    for path in paths:
        with open_log(path) as lines:
            for number, line in enumerate(lines, 1):
                tally.lines += 1
                read_line(line.rstrip("\n"), tally, detector, f"{path.name}:{number}")
    return tally


def read_line(line: str, tally: Tally, detector: Any, where: str) -> None:
    match = COMBINED.match(line)
    moment = parse_time(match.group("time")) if match else None
    request = match.group("request").split(" ") if match else []
    if not match or moment is None or len(request) not in (2, 3):
        if line.strip():
            tally.malformed += 1
            if len(tally.examples) < 3:
                tally.examples.append(where)
        return
    method, target = request[0], request[1]
    if method != "GET" or match.group("status") not in VIEW_STATUSES:
        return
    item = ITEM_PATH.search(unquote(urlsplit(target).path))
    if item is None:  # the home page, listings, assets, feeds
        return
    agent = match.group("agent")
    if agent in ("", "-") or detector.is_crawler(agent):
        tally.crawlers += 1
        return
    day = moment.astimezone(VIETNAM).date().isoformat()
    tally.days[item.group(1)].setdefault(day, set()).add((match.group("address"), agent))


def parse_time(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, "%d/%b/%Y:%H:%M:%S %z")
    except ValueError:
        return None


def load_counts(content_dir: Path) -> tuple[dict[str, dict[str, int]], list[ContentError]]:
    """The stored counts by item URL path and day; a damaged file is one error, not a traceback."""
    path = content_dir / VIEWS_FILE
    if not path.is_file():
        return {}, []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        items = data["items"]
        counts = {
            str(item): {str(day): int(count) for day, count in days.items()} for item, days in dict(items).items()
        }
    except (ValueError, KeyError, TypeError, AttributeError):
        message = "tệp lượt xem bị hỏng; xoá tệp rồi chạy lại bantin views với các nhật ký truy cập"
        return {}, [ContentError(VIEWS_FILE, 1, "views", message)]
    return counts, []


def totals(counts: dict[str, dict[str, int]]) -> dict[str, int]:
    """Views per item page URL ("tin/2018/slug/"), as the build adds them to `views`."""
    return {f"{item}/": sum(days.values()) for item, days in counts.items()}


def merge(old: dict[str, dict[str, int]], new: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """The larger count of each day: reading a log again, or a longer copy of it, never counts a visit twice."""
    merged = {item: dict(days) for item, days in old.items()}
    for item, days in new.items():
        target = merged.setdefault(item, {})
        for day, count in days.items():
            target[day] = max(target.get(day, 0), count)
    return {item: dict(sorted(days.items())) for item, days in sorted(merged.items())}


def write_counts(content_dir: Path, counts: dict[str, dict[str, int]]) -> Path:
    path = content_dir / VIEWS_FILE
    data = {
        "ghi_chu": "Lượt xem đếm từ nhật ký truy cập bằng lệnh bantin views; không sửa tay.",
        "items": counts,
    }
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    temporary.replace(path)
    return path


def run_views(content_dir: Path, logs: list[Path]) -> int:
    missing = [path for path in logs if not path.is_file()]
    if missing:
        for path in missing:
            print(f"{path}: không tìm thấy tệp nhật ký", file=sys.stderr)
        return 1
    if not content_dir.is_dir():
        print(f"{content_dir}: không tìm thấy thư mục nội dung", file=sys.stderr)
        return 1
    old, errors = load_counts(content_dir)
    if errors:
        print("\n".join(f"{content_dir.name}/{error}" for error in errors), file=sys.stderr)
        return 1
    tally = read_logs(logs)
    new = tally.counts()
    path = write_counts(content_dir, merge(old, new))
    views = sum(sum(days.values()) for days in new.values())
    print(
        f"Đã đọc {tally.lines} dòng nhật ký: {views} lượt xem của {len(new)} bài,"
        f" bỏ qua {tally.crawlers} lượt của máy tìm kiếm và bot."
    )
    if tally.malformed:
        where = ", ".join(tally.examples)
        print(f"{tally.malformed} dòng không đúng định dạng nhật ký combined nên không được đếm (ví dụ: {where}).")
    print(f"Đã ghi {path}; lượt xem trên trang sẽ cập nhật ở lần tạo trang tiếp theo.")
    return 0
