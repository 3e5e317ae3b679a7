"""Search in a real browser, on the demo site, a hand-made site and a generated corpus, against ground truth
computed straight from the Markdown."""

from __future__ import annotations

import json
import posixpath
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from bantin import load_content
from bantin.documents import KINDS
from bantin.search import index
from bantin.search.records import search_record
from bantin.search.tokenize import tokens
from tests.conftest import DEMO_CONTENT, REGISTRY, build_site, generated_corpus, serve, write

CORPUS_SIZE = 300
WORD = re.compile(r"[^\W_]+")


# ---- Ground truth from the Markdown -----------------------------------------------------------------------------


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in decomposed if unicodedata.category(char) != "Mn")


def fields(text: str) -> list[str]:
    """The texts of a file a phrase cannot run across: each line of the frontmatter (a continued line with the one
    before it, each item of a `[list]` apart) and the body."""
    if not text.startswith("---\n") or (end := text.find("\n---\n", 3)) < 0:
        return [text]
    parts: list[str] = []
    for line in text[4:end].split("\n"):
        value = line.partition(":")[2].strip()
        if line[:1].isspace() and parts and not line.lstrip().startswith("- "):
            parts[-1] += " " + line.strip()
        elif value.startswith("[") and value.endswith("]"):
            parts.extend(value[1:-1].split(","))
        else:
            parts.append(line)
    return [*parts, text[end + 5 :]]


def matches(text: str, query: str) -> bool:
    """Every quoted phrase, document number and word of `query` occurs in the file (accentless if typed so), a
    phrase within one of its `fields`."""
    texts = fields(unicodedata.normalize("NFC", text).lower())
    folded = [fold(part) for part in texts]
    query = unicodedata.normalize("NFC", query).lower()
    groups = [WORD.findall(phrase) for phrase in re.findall(r'"([^"]*)"', query)]
    rest = re.sub(r'"[^"]*"', " ", query)
    groups += [[fold(number)] for number in re.findall(r"\d+[\w-]*/[\w/-]+", rest)]
    groups += [[word] for word in WORD.findall(re.sub(r"\d+[\w-]*/[\w/-]+", " ", rest))]
    for group in groups:
        plain = all(fold(word) == word for word in group)
        pattern = r"(?<![^\W_/-])" + r"[\W_]+".join(map(re.escape, group)) + r"(?![^\W_]|/\w)"
        if not any(re.search(pattern, part) for part in (folded if plain else texts)):
            return False
    return True


def truth(content: Path, query: str, **filters: str) -> list[str]:
    """URLs of the items matching `query` and the filters (unit slug, kind, year), newest first."""
    collection = load_content(content)
    found = []
    for item in collection.items:
        if filters.get("don_vi", item.unit.slug) != item.unit.slug or filters.get("loai", item.kind) != item.kind:
            continue
        if filters.get("nam", str(item.year)) != str(item.year):
            continue
        if matches((content / item.path).read_text(encoding="utf-8"), query):
            found.append(item.url)
    return found


# ---- Sites and browser ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_corpus(tmp_path_factory.mktemp("corpus"), CORPUS_SIZE)


@pytest.fixture(scope="module")
def corpus_server(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = tmp_path_factory.mktemp("corpus-site") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index, "PARALLEL_FROM", 100)  # index in worker processes, as large archives are
        # Terms in files of their own and counts in several files of levels, as in a large archive's index.
        patch.setattr(index, "SPILL_BYTES", 96)
        patch.setattr(index, "GROUP_BYTES", 24)
        build_site(corpus, site, patch)
    with serve(site) as base:
        yield base


def article(title: str, date: str, unit: str, body: str, extra: str = "") -> str:
    return f'---\ntitle: "{title}"\ndate: {date}\nunit: {unit}\n{extra}---\n{body}\n'


