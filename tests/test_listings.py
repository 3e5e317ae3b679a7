"""Listings as pure functions of the collection: no MkDocs involved."""

from __future__ import annotations

from bantin.listings import archive_months, archive_years, latest, most_viewed, paginate
from bantin.pages import Site, UnitPage, site_pages
from bantin.urls import listing_address, listing_source
from tests.factories import BAC_KAN, VETERANS, collection, item


def test_collection_sorts_newest_first() -> None:
    items = collection(item("cu", "2017-02-01"), item("moi", "2023-03-03"), item("giua", "2018-01-25 18:40"))
    assert [entry.slug for entry in items.items] == ["moi", "giua", "cu"]


def test_neighbours_follow_date_order() -> None:
    items = collection(item("cu", "2017-02-01"), item("moi", "2023-03-03"), item("giua", "2018-01-25"))
    middle = items.items[1]
    assert items.newer(middle).slug == "moi"  # type: ignore[union-attr]
    assert items.older(middle).slug == "cu"  # type: ignore[union-attr]
    assert items.newer(items.items[0]) is None
    assert items.older(items.items[-1]) is None


def test_paginate_twenty_per_page_and_keeps_an_empty_first_page() -> None:
    pages = paginate(list(range(45)))
    assert [len(page.entries) for page in pages] == [20, 20, 5]
    assert (pages[0].has_previous, pages[0].has_next, pages[2].has_next) == (False, True, False)
    assert pages[2].total == 45
    empty = paginate(list[int]())
    assert len(empty) == 1 and list(empty[0].entries) == []


def test_page_addresses_put_later_pages_under_trang() -> None:
    assert listing_source("don-vi/x/", 1) == "don-vi/x/index.md"
    assert listing_source("don-vi/x/", 3) == "don-vi/x/trang/3.md"
    assert listing_address("don-vi/x/", 2) == "don-vi/x/trang/2/"


def test_latest_filters_by_kind() -> None:
    items = collection(item("tin-a", "2020-01-01"), item("kl-a", "2021-01-01", kind="ket-luan"))
    assert [entry.slug for entry in latest(items, 5, "tin")] == ["tin-a"]
    assert [entry.slug for entry in latest(items, 5)] == ["kl-a", "tin-a"]


def test_most_viewed_orders_by_views_then_newest_and_leaves_out_items_never_counted() -> None:
    items = collection(
        item("it", "2020-01-01", views=10),
        item("nhieu", "2019-01-01", views=9913),
        item("khong-ro", "2022-01-01"),
        item("it-moi-hon", "2021-01-01", views=10),
    )
    assert [entry.slug for entry in most_viewed(items)] == ["nhieu", "it-moi-hon", "it"]


def test_archive_counts_years_and_months() -> None:
    items = collection(
        item("a", "2018-01-25"), item("b", "2018-01-02"), item("c", "2018-06-11"), item("d", "2023-03-03")
    )
    assert [(period.year, period.count) for period in archive_years(items)] == [(2023, 1), (2018, 3)]
    months = archive_months(items, 2018)
    assert [(period.month, period.count, period.url) for period in months] == [
        (6, 1, "luu-tru/2018/06/"),
        (1, 2, "luu-tru/2018/01/"),
    ]


def test_categories_and_topics_group_by_slug() -> None:
    items = collection(
        item("a", "2018-01-25", category="Hoạt động Đảng bộ", tags=("Dân vận khéo",)),
        item("b", "2019-01-25", category="Hoạt động Đảng bộ", tags=("dân vận khéo", "Nông thôn mới")),
    )
    assert list(items.categories) == ["hoat-dong-dang-bo"]
    assert [entry.slug for entry in items.topics["dan-van-kheo"].items] == ["b", "a"]
    assert items.topics["nong-thon-moi"].name == "Nông thôn mới"


def test_unit_pages_list_published_and_mentioned_items_separately() -> None:
    items = collection(
        item("cua-go-vap", "2018-01-25", organizations=(VETERANS,)),
        item("cua-bac-kan", "2023-03-03", unit=BAC_KAN),
    )
    specs = {spec.src_uri: spec for spec in site_pages(Site.of(items), per_page=20)}
    veterans = specs["don-vi/hoi-cuu-chien-binh-quan-go-vap/index.md"]
    assert isinstance(veterans.data, UnitPage)
    assert veterans.data.cards == ()
    assert [card.item.slug for card in veterans.data.mentioned] == ["cua-go-vap"]


def test_site_pages_cover_every_listing_url() -> None:
    items = collection(
        item("a", "2018-01-25", category="Hoạt động Đảng bộ", tags=("Dân vận khéo",), views=5),
        item("kl", "2014-11-27", kind="ket-luan"),
    )
    uris = {spec.src_uri for spec in site_pages(Site.of(items), per_page=20)}
    for expected in (
        "tin/2018/a.md",
        "ket-luan/2014/kl.md",
        "tin/index.md",
        "ket-luan/index.md",
        "xem-nhieu/index.md",
        "luu-tru/index.md",
        "luu-tru/2018/index.md",
        "luu-tru/2018/01/index.md",
        "luu-tru/2014/11/index.md",
        "chuyen-muc/hoat-dong-dang-bo/index.md",
        "chu-de/dan-van-kheo/index.md",
        "don-vi/index.md",
        "don-vi/ban-dan-van-quan-uy-go-vap/index.md",
    ):
        assert expected in uris
