"""Which files beside the articles are published: images and office documents, each what its name says.

A content folder collects files from many hands. An HTML page, an SVG drawing or a script published from it would
run on the site's own address, so only the types below are copied to the site; a web server sends each with the
type its name says (and `nosniff`), so a page renamed `anh.jpg` is shown as a broken image, never run. Everything
else is named by `bantin check`, never silently left out. Lead images are opened and checked by `bantin.images`.
"""

from __future__ import annotations

from pathlib import Path

PUBLISHED = frozenset(
    {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx"}
    | {".odt", ".ods", ".odp", ".mp3", ".mp4"}
)
TYPES = "ảnh (JPG, PNG, GIF, WebP, AVIF), tài liệu (PDF, DOC, DOCX, XLS, XLSX, PPT, PPTX, ODT, ODS, ODP), MP3, MP4"


def asset_problem(path: Path) -> str | None:
    """Why a file beside the articles is not published, in words for editors; None when it is."""
    suffix = path.suffix.lower()
    if suffix not in PUBLISHED:
        if suffix == ".svg":
            return "hình vẽ SVG có thể chứa mã chạy trên trang nên không được đăng; hãy lưu thành ảnh PNG"
        shown = f'tệp "{suffix}"' if suffix else "tệp không có đuôi"
        return f"{shown} không được đăng; chỉ đăng {TYPES}: hãy xoá tệp hoặc chuyển sang một trong các dạng đó"
    return None
