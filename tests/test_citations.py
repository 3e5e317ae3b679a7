"""Cited documents: numbers found in real bulletin sentences, their slugs, and links added to rendered bodies."""

from __future__ import annotations

import random
import unicodedata

import pytest

from bantin.citations import (
    NUMBER,
    TextSpans,
    document_slug,
    find_citations,
    link_citations,
    normalize_number,
    number_matches,
    text_spans,
)
from bantin.collection import item_citations
from bantin.figures import figures
from bantin.items import Notice
from bantin.safety import Renderer, sanitize
from tests.conftest import REPO
from tests.documents import markdown_files
from tests.factories import item
from tests.hostile import BODY_FAMILIES


def url_for(number: str) -> str:
    return f"/van-ban/{document_slug(number)}/"


def test_finds_party_numbers_in_real_sentences() -> None:
    sentences = {
        "thực hiện Thông tri số 08-TT/TU ngày 6.9.2011 của Ban Thường vụ Thành ủy": "08-TT/TU",
        "Chương trình số 24-CTr/QU ngày 29.12.2017 của Quận ủy.": "24-CTr/QU",
        "chương trình hành  động số 13-CT/ĐU, ngày 29/8/2013 của Đảng ủy": "13-CT/ĐU",
        "thực hiện sâu rộng Nghị quyết số 25-NQ/TW, nhất là 7 nhiệm vụ": "25-NQ/TW",
        "theo Quyết định 217-QĐ/TW của Bộ Chính trị cũng còn lúng túng": "217-QĐ/TW",
        "Ban Dân vận Tỉnh ủy ban hành Hướng dẫn số 267-HD/DVTU ngày 7/8/2008": "267-HD/DVTU",
        "Kết luận số 62-KL/TW, ngày 08/12/2009 của Bộ Chính trị (khóa X)": "62-KL/TW",
        "Công văn số 1623-CV/TU của Ban Thường vụ Tỉnh ủy": "1623-CV/TU",
        "Chương trình hành động số 20-NQ/TU, ngày 07/8/2013": "20-NQ/TU",
        "Ngay sau khi có Quyết định 111-QĐ/TU, ngày 8-1-2016": "111-QĐ/TU",
        "Quyết định số 292-QĐ/HU ngày 8-1-2106 của Ban Thường vụ Huyện ủy": "292-QĐ/HU",
        "đối thoại trực tiếp với nhân dân theo Quyết định 2242-QĐ/TU ít nhất 01lần": "2242-QĐ/TU",
        "lãnh đạo thực hiện Chỉ thị số 16-CT/TU về “Đồng khởi mới”của Ban Thường  vụ Tỉnh ủy": "16-CT/TU",
    }
    for sentence, number in sentences.items():
        assert find_citations(sentence) == [number], sentence


def test_finds_state_numbers_with_and_without_year() -> None:
    text = (
        "theo Hướng dẫn số 01/HDLB-TC-DV ngày 25/5/2000 của Ban Dân vận Trung ương; "
        "Nghị định số 30/2020/NĐ-CP về công tác văn thư; Thông báo số 12/TB-UBND; Luật số 80/2015/QH13"
    )
    assert find_citations(text) == ["01/HDLB-TC-DV", "30/2020/NĐ-CP", "12/TB-UBND", "80/2015/QH13"]


def test_dates_are_not_document_numbers() -> None:
    text = (
        "Thứ năm, Ngày 25/01/2018, 06:40 CH. Ngày 29-12-2015, Ban Thường vụ Tỉnh ủy Quảng Ninh họp; "
        "ngày 8-1-2106; ngày 29/8/2013; ngày 7/8/2008; ngày 25.1.2018"
    )
    assert find_citations(text) == []


def test_a_date_just_after_a_number_is_left_out() -> None:
    assert find_citations("Quyết định số 292-QĐ/HU ngày 8-1-2106 của Ban Thường vụ Huyện ủy") == ["292-QĐ/HU"]


def test_ratios_and_counts_are_not_document_numbers() -> None:
    text = (
        "đến nay đã có 4/15 xã được công nhận xã nông thôn mới; với số lượng thành viên mỗi xã, phường, "
        "thị trấn từ 7 - 13 người; cụm thi đua liên khu phố (từ 3 - 4 khu phố giáp ranh)"
    )
    assert find_citations(text) == []