NOTICE_PARTS = "number: 212-TB/TU\nissuer: Thường trực Tỉnh ủy\nsubject: Về công tác dân vận chính quyền năm 2024\n"
HANDMADE = {
    "tin/2024/nong-thon-moi.md": article(
        "Xây dựng nông thôn mới ở Hải Hà", "2024-05-02", "Ban Dân vận Tỉnh ủy Bắc Kạn", "Cả xã xây dựng nông thôn mới."
    ),
    "tin/2024/troi-nong.md": article(
        "Trời nóng, nông dân ra đồng sớm", "2024-05-03", "Ban Dân vận Tỉnh ủy Bắc Kạn", "Mọi người ở thôn mới được mời."
    ),
    "tin/2024/moi-nguoi.md": article("Mọi người cùng làm", "2024-05-04", "Tỉnh ủy Bắc Kạn", "Mời các hộ dự họp."),
    "tin/2023/dang-uy.md": article(
        "Đảng ủy xã triển khai Nghị định 30/2020/NĐ-CP",
        "2023-06-01",
        "Tỉnh ủy Bắc Kạn",
        "Đảng uỷ xã hoà giải ở cơ sở theo Nghị định 30/2020/NĐ-CP.",
        "author: Thanh Tâm\n",
    ),
    "tin/2023/doc-hai.md": article(
        "Dân vận <script>alert(1)</script> & <b>khéo</b>",
        "2023-07-01",
        "Tỉnh ủy Bắc Kạn",
        "Nội dung &lt;img src=x onerror=alert(2)&gt; dân vận khéo.",
    ),
    "tin/2022/khong-dau.md": article(
        "Ghi chép từ cơ sở", "2022-01-05", "Tỉnh ủy Bắc Kạn", "Bài gõ không dấu: mo hinh dan van kheo o xa."
    ),
    "ket-luan/2024/ket-luan-212.md": article(
        "Kết luận của Thường trực Tỉnh ủy về công tác dân vận",
        "2024-02-01",
        "Tỉnh ủy Bắc Kạn",
        "Thực hiện Kết luận 62-KL/TW của Bộ Chính trị.",
        NOTICE_PARTS + "signer: Lê Tấn Lai\n",
    ),
}


@pytest.fixture(scope="module")
def handmade(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    root = tmp_path_factory.mktemp("handmade")
    content = write(root / "content", {"don-vi.yml": REGISTRY, **HANDMADE})
    with pytest.MonkeyPatch.context() as patch:
        build_site(content, root / "site", patch)
    with serve(root / "site") as base:
        yield content, base


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: errors.append("dialog: " + dialog.message))
    yield page
    context.close()
    assert errors == []


def search(page: Any, base: str, query: str = "", **params: str) -> dict[str, Any]:
    """Open /tim-kiem/ with URL parameters; every result URL (loading all pages) and the status line."""
    parts = [f"q={quote(query)}"] + [f"{key.replace('_', '-')}={quote(value)}" for key, value in params.items()]
    page.goto(base + "tim-kiem/?" + "&".join(parts))
    wait_ready(page, query)
    while page.is_visible("[data-bt-more]"):
        page.click("[data-bt-more]")
        wait_ready(page, query)
    base_path = base.rstrip("/")
    urls = page.eval_on_selector_all(".bt-result__title a", "links => links.map(a => a.href)")
    return {
        "urls": [url.removeprefix(base_path + "/") for url in urls],
        "status": page.inner_text("[data-bt-status]"),
    }


def wait_ready(page: Any, query: str) -> None:
    page.wait_for_function(
        "q => { const l = document.querySelector('[data-bt-results]');"
        " return l.dataset.state === 'ready' && l.dataset.query === q; }",
        arg=query.strip(),
    )


# ---- The header box and the page -------------------------------------------------------------------------------


def test_every_page_but_the_search_page_has_the_header_search_form(demo_site: Path) -> None:
    pages = [path for path in demo_site.rglob("*.html") if path != demo_site / "tim-kiem" / "index.html"]
    assert pages
    for path in pages:
        html = path.read_text(encoding="utf-8")
        form = re.search(r'<form class="bt-header-search" role="search" action="([^"]*)" method="get">', html)
        assert form, path
        page_dir = path.parent.relative_to(demo_site).as_posix()
        assert posixpath.normpath(posixpath.join(page_dir, form.group(1))).lstrip("/") == "tim-kiem", path
        assert 'name="q"' in html and "Tìm kiếm tin tức, kết luận</label>" in html, path


def test_the_search_page_has_one_search_box(demo_site: Path) -> None:
    html = (demo_site / "tim-kiem" / "index.html").read_text(encoding="utf-8")
    assert html.count('type="search"') == 1
    assert 'class="bt-header-search"' not in html


def test_header_box_submits_to_the_search_page(demo_server: str, page: Any) -> None:
    word = first_title_word(DEMO_CONTENT)
    page.goto(demo_server)
    page.fill("#bt-header-q", word)
    page.press("#bt-header-q", "Enter")
    page.wait_for_url(re.compile(r"/tim-kiem/\?q="))
    wait_ready(page, word)
    assert page.input_value("#bt-search-q") == word
    assert len(truth(DEMO_CONTENT, word)) == count(page.inner_text("[data-bt-status]"))


