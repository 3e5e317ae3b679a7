"""The citizen's bulletin as a reader meets it: pictures, menu, breadcrumbs, charts, no broken requests."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bantin.charts import Chart, render
from bantin.navigation import needs_toc
from tests.factories import item
from tests.test_demo_site import SEED_000, SEED_002, SEED_003, SEED_004, html_of

PAGES = {
    "home": "",
    "article": SEED_000 + "/",
    "document": SEED_003 + "/",
    "register": "ket-luan/",
    "organization": "don-vi/ban-dan-van-quan-uy-go-vap/",
    "search": "tim-kiem/?q=dan+van+kheo",
}


@pytest.mark.parametrize("name", PAGES)
def test_no_page_requests_a_file_that_does_not_exist(browser: Any, demo_server: str, name: str) -> None:
    page = browser.new_page()
    failed: list[str] = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    page.goto(demo_server + PAGES[name])
    page.wait_for_load_state("networkidle")
    page.close()
    assert failed == []


def test_lead_image_is_a_picture_with_sizes_srcset_and_a_credit(demo_site: Path) -> None:
    html = html_of(demo_site, SEED_004)
    figure = html[html.index('<figure class="bt-figure bt-lead-image">') :]
    figure = figure[: figure.index("</figure>")]
    assert '<source type="image/webp"' in figure
    img = re.search(r"<img [^>]+>", figure)
    assert img
    assert re.search(r'width="\d+" height="\d+"', img.group(0))
    assert 'fetchpriority="high"' in img.group(0)
    for uri in re.findall(r"(anh-[0-9a-f]{8}-\d+\.(?:webp|jpg))", figure):
        assert (demo_site / SEED_004 / uri).is_file(), uri
    assert "không phải ảnh gốc của bài" in figure
    og = r'<meta property="og:image" content="https://bantin\.example\.vn/tin/2017/[^"]+-chia-se\.jpg">'
    assert re.search(og, html)


def test_lists_show_thumbnails_lazily_and_a_text_card_without_an_image(demo_site: Path) -> None:
    html = html_of(demo_site, "tin")
    assert 'loading="lazy"' in html
    assert 'class="bt-thumb bt-thumb--text bt-thumb--tin"' in html


def test_a_rebuild_resizes_nothing_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bantin.images import lead_image

    source = next((Path(__file__).parent.parent / "content" / "tin" / "2017").glob("*.jpg"))
    cache = tmp_path / "cache"
    _, files = lead_image(source, "tin/2017/bai/", cache, None, None)
    stamps = {path: path.stat().st_mtime_ns for _, path in files}
    from PIL import Image

    def no_resizing(*args: object, **kwargs: object) -> None:
        raise AssertionError("resized again")

    monkeypatch.setattr(Image.Image, "resize", no_resizing)
    _, again = lead_image(source, "tin/2017/bai/", cache, None, None)
    assert {path: path.stat().st_mtime_ns for _, path in again} == stamps


def test_every_item_and_listing_has_breadcrumbs(demo_site: Path) -> None:
    for url in (SEED_000, SEED_003, "tin", "ket-luan", "don-vi/ban-dan-van-quan-uy-go-vap", "luu-tru/2018"):
        html = html_of(demo_site, url)
        assert '<nav class="bt-breadcrumbs" aria-label="Đường dẫn">' in html, url
        assert '<li><a href="../' in html, url
    trail = html_of(demo_site, SEED_000).split('aria-label="Đường dẫn">', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r">([^<>]+)</a>", trail) == ["Trang chủ", "Tin tức", "Hoạt động Đảng bộ"]


def last_crumb(html: str) -> str:
    trail = html.split('aria-label="Đường dẫn">', 1)[1].split("</nav>", 1)[0]
    found = re.search(r'<li aria-current="page">([^<]*)</li>', trail)
    assert found, trail
    return found.group(1)


@pytest.mark.parametrize("url", [SEED_000, "ket-luan", "tin", "luu-tru/2018", "don-vi/ban-dan-van-quan-uy-go-vap"])
def test_the_last_crumb_is_the_page_heading(demo_site: Path, url: str) -> None:
    html = html_of(demo_site, url)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.DOTALL)
    assert heading
    text = " ".join(re.sub(r"<[^>]+>", " ", heading.group(1)).split())
    assert last_crumb(html) == text


def test_most_viewed_lists_only_items_with_a_view_count(demo_site: Path) -> None:
    html = html_of(demo_site, "xem-nhieu")
    assert html.count('class="bt-list__title"') == 1  # only seed 000 carries a count


def test_home_has_a_lead_story_with_its_photo_and_units_by_province(demo_site: Path) -> None:
    html = html_of(demo_site, "")
    lead = html[html.index('<section class="bt-lead-story"') :]
    lead = lead[: lead.index("</section>")]
    assert SEED_002.rsplit("/", 1)[1] in lead and "<picture>" in lead
    assert '<p class="bt-directory__place">Thành phố Hồ Chí Minh</p>' in html


def test_a_chart_is_an_image_named_by_its_caption_with_the_numbers_as_text() -> None:
    chart = Chart("Số bài theo năm <&>", ["2017", "2018"], [("Tin tức", [1, 12]), ("Thông báo kết luận", [0, 3])])
    html = render(chart, "bt-x")
    assert 'role="img" aria-labelledby="bt-x-caption"' in html
    assert '<figcaption id="bt-x-caption">Số bài theo năm &lt;&amp;&gt;</figcaption>' in html
    assert '<tr><th scope="row">2018</th><td>12</td><td>3</td></tr>' in html
    assert ">15</text>" in html  # the stacked total above the bar


def document(slug: str, when: str, kind: str) -> Any:
    from dataclasses import replace

    from bantin.documents import find_kind

    made = item(slug, when, kind="ket-luan")
    found = find_kind(kind)
    assert made.notice is not None and found is not None
    return replace(made, notice=replace(made.notice, kind=found))


def test_documents_per_year_are_split_by_document_kind_not_by_folder() -> None:
    from bantin.charts import documents_per_year

    chart = documents_per_year(
        [
            document("a", "2022-03-01", "Kết luận"),
            document("b", "2022-05-01", "Công văn"),
            document("c", "2024-01-09", "Công văn"),
            document("d", "2024-02-09", "Thông cáo"),
            item("tin", "2023-01-01"),  # news is no document
        ],
        "Số văn bản",
    )
    assert chart is not None
    assert chart.labels == ["2022", "2023", "2024"]
    assert chart.series == [("Công văn", [1, 0, 1]), ("Kết luận", [1, 0, 0]), ("Thông cáo", [0, 0, 1])]
    html = render(chart, "bt-k")
    assert '<thead><tr><th scope="col">Thời gian</th><th scope="col">Công văn</th><th scope="col">Kết luận</th>' in html
    assert '<tr><th scope="row">2024</th><td>1</td><td>0</td><td>1</td></tr>' in html
    assert html.count('<li><span class="bt-chart__key') == 3


def test_rare_kinds_share_one_series_when_the_palette_runs_out() -> None:
    from bantin.charts import COLOURS, OTHER_KINDS, documents_per_year

    names = ["Nghị quyết", "Quyết định", "Chỉ thị", "Kết luận", "Hướng dẫn", "Thông báo", "Công văn", "Báo cáo"]
    items = [
        document(f"d{i}-{n}", f"20{20 + i % 3}-01-0{1 + n}", name) for i, name in enumerate(names) for n in range(i + 1)
    ]
    chart = documents_per_year(items, "Số văn bản")
    assert chart is not None and len(chart.series) == len(COLOURS)
    assert [name for name, _ in chart.series][:2] == ["Báo cáo", "Công văn"]  # the most frequent first
    assert chart.series[-1][0] == OTHER_KINDS
    assert sum(chart.totals) == len(items)
    assert chart.detail is not None and [name for name, _ in chart.detail][-1] == "Nghị quyết"  # the rarest
    columns = re.findall(r'<th scope="col">([^<]+)</th>', render(chart, "bt-r"))
    assert columns[1:] == [name for name, _ in chart.detail] and OTHER_KINDS not in columns


def test_a_table_of_contents_only_for_long_items() -> None:
    short = item("ngan", "2018-01-25", body="## Một\n\nÍt chữ.\n\n## Hai\n\n## Ba\n")
    long = item("dai", "2018-01-25", body="## Một\n\n" + "chữ " * 400 + "\n\n## Hai\n\n" + "chữ " * 600 + "\n\n## Ba\n")
    assert not needs_toc(short)
    assert needs_toc(long)


def test_search_runs_on_a_browser_without_decompression_streams(browser: Any, demo_server: str) -> None:
    page = browser.new_page()
    page.add_init_script("delete window.DecompressionStream")
    page.goto(demo_server + "tim-kiem/?q=dan+van+kheo")
    page.wait_for_selector(".bt-result")
    assert page.evaluate("typeof DecompressionStream") == "undefined"
    assert page.locator(".bt-result").count() >= 1
    page.close()


def test_search_says_so_when_it_cannot_run(browser: Any, demo_server: str) -> None:
    page = browser.new_page()
    page.add_init_script("window.URLSearchParams = undefined")
    page.goto(demo_server + "tim-kiem/?q=dan+van+kheo")
    status = page.locator("[data-bt-status]")
    status.wait_for()
    page.wait_for_function("document.querySelector('[data-bt-status]').textContent.includes('chưa chạy được')")
    page.close()


def test_a_browser_that_never_runs_the_search_script_is_told_so(browser: Any, demo_server: str) -> None:
    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    page.route(re.compile(r"/search(\.[0-9a-f]+)?\.js$"), lambda route: route.abort())
    page.goto(demo_server + "tim-kiem/?q=dan+van+kheo")
    fallback = page.locator("[data-bt-fallback]")
    page.wait_for_function("getComputedStyle(document.querySelector('[data-bt-fallback]')).visibility === 'visible'")
    assert "chưa chạy được tìm kiếm" in fallback.inner_text()
    context.close()


def test_a_running_search_removes_the_fallback_message(browser: Any, demo_server: str) -> None:
    page = browser.new_page()
    page.goto(demo_server + "tim-kiem/?q=dan+van+kheo")
    page.wait_for_selector(".bt-result")
    assert page.locator("[data-bt-fallback]").count() == 0
    page.close()


def test_the_number_pattern_the_browser_gets_has_no_lookbehind(demo_site: Path) -> None:
    """iOS 15 Safari rejects a RegExp with lookbehind, and the search builds its number pattern at run time."""
    from bantin.citations import number_source

    assert "(?<" not in number_source("javascript")
    html = (demo_site / "tim-kiem" / "index.html").read_text(encoding="utf-8")
    assert 'data-number-pattern="(^|[^\\p{L}\\p{N}./-])((?:' in html


def test_at_360px_the_article_reads_cleanly(browser: Any, demo_server: str) -> None:
    """Full-contrast title, the reading tools in one row, labels that do not break, tables at body size."""
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(demo_server + SEED_000 + "/")
    assert page.locator("h1").first.evaluate("node => getComputedStyle(node).color") == "rgb(27, 27, 27)"
    tops = page.locator(".bt-tools__button").evaluate_all("nodes => nodes.map(node => node.offsetTop)")
    assert len(tops) == 6 and len(set(tops)) == 1
    for label in page.locator(".bt-meta dt").all():
        assert label.evaluate("node => node.getClientRects().length") == 1, label.inner_text()
        height = label.evaluate("node => node.getBoundingClientRect().height")
        line = label.evaluate("node => parseFloat(getComputedStyle(node).lineHeight)")
        assert height < line * 1.5, label.inner_text()
    page.close()


def test_tables_in_a_body_are_at_body_size_and_scroll_on_a_phone(
    browser: Any, content: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import ARTICLE, build_site

    columns = " | ".join(f"Cột số {n} rất dài" for n in range(8))
    table = f"\n| {columns} |\n|{'---|' * 8}\n| {' | '.join(['Ủy ban Kinh tế và Tài chính'] * 8)} |\n"
    folder = content({"tin/2023/nang-cao-chat-luong-khoi-dan-van.md": ARTICLE + table})
    site = build_site(folder, tmp_path / "site", monkeypatch)
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto((site / "tin" / "2023" / "nang-cao-chat-luong-khoi-dan-van" / "index.html").as_uri())
    cell = page.locator(".bt-body td").first
    paragraph = page.locator(".bt-body p").first
    size = "node => getComputedStyle(node).fontSize"
    assert cell.evaluate(size) == paragraph.evaluate(size)
    assert page.locator(".bt-body table").evaluate("node => getComputedStyle(node).overflowX") == "auto"
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    page.close()


def test_a_successor_page_shows_its_predecessors_archive(
    content: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import build_site

    site = build_site(content(), tmp_path / "site", monkeypatch)
    html = html_of(site, "don-vi/ban-tuyen-giao-va-dan-van-tinh-uy-bac-kan")
    section = html[html.index('<section class="bt-predecessor-archive"') :]
    assert "Lưu trữ của đơn vị tiền thân: Ban Dân vận Tỉnh ủy Bắc Kạn</h2>" in section
    assert "Nâng cao chất lượng hoạt động của khối dân vận cơ sở</a>" in section
    assert "Tất cả 1 bài của Ban Dân vận Tỉnh ủy Bắc Kạn</a>" in section


def test_a_parent_page_shows_what_its_subordinate_units_publish(
    content: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import build_site

    site = build_site(content(), tmp_path / "site", monkeypatch)
    html = html_of(site, "don-vi/tinh-uy-bac-kan")
    section = html[html.index('<section class="bt-subordinates"') :]
    assert "Tin của các đơn vị trực thuộc</h2>" in section
    assert "Nâng cao chất lượng hoạt động của khối dân vận cơ sở</a>" in section
    assert "Ban Dân vận Tỉnh ủy Bắc Kạn" in section  # each entry names the unit that published it


def test_search_results_show_the_thumbnail_of_an_item_with_a_picture(browser: Any, demo_server: str) -> None:
    page = browser.new_page()
    page.goto(demo_server + "tim-kiem/?q=khoi+dan+van+co+so")
    page.wait_for_selector(".bt-result")
    with_pictures = ("Nâng cao chất lượng, hiệu quả", "Hải Hà (Quảng Ninh)")
    results = page.locator(".bt-result").all()
    assert any(not result.locator(".bt-result__thumb").count() for result in results)  # others stay text only
    for result in results:
        title = result.locator(".bt-result__title").inner_text()
        thumbs = result.locator(".bt-result__thumb img")
        assert thumbs.count() == (1 if title.startswith(with_pictures) else 0), title
        if thumbs.count():
            assert thumbs.get_attribute("width") == "320"
            assert (thumbs.get_attribute("src") or "").endswith("-320.jpg")
    page.close()
