"""Which files beside the articles are published: images and office documents, each what its name says.

A content folder collects files from many hands. An HTML page, an SVG drawing or a script published from it would
run on the site's own address, so only the types below are copied to the site, and an image or PDF must start as
one does (a page renamed `anh.jpg` is refused too). Everything else is named by `bantin check`, never silently
left out.
"""

from __future__ import annotations

from pathlib import Path

# Suffix → the opening bytes a real file of that type starts with (any of them); None when the type has no fixed one.
PUBLISHED: dict[str, tuple[bytes, ...] | None] = {
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".avif": None,
    ".pdf": (b"%PDF-",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".ppt": (b"\xd0\xcf\x11\xe0",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".odp": (b"PK\x03\x04",),
    ".mp3": None,
    ".mp4": None,
}
TYPES = "ảnh (JPG, PNG, GIF, WebP, AVIF), tài liệu (PDF, DOC, DOCX, XLS, XLSX, PPT, PPTX, ODT, ODS, ODP), MP3, MP4"


def asset_problem(path: Path) -> str | None:
    """Why a file beside the articles is not published, in words for editors; None when it is."""
    suffix = path.suffix.lower()
    if suffix not in PUBLISHED:
        if suffix == ".svg":
            return "hình vẽ SVG có thể chứa mã chạy trên trang nên không được đăng; hãy lưu thành ảnh PNG"
        shown = f'tệp "{suffix}"' if suffix else "tệp không có đuôi"
        return f"{shown} không được đăng; chỉ đăng {TYPES}: hãy xoá tệp hoặc chuyển sang một trong các dạng đó"
    signatures = PUBLISHED[suffix]
    if signatures is not None:
        with path.open("rb") as file:
            head = file.read(16)
        if not head.startswith(signatures) or (suffix == ".webp" and head[8:12] != b"WEBP"):
            return f'tệp không phải {suffix.lstrip(".").upper()} thật dù tên có đuôi "{suffix}"; hãy lưu lại đúng dạng'
    return None
