"""Real documents of every kind, built through MkDocs: headed, numbered, dated, signed and filed as their format says.

The documents, their sources and the layout each must show are in tests/data/documents/documents.yml.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bantin.citations import document_slug, find_citations
from bantin.documents import parse_number
from bantin.search.tokenize import query_words, words
from bantin.vietnamese import document_date
from tests.conftest import build_site, write
from tests.documents import content_path, table, write_content

DOCUMENTS = table()["documents"]
CITING = """\
---
title: Quán triệt Kết luận 7-KL/VPTW về công tác văn phòng cấp ủy
date: 2025-12-05
unit: Văn phòng Trung ương Đảng
---
Các văn phòng cấp ủy quán triệt Kết luận số 7- KL/VPTW và Nghị quyết số 57-NQ/TW.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("documents")
    content = write_content(root / "content")
    write(content, {"tin/2025/quan-triet-ket-luan-7-kl-vptw.md": CITING})
    with pytest.MonkeyPatch.context() as patch:
        build_site(content, root / "site", patch)
    return root / "site"


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def document_page(site: Path, entry: dict[str, Any]) -> str:
    return page(site, content_path(entry["file"]).removesuffix(".md"))


def article(html: str) -> str:
    return html[html.index('<article class="bt-notice') : html.index("</article>")]


def texts(html: str, css_class: str) -> list[str]:
    return [
        re.sub("<[^>]+>", "", found) for found in re.findall(f'<p class="{css_class}(?: [^"]*)?"[^>]*>(.*?)</p>', html)
    ]


@pytest.mark.parametrize("entry", DOCUMENTS, ids=lambda entry: entry["file"].rsplit("/", 1)[-1][:40])
def test_each_real_document_is_laid_out_as_its_format_requires(site: Path, entry: dict[str, Any]) -> None:
    html = article(document_page(site, entry))
    assert f'bt-notice--{entry["system"]}"' in html
    if entry["system"] == "dang":
        assert texts(html, "bt-notice__party") == ["ĐẢNG CỘNG SẢN VIỆT NAM"]
        assert texts(html, "bt-notice__star") == ["*"]
    else:
        assert texts(html, "bt-notice__country") == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
        assert texts(html, "bt-notice__motto") == ["Độc lập - Tự do - Hạnh phúc"]
        assert "bt-notice__party" not in html
    if "number" in entry:
        assert texts(html, "bt-notice__number") == [entry["number"]]
    if "issuer" in entry:
        assert texts(html, "bt-notice__superior") + texts(html, "bt-notice__issuer-name") == entry["issuer"]
    if "place_date" in entry:
        assert texts(html, "bt-notice__place-date") == [entry["place_date"]]
    kind = re.search('<span class="bt-notice__kind">(.*?)</span>', html)
    assert (kind.group(1) if kind else None) == entry["heading"]
    if entry["heading"] is None:  # a công văn: its trích yếu under the number as "V/v …"
        assert texts(html, "bt-notice__vv")[0].startswith("V/v ")
        assert "V/v V/v" not in html
    footnotes = re.findall(r'<li id="fn:\d+"', html)
    assert len(footnotes) == entry.get("footnotes", 0)
    if footnotes:  # at the foot of the body, before "Nơi nhận"
        assert html.index('class="footnote"') < html.index('class="bt-notice__foot')
        assert html.index('class="footnote"') > html.index('class="bt-body bt-notice__body"')
    if "signature" in entry:
        signer = html[html.index('class="bt-notice__signer"') :]
        shown = texts(signer, "bt-notice__authority") + texts(signer, "bt-notice__signer-title")
        assert shown + texts(signer, "bt-notice__signer-name") == entry["signature"]


def test_each_document_is_filed_under_its_own_kind(site: Path) -> None:
    register = page(site, "van-ban")
    for entry in DOCUMENTS:
        url = content_path(entry["file"]).removesuffix(".md")
        row = re.search(f'<tr data-kind="([a-z-]+)"[^>]*>(?:(?!</tr>).)*?href="[^"]*{url}/"', register, re.S)
        assert row is not None, url
        kind_page = page(site, f"van-ban/loai/{row.group(1)}")
        assert f'{url}/"' in kind_page
        assert f"<h1>{entry['kind']}" in kind_page


