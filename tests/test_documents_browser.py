"""The document register's filters, short-reference search and printed documents, in Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bantin.citations import find_citations
from bantin.search.tokenize import number_token, query_words
from tests.conftest import build_site, serve, write
from tests.documents import content_path, table, write_content
from tests.test_documents import CITING
from tests.test_search_browser import search, wait_ready

DOCUMENTS = table()["documents"]
# Numbers as officials really type them, in text and in the search box: both tokenizers must agree.
SPELLINGS = [
    "Kết luận số 07-KL/VPTW",
    "kết luận 7-kl/vptw",
    "Nghị quyết số 57- NQ/TW",
    "Nghị định 135/2020/NĐ -CP",
    "Kế hoạch số 75/KH- UBND ngày 09/7/2018",
    "Công văn số 6676/BYT-CDS",
    "Chỉ thị số 27/CT-TTG",
    "phòng, chống dịch COVID-19/TW",
    "Nghị quyết số 92/2025/UBTVQH15",
    "Chương trình số 30-CTr/TU ngày 29/12/2017",
    "Quy định số 11-QĐi/TW",
]


@pytest.fixture(scope="module")
def documents_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("documents-browser")
    content = write_content(root / "content")
    write(content, {"tin/2025/quan-triet-ket-luan-7-kl-vptw.md": CITING})
    with pytest.MonkeyPatch.context() as patch:
        site = build_site(content, root / "site", patch)
    with serve(site) as base:
        yield base


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def visible_numbers(page: Any) -> list[str]:
    rows = page.locator(".bt-register--documents tbody tr:not([hidden]) td:first-child")
    return sorted(rows.all_inner_texts())


def test_register_filters_by_kind_issuer_year_and_number(documents_server: str, page: Any) -> None:
    page.goto(documents_server + "van-ban/")
    assert len(visible_numbers(page)) == 9
    page.select_option("select[name=loai]", "ket-luan")
    assert visible_numbers(page) == ["07-KL/VPTW", "212-KL/TW"]
    assert "loai=ket-luan" in page.url
    page.select_option("select[name=loai]", "")
    page.select_option("select[name=nam]", "2014")
    assert visible_numbers(page) == ["—"]  # seed 003 has no number
    page.select_option("select[name=nam]", "")
    page.fill("input[name=so]", "7-KL/VPTW")  # as typed, without the leading zero
    assert visible_numbers(page) == ["07-KL/VPTW"]
    page.fill("input[name=so]", "432")
    assert visible_numbers(page) == ["432-TB/VPTW"]
    page.fill("input[name=so]", "")
    page.select_option("select[name=co-quan]", label="Ủy ban nhân dân thành phố Cần Thơ")
    assert visible_numbers(page) == ["165/KH-UBND"]
    assert page.inner_text("select[name=loai] option[value=ke-hoach]") == "Kế hoạch (1)"
    assert page.inner_text("select[name=loai] option[value=ket-luan]") == "Kết luận (0)"


def test_a_filtered_register_can_be_shared_by_its_address(documents_server: str, page: Any) -> None:
    page.goto(documents_server + "van-ban/?loai=huong-dan&nam=2025")
    assert visible_numbers(page) == ["37-HD/BTGDVTW"]
    assert "1 trên 9" in page.inner_text("[data-bt-register-shown]")
    page.goto(documents_server + "van-ban/?loai=khong-co")  # a kind the URL spells wrong filters nothing
    assert len(visible_numbers(page)) == 9


def badges(page: Any) -> list[str]:
    found: list[str] = page.locator(".bt-result .bt-badge").all_inner_texts()
    return found


def test_search_filters_by_document_kind_with_counts_and_keeps_old_urls(documents_server: str, page: Any) -> None:
    everything = search(page, documents_server, "đảng")["urls"]
    labels = page.locator("select[name=loai] option").all_inner_texts()
    assert labels[0] == "Tất cả các loại" and labels[1].startswith("Tin tức (") and "Công văn (1)" in labels
    assert any(label.startswith("Văn bản (mọi loại) (") for label in labels)
    assert "Hướng dẫn (1)" in labels and "Thông cáo (1)" in labels
    page.select_option("select[name=loai]", "cong-van")
    wait_ready(page, "đảng")
    assert "loai=cong-van" in page.url
    assert badges(page) == ["Công văn"]
    documents = search(page, documents_server, "đảng", loai="van-ban")["urls"]
    assert set(documents) < set(everything) and len(badges(page)) == len(documents)
    news = search(page, documents_server, "đảng", loai="tin")["urls"]
    assert sorted(news + documents) == sorted(everything) and badges(page) == []
    old = search(page, documents_server, "đảng", loai="ket-luan")["urls"]  # a link shared before kinds existed
    assert old and set(badges(page)) <= {"Kết luận", "Thông báo kết luận"}
    assert page.input_value("select[name=loai]") == "ket-luan"
    unknown = search(page, documents_server, "đảng", loai="khong-co-loai-nay")["urls"]
    assert unknown == everything and page.input_value("select[name=loai]") == ""


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("kết luận 212", "ket-luan/2025/212-kl-tw-tieu-chuan-don-vi-hanh-chinh-phan-loai-do-thi/"),
        ("thông báo 432", "ket-luan/2025/432-tb-vptw-ket-luan-tong-bi-thu-cham-soc-bao-ve-tre-em/"),
        ("công văn 402", "ket-luan/2025/402-cv-vpdu-xin-y-kien-du-thao-bao-cao-nghi-quyet-57/"),
        ("hướng dẫn 37", "ket-luan/2025/37-hd-btgdvtw-doi-moi-ban-tin-sinh-hoat-chi-bo/"),
        ("ke hoach 165", "ket-luan/2025/165-kh-ubnd-can-tho-thuc-hien-chi-thi-27-ct-ttg/"),
        ("7-KL/VPTW", "ket-luan/2025/07-kl-vptw-hoi-nghi-cong-tac-van-phong-tinh-uy-thanh-uy-2025/"),
        ("07-KL/VPTW", "ket-luan/2025/07-kl-vptw-hoi-nghi-cong-tac-van-phong-tinh-uy-thanh-uy-2025/"),
        ("kết luận 7", "ket-luan/2025/07-kl-vptw-hoi-nghi-cong-tac-van-phong-tinh-uy-thanh-uy-2025/"),
        ("kết luận số 212", "ket-luan/2025/212-kl-tw-tieu-chuan-don-vi-hanh-chinh-phan-loai-do-thi/"),
        ("quyết định 2830", "ket-luan/2025/2830-qd-ubnd-dong-nai-ap-dung-bai-bo-van-ban-y-te/"),
        ("VPĐU", "ket-luan/2025/402-cv-vpdu-xin-y-kien-du-thao-bao-cao-nghi-quyet-57/"),
    ],
)
def test_short_references_find_the_numbered_document_first(
    documents_server: str, page: Any, query: str, first: str
) -> None:
    found = search(page, documents_server, query)["urls"]
    assert found and found[0] == first


def test_a_short_reference_finds_a_cited_number_too(documents_server: str, page: Any) -> None:
    found = search(page, documents_server, "nghị quyết 57")["urls"]
    assert "tin/2025/phien-hop-thu-nhat-ban-chi-dao-trung-uong-khoa-hoc-cong-nghe/" in found
    assert "ket-luan/2025/402-cv-vpdu-xin-y-kien-du-thao-bao-cao-nghi-quyet-57/" in found
    assert "ket-luan/2025/212-kl-tw-tieu-chuan-don-vi-hanh-chinh-phan-loai-do-thi/" not in found


def test_the_browser_reads_numbers_as_python_does(documents_server: str, page: Any) -> None:
    page.goto(documents_server + "tim-kiem/")
    for text in SPELLINGS:
        browser_words = page.evaluate(
            "t => window.bantinSearch.spans(t, true).map(s => window.bantinSearch.makeToken(s.word))"
            ".filter(t => t.number).map(t => t.text)",
            text,
        )
        python_words = [word.replace(" ", "") for word in query_words(text) if "/" in word]
        assert browser_words == [number_token(word) for word in python_words], text
        assert len(browser_words) == len(find_citations(text.upper())), text  # a query is read upper-cased


@pytest.mark.parametrize("entry", DOCUMENTS, ids=lambda entry: entry["file"].rsplit("/", 1)[-1][:40])
def test_each_document_prints_on_a4_with_its_header_side_by_side_and_notes_before_recipients(
    documents_server: str, page: Any, entry: dict[str, Any]
) -> None:
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.goto(documents_server + content_path(entry["file"]).removesuffix(".md") + "/")
    issuer = page.locator(".bt-notice__issuer").bounding_box()
    nation = page.locator(".bt-notice__nation").bounding_box()
    assert issuer["x"] < nation["x"] and abs(issuer["y"] - nation["y"]) < 5  # two columns, one row
    assert not page.locator(".md-header").is_visible() and not page.locator(".bt-cited-by").is_visible()
    body = page.locator(".bt-notice__body").bounding_box()
    foot = page.locator(".bt-notice__foot").bounding_box()
    assert body["y"] + body["height"] <= foot["y"] + 1  # footnotes end the body, above "Nơi nhận"
    if entry.get("footnotes"):
        notes = page.locator(".bt-notice__body .footnote").bounding_box()
        assert notes["y"] + notes["height"] <= foot["y"] + 1
    if page.locator(".bt-notice__recipients-label").count():
        assert page.locator(".bt-notice__recipients-label").is_visible()
    if "signature" in entry:
        assert page.locator(".bt-notice__signer-name").is_visible()
    assert page.pdf(format="A4").startswith(b"%PDF")
