"""What an article body may publish: an allowlist enforced by a sanitizer, and the same rules explained to editors.

Markdown lets editors write HTML, and pasting from a legacy portal or a word processor brings some along. Text,
headings, lists, tables, figures, images and links are welcome; anything that runs code, loads another site in a
reader's browser (images, media), restyles the page or clobbers its scripts' globals is not. The rules below are the
only ones: `sanitize` applies them to every published body (through nh3, the bindings to the Rust ammonia
sanitizer, so the guarantee never depends on our own HTML parsing), and `removals` lists what they take out of
the very same HTML, so `bantin check` names at its line everything the sanitizer would otherwise drop unseen.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import markdown
import nh3
from markdown.extensions import Extension

from bantin.errors import ContentError

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
TEXT = ("p", "br", "hr", "span", "div", "blockquote", "q", "cite", "abbr", "code", "pre", "kbd", "samp", "var")
MARKS = ("strong", "b", "em", "i", "u", "s", "del", "ins", "sub", "sup", "small", "mark")
LISTS = ("ul", "ol", "li", "dl", "dt", "dd")
TABLES = ("table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td")
MEDIA = ("figure", "figcaption", "img", "video", "audio", "source", "a")
ALLOWED_TAGS = frozenset((*HEADINGS, *TEXT, *MARKS, *LISTS, *TABLES, *MEDIA))
# Tags whose content is code or styling, not text: dropped whole, never shown as text.
DROPPED_WITH_CONTENT = frozenset({"script", "style"})
GLOBAL_ATTRIBUTES = frozenset({"title", "lang", "dir", "id", "class"})
TAG_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "video": frozenset({"src", "poster", "controls", "width", "height", "preload"}),
    "audio": frozenset({"src", "controls", "preload"}),
    "source": frozenset({"src", "type"}),
    "td": frozenset({"colspan", "rowspan", "align"}),
    "th": frozenset({"colspan", "rowspan", "align", "scope"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
}
# Attributes holding an address: links may lead anywhere a reader can follow; media load from this site only.
LINK_ATTRIBUTES = frozenset({"href", "cite"})
MEDIA_ATTRIBUTES = frozenset({"src", "poster"})
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
NUMBER = re.compile(r"^[0-9]{1,5}$")
VALUES: dict[str, re.Pattern[str]] = {
    "width": NUMBER,
    "height": NUMBER,
    "colspan": NUMBER,
    "rowspan": NUMBER,
    "span": NUMBER,
    "start": re.compile(r"^-?[0-9]{1,9}$"),
    "value": re.compile(r"^-?[0-9]{1,9}$"),
    "align": re.compile(r"^(?:left|right|center|justify)$", re.IGNORECASE),
    "scope": re.compile(r"^(?:row|col|rowgroup|colgroup)$", re.IGNORECASE),
    "type": re.compile(r"^(?:[1aAiI]|[a-z]+/[a-z0-9.+-]+)$"),
    "loading": re.compile(r"^(?:lazy|eager)$"),
    "preload": re.compile(r"^(?:none|metadata|auto)$"),
    "dir": re.compile(r"^(?:ltr|rtl|auto)$"),
    "lang": re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$"),
    "controls": re.compile(r"^(?:|controls)$"),
    "reversed": re.compile(r"^(?:|reversed)$"),
}
# Names the page's own scripts and chrome use: Material's (`__config`, `__drawer`, `md-…`) and ours (`bt-…`).
RESERVED_NAME = re.compile(r"^(?:_|md-|bt-)", re.IGNORECASE)
ID = re.compile(r"^[\w:.-]+$")  # footnotes are "fn:1", "fnref:1"
CLASS = re.compile(r"^[A-Za-z][\w-]*$")
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# What browsers ignore in an address before reading its scheme: `java\tscript:` is `javascript:` to them.
URL_IGNORED = re.compile(r"[\t\n\r]")
URL_TRIMMED = "".join(map(chr, range(0x21)))
# Markdown as MkDocs always configures it (toc, tables, fenced_code), plus attribute lists as the demo site uses.
DEFAULT_EXTENSIONS = ("toc", "tables", "fenced_code", "attr_list")
Configs = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Removal:
    """One thing the sanitizer takes out; `needles`, tried in order, are how it most likely reads in the Markdown."""

    message: str
    needles: tuple[re.Pattern[str], ...]


def sanitize(html: str) -> str:
    """The body as published: only allowed tags, attributes and addresses; comments and scripts gone."""
    return cleaner().clean(html)


@functools.cache
def cleaner() -> nh3.Cleaner:
    """The allowlist, built once: an immutable sanitizer shared by every build of the process."""
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={"*": set(GLOBAL_ATTRIBUTES), **{tag: set(names) for tag, names in TAG_ATTRIBUTES.items()}},
        attribute_filter=filtered,
        url_schemes=set(LINK_SCHEMES),
        strip_comments=True,
        link_rel=None,
    )


def filtered(tag: str, name: str, value: str) -> str | None:
    """nh3's callback: the attribute's value if our rules keep it, its allowed part (classes), or None to drop it."""
    if name == "class":
        kept = [word for word in value.split() if class_problem(word) is None]
        return " ".join(kept) if kept else None
    return value if attribute_problem(tag, name, value) is None else None


def attribute_problem(tag: str, name: str, value: str) -> str | None:
    """Why an attribute may not be published, in words for editors; None when it may."""
    if name.startswith("on"):
        return f'thuộc tính "{name}" chạy mã trong trình duyệt của người đọc; hãy xoá thuộc tính này'
    if name == "style":
        return 'thuộc tính "style" không được dùng: trình bày do trang bản tin quyết định; hãy xoá thuộc tính này'
    if name == "srcset":
        return 'thuộc tính "srcset" không được dùng; hãy dẫn một ảnh đặt cạnh bài bằng src'
    if name not in GLOBAL_ATTRIBUTES and name not in TAG_ATTRIBUTES.get(tag, ()):
        return f'thuộc tính "{name}" của thẻ <{tag}> không được dùng; hãy xoá thuộc tính này'
    if name == "id":
        return id_problem(value)
    if name == "class":
        return next((problem for word in value.split() if (problem := class_problem(word))), None)
    if name in LINK_ATTRIBUTES:
        return link_problem(value)
    if name in MEDIA_ATTRIBUTES:
        return media_problem(value)
    pattern = VALUES.get(name)
    if pattern is not None and not pattern.match(value):
        return f'giá trị "{shown(value)}" của thuộc tính "{name}" không hợp lệ; hãy sửa hoặc xoá thuộc tính này'
    return None


def id_problem(value: str) -> str | None:
    if ID.match(value) and not RESERVED_NAME.match(value):
        return None
    return (
        f'mã định danh "{shown(value)}" không dùng được (trùng tên trang dùng riêng); hãy dùng chữ, số và gạch nối,'
        ' không bắt đầu bằng "_", "md-" hay "bt-"'
    )


def class_problem(word: str) -> str | None:
    if CLASS.match(word) and not RESERVED_NAME.match(word):
        return None
    return f'lớp "{shown(word)}" không dùng được (trùng tên trang dùng riêng); hãy xoá lớp này'


def link_problem(value: str) -> str | None:
    scheme = url_scheme(value)
    if scheme is None or scheme in LINK_SCHEMES:
        return None
    return f'liên kết "{shown(scheme)}:" không được dùng; hãy dùng địa chỉ http(s) hoặc tệp đặt cạnh bài'


def media_problem(value: str) -> str | None:
    address = URL_IGNORED.sub("", value).strip(URL_TRIMMED)
    scheme = url_scheme(value)
    if scheme is None and not re.match(r"^[/\\]{2}", address):
        return None
    if scheme in (None, "http", "https"):
        return f'ảnh hoặc tệp "{shown(address)}" lấy từ trang khác; hãy tải về, đặt cạnh bài và dẫn bằng tên tệp'
    return f'ảnh hoặc tệp dẫn bằng "{shown(scheme)}:" không được dùng; hãy đặt tệp cạnh bài và dẫn bằng tên tệp'


def url_scheme(value: str) -> str | None:
    """The scheme a browser would read in `value`, lowercase; None for a relative address."""
    match = SCHEME.match(URL_IGNORED.sub("", value).strip(URL_TRIMMED))
    return match.group(1).lower() if match else None


def tag_problem(tag: str) -> str:
    if tag in ("script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "link", "meta"):
        return f"thẻ <{tag}> không được dùng trong bài: trang bản tin không chạy mã hay nhúng nội dung của trang khác"
    if tag in ("form", "input", "button", "select", "textarea", "option"):
        return f"thẻ <{tag}> không được dùng: bài không chứa biểu mẫu; hãy xoá thẻ này"
    if tag in ("style", "font", "center"):
        return f"thẻ <{tag}> không được dùng: trình bày do trang bản tin quyết định; hãy xoá thẻ, giữ lại chữ"
    if tag == "svg":
        return "hình vẽ <svg> không được dùng trong bài; hãy lưu thành ảnh PNG, đặt cạnh bài và dẫn bằng tên tệp"
    return f"thẻ <{tag}> không được dùng trong bài; hãy xoá thẻ này, giữ lại chữ bên trong"


DIRECTIVE = "đoạn mã <? … ?> hay <! … > không được dùng trong bài; hãy xoá đoạn này"


def shown(value: str, limit: int = 60) -> str:
    """A value quoted in a message: one line, never longer than `limit`."""
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def removals(html: str) -> list[Removal]:
    """Everything `sanitize` takes out of `html`, in document order, each with a pattern to find it in the source."""
    finder = Removals()
    finder.feed(html)
    finder.close()
    return finder.found


class Removals(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Removal] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            needle = re.compile(rf"<\s*{re.escape(tag)}(?![\w-])", re.IGNORECASE)
            self.found.append(Removal(tag_problem(shown(tag, 30)), (needle,)))
            if tag in DROPPED_WITH_CONTENT:
                return
        for name, value in attrs:
            problem = attribute_problem(tag, name, value or "")
            if problem is not None:
                self.found.append(Removal(problem, attribute_needles(name, value or "")))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_pi(self, data: str) -> None:
        self.found.append(Removal(DIRECTIVE, (re.compile(r"<\?"),)))

    def handle_decl(self, decl: str) -> None:
        self.found.append(Removal(DIRECTIVE, (re.compile(r"<!(?!--)"),)))

    def unknown_decl(self, data: str) -> None:
        self.handle_decl(data)


def attribute_needles(name: str, value: str) -> tuple[re.Pattern[str], ...]:
    """Where an attribute most likely stands in the Markdown: its address as written, else (entities or control
    characters spell it differently) the attribute or Markdown link that holds it; else its name or value."""
    if name in LINK_ATTRIBUTES | MEDIA_ATTRIBUTES and value:
        head = URL_IGNORED.sub("", value).strip(URL_TRIMMED)[:12]
        holder = re.compile(rf"\b{name}\s*=|\]\s*[(:]|<[a-z]+:", re.IGNORECASE)
        return (re.compile(re.escape(head), re.IGNORECASE), holder) if head else (holder,)
    if name == "id":
        return (re.compile(rf"(?:\bid\s*=|#)\s*[\"']?{re.escape(value)}", re.IGNORECASE),)
    if name == "class":
        wrong = next((word for word in value.split() if class_problem(word)), value)
        return (re.compile(re.escape(wrong)),)
    return (re.compile(rf"(?<![\w-]){re.escape(name)}\b", re.IGNORECASE),)


def removal_errors(path: str, body: str, first_line: int, html: str) -> list[ContentError]:
    """What the sanitizer would remove from `html` (the rendered `body`), each at the line of `body` it comes from.

    A removal is placed at the next occurrence of its pattern after the previous one of the same pattern, so two
    `onerror`s land on their own lines; one whose spelling cannot be found points at the body's first line.
    """
    errors = []
    after: dict[str, int] = {}
    for removal in removals(html):
        offset = 0
        for needle in removal.needles:
            match = needle.search(body, after.get(needle.pattern, 0))
            if match:
                offset = match.start()
                after[needle.pattern] = match.end()
                break
        errors.append(ContentError(path, first_line + body.count("\n", 0, offset), "body", removal.message))
    return errors


class Renderer:
    """Bodies rendered by Markdown as the site renders them, so the check sees what the sanitizer will."""

    def __init__(self, extensions: Sequence[str | Extension] = DEFAULT_EXTENSIONS, configs: Configs | None = None):
        self.markdown = markdown.Markdown(
            extensions=body_extensions(list(extensions)), extension_configs=markdown_configs(configs)
        )

    def html(self, body: str) -> str:
        self.markdown.reset()
        return str(self.markdown.convert(body))


def body_extensions(extensions: list[str | Extension]) -> list[str | Extension]:
    """The site's Markdown extensions and those bodies need: footnotes, for documents' [^1] notes before "Nơi nhận"."""
    return extensions if "footnotes" in extensions else [*extensions, "footnotes"]


def markdown_configs(configs: Configs | None) -> Configs:
    """The site's extension settings, with table alignment as an `align` attribute: inline styles are not published."""
    configs = {name: dict(values) for name, values in (configs or {}).items()}
    configs.setdefault("tables", {})["use_align_attribute"] = True
    return configs
