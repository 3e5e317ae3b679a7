"""One pass over the content folder: every file read once, every problem collected, then a Collection."""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

from bantin.assets import asset_problem
from bantin.cache import ItemMemo
from bantin.collection import Collection, item_citations
from bantin.dates import now_in_vietnam
from bantin.errors import ContentError, ContentErrors
from bantin.fingerprint import parsed_print
from bantin.frontmatter import parse_document
from bantin.images import check_image
from bantin.items import KINDS, Item, ItemErrors, Kind, build_item
from bantin.limits import MAX_FILE_BYTES, MAX_WORD_COUNT, word_overflow
from bantin.links import local_targets, missing_targets
from bantin.render import gather_shares
from bantin.safety import Renderer
from bantin.search.records import NUMBER_WEIGHT, TITLE_WEIGHT, search_record
from bantin.search.tokenize import token, words
from bantin.text import decoded
from bantin.units import REGISTRY_FILE, Registry, load_registry
from bantin.views import load_counts, totals

if TYPE_CHECKING:
    from bantin.live import FileKeys

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
PARALLEL_FROM = 400  # fewer new articles than this parse faster here than a forked worker costs
LINKED_FOLDER = "liên kết tới một thư mục không được dùng; hãy đặt thư mục thật vào đây"


def load_content(
    content_dir: Path,
    preview: bool = False,
    now: datetime | None = None,
    memo: ItemMemo | None = None,
    *,
    check_bodies: bool = True,
    renderer: Renderer | None = None,
    keys: FileKeys | None = None,
) -> Collection:
    """Read and validate the whole content folder; raises ContentErrors listing every problem at once.

    Drafts and items dated after `now` (Vietnam time) are validated like the others but published only when
    `preview` is set (`mkdocs serve`); the collection lists them in `held` either way. With a `memo` (the build
    cache), a file whose bytes and don-vi.yml are unchanged is not parsed again. With `check_bodies`, every
    body is rendered (by `renderer`, else Markdown as MkDocs configures it by default) and whatever the sanitizer
    would remove from it is an error; the build passes False and checks the HTML it renders itself, so no body is
    rendered twice. Under `mkdocs serve`, `keys` knows the memo key of each file unchanged since it was read
    (bantin.live.FileKeys): such a file is not read again.
    """
    if not content_dir.is_dir():
        raise ContentErrors([ContentError(str(content_dir), 1, "content_dir", "không tìm thấy thư mục nội dung")])
    now = now or now_in_vietnam()
    if check_bodies and renderer is None:
        renderer = Renderer()
    statuses: dict[str, os.stat_result] = {}
    files, errors = content_files(content_dir, statuses)
    registry_path = content_dir / REGISTRY_FILE
    registry_problem = refusal(registry_path, content_dir.resolve())
    if registry_problem is not None and (registry_path.is_symlink() or registry_path.exists()):
        registry, registry_errors = Registry(), [ContentError(REGISTRY_FILE, 1, "file", registry_problem)]
    else:
        registry, registry_errors = load_registry(content_dir)
    errors = registry_errors + errors
    counted, view_errors = load_counts(content_dir)
    errors.extend(view_errors)
    warnings: list[ContentError] = []
    items: list[Item] = []
    cited: dict[str, list[str]] = {}
    reader = Reader(registry, now, renderer if check_bodies else None, memo, keys, statuses)
    articles = [(relative, path) for relative, path in files if is_article(relative, path)]
    known = reader.known(articles)
    fresh = [(relative, path) for relative, path in articles if relative not in known] if known else articles
    parsed = dict(gather_shares(fresh, reader.parse_new, PARALLEL_FROM))
    parsed.update(known)
    for relative, path in files:
        if not is_markdown(path):
            continue
        if path.suffix != ".md":
            errors.append(
                ContentError(relative, 1, "file", f'bài sẽ không được đăng: đổi đuôi tệp thành ".md" ({path.stem}.md)')
            )
            continue
        if not is_article(relative, path):
            errors.append(ContentError(relative, 1, "file", misplaced_message(relative)))
            continue
        try:
            remembered = reader.remembered(relative, path, parsed.pop(relative, None))
            item, item_warnings, targets, cited[relative], image_line, overflow = remembered
            if item.image:  # the image file is looked at on every build: it may have changed or gone
                errors.extend(check_image(relative, item.image, path.parent, image_line))
            warnings.extend(item_warnings)
            errors.extend(missing_targets(content_dir, relative, targets))
        except UnicodeDecodeError:
            errors.append(
                ContentError(relative, 1, "file", "tệp không phải văn bản UTF-8; hãy lưu lại với mã hoá UTF-8")
            )
            continue
        except ContentError as error:
            errors.append(error)
            continue
        except ItemErrors as problems:
            errors.extend(problems.errors)
            continue
        if overflow is not None:
            errors.append(ContentError(relative, item.body_line, "body", overflow))
        items.append(item)
    errors.extend(duplicate_urls(items))
    if errors:
        raise ContentErrors(errors, root=shown_path(content_dir))
    items = with_counted_views(items, totals(counted))
    held = [item for item in items if item.draft or item.date > now]
    published = items if preview else [item for item in items if not (item.draft or item.date > now)]
    collection = Collection(published, registry, cited)
    collection.held = sorted(held, key=lambda item: (item.date, item.url))
    collection.warnings = sorted(warnings)
    collection.assets = assets_among(files)
    return collection


