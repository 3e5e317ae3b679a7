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


def local_targets(body: str, first_line: int) -> list[tuple[str, int, bool]]:
    """(target, line, is an image) of every local file the body links to: read from the text alone, so the
    build cache keeps them with the parsed item and a warm build only looks the files up."""
    # Each pattern is tried only on a body holding what every match of it holds: most bodies link to nothing.
    visible = FENCED.sub(blank, body) if "```" in body or "~~~" in body else body
    visible = CODE_SPAN.sub(blank, visible) if "`" in visible else visible
    targets = []
    for pattern, needed in ((MARKDOWN_TARGET, "]("), (HTML_TARGET, "<")):
        if needed not in visible:
            continue
        for match in pattern.finditer(visible):
            image = match.group(1) in ("!", "img", "IMG")
            target = match.group(2).split("#", 1)[0].split("?", 1)[0]
            if not target or NOT_A_FILE.match(target) or target.endswith("/") or "." not in target.rsplit("/", 1)[-1]:
                continue
            targets.append((target, first_line + visible.count("\n", 0, match.start(2)), image))
    return targets


def missing_targets(content_dir: Path, relative: str, targets: list[tuple[str, int, bool]]) -> list[ContentError]:
    """Each of those files that is not in the content folder, at its line."""
    if not targets:  # most articles link to no file of their own: no path made for each of 10,000 on every build
        return []
    folder = (content_dir / relative).parent
    errors = []
    for target, line, image in targets:
        if (folder / unquote(target)).is_file():
            continue
        expected = (Path(relative).parent / unquote(target)).as_posix()
        what = "ảnh" if image else "tệp"
        message = f'không có {what} "{target}" (tìm tại {expected}); hãy đặt tệp vào đó hoặc sửa lại tên trong bài'
        errors.append(ContentError(relative, line, "body", message))
    return sorted(errors)


def blank(match: re.Match[str]) -> str:
    """Code replaced by spaces, its line breaks kept, so offsets still give the right line."""
    return re.sub(r"[^\n]", " ", match.group())
