"""RSS feeds, robots.txt, feed autodiscovery and sitemap dates, computed from a collection built in memory."""

from __future__ import annotations

import calendar
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from typing import Any

import feedparser
import pytest

from bantin.collection import Collection
from bantin.excerpts import first_paragraph
from bantin.feeds import (
    Channel,
    alternate_links,
    channel_for,
    feed_kind,
    feeds,
    page_lastmods,
    rfc822,
    robots_txt,
    rss,
)
from bantin.items import Item, Kind, Notice
from bantin.pages import Site, site_pages
from bantin.units import Registry, Unit

SITE = "Bản tin Dân vận"
SITE_URL = "https://bantin.example.vn/"
BUILT = datetime(2024, 5, 1, 3, 0, tzinfo=UTC)
ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
RFC822_VN = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0700$")

DAN_VAN = Unit(
    "Ban Dân vận Tỉnh ủy Bắc Kạn", "ban-dan-van-tinh-uy-bac-kan", successor="Ban Tuyên giáo và Dân vận Tỉnh ủy Bắc Kạn"
)
TUYEN_GIAO = Unit("Ban Tuyên giáo và Dân vận Tỉnh ủy Bắc Kạn", "ban-tuyen-giao-va-dan-van-tinh-uy-bac-kan")
THUONG_TRUC = Unit("Thường trực Tỉnh ủy", "thuong-truc-tinh-uy")
CUU_CHIEN_BINH = Unit("Hội Cựu chiến binh Quận Gò Vấp", "hoi-cuu-chien-binh-quan-go-vap")
UNITS = [DAN_VAN, TUYEN_GIAO, THUONG_TRUC, CUU_CHIEN_BINH]

HOSTILE = 'Tin <script>alert("x")</script> & "trích" \'dẫn\' ]]> hết\x00\x08\x0b\x1b\ufffe'
HOSTILE_CLEAN = 'Tin <script>alert("x")</script> & "trích" \'dẫn\' ]]> hết'
FIRST = datetime(2018, 1, 25, 18, 40)


def make_item(slug: str, when: datetime, kind: Kind = "tin", unit: Unit = DAN_VAN, **fields: Any) -> Item:
    defaults: dict[str, Any] = {
        "title": f"Nâng cao chất lượng hoạt động của khối dân vận cơ sở ({slug})",
        "has_time": True,
        "body": "Đảng ủy các xã, phường, thị trấn từng bước quan tâm củng cố đội ngũ cán bộ làm công tác dân vận.\n",
    }
    if kind == "ket-luan":
        defaults["notice"] = Notice("212-TB/TU", None, None, "Kết luận", None, None, None, None, None, ())
    values = {**defaults, **fields}
    values["body_utf8"] = values.pop("body").encode()  # the item holds its body in UTF-8
    return Item(
        kind=kind,
        path=f"{kind}/{when.year}/{slug}.md",
        year=when.year,
        slug=slug,
        date=when,
        unit=unit,
        **values,
    )


def make_collection() -> Collection:
    """25 news items a day apart (newest last), a hostile title, one notice; Tuyên giáo has published nothing."""
    items = [make_item(f"tin-so-{number}", FIRST + timedelta(days=number)) for number in range(25)]
    items.append(
        make_item(
            "tap-trung-doi-moi-hoat-dong-mat-tran",
            FIRST,
            title="Tập trung đổi mới và nâng cao chất lượng hoạt động Mặt trận, đoàn thể",
            author="Ba Minh",
            category="Hoạt động Đảng bộ",
            organizations=(CUU_CHIEN_BINH,),
        )
    )
    items.append(make_item("tin-doc-hai", FIRST - timedelta(days=1), title=HOSTILE, summary=HOSTILE))
    items.append(
        make_item(
            "ket-luan-so-ket-62-kl-tw",
            datetime(2014, 11, 27),
            kind="ket-luan",
            unit=THUONG_TRUC,
            has_time=False,
            title="Kết luận của Thường trực Tỉnh ủy tại Hội nghị sơ kết 05 năm thực hiện Kết luận số 62-KL/TW",
        )
    )
    return Collection(items, Registry(UNITS))


