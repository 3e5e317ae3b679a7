"""The menu, breadcrumbs and the units directory as pure functions of the collection."""

from __future__ import annotations

from bantin.collection import Collection
from bantin.listings import place_name, unit_directory
from bantin.navigation import current, menu, sections_of, trail
from bantin.pages import Site, site_pages
from bantin.units import Unit
from bantin.urls import Link
from tests.factories import collection, item

CITY = Unit("Thành ủy Thành phố Hồ Chí Minh", "thanh-uy-tp-hcm", level="tỉnh")
DISTRICT = Unit("Quận ủy Gò Vấp", "quan-uy-go-vap", parent=CITY.name, level="huyện")
BOARD = Unit("Ban Dân vận Quận ủy Gò Vấp", "ban-dan-van-quan-uy-go-vap", parent=DISTRICT.name, level="huyện")
VETERANS = Unit("Hội Cựu chiến binh Quận Gò Vấp", "hoi-cuu-chien-binh-quan-go-vap", level="huyện")
STANDING = Unit("Thường trực Tỉnh ủy", "thuong-truc-tinh-uy", level="tỉnh")
UNITS = (CITY, DISTRICT, BOARD, VETERANS, STANDING)


def titles(links: list[Link]) -> list[str]:
    return [link.title for link in links]


SECTIONS = [Link("Trang chủ", ""), Link("Tin tức", "tin/"), Link("Văn bản", "van-ban/"), Link("Đơn vị", "don-vi/")]


def test_menu_has_the_sites_sections_and_the_busiest_categories_after_the_news() -> None:
    items = [item(f"a{n}", "2020-01-01", unit=BOARD, category="Hoạt động Đảng bộ") for n in range(3)]
    items.append(item("b", "2020-01-02", unit=BOARD, category="An sinh <xã hội>"))
    links = menu(collection(*items, units=UNITS), SECTIONS)
    categories = ["Hoạt động Đảng bộ", "An sinh &lt;xã hội&gt;"]  # escaped: Material's header prints HTML
    assert titles(links) == ["Trang chủ", "Tin tức", *categories, "Văn bản", "Đơn vị"]
    assert current(links, "chuyen-muc/hoat-dong-dang-bo/trang/2/") == "chuyen-muc/hoat-dong-dang-bo/"
    assert current(links, "ket-luan/2014/mot-thong-bao/") == "van-ban/"  # a notice is a document
    assert current(links, "van-ban/loai/ket-luan/") == "van-ban/"
    assert current(links, "") == ""
    assert current(links, "tim-kiem/") is None


def crumbs_of(src_uri: str, site: Collection) -> list[Link]:
    """The breadcrumbs of a generated page, from the data the page model gives it."""
    data = {spec.src_uri: spec.data for spec in site_pages(Site.of(site), per_page=20)}[src_uri]
    return trail(src_uri, data, site)


def test_an_article_sits_under_news_and_its_category() -> None:
    article = item("bai", "2018-01-25", unit=BOARD, category="Hoạt động Đảng bộ")
    crumbs = crumbs_of(article.src_uri, collection(article, units=UNITS))
    assert [(link.title, link.url) for link in crumbs] == [
        ("Trang chủ", ""),
        ("Tin tức", "tin/"),
        ("Hoạt động Đảng bộ", "chuyen-muc/hoat-dong-dang-bo/"),
    ]


def test_a_notice_sits_under_the_register() -> None:
    notice = item("kl", "2014-11-27", unit=STANDING, kind="ket-luan")
    assert titles(crumbs_of(notice.src_uri, collection(notice, units=UNITS))) == ["Trang chủ", "Văn bản"]


def test_a_unit_sits_under_its_parents_highest_first() -> None:
    site = collection(*(item(f"bai-{day}", f"2018-01-{day:02d}", unit=BOARD) for day in range(1, 22)), units=UNITS)
    crumbs = crumbs_of("don-vi/ban-dan-van-quan-uy-go-vap/index.md", site)
    assert titles(crumbs) == ["Trang chủ", "Đơn vị", CITY.name, DISTRICT.name]
    paged = crumbs_of("don-vi/ban-dan-van-quan-uy-go-vap/trang/2.md", site)
    assert titles(paged)[-1] == BOARD.name


def test_an_archive_month_sits_under_its_year() -> None:
    crumbs = crumbs_of("luu-tru/2018/01/index.md", collection(item("bai", "2018-01-25", unit=BOARD), units=UNITS))
    assert [(link.title, link.url) for link in crumbs] == [
        ("Trang chủ", ""),
        ("Lưu trữ", "luu-tru/"),
        ("Năm 2018", "luu-tru/2018/"),
    ]


def test_page_two_of_a_listing_sits_under_page_one() -> None:
    site = collection(*(item(f"bai-{day}", f"2018-01-{day:02d}", unit=BOARD) for day in range(1, 22)), units=UNITS)
    crumbs = crumbs_of("tin/trang/2.md", site)
    assert [(link.title, link.url) for link in crumbs] == [("Trang chủ", ""), ("Tin tức", "tin/")]


def test_units_are_grouped_by_level_then_province_even_without_a_parent() -> None:
    groups = unit_directory(collection(units=UNITS))
    assert [group.name for group in groups] == ["Cấp tỉnh", "Cấp huyện"]
    provinces = {province: [summary.unit.name for summary in summaries] for province, summaries in groups[1].provinces}
    # The veterans' association names no parent; its place (Gò Vấp) is a district of the city.
    assert provinces == {"Thành phố Hồ Chí Minh": [DISTRICT.name, BOARD.name, VETERANS.name]}
    assert [province for province, _ in groups[0].provinces] == ["Thành phố Hồ Chí Minh", ""]


def test_place_names_come_from_the_end_of_a_unit_name() -> None:
    assert place_name("Hội Cựu chiến binh Quận Gò Vấp") == "Gò Vấp"
    assert place_name("Quận đoàn Gò Vấp") == "Gò Vấp"
    assert place_name("Cơ quan Khối Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội huyện Hải Hà") == "Hải Hà"
    assert place_name("Tỉnh ủy Bắc Kạn") == "Bắc Kạn"
    assert place_name("Thường trực Tỉnh ủy") is None


def test_menu_sections_come_from_the_sites_nav() -> None:
    class Entry:
        def __init__(self, title: str, url: str | None = None, children: list[Entry] | None = None) -> None:
            self.title, self.url, self.children = title, url, children

    nav = [Entry("Trang chủ", ""), Entry("Tin", "tin/"), Entry("Giới thiệu", children=[Entry("Lịch sử", "lich-su/")])]
    assert [(link.title, link.url) for link in sections_of(nav)] == [
        ("Trang chủ", ""),
        ("Tin", "tin/"),
        ("Giới thiệu", "lich-su/"),
    ]
