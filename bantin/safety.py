"""What an article body may not carry: anything that runs code, or loads another site, in a reader's browser.

Markdown lets editors write HTML, and pasting from a legacy portal or a word processor brings some along. Tables,
bold and line breaks are welcome; scripts, frames, forms, event handlers and script links are not, nor images
fetched from another site (every reader's visit would be announced to it, and government intranets block it).
Each is reported at its line before anything is built, rather than published or silently dropped. Code spans and
fenced code show HTML as text, so they are not looked at.
"""

from __future__ import annotations

import re

from bantin.errors import ContentError

FORBIDDEN_TAGS = ("script", "style", "iframe", "frame", "object", "embed", "applet", "form", "link", "meta", "base")
MEDIA_SOURCE = r"""<(?:img|video|audio|source|track)\b[^<>]*?\ssrc\s*=\s*["']?"""
MARKDOWN_IMAGE = r"!\[[^\]]*\]\(\s*<?"
SCRIPT_SCHEMES = r"(?:javascript|vbscript|data(?!:image/))"
PROBLEMS = (
    (
        re.compile(r"<\s*(" + "|".join(FORBIDDEN_TAGS) + r")\b", re.IGNORECASE),
        "thẻ <{}> không được dùng trong bài: trang bản tin không chạy mã hay nhúng nội dung của trang khác",
    ),
    (
        re.compile(r"<[a-z][^<>]*?\s(on[a-z]+)\s*=", re.IGNORECASE),
        'thuộc tính "{}" chạy mã trong trình duyệt của người đọc; hãy xoá thuộc tính này',
    ),
    (
        re.compile(r"""(?:(?:href|src|action)\s*=\s*["']?|\]\(\s*<?)\s*(""" + SCRIPT_SCHEMES + r"):", re.IGNORECASE),
        'liên kết "{}:" không được dùng; hãy dùng địa chỉ http(s) hoặc tệp đặt cạnh bài',
    ),
    (
        re.compile(f"(?:{MEDIA_SOURCE}|{MARKDOWN_IMAGE})" + r"""\s*((?:https?:)?//[^\s"'<>)]+)""", re.IGNORECASE),
        'ảnh hoặc tệp "{}" lấy từ trang khác; hãy tải về, đặt cạnh bài và dẫn bằng tên tệp',
    ),
)
FENCED = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[^\n]*$", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"(`+)[^\n]+?\1")


def unsafe_content(path: str, body: str, first_line: int) -> list[ContentError]:
    """Every forbidden tag, event handler, script link and image from another site in `body`, at its line."""
    visible = CODE_SPAN.sub(blank, FENCED.sub(blank, body))
    errors = []
    for pattern, message in PROBLEMS:
        for match in pattern.finditer(visible):
            line = first_line + visible.count("\n", 0, match.start(1))
            errors.append(ContentError(path, line, "body", message.format(match.group(1))))
    return errors


def blank(match: re.Match[str]) -> str:
    """Code replaced by spaces, its line breaks kept, so offsets still give the right line."""
    return re.sub(r"[^\n]", " ", match.group())
