"""One pass over the content folder: every file read once, every problem collected, then a Collection."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from bantin.cache import ItemMemo
from bantin.collection import Collection, item_citations
from bantin.dates import now_in_vietnam
from bantin.errors import ContentError, ContentErrors
from bantin.frontmatter import parse_document
from bantin.images import check_image
from bantin.items import KINDS, Item, ItemErrors, build_item
from bantin.links import local_targets, missing_targets
from bantin.text import decoded
from bantin.units import REGISTRY_FILE, load_registry
from bantin.views import load_counts, totals

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")


def load_content(
    content_dir: Path, preview: bool = False, now: datetime | None = None, memo: ItemMemo | None = None
) -> Collection:
    """Read and validate the whole content folder; raises ContentErrors listing every problem at once.

    Drafts and items dated after `now` (Vietnam time) are validated like the others but published only when
    `preview` is set (`mkdocs serve`); the collection lists them in `held` either way. With a `memo` (the build
    cache), a file whose bytes and don-vi.yml are unchanged is not parsed again.
    """
    if not content_dir.is_dir():
        raise ContentErrors([ContentError(str(content_dir), 1, "content_dir", "không tìm thấy thư mục nội dung")])
    now = now or now_in_vietnam()
    registry, errors = load_registry(content_dir)
    counted, view_errors = load_counts(content_dir)
    errors.extend(view_errors)
    warnings: list[ContentError] = []
    items: list[Item] = []
    cited: dict[str, list[str]] = {}
    for path in sorted(content_dir.rglob("*")):
        relative = path.relative_to(content_dir).as_posix()
        if not is_markdown(path) or is_hidden(relative) or not path.is_file():
            continue
        parts = relative.split("/")
        kind = parts[0]
        if path.suffix != ".md":
            errors.append(
                ContentError(relative, 1, "file", f'bài sẽ không được đăng: đổi đuôi tệp thành ".md" ({path.stem}.md)')
            )
            continue
        if kind not in KINDS or len(parts) != 3:
            errors.append(ContentError(relative, 1, "file", misplaced_message(relative)))
            continue
        try:
            raw = path.read_bytes()
            remembered = memo.get(relative, raw) if memo is not None else None
            if remembered is not None and not attachments_unchanged(remembered[0], path):
                remembered = None
            if remembered is None:
                document = parse_document(relative, decoded(raw))
                item_warnings: list[ContentError] = []
                item = build_item(relative, kind, parts[1], document, registry, now, item_warnings, path)
                # item.body drops the blank lines after the front matter: its first line is further down.
                body_line = document.body_line + len(document.body) - len(document.body.lstrip("\n"))
                targets = local_targets(item.body, body_line)
                remembered = (item, item_warnings, targets, item_citations(item), document.lines.get("image", 1))
                if memo is not None:
                    memo.put(relative, raw, remembered)
            item, item_warnings, targets, cited[relative], image_line = remembered
            if item.image:  # the image file is looked at on every build: it may have changed or gone
                errors.extend(check_image(relative, item.image, path.parent, image_line))
            items.append(item)
            warnings.extend(item_warnings)
            errors.extend(missing_targets(content_dir, relative, targets))
        except UnicodeDecodeError:
            errors.append(
                ContentError(relative, 1, "file", "tệp không phải văn bản UTF-8; hãy lưu lại với mã hoá UTF-8")
            )
        except ContentError as error:
            errors.append(error)
        except ItemErrors as problems:
            errors.extend(problems.errors)
    errors.extend(duplicate_urls(items))
    if errors:
        raise ContentErrors(errors, root=shown_path(content_dir))
    items = with_counted_views(items, totals(counted))
    held = [item for item in items if item.draft or item.date > now]
    published = items if preview else [item for item in items if not (item.draft or item.date > now)]
    collection = Collection(published, registry, cited)
    collection.held = sorted(held, key=lambda item: (item.date, item.url))
    collection.warnings = sorted(warnings)
    return collection


def attachments_unchanged(item: Item, path: Path) -> bool:
    """A remembered document lists its attachments with their sizes: still true only if each is still there as is."""
    for attachment in item.notice.attachments if item.notice else ():
        beside = path.parent / attachment.name
        if not beside.is_file() or beside.stat().st_size != attachment.size:
            return False
    return True


def with_counted_views(items: list[Item], counted: dict[str, int]) -> list[Item]:
    """Each item's migrated `views` plus the views counted from access logs (content/luot-xem.json)."""
    return [
        replace(item, views=(item.views or 0) + counted[item.url]) if item.url in counted else item for item in items
    ]


def content_assets(content_dir: Path) -> list[tuple[str, Path]]:
    """Images and other files kept beside the articles that use them, published at the same relative place."""
    assets = []
    for kind in KINDS:
        for path in sorted((content_dir / kind).rglob("*")):
            relative = path.relative_to(content_dir).as_posix()
            if path.is_file() and not is_markdown(path) and not is_hidden(relative):
                assets.append((relative, path))
    return assets


def is_markdown(path: Path) -> bool:
    """Markdown by any spelling of its suffix: a `.MD` file is an article to report, never an asset to copy."""
    return path.suffix.lower() in MARKDOWN_SUFFIXES


def is_hidden(relative: str) -> bool:
    """Editors' tool folders and files (`.git`, `.obsidian`, `.DS_Store`) are neither content nor assets."""
    return any(part.startswith(".") for part in relative.split("/"))


def misplaced_message(relative: str) -> str:
    name = relative.rsplit("/", 1)[-1]
    if relative == REGISTRY_FILE:
        return "danh sách đơn vị phải là don-vi.yml"
    return f"bài sẽ không được đăng: đặt tệp vào tin/NĂM/{name} (tin tức) hoặc ket-luan/NĂM/{name} (thông báo kết luận)"


def duplicate_urls(items: list[Item]) -> list[ContentError]:
    """Case-insensitive file systems and our URL scheme both need unique (kind, year, slug)."""
    seen: dict[str, str] = {}
    errors = []
    for item in items:
        first = seen.setdefault(item.url, item.path)
        if first != item.path:
            errors.append(ContentError(item.path, 1, "file", f"trùng địa chỉ /{item.url} với {first}"))
    return errors


def shown_path(folder: Path) -> str:
    """The folder as the editor knows it: relative to where they ran the command when it is below it."""
    try:
        shown = folder.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        shown = folder.as_posix()
    return "" if shown == "." else shown