def test_year_ranges_are_not_document_numbers() -> None:
    text = "Hội nghị sơ kết 05 năm (2009 - 2014); nhiệm kỳ 2016-2021; giai đoạn 2023 - 2025"
    assert find_citations(text) == []


def test_phone_numbers_are_not_document_numbers() -> None:
    assert find_citations("Điện thoại: 0283 894 1234 hoặc 028-3894-1234, fax 028.3894.1235") == []


def test_hyphenated_words_and_codes_are_not_document_numbers() -> None:
    text = (
        "chương trình Đồng khởi-khởi nghiệp, sinh kế thoát nghèo; Ủy viên Ban Thường vụ Huyện ủy-Trưởng Ban "
        "Dân vận Huyện ủy; Tiểu ban Kiểm tra-giám sát; - Văn phòng Trung ương Đảng + Vụ II; "
        "- Ban Dân vận Trung ương Đảng + T78; COVID-19/TW"
    )
    assert find_citations(text) == []


def test_a_number_glued_to_a_thousands_separator_is_not_cut_in_half() -> None:
    assert find_citations("Công văn số 1.623-CV/TU") == []


def test_surrounding_punctuation_stays_outside_the_number() -> None:
    text = "(Kết luận 62-KL/TW); “Nghị quyết số 25-NQ/TW”. **217-QĐ/TW** và _13-CT/ĐU_"
    assert find_citations(text) == ["62-KL/TW", "25-NQ/TW", "217-QĐ/TW", "13-CT/ĐU"]


def test_a_hyphenated_word_after_the_issuer_is_not_part_of_the_number() -> None:
    assert find_citations("Nghị quyết 18-NQ/TW-Tiếp tục đổi mới") == ["18-NQ/TW"]


def test_numbers_are_deduplicated_in_order_of_first_appearance() -> None:
    text = (
        "thực hiện Kết luận số 62-KL/TW của Bộ Chính trị (khóa X), Công văn số 1623-CV/TU của Ban Thường vụ "
        "Tỉnh ủy. Sau 05 năm thực hiện Kết luận số 62-KL/TW của Bộ Chính trị (khóa X)"
    )
    assert find_citations(text) == ["62-KL/TW", "1623-CV/TU"]


def test_spellings_with_and_without_đ_count_as_one_document() -> None:
    assert find_citations("Quyết định 217-QĐ/TW và Quyết định 217-QD/TW") == ["217-QĐ/TW"]


def test_decomposed_text_gives_nfc_numbers() -> None:
    decomposed = unicodedata.normalize("NFD", "chương trình hành động số 13-CT/ĐU của Đảng ủy")
    assert find_citations(decomposed) == ["13-CT/ĐU"]


def test_normalize_number_strips_quotes_brackets_and_trailing_punctuation() -> None:
    assert normalize_number(" (“62-KL/TW”), ") == "62-KL/TW"
    assert normalize_number("30/2020/NĐ-CP;") == "30/2020/NĐ-CP"


def test_document_slug_is_lowercase_ascii_with_đ_as_d() -> None:
    assert document_slug("62-KL/TW") == "62-kl-tw"
    assert document_slug("30/2020/NĐ-CP") == "30-2020-nd-cp"
    assert document_slug("13-CT/ĐU") == "13-ct-du"
    assert document_slug("24-CTr/QU") == "24-ctr-qu"
    assert document_slug("01/HDLB-TC-DV") == "1-hdlb-tc-dv"  # 01/… and 1/… are one document


def test_item_citations_read_title_topics_and_body_but_never_a_notice_own_number() -> None:
    notice = Notice(
        "212-TB/TU", "Thường trực Tỉnh ủy", None, "Kết luận về công tác dân vận", None, None, None, None, None, ()
    )
    cited = item(
        "ket-luan-cong-tac-dan-van",
        "2018-03-01",
        kind="ket-luan",
        notice=notice,
        title="Kết luận về công tác dân vận",
        tags=("Nghị quyết 25-NQ/TW",),
        body="Thông báo 212-TB/TU: sau 05 năm thực hiện Kết luận số 62-KL/TW, Nghị quyết số 25-NQ/TW.\n",
    )
    assert item_citations(cited) == ["25-NQ/TW", "62-KL/TW"]


