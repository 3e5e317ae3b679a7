"""The `url` filter's fast path (bantin.urls.PageLinks) makes exactly the links MkDocs' own filter makes."""

from __future__ import annotations

import itertools

import pytest
from mkdocs.utils import normalize_url

from bantin.urls import PLAIN_PATH, PageLinks, Reach

# Where pages are served: directory URLs, `use_directory_urls: false`, the home page, a page served at the root.
PAGE_URLS = [
    "",
    "tin/",
    "tin/2024/hoi-nghi-can-bo/",
    "tin/trang/2/",
    "don-vi/ban-dan-van/trang/12/",
    "tin/2024/hoi-nghi-can-bo.html",
    "tin/index.html",
    "index.html",
    "404.html",
    "chuyen-muc/cong-tac-dan-van/",
    "luu-tru/2024/01/",
]
# What templates hand the filter: addresses, files, assets, and what MkDocs normalizes first (left to it).
PATHS = [
    "",
    "tin/",
    "tin/2024/",
    "tin/2024/hoi-nghi-can-bo/",
    "tin/2024/hoi-nghi-can-bo.html",
    "tin/2024/khac/",
    "tin/2024/hoi-nghi-can-bo/anh-640.webp",
    "assets/bantin/bantin.css",
    "assets/images/favicon.png",
    "don-vi/ban-dan-van/feed.xml",
    "luu-tru/2024/",
    "index.html",
    "sitemap.xml",
    ".",
    "./tin/",
    "../tin/",
    "tin/../van-ban/",
    "tin//2024/",
    "/tuyet-doi/",
    "#top",
    "https://example.vn/",
    "mailto:ban@example.vn",
    ".well-known/security.txt",
    "tin/2024/x y/",
    "tìm-kiếm/",
]


@pytest.mark.parametrize("page_url", PAGE_URLS)
def test_links_match_mkdocs_url_filter(page_url: str) -> None:
    class Page:
        url = page_url

    links = PageLinks()
    links.turn_to(Page, page_url)
    for path in PATHS:
        expected = normalize_url(path, page=Page())  # type: ignore[arg-type]
        assert links.link(path, lambda path: normalize_url(path, page=Page())) == expected, (page_url, path)  # type: ignore[arg-type]
        assert links.link(path, lambda path: "never asked") == expected  # remembered


def test_only_plain_paths_take_the_fast_path() -> None:
    plain = [path for path in PATHS if PLAIN_PATH.fullmatch(path)]
    assert "tin/2024/hoi-nghi-can-bo/" in plain and "assets/bantin/bantin.css" in plain
    for odd in ("", ".", "./tin/", "../tin/", "tin//2024/", "/tuyet-doi/", "#top", "https://example.vn/"):
        assert odd not in plain
    assert not [path for path in plain if any(part in (".", "..") for part in path.split("/"))]


def test_every_pair_of_plain_paths_matches_mkdocs() -> None:
    """Pages and targets drawn from the same folders, so shared prefixes of every length are covered."""
    folders = ["tin/", "tin/2024/", "tin/2024/a/", "tin/2024/a/b.html", "tin/2025/a/", "van-ban/a/", "a.html", ""]
    links = PageLinks()  # one for every page, as in a build: each path is split once
    for page_url, path in itertools.product(folders, folders):

        class Page:
            url = page_url

        links.turn_to(Page, page_url)
        expected = normalize_url(path, page=Page())  # type: ignore[arg-type]
        assert (links.link(path, lambda value: "fallback") if PLAIN_PATH.fullmatch(path) else expected) == expected


def test_pages_at_the_same_position_make_the_same_links() -> None:
    """The chrome's fragments are kept by `PageLinks.position` (bantin.chrome): two pages it calls alike must link
    every target alike, and two pages linking any target differently must stand apart."""
    folders = ["tin/", "tin/2024/", "tin/2024/a/", "tin/2024/b/", "tin/2025/a/", "van-ban/a/", "a.html", ""]
    targets = ["tin/", "tin/2024/a/", "assets/bantin/bantin.css", "van-ban/", "don-vi/ban-dan-van/"]
    reach = Reach.of((target, target) for target in targets)
    links = PageLinks()
    made: dict[object, list[str]] = {}
    for page_url in folders:

        class Page:
            url = page_url

        links.turn_to(Page, page_url)
        drawn = [links.link(target, lambda value: "fallback") for target in targets]
        assert made.setdefault(links.position(reach), drawn) == drawn, page_url
    assert len(made) == len({tuple(drawn) for drawn in made.values()}) > 3