def test_register_counts_documents_per_kind(site: Path) -> None:
    register = page(site, "van-ban")
    counts = dict(re.findall(r'<option value="([a-z-]+)" data-name="[^"]+">[^<]+ \((\d+)\)</option>', register))
    expected: dict[str, int] = {}
    for entry in DOCUMENTS:
        slug = re.sub("[^a-z]+", "-", entry["kind"].lower())
        expected[slug] = expected.get(slug, 0) + 1
    assert sum(map(int, counts.values())) == len(DOCUMENTS) == sum(expected.values())
    assert counts["ket-luan"] == "2" and counts["thong-bao-ket-luan"] == "2" and counts["cong-van"] == "1"


def test_the_conclusions_register_holds_only_conclusions(site: Path) -> None:
    register = page(site, "ket-luan")
    assert "07-KL/VPTW" in register and "432-TB/VPTW" in register
    assert "402-CV/VPĐU" not in register and "37-HD/BTGDVTW" not in register and "165/KH-UBND" not in register


def test_each_kind_has_a_feed(site: Path) -> None:
    for slug in ("ket-luan", "huong-dan", "cong-van", "thong-cao", "ke-hoach", "thong-bao-ket-luan"):
        feed = (site / "van-ban" / "loai" / slug / "feed.xml").read_text(encoding="utf-8")
        assert "<rss" in feed and "<item>" in feed
    conclusions = (site / "ket-luan" / "feed.xml").read_text(encoding="utf-8")
    assert "402-cv-vpdu" not in conclusions and "07-kl-vptw" in conclusions


def test_full_text_and_cited_number_pages_lead_to_each_other(site: Path) -> None:
    full_text = page(site, "ket-luan/2025/07-kl-vptw-hoi-nghi-cong-tac-van-phong-tinh-uy-thanh-uy-2025")
    cited_by = full_text[full_text.index('class="bt-cited-by"') :]
    assert 'href="../../../van-ban/7-kl-vptw/"' in cited_by or 'href="/van-ban/7-kl-vptw/"' in cited_by
    assert "quan-triet-ket-luan-7-kl-vptw" in cited_by  # "7- KL/VPTW" in the article is the same number
    number_page = page(site, "van-ban/7-kl-vptw")
    assert 'class="bt-document-notice"' in number_page
    assert "07-kl-vptw-hoi-nghi-cong-tac-van-phong-tinh-uy-thanh-uy-2025" in number_page
    assert "quan-triet-ket-luan-7-kl-vptw" in number_page


def test_a_number_first_written_with_leading_zeros_keeps_its_old_address(site: Path) -> None:
    old = page(site, "van-ban/07-kl-vptw")
    assert re.search(r'http-equiv="refresh" content="0; url=[./]*7-kl-vptw/"', old)


def test_a_document_never_lists_its_own_number_among_what_it_cites(site: Path) -> None:
    html = page(site, "ket-luan/2025/402-cv-vpdu-xin-y-kien-du-thao-bao-cao-nghi-quyet-57")
    cited = html[html.index('id="bt-cited-heading"') :]
    cited = cited[: cited.index("</section>")]
    assert "57-NQ/TW" in cited and "15000-CV/VPTW" in cited and "402-CV/VPĐU" not in cited


@pytest.mark.parametrize(
    "entry", [*DOCUMENTS, *table()["news"]], ids=lambda entry: entry["file"].rsplit("/", 1)[-1][:40]
)
def test_citations_found_in_each_real_document_are_the_labelled_ones(site: Path, entry: dict[str, Any]) -> None:
    html = page(site, content_path(entry["file"]).removesuffix(".md"))
    listed: list[str] = []
    if 'id="bt-cited-heading"' in html:
        section = html[html.index('id="bt-cited-heading"') :]
        listed = re.findall(r'<li><a href="[^"]+">([^<]+)</a></li>', section[: section.index("</section>")])
    assert sorted(map(document_slug, listed)) == sorted(map(document_slug, entry["cites"]))


def test_numbers_as_really_typed() -> None:
    assert find_citations("Quyết định 217, 218-QĐ/TW của Bộ Chính trị") == ["217-QĐ/TW", "218-QĐ/TW"]
    assert find_citations("Kết luận số 187, 188- KL/TW ngày 10/9/2025") == ["187-KL/TW", "188-KL/TW"]
    assert find_citations("Nghị quyết số 57- NQ/TW") == ["57-NQ/TW"]
    assert find_citations("Nghị định số 135/2020/NĐ -CP ngày 18/11/2020") == ["135/2020/NĐ-CP"]
    assert find_citations("Kế hoạch số 75/KH- UBND ngày 09/7/2018") == ["75/KH-UBND"]
    assert find_citations("phòng, chống dịch COVID-19/TW") == []