Parsed = tuple[Item, list[ContentError], list[tuple[str, int, bool]], list[str], int, str | None]
"""What reading one article gives: the item, its warnings, the local files it links to (with lines), the numbers
it cites, the line of its image, and why its text overflows the search index (None when it does not)."""
Read = tuple[str, tuple[Parsed, str] | None]
"""An article as the all-cores pass read it: its memo key ("" without a memo), and what it parsed into with its
fingerprint, None when the memo holds it."""


@dataclass
class Reader:
    """Reads articles into items, once per file content: what the memo (the build cache) holds is not read again."""

    registry: Registry
    now: datetime
    renderer: Renderer | None
    memo: ItemMemo | None
    keys: FileKeys | None = None
    statuses: dict[str, os.stat_result] = field(default_factory=dict)  # each file's, as the folder's walk found it

    def parse(self, relative: str, raw: bytes, path: Path) -> Parsed:
        kind, year, _ = relative.split("/")
        document = parse_document(relative, decoded(raw))
        warnings: list[ContentError] = []
        registry, renderer = self.registry, self.renderer
        item = build_item(relative, cast(Kind, kind), year, document, registry, self.now, warnings, path, renderer)
        body = item.body  # decoded once for both
        targets = local_targets(body, item.body_line)
        overflow = word_overflow(search_record(item).fields, canonical_words) if may_overflow(item) else None
        return item, warnings, targets, item_citations(item, body), document.lines.get("image", 1), overflow

    def known(self, articles: Sequence[tuple[str, Path]]) -> dict[str, Read]:
        """The articles whose memo key `keys` knows and whose parse the memo holds: nothing to read."""
        if self.keys is None or self.memo is None:
            return {}
        self.keys.start()
        found: dict[str, Read] = {}
        for relative, path in articles:
            key = self.keys.get(relative, path, self.statuses.get(relative))
            if key and self.memo.has(key):
                found[relative] = (key, None)
        return found

    def parse_new(self, articles: Sequence[tuple[str, Path]]) -> list[tuple[str, Read]]:
        """Read each article once: its memo key, and what it parses into (with its fingerprint) when the memo
        lacks it; run on every core (bantin.render), so what fails here is left for the one loop that reports it."""
        read: list[tuple[str, Read]] = []
        for relative, path in articles:
            try:
                raw = path.read_bytes()
                key = self.memo.key(relative, raw) if self.memo is not None else ""
                if self.memo is not None and self.memo.has(key):
                    read.append((relative, (key, None)))
                    continue
                value = self.parse(relative, raw, path)
            except (OSError, UnicodeDecodeError, ContentError, ItemErrors):
                continue
            read.append((relative, (key, (value, parsed_print(value[0]) if self.memo is not None else ""))))
        return read

    def remembered(self, relative: str, path: Path, read: Read | None) -> Parsed:
        """The article as parsed on the way in, else as the memo holds it, else read and parsed now (raising its
        errors)."""
        key, parsed = read if read is not None else ("", None)
        if parsed is not None:
            if self.memo is not None:
                self.memo.put(key, relative, *parsed)
                self.learn(relative, path, key)
            return parsed[0]
        raw = None
        if self.memo is not None:
            if not key:
                raw = path.read_bytes()
                key = self.memo.key(relative, raw)
            self.learn(relative, path, key)
            found = self.memo.get(key, relative)
            if found is not None and attachments_unchanged(found[0], path):
                return cast(Parsed, found)
        if raw is None:  # read here, where a problem with the file is reported
            raw = path.read_bytes()
        value = self.parse(relative, raw, path)
        if self.memo is not None:
            self.memo.put(self.memo.key(relative, raw), relative, value, parsed_print(value[0]))
        return value

    def learn(self, relative: str, path: Path, key: str) -> None:
        if self.keys is not None:
            self.keys.put(relative, path, key)


