"""`bantin new`: a new news item or conclusion notice, its fields ready to fill and explained in Vietnamese.

Asked one question at a time when run in a terminal without arguments, or given them (`--title`, `--unit`,
`--kind`, `--date`); the date defaults to now in Vietnam time. The file is named from the title, placed in the
year folder, never written over an existing file, and passes `bantin check` as written.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bantin.dates import content_date, find_date, now_in_vietnam
from bantin.importer import short_slug
from bantin.items import DATE
from bantin.suggest import did_you_mean
from bantin.units import Registry, load_registry

KIND_NAMES = {"tin": "tin tức", "ket-luan": "thông báo kết luận"}
NEWS_FIELDS = """\
# Các dòng bắt đầu bằng # là ghi chú, không hiện trên trang. Bỏ dấu # ở trường muốn dùng.
# author: Tên tác giả hoặc bút danh
# category: Chuyên mục, ví dụ Công tác dân vận
# tags: [Chủ đề 1, Chủ đề 2]
# organizations: [Tên đơn vị khác được nhắc đến, có trong don-vi.yml]
# summary: "Đoạn sapo dẫn đầu bài (mặc định là đoạn đầu của nội dung)"
# image_caption: "Chú thích ảnh"
# source: Nơi đăng đầu tiên
"""
NOTICE_FIELDS = """\
# number: 212-TB/TU                      # số hiệu văn bản
# issuer: Thường trực Tỉnh ủy            # cơ quan ban hành
# place: Bắc Kạn                         # địa danh ghi trước ngày ban hành
# subject: Trích yếu (mặc định là tiêu đề)
# meeting: "tại Hội nghị …"
# signing_authority: T/L BAN THƯỜNG VỤ
# signer_title: Chánh Văn phòng
# signer: Họ và tên người ký
# signature_note: "(đã ký, đóng dấu)"
# recipients:
#   - Nơi nhận thứ nhất
#   - Lưu Văn phòng
"""
BODY = "Viết nội dung bài ở đây. Mỗi đoạn cách nhau một dòng trống.\n"


def run_new(args: argparse.Namespace, ask: Callable[[str], str] | None = None) -> int:
    content_dir: Path = args.content
    if not content_dir.is_dir():
        print(f"{content_dir}: không tìm thấy thư mục nội dung", file=sys.stderr)
        return 1
    registry, _errors = load_registry(content_dir)
    interactive = ask is not None or sys.stdin.isatty()
    prompt = ask or input
    kind = args.kind or (ask_kind(prompt) if interactive else "tin")
    title = args.title or (prompt("Tiêu đề: ").strip() if interactive else "")
    if not title:
        print('Thiếu tiêu đề: ghi --title "…" hoặc chạy lệnh trong cửa sổ dòng lệnh để được hỏi.', file=sys.stderr)
        return 1
    unit_name = args.unit or (prompt("Đơn vị đăng (tên trong don-vi.yml): ").strip() if interactive else "")
    unit, problem = resolve_unit(unit_name, registry)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    date_text = args.date
    if date_text is None and interactive:
        date_text = prompt("Ngày đăng (Enter: bây giờ): ").strip() or None
    moment, has_time, problem = resolve_date(date_text)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    target = content_dir / kind / str(moment.year) / f"{short_slug(title)}.md"
    if target.exists():
        print(f"{target}: đã có tệp này; không ghi đè. Hãy đổi tiêu đề hoặc sửa tệp đã có.", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:
        handle.write(render_new(kind, title, unit, content_date(moment, has_time), args.draft))
    print(f"Đã tạo {target} ({KIND_NAMES[kind]}). Mở tệp để viết nội dung, rồi chạy: bantin check")
    return 0


def ask_kind(prompt: Callable[[str], str]) -> str:
    answer = prompt("Loại bài — 1: tin tức, 2: thông báo kết luận [1]: ").strip()
    return "ket-luan" if answer in ("2", "ket-luan", "thông báo", "thong bao") else "tin"


def resolve_unit(name: str, registry: Registry) -> tuple[str, str | None]:
    if not name:
        return "", 'Thiếu đơn vị đăng: ghi --unit "…" bằng một tên có trong don-vi.yml.'
    unit = registry.find(name)
    if unit is None:
        return "", f'Không có đơn vị "{name}" trong don-vi.yml' + did_you_mean(name, registry.names()) + "."
    return unit.name, None


def resolve_date(text: str | None) -> tuple[datetime, bool, str | None]:
    if text is None:
        return now_in_vietnam().replace(second=0, microsecond=0), True, None
    if DATE.match(text.strip()):
        found = find_date(text)
        if found:
            return found[0], found[1], None
    found = find_date(text)
    hint = f' (có phải "{content_date(*found)}"?)' if found else ""
    return datetime.min, False, f'Ngày "{text}" không đúng dạng YYYY-MM-DD hoặc YYYY-MM-DD HH:MM{hint}.'


def render_new(kind: str, title: str, unit: str, date: str, draft: bool) -> str:
    lines = [
        "---",
        f"title: {json.dumps(title, ensure_ascii=False)}",
        f'date: "{date}"  # giờ Việt Nam; bài có ngày sau hôm nay sẽ tự hiện khi tới ngày',
        f"unit: {json.dumps(unit, ensure_ascii=False)}",
    ]
    if draft:
        lines.append("draft: true  # bản nháp: chỉ xem được khi chạy make serve; bỏ dòng này để đăng")
    text = "\n".join(lines) + "\n" + NEWS_FIELDS
    if kind == "ket-luan":
        text += NOTICE_FIELDS
    return text + "---\n\n" + BODY
