"""The five seed pages, built from content/ through MkDocs, with their metadata and organization pages."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

SEED_000 = "tin/2018/tap-trung-doi-moi-hoat-dong-mat-tran-doan-the-o-dia-ban-dan-cu"
SEED_001 = "tin/2018/ban-dan-van-huyen-uy-khao-sat-5-nam-thuc-hien-chuong-trinh-hanh-dong-so-20"
SEED_002 = "tin/2023/nang-cao-chat-luong-hieu-qua-hoat-dong-cua-khoi-dan-van-co-so"
SEED_003 = "ket-luan/2014/ket-luan-hoi-nghi-so-ket-05-nam-thuc-hien-ket-luan-so-62-kl-tw"
SEED_004 = "tin/2017/hai-ha-quang-ninh-doi-moi-mo-hinh-co-quan-tham-muu-giup-viec-khoi-mat-tran"


def text_of(site: Path, url: str) -> str:
    """The page's main content as a reader sees it: tags dropped, entities decoded, spaces folded."""
    html = (site / url / "index.html").read_text(encoding="utf-8")
    main = html[html.index('<div class="md-content"') :]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def html_of(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_seed_000_article_metadata(demo_site: Path) -> None:
    text = text_of(demo_site, SEED_000)
    assert "Tập trung đổi mới và nâng cao chất lượng hoạt động Mặt trận, đoàn thể chính trị- xã hội" in text
    assert "Thứ Năm, 25/01/2018, 18:40" in text
    assert "Tác giả Ba Minh" in text
    assert "Lượt xem: 9.913" in text
    assert "Hoạt động Đảng bộ" in text
    assert "Nguồn WEBGOVAP" in text
    assert "(WEBGOVAP) - Theo tinh thần Nghị quyết số 18" in text
    assert "Nghiên cứu thành lập cụm thi đua liên khu phố" in text
    assert 'href="../../../don-vi/ban-dan-van-quan-uy-go-vap/"' in html_of(demo_site, SEED_000)


def test_seed_000_keeps_no_portal_chrome(demo_site: Path) -> None:
    text = text_of(demo_site, SEED_000)
    for chrome in ("Cỡ chữ Màu chữ", "Bản in Quay lại", "Ý kiến bạn đọc", "Lưu thông tin", "imageUser"):
        assert chrome not in text


def test_seed_001_marks_inferred_date_and_unit_as_approximate(demo_site: Path) -> None:
    text = text_of(demo_site, SEED_001)
    assert "Khoảng tháng 6/2018 (ước tính)" in text
    assert "Ban Dân vận Huyện ủy Giồng Trôm (suy từ nội dung)" in text
    assert "Tác giả" not in text
    assert "Lượt xem" not in text
    assert "Ngày 11 tháng 6 năm 2018, Ban dân vận Huyện ủy" in text


def test_seed_002_lead_caption_and_headings(demo_site: Path) -> None:
    html = html_of(demo_site, SEED_002)
    text = text_of(demo_site, SEED_002)
    assert "Thứ Sáu, 03/03/2023" in text
    assert "Hương Dịu" in text
    assert '<p class="bt-lead">Trước yêu cầu đổi mới công tác dân vận của tỉnh' in html
    assert "<figcaption>Nhờ thực hiện tốt công tác dân vận ở cơ sở" in html
    assert '<h2 id="phat-huy-vai-tro-cong-tac-dan-van-o-dia-phuong">' in html


def test_seed_bodies_keep_no_legacy_lists() -> None:
    """The portals' "Tin khác", "Phản hồi", "Mới nhất" and "Xem nhiều nhất" lists are chrome, not content."""
    for source in sorted((Path(__file__).parent.parent / "content").rglob("*.md")):
        body = source.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        for chrome in ("Tin khác", "Phản hồi", "Các tin khác", "Mới nhất", "Xem nhiều nhất"):
            assert chrome not in body, source


def test_seed_002_tin_khac_lists_other_items_never_itself(demo_site: Path) -> None:
    html = html_of(demo_site, SEED_002)
    section = html[html.index('<section class="bt-related"') :]
    section = section[: section.index("</section>")]
    links = re.findall(r'class="bt-list__title" href="([^"]+)"', section)
    assert 1 <= len(links) <= 5
    assert not any(SEED_002.rsplit("/", 1)[1] in link for link in links)


def test_seed_003_is_laid_out_as_an_official_notice(demo_site: Path) -> None:
    html = html_of(demo_site, SEED_003)
    text = text_of(demo_site, SEED_003)
    assert '<p class="bt-notice__party">ĐẢNG CỘNG SẢN VIỆT NAM</p>' in html
    assert '<p class="bt-notice__issuer-name">Thường trực Tỉnh ủy</p>' in html
    assert '<span class="bt-notice__subject">Kết luận của Thường trực Tỉnh ủy</span>' in html
    assert "tại Hội nghị sơ kết 05 năm (2009 - 2014) thực hiện Kết luận số 62-KL/TW" in text
    assert "Khoảng tháng 11/2014 (ước tính)" in text
    assert "Nơi nhận:" in text
    recipients = re.findall(r"<li>- ([^<]+)</li>", html)
    assert len(recipients) == 9
    assert recipients[0] == "Ban Bí thư Trung ương Đảng;"
    assert recipients[-1] == "Lưu Văn phòng Tỉnh ủy."
    assert '<p class="bt-notice__signer-title">Chánh Văn phòng</p>' in html
    assert "<em>(đã ký, đóng dấu)</em>" in html
    assert '<p class="bt-notice__signer-name">Lê Tấn Lai</p>' in html
    assert "để theo dõi, chỉ đạo./." in text
    assert "Số " not in text.split("ĐẢNG CỘNG SẢN")[0]


def test_seed_004_section_headings_and_approximate_date(demo_site: Path) -> None:
    html = html_of(demo_site, SEED_004)
    text = text_of(demo_site, SEED_004)
    assert '<h2 id="tu-thuc-trang">Từ thực trạng</h2>' in html
    assert '<h2 id="den-giai-phap">Đến giải pháp</h2>' in html
    assert "Khoảng tháng 2/2017 (ước tính)" in text
    assert "đã có 4/15 xã được công nhận xã nông thôn mới" in text


@pytest.mark.parametrize(
    ("unit_url", "expected"),
    [
        ("don-vi/ban-dan-van-quan-uy-go-vap", SEED_000),
        ("don-vi/ban-dan-van-huyen-uy-giong-trom", SEED_001),
        ("don-vi/ban-dan-van-tinh-uy-bac-kan", SEED_002),
        ("don-vi/thuong-truc-tinh-uy", SEED_003),
    ],
)
def test_each_seed_is_listed_on_its_unit_page(demo_site: Path, unit_url: str, expected: str) -> None:
    html = html_of(demo_site, unit_url)
    assert expected.rsplit("/", 1)[-1] + "/" in html


def test_unit_page_shows_parent_and_successor(demo_site: Path) -> None:
    text = text_of(demo_site, "don-vi/ban-dan-van-tinh-uy-bac-kan")
    assert "Trực thuộc Tỉnh ủy Bắc Kạn" in text
    assert "Đơn vị kế thừa Ban Tuyên giáo và Dân vận Tỉnh ủy Bắc Kạn" in text
    successor = text_of(demo_site, "don-vi/ban-tuyen-giao-va-dan-van-tinh-uy-bac-kan")
    assert "Tiền thân Ban Dân vận Tỉnh ủy Bắc Kạn (1 bài)" in successor


def test_mentioned_organization_lists_the_item_separately(demo_site: Path) -> None:
    text = text_of(demo_site, "don-vi/hoi-cuu-chien-binh-quan-go-vap")
    assert "Bài có nhắc đến đơn vị (1)" in text
    assert "Tập trung đổi mới và nâng cao chất lượng" in text


def test_unit_index_lists_every_unit_with_counts(demo_site: Path) -> None:
    html = html_of(demo_site, "don-vi")
    directory = html[html.index('<div class="bt-directory">') :]
    assert directory.count('<li><a href="') >= 20
    assert 'Ban Dân vận Quận ủy Gò Vấp</a> <span class="bt-count">(1)</span>' in directory


def test_menu_holds_sections_and_categories_not_articles(demo_site: Path) -> None:
    html = html_of(demo_site, "")
    nav = html[html.index('<nav class="bt-menu" aria-label="Thanh điều hướng">') :]
    nav = nav[: nav.index("</nav>")]
    titles = re.findall(r">([^<>]+)</a>", nav)
    assert titles == ["Trang chủ", "Tin tức", "Hoạt động Đảng bộ", "Văn bản", "Đơn vị", "Lưu trữ"]  # mkdocs.yml's nav
    assert 'href="./" aria-current="page">Trang chủ' in nav
    assert "Tập trung đổi mới" not in nav


def test_site_is_vietnamese(demo_site: Path) -> None:
    assert '<html lang="vi"' in html_of(demo_site, "")


def test_no_page_requests_a_third_party(demo_site: Path) -> None:
    for page in demo_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in html, page
        assert not re.search(r'<(?:script|img|iframe)[^>]+src="https?://', html), page
        assert not re.search(r'<link[^>]+rel="(?:stylesheet|preconnect|preload|icon)"[^>]+href="https?://', html), page


def test_not_found_page_is_vietnamese_with_the_site_styles_and_a_way_back(demo_site: Path) -> None:
    html = (demo_site / "404.html").read_text(encoding="utf-8")
    assert "<title>Không tìm thấy trang – Bản tin Dân vận</title>" in html
    assert "<h1>Không tìm thấy trang</h1>" in html
    assert re.search(r'<link rel="stylesheet" href="/assets/stylesheets/main\.[0-9a-f]+\.min\.css">', html)
    assert 'action="/tim-kiem/"' in html
    assert '<a href="/">Về trang chủ</a>' in html and 'href="/."' not in html
    assert "&lt;link" not in html
