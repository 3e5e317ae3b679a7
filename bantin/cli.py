"""The `bantin` command: `check` validates content exactly as the build does; `import`, `new` and `views` are the
editors' tools around it. Every message is Vietnamese; a content mistake never prints a traceback."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bantin import newsite, nginx
from bantin.errors import ContentErrors
from bantin.loader import load_content
from bantin.plugin import site_renderer
from bantin.vietnamese import grouped

CONTENT_HELP = "thư mục nội dung (mặc định: content)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bantin", description="Bản tin: kiểm tra và xây dựng trang bản tin.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="kiểm tra nội dung mà không tạo trang")
    check.add_argument("content_dir", nargs="?", default="content", type=Path, help=CONTENT_HELP)
    check.add_argument("--content", type=Path, help=CONTENT_HELP + " (cách ghi như bantin import)")
    importer = commands.add_parser("import", help="nhập trang của cổng thông tin cũ (tệp văn bản hoặc HTML)")
    importer.add_argument("--content", default="content", type=Path, help=CONTENT_HELP)
    importer.add_argument("--unit", help="đơn vị sở hữu cổng thông tin cũ, dùng cho các tin không ghi đơn vị đăng")
    importer.add_argument("paths", nargs="+", type=Path, help="tệp trang hoặc thư mục chứa các trang")
    new = commands.add_parser("new", help="tạo bài mới (hỏi từng trường nếu không ghi đủ)")
    new.add_argument("--content", default="content", type=Path, help=CONTENT_HELP)
    new.add_argument("--kind", choices=("tin", "ket-luan"), help="loại bài: tin (tin tức) hoặc ket-luan (thông báo)")
    new.add_argument("--title", help="tiêu đề")
    new.add_argument("--unit", help="đơn vị đăng (tên trong don-vi.yml)")
    new.add_argument("--date", help="ngày đăng, YYYY-MM-DD hoặc YYYY-MM-DD HH:MM (mặc định: bây giờ, giờ Việt Nam)")
    new.add_argument("--draft", action="store_true", help="đánh dấu bản nháp (draft: true)")
    views = commands.add_parser("views", help="đếm lượt xem từ nhật ký truy cập của máy chủ web")
    views.add_argument("--content", default="content", type=Path, help=CONTENT_HELP)
    views.add_argument("logs", nargs="+", type=Path, help="tệp nhật ký truy cập (access.log, access.log.1, .gz)")
    newsite.add_arguments(commands.add_parser("init", help="tạo trang bản tin mới cho một đơn vị"))
    nginx.add_arguments(commands.add_parser("nginx", help="in cấu hình nginx cho trang đặt trên máy chủ riêng"))
    args = parser.parse_args(argv)
    if args.command == "init":
        return newsite.run_init(args)
    if args.command == "nginx":
        return nginx.run_nginx(args)
    if args.command == "import":
        return run_import(args.content, args.paths, args.unit)
    if args.command == "new":
        from bantin.scaffold import run_new

        return run_new(args)
    if args.command == "views":
        from bantin.views import run_views

        return run_views(args.content, args.logs)
    return run_check(args.content or args.content_dir)


def run_check(content_dir: Path) -> int:
    try:
        collection = load_content(content_dir, renderer=site_renderer(content_dir.parent / "mkdocs.yml"))
    except ContentErrors as errors:
        print(errors.report(), file=sys.stderr)
        return 1
    news = len(collection.of_kind("tin"))
    notices = len(collection.of_kind("ket-luan"))
    units = len(collection.registry.units)
    print(f"Nội dung hợp lệ: {grouped(news)} tin, {grouped(notices)} thông báo kết luận, {grouped(units)} đơn vị.")
    for line in collection.schedule_notes():
        print(line)
    return 0


def run_import(content_dir: Path, paths: list[Path], unit: str | None) -> int:
    from bantin.importer import Progress, import_pages

    if not content_dir.is_dir():
        print(f"{content_dir}: không tìm thấy thư mục nội dung", file=sys.stderr)
        return 1
    summary = import_pages(paths, content_dir, unit, Progress())
    print(summary.report())
    return 0 if summary.imported or not summary.outcomes else 1


if __name__ == "__main__":
    sys.exit(main())
