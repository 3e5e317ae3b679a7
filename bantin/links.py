"""Local files an article body points to (images beside it, attached PDFs, other articles) that do not exist.

`mkdocs build --strict` would stop on them in English after the old site was already removed; `bantin check`
names each at its line instead. Links to other sites and to the site's own pages (`/don-vi/…`, `../bai/`) are
not files and are not looked up. Code spans and fenced code are text, so they are not looked at either.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from bantin.errors import ContentError

MARKDOWN_TARGET = re.compile(r"(!?)\[[^\]]*\]\(\s*<?([^\s)>]+)>?(?:\s+[\"'][^)]*)?\)")
HTML_TARGET = re.compile(
    r"""<(img|a|source|video|audio)\b[^<>]*?\s(?:src|href)\s*=\s*["']?([^"'\s<>]+)""", re.IGNORECASE
)
NOT_A_FILE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|/|#|\?)", re.IGNORECASE)
# Code is shown as text, so what it seems to link to is not looked up (a heuristic: this is a check, not safety).
FENCED = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[^\n]*$", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"(`+)[^\n]+?\1")


def missing_files(content_dir: Path, relative: str, body: str, first_line: int) -> list[ContentError]:
    """Each local image or file the body links to that is not in the content folder, at its line."""
    visible = CODE_SPAN.sub(blank, FENCED.sub(blank, body))
    folder = (content_dir / relative).parent
    errors = []
    for pattern in (MARKDOWN_TARGET, HTML_TARGET):
        for match in pattern.finditer(visible):
            image = match.group(1) in ("!", "img", "IMG")
            target = match.group(2).split("#", 1)[0].split("?", 1)[0]
            if not target or NOT_A_FILE.match(target) or target.endswith("/") or "." not in target.rsplit("/", 1)[-1]:
                continue
            if (folder / unquote(target)).is_file():
                continue
            line = first_line + visible.count("\n", 0, match.start(2))
            expected = (Path(relative).parent / unquote(target)).as_posix()
            what = "ảnh" if image else "tệp"
            message = f'không có {what} "{target}" (tìm tại {expected}); hãy đặt tệp vào đó hoặc sửa lại tên trong bài'
            errors.append(ContentError(relative, line, "body", message))
    return sorted(errors)


def blank(match: re.Match[str]) -> str:
    """Code replaced by spaces, its line breaks kept, so offsets still give the right line."""
    return re.sub(r"[^\n]", " ", match.group())