def all_feeds() -> dict[str, tuple[Channel, str]]:
    return {
        channel.path: (channel, rss(channel, items, SITE_URL, BUILT))
        for channel, items in feeds(make_collection(), SITE, "Tin tức công tác dân vận")
    }


def feed_xml(path: str, limit: int = 20) -> str:
    for channel, items in feeds(make_collection(), SITE):
        if channel.path == path:
            return rss(channel, items, SITE_URL, BUILT, limit=limit)
    raise KeyError(path)


def parse(xml: str) -> ET.Element:
    return ET.fromstring(xml.encode("utf-8"))


def entries(xml: str) -> list[ET.Element]:
    return parse(xml).findall("channel/item")


def entry_for(xml: str, slug: str) -> ET.Element:
    return next(entry for entry in entries(xml) if entry.findtext("link", "").endswith(f"/{slug}/"))


def read_back(xml: str) -> Any:
    return feedparser.parse(xml.encode("utf-8"))


def test_site_conclusions_each_published_kind_and_every_unit_have_a_feed() -> None:
    assert list(all_feeds()) == [
        "feed.xml",
        "ket-luan/feed.xml",
        "van-ban/loai/thong-bao-ket-luan/feed.xml",
        "don-vi/ban-dan-van-tinh-uy-bac-kan/feed.xml",
        "don-vi/ban-tuyen-giao-va-dan-van-tinh-uy-bac-kan/feed.xml",
        "don-vi/thuong-truc-tinh-uy/feed.xml",
        "don-vi/hoi-cuu-chien-binh-quan-go-vap/feed.xml",
    ]


def test_every_feed_parses_as_rss_2() -> None:
    for _channel, xml in all_feeds().values():
        root = parse(xml)
        assert root.tag == "rss"
        assert root.get("version") == "2.0"
        assert root.find("channel") is not None


def test_every_feed_reads_back_in_feedparser_without_errors() -> None:
    for channel, xml in all_feeds().values():
        parsed = read_back(xml)
        assert parsed.bozo == 0, (channel.path, parsed.get("bozo_exception"))
        assert parsed.version == "rss20"
        assert parsed.feed.title == channel.title


def test_document_starts_with_utf8_declaration() -> None:
    assert feed_xml("feed.xml").startswith('<?xml version="1.0" encoding="UTF-8"?>\n<rss')


def test_channel_declares_vietnamese_and_links_to_its_page() -> None:
    head = parse(feed_xml("don-vi/ban-dan-van-tinh-uy-bac-kan/feed.xml")).find("channel")
    assert head is not None
    assert head.findtext("language") == "vi"
    assert head.findtext("title") == "Ban Dân vận Tỉnh ủy Bắc Kạn – Bản tin Dân vận"
    assert head.findtext("link") == "https://bantin.example.vn/don-vi/ban-dan-van-tinh-uy-bac-kan/"


def test_channel_has_atom_self_link_to_the_feed_itself() -> None:
    self_link = parse(feed_xml("ket-luan/feed.xml")).find(f"channel/{ATOM}link")
    assert self_link is not None
    assert self_link.attrib == {
        "href": "https://bantin.example.vn/ket-luan/feed.xml",
        "rel": "self",
        "type": "application/rss+xml",
    }


def test_site_feed_describes_itself_with_the_site_description() -> None:
    _channel, xml = all_feeds()["feed.xml"]
    assert parse(xml).findtext("channel/description") == "Tin tức công tác dân vận"


def test_last_build_date_is_the_newest_item_date() -> None:
    newest = FIRST + timedelta(days=24)
    assert parse(feed_xml("feed.xml")).findtext("channel/lastBuildDate") == rfc822(newest)


def test_empty_feed_last_build_date_is_the_build_time_in_vietnam_time() -> None:
    xml = feed_xml("don-vi/ban-tuyen-giao-va-dan-van-tinh-uy-bac-kan/feed.xml")
    assert parse(xml).findtext("channel/lastBuildDate") == "Wed, 01 May 2024 10:00:00 +0700"


