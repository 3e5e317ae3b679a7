"""`bantin views`: access logs (nginx and Apache combined, plain and gzip-rotated) into content/luot-xem.json."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bantin.loader import load_content
from bantin.views import VIEWS_FILE, read_logs
from tests.conftest import build_site

PAGE = "/tin/2023/nang-cao-chat-luong-khoi-dan-van/"
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"
    " Version/17.4 Mobile/15E148 Safari/604.1 Zalo iOS/470"
)
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
COCCOC = "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)"
BING = "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36"  # noqa: E501


def line(address: str, when: str, request: str, status: int, agent: str, referer: str = "-") -> str:
    """One combined-format line, as nginx's `combined` and Apache's `%h %l %u %t "%r" %>s %b …` both write it."""
    size = "-" if status == 304 else "18342"
    return f'{address} - - [{when}] "{request}" {status} {size} "{referer}" "{agent}"'


TODAY = [
    # nginx: a reader from a search result, then the same reader again the same day (one view)
    line(
        "203.113.152.10", "20/May/2025:08:31:02 +0700", f"GET {PAGE} HTTP/1.1", 200, CHROME, "https://www.google.com/"
    ),
    line("203.113.152.10", "20/May/2025:09:02:45 +0700", f"GET {PAGE}?utm_source=zalo HTTP/1.1", 304, CHROME),
    # another reader on a phone, through the page's index.html
    line("14.232.208.7", "20/May/2025:10:15:00 +0700", f"GET {PAGE}index.html HTTP/2.0", 200, IPHONE),
    # crawlers, assets, a redirect, an error, a form post: none is a view
    line("66.249.66.1", "20/May/2025:10:16:00 +0700", f"GET {PAGE} HTTP/1.1", 200, GOOGLEBOT),
    line("123.30.175.41", "20/May/2025:10:17:00 +0700", f"GET {PAGE} HTTP/1.1", 200, COCCOC),
    line("40.77.167.2", "20/May/2025:10:18:00 +0700", f"GET {PAGE} HTTP/1.1", 200, BING),
    line("14.232.208.7", "20/May/2025:10:15:01 +0700", "GET /tin/2023/hoi-nghi.jpg HTTP/2.0", 200, IPHONE),
    line("14.232.208.7", "20/May/2025:10:15:01 +0700", "GET /assets/bantin/bantin.css HTTP/2.0", 200, IPHONE),
    line("14.232.208.9", "20/May/2025:10:19:00 +0700", f"GET {PAGE.rstrip('/')} HTTP/1.1", 301, CHROME),
    line("14.232.208.9", "20/May/2025:10:19:01 +0700", "GET /tin/2023/khong-co-bai-nay/ HTTP/1.1", 404, CHROME),
    line("14.232.208.9", "20/May/2025:10:20:00 +0700", f"POST {PAGE} HTTP/1.1", 200, CHROME),
    line("14.232.208.9", "20/May/2025:10:21:00 +0700", f"GET {PAGE} HTTP/1.1", 200, "-"),
    # malformed: a truncated line, a TLS handshake logged as garbage, an Apache "common" line without agent
    '14.232.208.9 - - [20/May/2025:10:22:00 +0700] "GET /tin/2023/nang-cao',
    '45.9.148.3 - - [20/May/2025:10:23:00 +0700] "\\x16\\x03\\x01\\x00\\xee\\x01" 400 157 "-" "-"',
    f'14.232.208.11 - - [20/May/2025:10:24:00 +0700] "GET {PAGE} HTTP/1.1" 200 18342',
]
# Apache, rotated and gzipped: the first reader the day before (a second view), and one logged at 17:30 UTC,
# which is 00:30 the next day in Vietnam
YESTERDAY = [
    line("203.113.152.10", "19/May/2025:21:00:00 +0700", f"GET {PAGE} HTTP/1.1", 200, CHROME),
    line("171.224.180.5", "19/May/2025:17:30:00 +0000", f"GET {PAGE} HTTP/1.1", 200, IPHONE),
]


def write_logs(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    plain = folder / "access.log"
    plain.write_text("\n".join(TODAY) + "\n", encoding="utf-8")
    rotated = folder / "access.log.1.gz"
    with gzip.open(rotated, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(YESTERDAY) + "\n")
    return [plain, rotated]


def test_one_view_per_visitor_per_day_without_crawlers_assets_or_redirects(tmp_path: Path) -> None:
    tally = read_logs(write_logs(tmp_path / "logs"))
    item = PAGE.strip("/")
    assert tally.counts() == {item: {"2025-05-19": 1, "2025-05-20": 3}}
    assert tally.crawlers == 4  # Googlebot, coccocbot, bingbot and a request without a user agent
    assert tally.malformed == 3
    assert tally.lines == len(TODAY) + len(YESTERDAY)


def test_views_command_writes_the_data_file_and_reports_malformed_lines(
    content: Callable[..., Path], tmp_path: Path
) -> None:
    folder = content()
    logs = write_logs(tmp_path / "logs")
    result = subprocess.run(
        [sys.executable, "-m", "bantin.cli", "views", "--content", str(folder), *map(str, logs)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"Đã đọc {len(TODAY) + len(YESTERDAY)} dòng nhật ký: 4 lượt xem của 1 bài,"
        " bỏ qua 4 lượt của máy tìm kiếm và bot."
    )
    assert lines[1] == (
        "3 dòng không đúng định dạng nhật ký combined nên không được đếm"
        " (ví dụ: access.log:13, access.log:14, access.log:15)."
    )
    data = json.loads((folder / VIEWS_FILE).read_text(encoding="utf-8"))
    assert data["items"] == {PAGE.strip("/"): {"2025-05-19": 1, "2025-05-20": 3}}
    # Reading the same logs again counts nothing twice; the article file itself is never rewritten.
    article = (folder / "tin/2023/nang-cao-chat-luong-khoi-dan-van.md").read_text(encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "bantin.cli", "views", "--content", str(folder), *map(str, logs)],
        capture_output=True,
        check=True,
    )
    assert json.loads((folder / VIEWS_FILE).read_text(encoding="utf-8"))["items"] == data["items"]
    assert (folder / "tin/2023/nang-cao-chat-luong-khoi-dan-van.md").read_text(encoding="utf-8") == article


def test_build_shows_migrated_plus_counted_views_and_ranks_only_counted_items(
    content: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    never_counted = "---\ntitle: Bài chưa ai xem\ndate: 2023-04-01\nunit: Tỉnh ủy Bắc Kạn\n---\nNội dung bài.\n"
    folder = content({"tin/2023/bai-chua-ai-xem.md": never_counted})
    counts = {"items": {PAGE.strip("/"): {"2025-05-19": 1, "2025-05-20": 3}}}
    (folder / VIEWS_FILE).write_text(json.dumps(counts), encoding="utf-8")
    item = next(item for item in load_content(folder).items if item.slug == "nang-cao-chat-luong-khoi-dan-van")
    assert item.views == 1234 + 4
    site = build_site(folder, tmp_path / "site", monkeypatch)
    page = (site / PAGE.strip("/") / "index.html").read_text(encoding="utf-8")
    assert "Lượt xem: 1.238" in page
    most_viewed = (site / "xem-nhieu" / "index.html").read_text(encoding="utf-8")
    assert "Nâng cao chất lượng hoạt động của khối dân vận cơ sở" in most_viewed
    assert "Bài chưa ai xem" not in most_viewed


def test_damaged_views_file_is_one_vietnamese_error(content: Callable[..., Path]) -> None:
    folder = content({VIEWS_FILE: "{ hỏng"})
    result = subprocess.run(
        [sys.executable, "-m", "bantin.cli", "check", str(folder)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert (
        "luot-xem.json:1: views: tệp lượt xem bị hỏng; xoá tệp rồi chạy lại bantin views với các nhật ký truy cập"
        in result.stderr
    )