def test_search_and_citations_read_numbers_alike() -> None:
    for text in ("phòng, chống dịch COVID-19/TW", "Kết luận 07-KL/VPTW", "Nghị quyết số 57- NQ/TW", "135/2020/NĐ -CP"):
        numbers = [word for word in words(text) if "/" in word]
        assert [number.replace(" ", "") for number in numbers] == [number.lower() for number in find_citations(text)], (
            text
        )
    assert query_words("7-kl/vptw") == ["7-kl/vptw"]


def test_number_parts_and_the_place_date_line() -> None:
    party = parse_number("07-KL/VPTW")
    assert (party.digits, party.code, party.issuers, party.system) == ("7", "KL", ("VPTW",), "dang")
    state = parse_number("30/2020/NĐ-CP")
    assert (state.year, state.code, state.issuers, state.kind and state.kind.name) == (
        "2020",
        "NĐ",
        ("CP",),
        "Nghị định",
    )
    letter = parse_number("123/UBND-VX")
    assert (letter.code, letter.issuers, letter.kind and letter.kind.name) == (None, ("UBND", "VX"), "Công văn")
    assert document_date(datetime(2024, 8, 5)) == "ngày 05 tháng 8 năm 2024"
    assert document_date(datetime(2025, 2, 14)) == "ngày 14 tháng 02 năm 2025"
    assert document_date(datetime(2014, 11, 27)) == "ngày 27 tháng 11 năm 2014"


def test_registers_name_the_issuing_body_as_the_registry_does(site: Path) -> None:
    """432-TB/VPTW writes its issuer as header lines; registers still name "Văn phòng Trung ương Đảng" once."""
    for register in (page(site, "van-ban"), page(site, "ket-luan")):
        row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*?432-TB/VPTW(?:(?!</tr>).)*?</tr>", register, re.S)
        assert row is not None and "Văn phòng Trung ương Đảng" in row.group()
        assert "BAN CHẤP HÀNH TRUNG ƯƠNG VĂN PHÒNG" not in register
    options = re.findall(r'<option value="[a-z0-9-]+">([^<]+)</option>', page(site, "van-ban"))
    assert options.count("Văn phòng Trung ương Đảng") == 1


def test_a_number_is_shown_as_the_published_document_writes_it(site: Path) -> None:
    assert "<h1>Văn bản 07-KL/VPTW" in page(site, "van-ban/7-kl-vptw")
    assert '<a href="7-kl-vptw/">07-KL/VPTW</a>' in page(site, "van-ban")


def test_the_registers_chart_documents_per_year_by_kind(site: Path) -> None:
    """Seed 003 (2014) and the real documents of 2025: a bar per year, a series per kind, the numbers as text."""
    html = page(site, "van-ban")
    figure = html[html.index('<figure class="bt-chart">') :]
    figure = figure[: figure.index("</figure>")]
    assert 'role="img" aria-labelledby="bt-chart-register-caption"' in figure
    assert "Số văn bản theo năm ban hành, theo loại</figcaption>" in figure
    header = re.findall(r'<th scope="col">([^<]+)</th>', figure)
    assert header[0] == "Thời gian"
    assert {"Công văn", "Hướng dẫn", "Kế hoạch", "Thông cáo", "Thông báo kết luận"} <= set(header)
    rows = dict(re.findall(r'<tr><th scope="row">(\d{4})</th>(.*?)</tr>', figure))
    assert list(rows) == [str(year) for year in range(2014, 2026)]
    counts = {year: [int(n) for n in re.findall(r"<td>(\d+)</td>", row)] for year, row in rows.items()}
    assert sum(counts["2014"]) == 1 and sum(counts["2020"]) == 0
    assert sum(map(sum, counts.values())) == html.count("<tr data-kind=")  # every listed document, once
    conclusions = page(site, "ket-luan")
    assert "Số thông báo kết luận theo năm ban hành, theo loại</figcaption>" in conclusions
    assert '<th scope="col">Công văn</th>' not in conclusions  # only what that register lists


def test_central_bodies_are_listed_without_a_province_label(site: Path) -> None:
    html = page(site, "don-vi")
    central = html[html.index(">Trung ương</h3>") :]
    central = central[: central.index("</section>")]
    assert "Văn phòng Trung ương Đảng" in central and 'class="bt-directory__place"' not in central
    assert '<p class="bt-directory__place">Khác</p>' in html  # where a level mixes provinces with none