def test_unit_without_items_gets_a_valid_empty_feed() -> None:
    xml = feed_xml("don-vi/ban-tuyen-giao-va-dan-van-tinh-uy-bac-kan/feed.xml")
    assert entries(xml) == []
    parsed = read_back(xml)
    assert parsed.bozo == 0
    assert parsed.entries == []


def test_feed_keeps_the_twenty_newest_items_newest_first() -> None:
    links = [entry.findtext("link") for entry in entries(feed_xml("feed.xml"))]
    assert links == [f"https://bantin.example.vn/tin/2018/tin-so-{number}/" for number in range(24, 4, -1)]


def test_limit_changes_how_many_items_a_feed_keeps() -> None:
    assert len(entries(feed_xml("feed.xml", limit=3))) == 3


def test_conclusions_feed_lists_only_conclusion_notices() -> None:
    links = [entry.findtext("link") for entry in entries(feed_xml("ket-luan/feed.xml"))]
    assert links == ["https://bantin.example.vn/ket-luan/2014/ket-luan-so-ket-62-kl-tw/"]


def test_unit_feed_lists_what_it_published_not_where_it_is_mentioned() -> None:
    assert entries(feed_xml("don-vi/hoi-cuu-chien-binh-quan-go-vap/feed.xml")) == []
    assert len(entries(feed_xml("don-vi/ban-dan-van-tinh-uy-bac-kan/feed.xml"))) == 20


def test_item_link_and_guid_are_the_same_absolute_permalink() -> None:
    entry = entries(feed_xml("feed.xml"))[0]
    guid = entry.find("guid")
    assert guid is not None
    assert entry.findtext("link") == "https://bantin.example.vn/tin/2018/tin-so-24/"
    assert guid.text == entry.findtext("link")
    assert guid.get("isPermaLink") == "true"


def test_site_url_without_trailing_slash_still_gives_clean_links() -> None:
    channel, items = feeds(make_collection(), SITE)[0]
    xml = rss(channel, items, "https://bantin.example.vn", BUILT)
    assert entries(xml)[0].findtext("link") == "https://bantin.example.vn/tin/2018/tin-so-24/"


def test_relative_site_url_is_refused_because_feed_links_must_be_absolute() -> None:
    channel, items = feeds(make_collection(), SITE)[0]
    with pytest.raises(ValueError, match="site_url"):
        rss(channel, items, "/", BUILT)


def test_pub_date_is_rfc822_in_vietnam_time() -> None:
    entry = entry_for(feed_xml("feed.xml", limit=30), "tap-trung-doi-moi-hoat-dong-mat-tran")
    assert entry.findtext("pubDate") == "Thu, 25 Jan 2018 18:40:00 +0700"


def test_date_without_time_is_midnight_vietnam_time() -> None:
    entry = entries(feed_xml("ket-luan/feed.xml"))[0]
    assert entry.findtext("pubDate") == "Thu, 27 Nov 2014 00:00:00 +0700"


def test_every_date_uses_english_day_and_month_names() -> None:
    for _channel, xml in all_feeds().values():
        dates = [parse(xml).findtext("channel/lastBuildDate")] + [e.findtext("pubDate") for e in entries(xml)]
        for date in dates:
            assert date is not None
            assert RFC822_VN.match(date), date


def test_month_names_are_rfc822_abbreviations_all_year() -> None:
    names = [rfc822(datetime(2018, month, 1)).split()[2] for month in range(1, 13)]
    assert names == ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def test_aware_datetimes_are_converted_to_vietnam_time() -> None:
    assert rfc822(datetime(2018, 1, 25, 11, 40, tzinfo=UTC)) == "Thu, 25 Jan 2018 18:40:00 +0700"


