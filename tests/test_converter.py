"""The build's Markdown converter and pages: faster than MkDocs' own, and writing exactly what MkDocs' own write."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from bantin.converter import Converter, Listed, Needing, freeze_patterns, skip_hopeless, skip_idle, skip_plain
from bantin.render import GeneratedPage
from bantin.safety import DEFAULT_EXTENSIONS, body_extensions, markdown_configs
from bantin.text import make_slug
from tests.conftest import REPO, generated_corpus

SHARED = REPO.parent / "shared"

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
    "Tab\tgiữa dòng\n\tmã thụt bằng tab\r\nxuống dòng CR\rvà dòng cách   \n   \nđoạn sau  ",
    "Ký tự \x02giữ\x03 chỗ, &amp không chấm phẩy, &copy; và &#273; mà không có thẻ nào",
    "[TOC]\n\n# Một\n\n## Hai\n\nđoạn\n\n* [TOC]\n\n> [TOC]",
    "# Tiêu đề\n\n\\[TOC\\] và [TO\nC] và [TOC] {: .x }\n\n<div>[TOC]</div>",
    "chính trị - xã hội -- gạch đôi\n- - -\n-  -  -\n_ _ _\n*  *  *\n**đậm** và __đậm__\n---",
    '<p id="muc">HTML khối</p>\n\n<a name="neo">neo</a> và <span id="x">y</span>',
    "# Trùng\n\n# Trùng\n\n## Trùng {#rieng}\n\nTiêu đề &amp; *nhấn*\n===",
    "",
    "   \n\n  ",
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
    skip_idle(fast)
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


def real_sources() -> list[Path]:
    sources = [*(REPO / "content").rglob("*.md"), *(SHARED / "realworld").rglob("*.md")]
    return [*sources, *sorted((SHARED / "seeds").glob("*.txt"))]


def test_real_bodies_convert_as_markdown_converts_them() -> None:
    plain, fast = converters()
    sources = real_sources()
    assert len(sources) > 15
    for source in sources:
        body = source.read_text(encoding="utf-8")
        assert fast.reset().convert(body) == plain.reset().convert(body), source
        assert fast.toc_tokens == plain.toc_tokens, source


def test_generated_articles_convert_as_markdown_converts_them(tmp_path: Path) -> None:
    plain, fast = converters()
    sources = sorted(generated_corpus(tmp_path, 300).rglob("*.md"))
    assert len(sources) >= 300
    for source in sources:
        text = source.read_text(encoding="utf-8")
        for body in (text, text.split("\n---\n", 1)[-1]):  # with its head (a setext heading) and without
            assert fast.reset().convert(body) == plain.reset().convert(body), source
            assert fast.toc_tokens == plain.toc_tokens, source


PIECES = st.sampled_from(
    [
        *"abcđ \n\t\r\x02\x03#>-_*=|{}[]()!<&:`~\\.1",
        *("  \n", "\n\n", "    ", "[TOC]", "- - -", "---", "***", "```", "~~~", "[^1]", "[^1]: chú", "[x]: /a"),
        *("<div>", "</div>", "<b>", "&amp;", "&#91;", "{: #a .b }", "| a | b |\n|---|---|\n| c | d |", "1. ", "* "),
        *("# Tiêu đề", "Đề\n===", "**đậm**", "_nghiêng_", "<http://a.vn>", "![ả](a.jpg)", "\\[TOC\\]"),
    ]
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_generated_markdown_converts_as_markdown_converts_it(body: str) -> None:
    plain, fast = CONVERTERS
    assert fast.reset().convert(body) == plain.reset().convert(body)
    assert getattr(fast, "toc_tokens", None) == getattr(plain, "toc_tokens", None)


CONVERTERS = converters()


def test_the_converter_renders_pages_as_mkdocs_renders_them(tmp_path: Path) -> None:
    """One converter for every page, MkDocs' processors kept between pages: each page's HTML, table of contents,
    title, anchors and links are those of MkDocs' own `Page.render`, which makes everything anew for each page."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "khac.md").write_text("# Khác\n\n## Mục {#muc}\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: Bản tin\nvalidation:\n  anchors: info\n", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config["markdown_extensions"] = body_extensions(list(DEFAULT_EXTENSIONS))
    config["mdx_configs"] = markdown_configs({"toc": {"permalink": False, "slugify": make_slug}})
    config.plugins._current_plugin = None
    files = Files([File("khac.md", str(tmp_path / "docs"), str(tmp_path / "site"), use_directory_urls=True)])
    links = "[khác](khac.md#muc), [thiếu](khac.md#khong-co), ![ảnh](../anh.jpg) và [ngoài](https://example.vn/)"
    bodies = [*TRICKY, links, *(source.read_text(encoding="utf-8") for source in real_sources()), "# Một\n\nhai"]
    converter = Converter(config)
    for number, body in enumerate(bodies):
        pages = []
        for _ in range(2):
            file = File.generated(config, f"tin/bai-{number}.md", content=body)
            page = Page(None, file, config)
            page.markdown = body
            pages.append(page)
        converter.render(pages[0], files)
        pages[1].render(config, files)
        fast, plain = pages
        assert fast.content == plain.content, body
        assert [(item.id, item.title, item.level) for item in fast.toc] == [
            (item.id, item.title, item.level) for item in plain.toc
        ]
        assert fast._title_from_render == plain._title_from_render
        assert fast.present_anchor_ids == plain.present_anchor_ids
        assert links_by_source(fast) == links_by_source(plain)


def links_by_source(page: Page) -> dict[str, dict[str, str]]:
    """A page left without Markdown has no links (None here, an empty mapping from MkDocs: neither is read then)."""
    return {file.src_uri: anchors for file, anchors in (page.links_to_anchors or {}).items()}


def test_the_idle_passes_are_skipped_and_the_parser_iterates_a_list_made_once() -> None:
    _, fast = converters()
    for name in ("normalize_whitespace", "html_block"):
        assert "run" in vars(fast.preprocessors[name]), name
    assert "run" in vars(fast.treeprocessors["toc"])
    blocks = fast.parser.blockprocessors
    assert isinstance(blocks, Listed)
    assert list(blocks) == [blocks[index] for index in range(len(blocks))]
    fast.reset().convert("[TOC]\n\n# Một")
    assert fast.toc.startswith('<div class="toc">')
    fast.reset().convert("# Một")
    assert fast.toc == ""  # not drawn: MkDocs reads the tokens only
    blocks.deregister("hr")
    assert "hr" not in [type(block).__name__.lower().removesuffix("processor") for block in blocks]


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
