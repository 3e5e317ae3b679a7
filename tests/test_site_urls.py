"""Every listing URL of the reader's bulletin exists in the built demo site and is reachable from the home page."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin
from xml.etree import ElementTree

import feedparser
import pytest

from tests.test_demo_site import SEED_000, SEED_001, SEED_003, html_of, text_of

LISTINGS = [
    "tin/",
    "ket-luan/",
    "don-vi/",
    "don-vi/ban-dan-van-quan-uy-go-vap/",
    "luu-tru/",
    "luu-tru/2018/",
    "luu-tru/2018/01/",
    "xem-nhieu/",
    "chuyen-muc/hoat-dong-dang-bo/",
    "chu-de/khoi-dan-van-co-so/",
    "van-ban/",
    "van-ban/25-nq-tw/",
]


def links_from(site: Path, url: str) -> set[str]:
    """Site-relative URLs of every link on a page."""
    html = html_of(site, url.rstrip("/"))
    base = "http://site/" + url
    found = set()
    for href in re.findall(r'href="([^"#]+)"', html):
        absolute = urljoin(base, href)
        if absolute.startswith("http://site/"):
            found.add(absolute.removeprefix("http://site/"))
    return found


def reachable_from_home(site: Path, depth: int = 3) -> set[str]:
    seen = {""}
    frontier = {""}
    for _ in range(depth):
        frontier = {link for url in frontier if (site / url / "index.html").exists() for link in links_from(site, url)}
        frontier -= seen
        seen |= frontier
    return seen


@pytest.mark.parametrize("url", LISTINGS)
def test_listing_is_built_and_reachable_from_home(demo_site: Path, url: str) -> None:
    assert (demo_site / url / "index.html").exists()
    assert url in reachable_from_home(demo_site)


def test_news_listing_holds_news_only_newest_first(demo_site: Path) -> None:
    text = text_of(demo_site, "tin")
    assert "4 bài" in text
    assert text.index("Nâng cao chất lượng, hiệu quả") < text.index("Tập trung đổi mới")
    assert "Kết luận của Thường trực" not in text


def test_archive_lists_years_with_counts(demo_site: Path) -> None:
    text = text_of(demo_site, "luu-tru")
    assert "Năm 2023 (1 bài)" in text
    assert "Năm 2018 (2 bài)" in text
    assert "Năm 2014 (1 bài)" in text
    year = text_of(demo_site, "luu-tru/2018")
    assert "Tháng 6 (1)" in year and "Tháng 1 (1)" in year


def test_most_viewed_puts_seed_000_first(demo_site: Path) -> None:
    html = html_of(demo_site, "xem-nhieu")
    first = re.search(r'class="bt-list__title" href="([^"]+)"', html)
    assert first is not None and SEED_000.rsplit("/", 1)[-1] in first.group(1)


def test_register_lists_the_conclusion_with_issuer_and_subject(demo_site: Path) -> None:
    html = html_of(demo_site, "ket-luan")
    row = html[html.index("<tbody>") : html.index("</tbody>")]
    assert "Thường trực Tỉnh ủy" in row
    assert SEED_003.rsplit("/", 1)[-1] in row
    assert "Khoảng tháng 11/2014" in row


@pytest.mark.parametrize("feed", ["feed.xml", "ket-luan/feed.xml", "don-vi/ban-dan-van-quan-uy-go-vap/feed.xml"])
def test_feeds_validate_and_read_back(demo_site: Path, feed: str) -> None:
    ElementTree.parse(demo_site / feed)
    parsed = feedparser.parse((demo_site / feed).read_bytes())
    assert parsed.bozo == 0
    assert parsed.feed.language == "vi"
    assert parsed.entries
    for entry in parsed.entries:
        assert entry.link.startswith("https://bantin.example.vn/")
        assert entry.published.endswith("+0700")


def test_pages_advertise_their_feeds(demo_site: Path) -> None:
    html = html_of(demo_site, "don-vi/ban-dan-van-quan-uy-go-vap")
    assert '<link rel="alternate" type="application/rss+xml" title="Bản tin Dân vận" href="../../feed.xml">' in html
    assert 'href="feed.xml">' in html


@pytest.mark.parametrize(
    ("url", "feed_link"),
    [
        ("", '<a href="feed.xml" type="application/rss+xml">Bản tin Dân vận</a>'),
        (
            "don-vi/ban-dan-van-quan-uy-go-vap",
            '<a href="feed.xml" type="application/rss+xml">Ban Dân vận Quận ủy Gò Vấp – Bản tin Dân vận</a>',
        ),
        ("ket-luan", '<a href="feed.xml" type="application/rss+xml">Thông báo kết luận – Bản tin Dân vận</a>'),
    ],
)
def test_readers_see_a_link_to_the_feed_of_the_page(demo_site: Path, url: str, feed_link: str) -> None:
    html = html_of(demo_site, url)
    feeds = html[html.index('<p class="bt-feeds">') :]
    assert feed_link in feeds[: feeds.index("</p>")]


def test_sitemap_lists_every_page_with_lastmod(demo_site: Path) -> None:
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ElementTree.parse(demo_site / "sitemap.xml").getroot()
    urls = {
        node.findtext("s:loc", namespaces=namespace): node.findtext("s:lastmod", namespaces=namespace)
        for node in root.findall("s:url", namespace)
    }
    assert urls["https://bantin.example.vn/" + SEED_000 + "/"] == "2018-01-25"
    assert urls["https://bantin.example.vn/luu-tru/2018/"] == "2018-06-11"
    pages = {
        path.parent.relative_to(demo_site).as_posix()
        for path in demo_site.rglob("index.html")
        if '<meta http-equiv="refresh"' not in path.read_text(encoding="utf-8")  # moved addresses: not listed
    }
    assert {("https://bantin.example.vn/" + page + "/").replace("/./", "/") for page in pages} <= set(urls) | {
        "https://bantin.example.vn/./"
    }


def test_robots_points_to_the_sitemap(demo_site: Path) -> None:
    assert "Sitemap: https://bantin.example.vn/sitemap.xml" in (demo_site / "robots.txt").read_text(encoding="utf-8")


def test_article_has_link_preview_metadata(demo_site: Path) -> None:
    html = html_of(demo_site, SEED_000)
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="article:published_time" content="2018-01-25T18:40:00+07:00">' in html
    assert '<meta name="twitter:card" content="summary">' in html


def test_cited_numbers_in_the_body_link_to_their_document_page(demo_site: Path) -> None:
    html = html_of(demo_site, SEED_001)
    assert '<a class="bt-citation" href="../../../van-ban/25-nq-tw/">25-NQ/TW</a>' in html
    assert '<a class="bt-citation" href="../../../van-ban/13-ct-du/">13-CT/ĐU</a>' in html
    assert "25/01/2018" not in re.findall(r'class="bt-citation"[^>]*>([^<]+)<', html)


def test_document_page_lists_every_item_citing_it(demo_site: Path) -> None:
    text = text_of(demo_site, "van-ban/62-kl-tw")
    assert "Văn bản 62-KL/TW" in text
    assert "Kết luận của Thường trực Tỉnh ủy" in text
    assert "1 bài nhắc đến văn bản này" in text


def test_moved_addresses_are_in_no_sitemap_feed_or_robots_file(demo_site: Path) -> None:
    moved = sorted(
        page.parent.relative_to(demo_site).as_posix() + "/"
        for page in demo_site.glob("van-ban/*/index.html")
        if '<meta http-equiv="refresh"' in page.read_text(encoding="utf-8")
    )
    assert "van-ban/08-tt-tu/" in moved  # cited with a leading zero: the address kept for old links
    assert '<meta name="robots" content="noindex">' in html_of(demo_site, "van-ban/08-tt-tu")
    assert "noindex" not in html_of(demo_site, "van-ban/8-tt-tu")
    sitemap = ElementTree.parse(demo_site / "sitemap.xml")
    listed = {loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert "https://bantin.example.vn/van-ban/8-tt-tu/" in listed
    published = "\n".join(
        path.read_text(encoding="utf-8") for path in [*demo_site.rglob("feed.xml"), demo_site / "robots.txt"]
    )
    for address in moved:
        assert f"https://bantin.example.vn/{address}" not in listed
        assert address not in published