def test_link_citations_wraps_a_number_in_a_link_to_its_page() -> None:
    html = "<p>Kết luận số 62-KL/TW, ngày 08/12/2009 của Bộ Chính trị (khóa X)</p>"
    assert link_citations(html, url_for) == (
        '<p>Kết luận số <a class="bt-citation" href="/van-ban/62-kl-tw/">62-KL/TW</a>, ngày 08/12/2009 '
        "của Bộ Chính trị (khóa X)</p>"
    )


def test_link_citations_links_two_numbers_in_one_paragraph() -> None:
    html = "<p>Hướng dẫn số 01/HDLB-TC-DV ngày 25/5/2000 và Hướng dẫn số 267-HD/DVTU ngày 7/8/2008</p>"
    assert link_citations(html, url_for) == (
        '<p>Hướng dẫn số <a class="bt-citation" href="/van-ban/1-hdlb-tc-dv/">01/HDLB-TC-DV</a> ngày 25/5/2000 '
        'và Hướng dẫn số <a class="bt-citation" href="/van-ban/267-hd-dvtu/">267-HD/DVTU</a> ngày 7/8/2008</p>'
    )


def test_link_citations_links_every_occurrence_of_the_same_number() -> None:
    html = "<p>Kết luận số 62-KL/TW.</p>\n<ul>\n<li>Sau 05 năm thực hiện Kết luận số 62-KL/TW</li>\n</ul>"
    linked = link_citations(html, url_for)
    assert linked.count('<a class="bt-citation" href="/van-ban/62-kl-tw/">62-KL/TW</a>') == 2


def test_link_citations_leaves_existing_links_untouched() -> None:
    html = '<p>Xem <a href="https://dangcongsan.vn/kl62">Kết luận số <strong>62-KL/TW</strong></a>.</p>'
    assert link_citations(html, url_for) == html


def test_link_citations_leaves_attributes_untouched() -> None:
    html = '<p title="Nghị quyết số 25-NQ/TW"><img alt="25-NQ/TW" src="25-NQ/TW.jpg"></p>'
    assert link_citations(html, url_for) == html


def test_link_citations_leaves_code_and_preformatted_text_untouched() -> None:
    html = "<p><code>62-KL/TW</code></p>\n<pre><code>number: 212-TB/TU\n</code></pre>"
    assert link_citations(html, url_for) == html


def test_link_citations_skips_numbers_without_a_page() -> None:
    html = "<p>Quyết định 217-QĐ/TW và Quyết định số 111-QĐ/TU</p>"
    linked = link_citations(html, lambda number: url_for(number) if number.endswith("/TW") else None)
    assert linked == (
        '<p>Quyết định <a class="bt-citation" href="/van-ban/217-qd-tw/">217-QĐ/TW</a> và Quyết định số 111-QĐ/TU</p>'
    )


def test_link_citations_escapes_the_href() -> None:
    linked = link_citations("<p>Nghị quyết số 25-NQ/TW</p>", lambda number: '/van-ban/?so=25&"x"')
    assert 'href="/van-ban/?so=25&amp;&quot;x&quot;"' in linked


def test_link_citations_keeps_entities_comments_and_line_breaks_as_they_were() -> None:
    html = (
        '<!-- 62-KL/TW -->\n<h2 id="ket-luan">Kết luận &amp; Nghị quyết</h2>\n'
        "<p>Đảng ủy &nbsp;xã<br />\nthực hiện Thông tri số 08-TT/TU ngày 6.9.2011</p>"
    )
    assert link_citations(html, url_for) == html.replace(
        "08-TT/TU ", '<a class="bt-citation" href="/van-ban/8-tt-tu/">08-TT/TU</a> '
    )


def test_link_citations_without_numbers_returns_the_html_unchanged() -> None:
    html = '<p class="lead">Ngày 25-1-2016, cơ quan khối Mặt trận Tổ quốc ra mắt; tỉ lệ 4/15 < 1</p>'
    assert link_citations(html, url_for) == html