def first_title_word(content: Path) -> str:
    collection = load_content(content)
    return max((token.text for token in tokens(collection.items[0].title)), key=len)


def count(status: str) -> int:
    found = re.search(r"Tìm thấy ([\d.]+) kết quả", status)
    return int(found.group(1).replace(".", "")) if found else 0


def test_demo_site_accentless_query_finds_what_the_markdown_holds(demo_server: str, page: Any) -> None:
    word = fold(first_title_word(DEMO_CONTENT))
    expected = truth(DEMO_CONTENT, word)
    assert expected
    assert sorted(search(page, demo_server, word)["urls"]) == sorted(expected)


def test_result_of_a_seed_with_estimates_shows_them_as_such(demo_server: str, page: Any) -> None:
    search(page, demo_server, '"Chương trình hành động số 20"')
    meta = page.inner_text(".bt-result .bt-result__meta")
    assert meta == "Khoảng tháng 6/2018 (ước tính) · Ban Dân vận Huyện ủy Giồng Trôm (suy từ nội dung)"


# ---- Vietnamese correctness, on a hand-made site ------------------------------------------------------------------


def test_accentless_query_finds_accented_text(handmade: tuple[Path, str], page: Any) -> None:
    content, base = handmade
    found = search(page, base, "dan van kheo")["urls"]
    assert sorted(found) == sorted(truth(content, "dan van kheo")) == ["tin/2022/khong-dau/", "tin/2023/doc-hai/"]


def test_spelled_as_typed_ranks_first(handmade: tuple[Path, str], page: Any) -> None:
    _, base = handmade
    assert search(page, base, "dan van kheo")["urls"][0] == "tin/2022/khong-dau/"
    assert search(page, base, "dân vận khéo")["urls"] == ["tin/2023/doc-hai/"]


def test_d_folds_to_d_and_both_tone_placements_match(handmade: tuple[Path, str], page: Any) -> None:
    _, base = handmade
    assert search(page, base, "dang uy")["urls"] == ["tin/2023/dang-uy/"]
    assert search(page, base, "Đảng ủy hòa giải")["urls"] == ["tin/2023/dang-uy/"]


def test_diacritics_typed_are_respected_word_by_word(handmade: tuple[Path, str], page: Any) -> None:
    _, base = handmade
    assert set(search(page, base, "mới")["urls"]) == {"tin/2024/troi-nong/", "tin/2024/nong-thon-moi/"}
    assert set(search(page, base, "moi")["urls"]) == {
        "tin/2024/moi-nguoi/",
        "tin/2024/troi-nong/",
        "tin/2024/nong-thon-moi/",
    }


def test_phrase_ranks_above_scattered_words(handmade: tuple[Path, str], page: Any) -> None:
    _, base = handmade
    found = search(page, base, "nong thon moi")["urls"]
    assert found[0] == "tin/2024/nong-thon-moi/"
    assert search(page, base, '"nông thôn mới"')["urls"] == ["tin/2024/nong-thon-moi/"]


def test_document_numbers_and_notice_parts_are_searchable(handmade: tuple[Path, str], page: Any) -> None:
    _, base = handmade
    assert search(page, base, "30/2020/NĐ-CP")["urls"] == ["tin/2023/dang-uy/"]
    assert search(page, base, "30/2020/nd-cp")["urls"] == ["tin/2023/dang-uy/"]
    notice = ["ket-luan/2024/ket-luan-212/"]
    for query in ("212-TB/TU", "62-KL/TW", "Lê Tấn Lai", "dan van chinh quyen", "Thanh Tam"):
        expected = notice if query != "Thanh Tam" else ["tin/2023/dang-uy/"]
        assert search(page, base, query)["urls"] == expected, query


def test_results_highlight_matches_and_escape_content(handmade: tuple[Path, str], page: Any) -> None:
    _, base = handmade
    search(page, base, "dân vận khéo")
    item = page.locator(".bt-result", has_text="alert(1)")
    assert item.locator(".bt-result__title").inner_text() == "Dân vận <script>alert(1)</script> & <b>khéo</b>"
    marks = item.locator("mark").all_inner_texts()
    assert {"Dân", "vận", "khéo", "dân"} <= set(marks)
    assert page.locator(".bt-result script, .bt-result img, .bt-result b").count() == 0