def is_article(relative: str, path: Path) -> bool:
    """A Markdown file where articles go: `tin/NĂM/bai.md` or `ket-luan/NĂM/bai.md`."""
    parts = relative.split("/")
    return path.suffix == ".md" and parts[0] in KINDS and len(parts) == 3


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


def content_files(
    content_dir: Path, statuses: dict[str, os.stat_result] | None = None
) -> tuple[list[tuple[str, Path]], list[ContentError]]:
    """Every file of the content folder that may be read, by relative path, and why each other one may not.

    Hidden files and folders are skipped. A symlink is followed only to a file inside the folder; devices, pipes and
    files too large to be an article are refused before anything reads them. Beside articles (under `tin/` and
    `ket-luan/`), only Markdown and the published file types are allowed. `statuses` is given each file's status as
    it was looked at (its target's, for a link): under serve, what tells a file unchanged (bantin.live.FileKeys).
    """
    root = content_dir.resolve()
    files: list[tuple[str, Path]] = []
    errors: list[ContentError] = []
    prefixes = {str(content_dir): ""}  # each folder's path relative to content_dir, as the walk enters it
    for folder, dirs, names in os.walk(content_dir):
        here, prefix = Path(folder), prefixes.pop(folder)
        dirs[:] = sorted(name for name in dirs if not name.startswith("."))
        for name in list(dirs):
            if (here / name).is_symlink():
                dirs.remove(name)
                errors.append(ContentError(prefix + name, 1, "file", LINKED_FOLDER))
            else:
                prefixes[os.path.join(folder, name)] = f"{prefix}{name}/"
        for name in sorted(names):
            relative = prefix + name
            if name.startswith(".") or relative == REGISTRY_FILE:
                continue
            path = here / name
            problem, info = looked_at(path, root)
            if problem is None and relative.split("/")[0] in KINDS and not is_markdown(path):
                problem = asset_problem(path)
            if problem is not None:
                if relative.split("/")[0] in KINDS or is_markdown(path) or path.is_symlink():
                    errors.append(ContentError(relative, 1, "file", problem))
                continue
            files.append((relative, path))
            if statuses is not None and info is not None:
                statuses[relative] = info
    return files, errors


def refusal(path: Path, root: Path) -> str | None:
    """Why `path` must not be read: a link leading outside the content folder, not a regular file, or too large."""
    return looked_at(path, root)[0]


def looked_at(path: Path, root: Path) -> tuple[str | None, os.stat_result | None]:
    """`refusal`, with the status of the file (of its target, for a link) when it may be read."""
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            target = path.resolve(strict=True)
            if not target.is_relative_to(root):
                return "liên kết trỏ ra ngoài thư mục nội dung; hãy chép tệp thật vào đây thay cho liên kết", None
            info = path.stat()
    except (OSError, RuntimeError):
        return "liên kết không trỏ tới tệp nào; hãy xoá liên kết hoặc chép tệp thật vào đây", None
    if not stat.S_ISREG(info.st_mode):
        return "không phải tệp thông thường (thiết bị, ống dẫn…); hãy xoá khỏi thư mục nội dung", None
    if is_markdown(path) and info.st_size > MAX_FILE_BYTES:
        return f"tệp lớn quá {MAX_FILE_BYTES // 1_000_000} MB; hãy chia thành nhiều bài", None
    return None, info


def content_assets(content_dir: Path) -> list[tuple[str, Path]]:
    """Images and documents kept beside the articles that use them, published at the same relative place."""
    files, _ = content_files(content_dir)
    return assets_among(files)


def assets_among(files: list[tuple[str, Path]]) -> list[tuple[str, Path]]:
    return [(relative, path) for relative, path in files if relative.split("/")[0] in KINDS and not is_markdown(path)]


def may_overflow(item: Item) -> bool:
    """Whether an item is long enough for a word to be counted past the search index's limit, cheaply: every field
    it is searched by is in its repr, and a field of n characters holds at most (n + 1) / 2 words of the top weight.
    The body's repr takes at most four characters a byte: most items are cleared without it."""
    weight = max(TITLE_WEIGHT, NUMBER_WEIGHT)
    if weight * (len(repr(replace(item, body_utf8=b""))) + 4 * len(item.body_utf8) + 1) // 2 <= MAX_WORD_COUNT:
        return False
    return weight * (len(repr(item)) + 1) // 2 > MAX_WORD_COUNT


def canonical_words(text: str) -> list[str]:
    """Words as the search index counts them: two spellings of a syllable are one word."""
    return [token(word).text for word in words(text)]


def is_markdown(path: Path) -> bool:
    """Markdown by any spelling of its suffix: a `.MD` file is an article to report, never an asset to copy."""
    return path.suffix.lower() in MARKDOWN_SUFFIXES


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