def sanitized_bodies() -> list[str]:
    """Real bodies (the demo's content, the real-world documents) and the hostile corpus, as the build renders and
    sanitizes them before linking their numbers."""
    sources = [*(REPO / "content").rglob("*.md"), *(REPO.parent / "shared" / "realworld").rglob("*.md")]
    bodies = [path.read_text(encoding="utf-8").split("\n---", 2)[-1] for path in sources]
    bodies += [payload for family in BODY_FAMILIES.values() for payload in family]
    renderer = Renderer()
    return [figures(sanitize(renderer.html(body))) for body in bodies]


TRICKY = [
    '<p title="a > b">Số 12-KL/TW</p><code>13-KL/TW</code>',
    "<p>Số 12-KL/TW &amp; 13-KL/TW&nbsp;và 14-KL/TW</p>",
    "<p>A &amp B 15-KL/TW &#38; 16-KL/TW</p>",
    "<p>tỉ lệ 4/15 < 1 theo 17-KL/TW</p>",
    "<!-- 62-KL/TW --><p>62-KL/TW</p>",
    "<pre><code>18-KL/TW</code></pre><p>19-KL/TW</p><a href='x'>20-KL/TW</a> 21-KL/TW",
    "<P>22-KL/TW</P><A HREF=x>23-KL/TW</A><br/>24-KL/TW<a/>25-KL/TW",
    "<script>26-KL/TW</script><p>27-KL/TW</p>",
    "<code>a <b</code> 28-KL/TW",
    "29-KL/TW",
]


def test_text_spans_are_the_full_parsers_runs() -> None:
    """The two-pattern reading of sanitized HTML finds exactly the runs the HTML parser does, or leaves it to it."""
    for html in [*sanitized_bodies(), *TRICKY]:
        assert text_spans(html) == TextSpans.of(html), html


def test_a_series_sharing_one_code_gives_each_number_however_it_is_joined() -> None:
    """Numbers joined by ",", ", ", " , " or " và " (in any case) after a kind's name or "số" share the code after
    them; a number after anything else is only itself."""
    cases = {
        "Quyết định 217, 218-QĐ/TW của Bộ Chính trị": ["217-QĐ/TW", "218-QĐ/TW"],
        "Quyết định 217,218-QĐ/TW": ["217-QĐ/TW", "218-QĐ/TW"],
        "Chỉ thị số 5 , 6-CT/TU": ["5-CT/TU", "6-CT/TU"],
        "Kết luận số 187 và 188- KL/TW": ["187-KL/TW", "188-KL/TW"],
        "KẾT LUẬN SỐ 187 VÀ 188-KL/TW": ["187-KL/TW", "188-KL/TW"],
        "năm 2020, 188-KL/TW": ["188-KL/TW"],
        "trong 12 tháng 188-KL/TW": ["188-KL/TW"],
    }
    for text, numbers in cases.items():
        assert find_citations(text) == numbers, text


def spans(matches: object) -> list[tuple[int, int]]:
    return [match.span() for match in matches]  # type: ignore[attr-defined]


def test_numbers_looked_for_around_each_slash_are_the_whole_scans_on_real_texts() -> None:
    """The demo content, the seeds' articles and the real Party, State and Front documents (sources in
    ../shared/realworld/README.md): number_matches finds exactly what NUMBER.finditer finds."""
    texts = [path.read_text(encoding="utf-8") for path in markdown_files()]
    assert sum(1 for text in texts if NUMBER.search(text)) > 5
    for text in texts:
        assert spans(number_matches(text)) == spans(NUMBER.finditer(text))


@pytest.mark.parametrize("seed", range(4))
def test_numbers_looked_for_around_each_slash_are_the_whole_scans_on_fuzzed_text(seed: int) -> None:
    """Numbers glued to words with and without diacritics, runs of capitals, two slashes, spaced hyphens, a number
    at either end of the text and beside another."""
    rng = random.Random(seed)
    alphabet = [*"0123456789/- .,:aAbKLTWQĐđNCPếàẬ\n", "62-KL/TW", "30/2020/NĐ-CP", "KL/", "/TW", "- ", "ộ"]
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 30)))
        assert spans(number_matches(text)) == spans(NUMBER.finditer(text)), repr(text)