def test_nothing_found_says_so_in_vietnamese(handmade: tuple[Path, str], page: Any) -> None:
    _, base = handmade
    result = search(page, base, "không có từ này xyz")
    assert result["urls"] == []
    assert result["status"] == "Không tìm thấy kết quả nào cho “không có từ này xyz”."


def test_browser_tokenizes_like_the_indexer(handmade: tuple[Path, str], page: Any) -> None:
    _, base = handmade
    page.goto(base + "tim-kiem/")
    wait_ready(page, "")
    text = "Đảng uỷ “Dân vận khéo” thực hiện 62-KL/TW, 30/2020/NĐ-CP ngày 15/3/2020; hoà bình, quý, Covid-19."
    in_browser = page.evaluate(
        "t => window.bantinSearch.spans(t, false).map(s => window.bantinSearch.makeToken(s.word))", text
    )
    assert [(token["text"], token["folded"]) for token in in_browser] == [(t.text, t.folded) for t in tokens(text)]


# ---- Quoted phrases over phrase grams: the table tests/test_search_index.py reads too ----------------------------

PHRASE_GRAMS = json.loads((Path(__file__).parent / "data" / "phrase_grams.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def phrase_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("phrases")
    articles = PHRASE_GRAMS["articles"]
    files = {
        f"tin/2024/tin-so-{n + 1}.md": article(
            f"Tin số {n + 1}", f"2024-01-{len(articles) - n:02d}", "Ban Dân vận Tỉnh ủy Bắc Kạn", body
        )
        for n, body in enumerate(articles)
    }
    content = write(root / "content", {"don-vi.yml": REGISTRY, **files})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index, "SEGMENT", PHRASE_GRAMS["segment"])  # runs that extend grams differently
        patch.setattr(index, "EXTEND_SHARE", PHRASE_GRAMS["extend_share"])
        patch.setattr(index, "SPILL_BYTES", 24)  # positions in files of their own, fetched only for a cover
        build_site(content, root / "site", patch)
    with serve(root / "site") as base:
        yield base


@pytest.mark.parametrize("case", PHRASE_GRAMS["cases"], ids=lambda case: case["phrase"])
def test_quoted_phrases_read_by_their_grams_find_what_the_table_says(
    phrase_site: str, page: Any, case: dict[str, Any]
) -> None:
    query = f'"{case["phrase"]}"'
    result = search(page, phrase_site, query)
    assert sorted(result["urls"]) == sorted(f"tin/2024/tin-so-{n + 1}/" for n in case["found"])
    [pieces] = page.evaluate("q => window.bantinSearch.plan(q)", query)
    assert (len(pieces) == 1) == case["whole"], pieces
    covered = {at + offset for at, length in pieces for offset in range(length)}
    assert covered == set(range(len(case["phrase"].split())))
    if case["found"]:
        ranked = [
            page.evaluate("([q, all]) => window.bantinSearch.ranked(q, 20, all)", [query, every])
            for every in (False, True)
        ]
        assert ranked[0] == ranked[1]


# ---- Filters, sort, URL and pagination, on a generated corpus ---------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "dan van kheo",
        '"dân vận khéo"',
        '"dan van kheo"',
        '"mặt trận tổ quốc việt nam"',
        '"mặt trận tổ quốc"',  # four syllables and more: the triples at 0, 3, 6… and the last one in a row
        '"tran to quoc viet nam"',
        '"mặt trận tổ quốc việt nam và các đoàn thể"',
        "nông thôn mới",
        "62-KL/TW",
        "Hải Hà",
    ],
)
def test_corpus_counts_equal_ground_truth(corpus: Path, corpus_server: str, page: Any, query: str) -> None:
    expected = truth(corpus, query)
    assert expected
    result = search(page, corpus_server, query)
    assert count(result["status"]) == len(expected)
    assert sorted(result["urls"]) == sorted(expected)


