"""The editor's preview under `mkdocs serve`: a content mistake is shown in the browser, never a stuck page.

When a save introduces content errors, the rebuild still succeeds with the last good content, and every page
opens with the errors exactly as `bantin check` prints them (file, line, field, message). The successful rebuild
makes MkDocs' live reload refresh the open page, so the errors appear by themselves, and the next save that
fixes them refreshes it again without them.
"""

from __future__ import annotations

import re
from html import escape

from bantin.errors import ContentErrors

BODY_OPEN = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)
STYLESHEET = "assets/bantin/preview.css"


def error_lines(errors: ContentErrors) -> list[str]:
    """The lines `bantin check` prints for these errors, without its closing summary."""
    prefix = f"{errors.root}/" if errors.root else ""
    return [prefix + str(error) for error in errors.errors]


def error_panel(errors: ContentErrors, site_url: str) -> str:
    """The panel every page opens with while the content has errors; everything from content is escaped."""
    lines = "".join(f"<li><code>{escape(line)}</code></li>" for line in error_lines(errors))
    base = site_url if site_url.endswith("/") else site_url + "/"
    return (
        f'<link rel="stylesheet" href="{escape(base + STYLESHEET)}">'
        '<section class="bt-build-errors" role="alert" aria-labelledby="bt-build-errors-title">'
        f'<h2 id="bt-build-errors-title">Nội dung có {len(errors.errors)} lỗi: trang chưa được cập nhật</h2>'
        f"<ul>{lines}</ul>"
        "<p>Trang đang hiện là bản tạo thành công gần nhất. Sửa các lỗi trên rồi lưu tệp: "
        "trang sẽ tự tải lại.</p></section>"
    )


def with_panel(html: bytes, panel: str) -> bytes:
    """The page with the panel right after `<body>` (at the start when a page has no body tag)."""
    found = BODY_OPEN.search(html)
    at = found.end() if found else 0
    return html[:at] + panel.encode("utf-8") + html[at:]
