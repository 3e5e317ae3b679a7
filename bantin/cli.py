"""The `bantin` command: `bantin check [CONTENT_DIR]` validates content exactly as the build does."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bantin.errors import ContentErrors
from bantin.loader import load_content
from bantin.plugin import site_renderer
from bantin.vietnamese import grouped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bantin", description="Bản tin: kiểm tra và xây dựng trang bản tin.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="kiểm tra nội dung mà không tạo trang")
    check.add_argument(
        "content_dir", nargs="?", default="content", type=Path, help="thư mục nội dung (mặc định: content)"
    )
    args = parser.parse_args(argv)
    return run_check(args.content_dir)


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
    return 0


if __name__ == "__main__":
    sys.exit(main())
