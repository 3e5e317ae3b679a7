"""Properties over generated content (Hypothesis): whenever `bantin check` passes, the build succeeds and no page
runs script or asks another host; the sanitizer's output never carries either, however the input is spelled.

The suite runs a few dozen examples; `make properties` runs many more (HYPOTHESIS_PROFILE=long).
"""

from __future__ import annotations

import json
import os
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bantin import ContentErrors, load_content
from bantin.plugin import site_renderer
from bantin.safety import Renderer, sanitize
from tests.conftest import REGISTRY, REPO, build_site, write
from tests.hostile import BODY_FAMILIES

settings.register_profile(
    "suite", max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.register_profile(
    "long", max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵĐÂƯ"
SPECIAL = " \t:#&*!|>'\"{}[],%@`<>/=\\-_.?()~\u00a0\u200b"
TEXT = st.text(alphabet=LETTERS + SPECIAL + "0123456789", max_size=40)
PAYLOADS = [body for bodies in BODY_FAMILIES.values() for body in bodies]
MARKDOWN = [
    "# Tiêu đề",
    "## Mục {: #muc-mot }",
    "- mục một\n- mục hai\n    - mục lồng",
    "> trích dẫn\n> > lồng",
    "```\n<b>mã</b>\n```",
    "`<i>`",
    "[liên kết](https://dangcongsan.vn/)",
    "[tệp](bao-cao.pdf)",
    "![ảnh](anh.jpg)",
    "![ảnh ngoài](https://anh.example.vn/a.jpg)",
    "| a | b |\n|:--|--:|\n| 1 | 2 |",
    "Kết luận 62-KL/TW và 12/TB-UBND.",
    "<b>đậm</b> <br> <table><tr><td>ô</td></tr></table>",
    "Đoạn có *nhấn* và **đậm** và \\*sao\\*.",
    "{: .lop }",
    "---",
    "[^1]\n\n[^1]: chú thích",
]
WORDS = st.text(alphabet=LETTERS + " ,.0123456789", min_size=1, max_size=40)
# Mostly what editors write, sometimes what attackers do: so that many examples pass the check and get built.
BENIGN = st.one_of(st.sampled_from(MARKDOWN), WORDS)
FRAGMENT = st.one_of(st.sampled_from(MARKDOWN), WORDS, TEXT, st.sampled_from(PAYLOADS))


def joined(fragments: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(fragments, min_size=1, max_size=6).flatmap(
        lambda parts: st.sampled_from(["\n", "\n\n"]).map(lambda glue: glue.join(parts))
    )


BODY = st.one_of(joined(BENIGN), joined(FRAGMENT))
GOOD_DATES = ["2023-03-04", "2023-03-04 08:30", "2023-12-31 23:59", "2023-01-01", "2023-06-15 00:00"]
DATE = st.sampled_from(GOOD_DATES * 4 + ["2023-02-30", "1899-12-31", "2101-01-01", "20:30"])
# Values that are valid YAML, some of which YAML 1.1 would read as numbers, booleans or times.
VALUE = st.one_of(
    WORDS,
    TEXT.map(lambda text: json.dumps(text, ensure_ascii=False)),  # any text, quoted
    st.sampled_from(["yes", "1:05", "20:30", "0x1F", "012", "1e3", "~", "null", "Dân vận", "62-KL/TW", '"  "']),
)
# Anything at all, for the frontmatter property that builds nothing.
RAW = st.one_of(VALUE, TEXT, st.sampled_from(["&a x", "*a", "!!binary eA==", "[a, [b, {c: d}]]", "|\n  khối", ""]))


@st.composite
def article(draw: st.DrawFn, values: st.SearchStrategy[str] = VALUE) -> str:
    lines = [f"title: {draw(values)}", f"date: {draw(DATE)}", "unit: Ban Dân vận Tỉnh ủy Bắc Kạn"]
    for key in draw(st.lists(st.sampled_from(["author", "category", "summary", "source", "tags"]), unique=True)):
        lines.append(f"{key}: {draw(values)}")
    if draw(st.booleans()):
        lines.append(f"views: {draw(values) if draw(st.integers(0, 4)) == 0 else draw(st.integers(0, 10**9))}")
    return "---\n" + "\n".join(lines) + "\n---\n" + draw(BODY) + "\n"


class Requests(HTMLParser):
    """What a page makes a browser fetch or run, read from its HTML."""

    FETCHING = frozenset({"src", "srcset", "poster", "data", "background", "action", "formaction", "ping"})

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}")
            if name in self.FETCHING or (name == "href" and tag == "link"):
                if tag == "link" and dict(attrs).get("rel") in ("alternate", "canonical"):
                    continue
                if urlsplit(value.strip()).netloc or ":" in value.split("/")[0]:
                    self.problems.append(f"{tag} {name}={value}")
            if name == "href" and tag == "a" and urlsplit(value.strip()).scheme not in ("", "http", "https", "mailto"):
                self.problems.append(f"a href={value}")
        if tag == "script":
            kind = dict(attrs).get("type")
            if kind != "application/json" and not dict(attrs).get("src"):
                self.problems.append("inline script")
        if tag in ("iframe", "object", "embed", "base", "frame"):
            self.problems.append(tag)


def page_problems(site: Path) -> dict[str, list[str]]:
    found = {}
    for page in site.rglob("*.html"):
        parser = Requests()
        parser.feed(page.read_text(encoding="utf-8"))
        if parser.problems:
            found[page.relative_to(site).as_posix()] = parser.problems
    return found


@given(articles=st.lists(article(), min_size=1, max_size=2))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)
def test_whatever_check_accepts_builds_and_publishes_nothing_that_runs_or_fetches(
    articles: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("property")
    files = {"don-vi.yml": REGISTRY}
    files.update({f"tin/2023/bai-{number}.md": text for number, text in enumerate(articles)})
    folder = write(root / "content", files)
    (folder / "tin/2023/anh.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(16))
    (folder / "tin/2023/bao-cao.pdf").write_bytes(b"%PDF-1.7\n")
    try:
        load_content(folder, renderer=site_renderer(REPO / "mkdocs.yml"))
    except ContentErrors as errors:
        assert all(error.line >= 1 and error.message for error in errors.errors)
        event("refused: " + errors.errors[0].field + " " + errors.errors[0].message[:25])
        shutil.rmtree(root)
        return
    event("built")
    with pytest.MonkeyPatch.context() as patch:
        site = build_site(folder, root / "site", patch)  # raises if the build fails
    assert page_problems(site) == {}
    shutil.rmtree(root)


@given(body=BODY)
@settings(max_examples=200, deadline=None)
def test_sanitized_html_never_runs_script_or_fetches_from_another_host(body: str) -> None:
    clean = sanitize(Renderer().html(body))
    parser = Requests()
    parser.feed(clean)
    assert parser.problems == []
    assert sanitize(clean) == clean


@given(text=article(values=RAW))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_frontmatter_is_accepted_or_named_at_a_line_never_a_traceback(
    text: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = write(tmp_path_factory.mktemp("frontmatter"), {"don-vi.yml": REGISTRY, "tin/2023/bai.md": text})
    try:
        collection = load_content(folder, check_bodies=False)
    except ContentErrors as errors:
        last = text.count("\n") + 1
        assert all(1 <= error.line <= last and len(str(error)) < 400 for error in errors.errors)
    else:
        item = collection.items[0]
        assert item.title.strip() and item.unit.name
        assert all(isinstance(value, str) for value in (item.title, item.author or "", item.category or ""))
    shutil.rmtree(folder)
