"""The build's Markdown converter and pages: faster than MkDocs' own, and writing exactly what MkDocs' own write."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from bantin.converter import Needing, freeze_patterns, skip_hopeless, skip_plain
from bantin.render import GeneratedPage
from bantin.safety import DEFAULT_EXTENSIONS, body_extensions, markdown_configs
from tests.conftest import REPO

TRICKY = [
    "Lệnh `mkdocs build` và ``mã có ` bên trong`` cùng \\`không phải mã\\` và \\\\`mã sau hai gạch`.",
    "Một dấu ` lẻ, rồi [liên kết](https://example.vn/) và [tham chiếu][1], [ngắn] và ![ảnh](a.jpg).\n\n"
    "[1]: https://example.vn/tham-chieu\n[ngắn]: https://example.vn/ngan",
    "Chú thích[^1] và [^khác] trong câu.\n\n[^1]: Nguồn: Ban Dân vận.\n[^khác]: Ghi chú.",
    "Không có gì đặc biệt: Kết luận số 62-KL/TW ngày 5/3/2024; tỉ lệ 4/15 < 1 & 2 > 1.",
    "* **đậm** _nghiêng_ [không đóng\n* `mã` trong danh sách\n\n| a | b |\n|---|---|\n| `x` | [y](z) |",
    "    khối mã có ` và [\n\n```\nrào ` [x](y)\n```\n\n> trích [dẫn](x) `c`",
    "<span>HTML [x](y)</span> `<b>` và \\[ thoát \\]",
    "# Tiêu đề #\n\nTiêu đề hai\n---\n\nBa\n===\n\n> trích\n> dẫn\n\n* * *\n\n- - -\n\n___\n\n#không phải\n\n"
    "a > b và c # d\n\n[ref]: https://example.vn/ 'Tiêu đề'\n\n[^1]: Chú thích một.\n\nCó[^1].",
    "~~~\nrào ~\n~~~\n\n``` {.python}\nx = 1\n```\n\n~~ không phải rào ``\n\n````\nbốn\n````",
    "Đoạn một dòng\nrồi dòng hai - có gạch\n-\n\n1. một\n2. hai > ba\n\n    > mã\n    # mã",
    "## Tiêu đề có thuộc tính {#muc-mot .lon}\n\nĐoạn văn {: .chu-thich }\n\n* mục {: #m }\n\n"
    "| Cột | Cột hai |\n|:--|--:|\n| ô {: .o } | `ô` |\n\nkhông | phải bảng\n\nDòng ngắt  \ncó hai dấu cách.",
    "Thực thể &amp; &#273; &#x111; và <http://example.vn/a>, <thu@example.vn>, <b>đậm</b>, *nghiêng*, __đậm__.",
    "Đoạn chỉ có chữ, số 12/2024 và dấu câu: (a), «b», – c; d! e? {không phải thuộc tính",
]


def test_plain_texts_skip_the_inline_patterns() -> None:
    """What holds no syntax is left as it is, and only with Markdown's own patterns (another's keeps the full pass)."""
    _, fast = converters()
    inline = next(processor for processor in fast.treeprocessors if type(processor).__name__ == "InlineProcessor")
    assert "_InlineProcessor__handleInline" in vars(inline)
    assert (
        vars(inline)["_InlineProcessor__handleInline"]("Chữ thường, số 5/3 và (ngoặc).")
        == "Chữ thường, số 5/3 và (ngoặc)."
    )
    other = markdown.Markdown(extensions=[*body_extensions(list(DEFAULT_EXTENSIONS)), "pymdownx.tilde"])
    freeze_patterns(other)
    skip_plain(other)
    inline = next(processor for processor in other.treeprocessors if type(processor).__name__ == "InlineProcessor")
    assert "_InlineProcessor__handleInline" not in vars(inline)
    assert other.convert("~~gạch~~ chữ") == "<p><del>gạch</del> chữ</p>"


def converters() -> tuple[markdown.Markdown, markdown.Markdown]:
    extensions, configs = body_extensions(list(DEFAULT_EXTENSIONS)), markdown_configs(None)
    plain = markdown.Markdown(extensions=extensions, extension_configs=configs)
    fast = markdown.Markdown(extensions=extensions, extension_configs=configs)
    skip_hopeless(fast)
    freeze_patterns(fast)
    skip_plain(fast)
    return plain, fast


def test_patterns_and_block_processors_skip_texts_without_what_they_need() -> None:
    _, fast = converters()
    skipping = {name for name in ("backtick", "reference", "link", "short_reference") if name in fast.inlinePatterns}
    assert skipping == {"backtick", "reference", "link", "short_reference"}
    for name in skipping:
        assert isinstance(fast.inlinePatterns[name].compiled_re, Needing)
    assert not isinstance(fast.inlinePatterns["em_strong"].compiled_re, Needing)
    blocks = {"quote": "RE", "hashheader": "RE", "setextheader": "RE", "hr": "SEARCH_RE", "reference": "RE"}
    blocks["footnote"] = "RE"
    for name, attribute in blocks.items():
        assert isinstance(getattr(fast.parser.blockprocessors[name], attribute), Needing), name
    assert isinstance(fast.preprocessors["fenced_code_block"].FENCED_BLOCK_RE, Needing)
    plain, _ = converters()
    assert not isinstance(plain.parser.blockprocessors["quote"].RE, Needing)  # the class's own regex is left alone


@pytest.mark.parametrize("body", TRICKY)
def test_converting_gives_what_markdown_gives(body: str) -> None:
    plain, fast = converters()
    assert fast.reset().convert(body) == plain.reset().convert(body)


def test_real_bodies_convert_as_markdown_converts_them() -> None:
    plain, fast = converters()
    sources = [*(REPO / "content").rglob("*.md"), *(REPO.parent / "shared" / "realworld").rglob("*.md")]
    assert len(sources) > 10
    for source in sources:
        body = source.read_text(encoding="utf-8")
        assert fast.reset().convert(body) == plain.reset().convert(body), source


SITE_URLS = [
    "https://bantin.example.vn/",
    "https://bantin.example.vn",
    "https://example.vn/ban-tin/",
    "http://localhost:8000/a/b",
    "HTTPS://Example.vn/",
    "https://example.vn/./x/",
    "https://example.vn/?q=1",
    "https://example.vn/a#b",
    "",
    None,
]


def test_generated_pages_have_mkdocs_canonical_urls(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: Bản tin\n", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    for site_url in SITE_URLS:
        config["site_url"] = site_url
        for src_uri in ("index.md", "tin/index.md", "tin/2024/hoi-nghi.md", "don-vi/x/trang/2.md", "a b/c.md"):
            for directory_urls in (True, False):
                file = File(src_uri, src_dir=None, dest_dir=config.site_dir, use_directory_urls=directory_urls)
                fast, plain = GeneratedPage(None, file, config), Page(None, file, config)
                assert (fast.canonical_url, fast.abs_url) == (plain.canonical_url, plain.abs_url), (site_url, src_uri)
    assert fast.canonical_url is None