def test_feedparser_reads_titles_links_and_dates() -> None:
    parsed = read_back(feed_xml("feed.xml", limit=30))
    entry = next(entry for entry in parsed.entries if entry.link.endswith("/tap-trung-doi-moi-hoat-dong-mat-tran/"))
    assert entry.title == "Tập trung đổi mới và nâng cao chất lượng hoạt động Mặt trận, đoàn thể"
    assert entry.id == entry.link == "https://bantin.example.vn/tin/2018/tap-trung-doi-moi-hoat-dong-mat-tran/"
    utc = datetime(2018, 1, 25, 11, 40, tzinfo=UTC)
    assert calendar.timegm(entry.published_parsed) == utc.timestamp()


def test_feedparser_sees_entries_newest_first() -> None:
    parsed = read_back(feed_xml("feed.xml"))
    stamps = [calendar.timegm(entry.published_parsed) for entry in parsed.entries]
    assert stamps == sorted(stamps, reverse=True)


def test_hostile_title_is_escaped_not_markup() -> None:
    xml = feed_xml("feed.xml", limit=30)
    assert "<script>" not in xml
    assert '&lt;script&gt;alert("x")&lt;/script&gt; &amp;' in xml
    assert "]]>" not in xml


def test_hostile_title_round_trips_as_the_same_text() -> None:
    xml = feed_xml("feed.xml", limit=30)
    assert entry_for(xml, "tin-doc-hai").findtext("title") == HOSTILE_CLEAN
    parsed = read_back(xml)
    assert parsed.bozo == 0
    assert [entry.title for entry in parsed.entries if entry.link.endswith("/tin-doc-hai/")] == [HOSTILE_CLEAN]


def test_control_characters_are_dropped_so_the_feed_stays_well_formed() -> None:
    xml = feed_xml("feed.xml", limit=30)
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe]", xml)


def test_hostile_summary_reaches_readers_as_text_not_script() -> None:
    xml = feed_xml("feed.xml", limit=30)
    assert entry_for(xml, "tin-doc-hai").findtext("description") == (
        'Tin &lt;script&gt;alert("x")&lt;/script&gt; &amp; "trích" \'dẫn\' ]]&gt; hết'
    )
    entry = next(entry for entry in read_back(xml).entries if entry.link.endswith("/tin-doc-hai/"))
    assert "<script>" not in entry.summary


def test_vietnamese_text_is_written_as_is_in_utf8() -> None:
    xml = feed_xml("feed.xml", limit=30)
    assert "<title>Tập trung đổi mới và nâng cao chất lượng hoạt động Mặt trận, đoàn thể</title>" in xml
    assert "<dc:creator>Ba Minh</dc:creator>" in xml


def test_author_is_given_as_dc_creator() -> None:
    entry = entry_for(feed_xml("feed.xml", limit=30), "tap-trung-doi-moi-hoat-dong-mat-tran")
    assert entry.findtext(f"{DC}creator") == "Ba Minh"
    assert entry.find("author") is None


def test_item_without_author_names_no_creator() -> None:
    assert entries(feed_xml("feed.xml"))[0].find(f"{DC}creator") is None


def test_categories_are_the_unit_and_the_category() -> None:
    entry = entry_for(feed_xml("feed.xml", limit=30), "tap-trung-doi-moi-hoat-dong-mat-tran")
    assert [category.text for category in entry.findall("category")] == [
        "Ban Dân vận Tỉnh ủy Bắc Kạn",
        "Hoạt động Đảng bộ",
    ]


def test_description_is_the_first_paragraph_when_there_is_no_summary() -> None:
    entry = entries(feed_xml("feed.xml"))[0]
    assert entry.findtext("description") == (
        "Đảng ủy các xã, phường, thị trấn từng bước quan tâm củng cố đội ngũ cán bộ làm công tác dân vận."
    )


def test_first_paragraph_skips_headings_and_images_and_drops_markup() -> None:
    body = (
        "## Từ thực trạng\n\n![Hội nghị](hoi-nghi.jpg)\n\n"
        "Ngày 25/1/2018, **Ban Dân vận** tổ chức [hội nghị](https://example.vn/) về *Nghị quyết số 18*.\n"
        "1\\. Chất lượng được nâng lên.\n\nĐoạn thứ hai."
    )
    assert first_paragraph(body) == (
        "Ngày 25/1/2018, Ban Dân vận tổ chức hội nghị về Nghị quyết số 18. 1. Chất lượng được nâng lên."
    )