def test_ranking_fetches_counts_lazily_and_equals_the_ranking_with_every_count(
    corpus: Path, corpus_server: str, page: Any
) -> None:
    collection = load_content(corpus)
    held: dict[str, set[int]] = {}
    occurs: dict[str, int] = {}
    for number, item in enumerate(collection.items):
        for token in tokens(" ".join(text for text, _ in search_record(item).fields)):
            held.setdefault(token.text, set()).add(number)
            occurs[token.text] = occurs.get(token.text, 0) + 1
    # Words in a tenth to half of the articles, the most repeated first: ranked by their counts, which come in
    # several files of levels.
    middle = [word for word, docs in held.items() if 30 <= len(docs) <= 150 and word.isalpha()]
    middle = sorted(middle, key=lambda word: (-occurs[word] / len(held[word]), word))[:6]
    assert len(middle) == 6
    queries = [middle[0], " ".join(middle[1:3]), fold(" ".join(middle[3:6])), "dân vận khéo " + middle[0]]
    page.goto(corpus_server + "tim-kiem/")
    wait_ready(page, "")
    fetched = {True: 0, False: 0}
    for query in queries:
        ranked = {}
        for every in (False, True):
            files: list[str] = []

            def count(request: Any, into: list[str] = files) -> None:
                into.append(request.url)

            page.on("request", count)
            ranked[every] = page.evaluate("([q, all]) => window.bantinSearch.ranked(q, 10, all)", [query, every])
            page.remove_listener("request", count)
            fetched[every] += len(files)
        assert ranked[False] == ranked[True], query
        assert len(ranked[False]) == min(10, len(truth(corpus, query)))
    assert fetched[False] < fetched[True]


def test_filters_from_the_url_narrow_and_count(corpus: Path, corpus_server: str, page: Any) -> None:
    collection = load_content(corpus)
    unit = collection.items[0].unit.slug
    year = str(collection.items[0].year)
    expected = truth(corpus, "dân vận", don_vi=unit, nam=year)
    result = search(page, corpus_server, "dân vận", don_vi=unit, nam=year)
    assert sorted(result["urls"]) == sorted(expected)
    assert page.input_value("select[name=don-vi]") == unit
    option = page.locator(f"select[name=nam] option[value='{year}']").inner_text()
    assert option == f"{year} ({len(expected)})"
    notices = truth(corpus, "dân vận", loai="ket-luan")
    assert sorted(search(page, corpus_server, "dân vận", loai="ket-luan")["urls"]) == sorted(notices)


def test_filters_the_url_spells_wrong_filter_nothing(corpus: Path, corpus_server: str, page: Any) -> None:
    expected = truth(corpus, "dân vận khéo")
    result = search(page, corpus_server, "dân vận khéo", don_vi="khong-co-don-vi", loai="bai-viet", nam="20x4")
    assert sorted(result["urls"]) == sorted(expected)


def test_newest_first_sort_is_by_date(corpus: Path, corpus_server: str, page: Any) -> None:
    expected = truth(corpus, "nông thôn", nam="2020")
    assert search(page, corpus_server, "nông thôn", nam="2020", sap_xep="moi-nhat")["urls"] == expected


def test_changing_a_filter_updates_the_url(corpus_server: str, page: Any) -> None:
    search(page, corpus_server, "dân vận")
    page.select_option("select[name=loai]", "van-ban")
    wait_ready(page, "dân vận")
    assert "loai=van-ban" in page.url and "q=d%C3%A2n+v%E1%BA%ADn" in page.url
    kinds = {kind.name for kind in KINDS}  # each result is a document, badged with its own kind
    assert all(badge in kinds for badge in page.locator(".bt-result .bt-badge").all_inner_texts())
    assert page.locator(".bt-result").count() == page.locator(".bt-result .bt-badge").count() > 0


def test_keyboard_only_search_and_load_more(corpus_server: str, page: Any) -> None:
    page.goto(corpus_server + "tim-kiem/")
    wait_ready(page, "")
    page.focus("#bt-search-q")
    page.keyboard.type("dan van")
    page.keyboard.press("Enter")
    wait_ready(page, "dan van")
    assert page.locator(".bt-result").count() == 10
    page.focus("[data-bt-more]")
    page.keyboard.press("Enter")
    wait_ready(page, "dan van")
    assert page.locator(".bt-result").count() == 20
    focused = page.evaluate("() => document.activeElement.closest('.bt-result') !== null")
    assert focused  # focus moves to the first newly shown result


def test_search_page_fits_a_360px_screen(browser: Any, corpus_server: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    search(page, corpus_server, "dân vận khéo")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    context.close()
    assert width <= 360


def test_header_form_works_without_javascript(browser: Any, corpus_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(corpus_server)
    page.fill("#bt-header-q", "dân vận")
    page.press("#bt-header-q", "Enter")
    page.wait_for_url(re.compile(r"/tim-kiem/\?q=d%C3%A2n\+v%E1%BA%ADn$"))
    assert "cần bật JavaScript" in page.content()
    context.close()