def test_long_description_is_cut_at_a_word_with_an_ellipsis() -> None:
    long_body = "Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội " * 20
    channel = channel_for("site", SITE)
    xml = rss(channel, [make_item("tin-dai", FIRST, body=long_body)], SITE_URL, BUILT)
    description = entries(xml)[0].findtext("description") or ""
    assert len(description) <= 301
    assert description.endswith("…")
    assert long_body.startswith(description.removesuffix("…") + " ")


def test_robots_txt_allows_everything_and_points_to_the_sitemap() -> None:
    assert robots_txt("https://bantin.example.vn") == (
        "User-agent: *\nAllow: /\n\nSitemap: https://bantin.example.vn/sitemap.xml\n"
    )


def test_feed_kind_follows_the_page() -> None:
    assert feed_kind("don-vi/ban-dan-van-tinh-uy-bac-kan/trang/2.md", DAN_VAN) == "unit"
    assert feed_kind("ket-luan/index.md") == "ket-luan"
    assert feed_kind("ket-luan/2014/ket-luan-so-ket-62-kl-tw.md") == "ket-luan"
    assert feed_kind("tin/2018/tin-so-1.md") == "site"


def test_every_page_advertises_the_site_feed() -> None:
    assert [(link.title, link.path) for link in alternate_links("site", SITE)] == [(SITE, "feed.xml")]


def test_unit_page_also_advertises_its_unit_feed_with_the_feed_title() -> None:
    links = alternate_links("unit", SITE, DAN_VAN)
    assert [link.path for link in links] == ["feed.xml", "don-vi/ban-dan-van-tinh-uy-bac-kan/feed.xml"]
    channel, xml = all_feeds()[links[1].path]
    assert parse(xml).findtext("channel/title") == links[1].title == channel.title


def test_conclusion_pages_also_advertise_the_conclusions_feed() -> None:
    links = alternate_links("ket-luan", SITE)
    assert [(link.title, link.path) for link in links] == [
        (SITE, "feed.xml"),
        ("Thông báo kết luận – Bản tin Dân vận", "ket-luan/feed.xml"),
    ]


def test_sitemap_date_of_an_item_page_is_its_own_date() -> None:
    collection = make_collection()
    lastmods = page_lastmods(site_pages(Site.of(collection), 20), collection)
    assert lastmods["ket-luan/2014/ket-luan-so-ket-62-kl-tw.md"] == "2014-11-27"


def test_sitemap_date_of_every_listing_page_is_its_newest_item() -> None:
    collection = make_collection()
    lastmods = page_lastmods(site_pages(Site.of(collection), 20), collection)
    assert lastmods["tin/index.md"] == "2018-02-18"
    assert lastmods["tin/trang/2.md"] == "2018-02-18"
    assert lastmods["ket-luan/index.md"] == "2014-11-27"


def test_sitemap_date_of_site_wide_pages_is_the_newest_item() -> None:
    collection = make_collection()
    lastmods = page_lastmods(site_pages(Site.of(collection), 20), collection)
    assert lastmods["index.md"] == lastmods["don-vi/index.md"] == lastmods["luu-tru/index.md"] == "2018-02-18"


def test_sitemap_date_of_a_unit_page_counts_items_mentioning_it() -> None:
    collection = make_collection()
    lastmods = page_lastmods(site_pages(Site.of(collection), 20), collection)
    assert lastmods["don-vi/hoi-cuu-chien-binh-quan-go-vap/index.md"] == "2018-01-25"


def test_page_listing_nothing_has_no_sitemap_date() -> None:
    collection = make_collection()
    lastmods = page_lastmods(site_pages(Site.of(collection), 20), collection)
    assert "don-vi/ban-tuyen-giao-va-dan-van-tinh-uy-bac-kan/index.md" not in lastmods
