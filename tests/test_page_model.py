"""The page model: each page's data holds everything its template shows, so the page cache's key covers it all.

Templates used to ask the site for more while rendering (a unit's subordinates' news, a predecessor's archive):
what they fetched was in no page's key, and a warm build kept the old page. The typed data (bantin.pages) is built
before rendering and is the key, so a change anywhere a page shows reaches it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from bantin.cards import Cards
from bantin.pages import ItemPage, Site, UnitPage, home_page, site_pages
from tests.conftest import ARTICLE, build_site
from tests.factories import collection, item

SUCCESSOR_ARTICLE = """\
---
title: Hội nghị Ban Tuyên giáo và Dân vận lần thứ nhất
date: 2025-04-10
unit: Ban Tuyên giáo và Dân vận Tỉnh ủy Bắc Kạn
---
Ban Tuyên giáo và Dân vận Tỉnh ủy Bắc Kạn tổ chức hội nghị lần thứ nhất sau khi hợp nhất hai ban.
"""
PROVINCE = "don-vi/tinh-uy-bac-kan/index.html"
SUCCESSOR = "don-vi/ban-tuyen-giao-va-dan-van-tinh-uy-bac-kan/index.html"


def titles(html: str) -> list[str]:
    return re.findall(r'class="bt-list__title" href="[^"]*">([^<]*)</a>', html)


def test_an_edit_reaches_the_pages_that_show_an_item_of_another_unit(
    content: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The province's page lists its boards' news, the successor's page its predecessor's archive: after an
    edited title, a warm build shows the new title on both, as a cold build does."""
    folder = content({"tin/2025/hoi-nghi-ban-tuyen-giao.md": SUCCESSOR_ARTICLE})
    site = build_site(folder, tmp_path / "site", monkeypatch)
    old = "Nâng cao chất lượng hoạt động của khối dân vận cơ sở"
    assert old in titles((site / PROVINCE).read_text(encoding="utf-8"))
    assert old in titles((site / SUCCESSOR).read_text(encoding="utf-8"))

    new = "Nâng cao chất lượng khối dân vận cơ sở ở Bắc Kạn"
    edited = folder / "tin/2023/nang-cao-chat-luong-khoi-dan-van.md"
    edited.write_text(ARTICLE.replace(old, new), encoding="utf-8")
    warm = build_site(folder, tmp_path / "site", monkeypatch)  # the same cache folder: a warm build
    for page in (PROVINCE, SUCCESSOR):
        shown = titles((warm / page).read_text(encoding="utf-8"))
        assert new in shown and old not in shown, page


def test_an_item_shown_on_many_pages_has_one_card() -> None:
    """Listings, neighbours, related items and the home page share each item's card, made once."""
    items = [item(f"bai-{day}", f"2024-05-{day:02d}", category="Dân vận khéo") for day in range(1, 8)]
    site = Site.of(collection(*items))
    specs = list(site_pages(site, per_page=20))
    home = home_page(site)
    newest = items[-1]
    shown = [
        card
        for spec in specs
        for card in (
            *getattr(spec.data, "cards", ()),
            *([spec.data.newer] if isinstance(spec.data, ItemPage) and spec.data.newer else []),
        )
        if card.item == newest
    ]
    shown += [card for card in (home.lead, *home.latest) if card is not None and card.item == newest]
    assert len(shown) > 3
    assert all(card is shown[0] for card in shown)
    assert len(site.cards.made) == len(items)


def test_a_card_reads_as_the_page_prints_it() -> None:
    """Vietnamese date text, grouped views, the kind of document or the category on a text card, the excerpt cut."""
    news = item("hoi-nghi", "2018-01-25", views=12345, category="Hoạt động", body="Lời dẫn. " * 40)
    card = Cards(collection(news), {})(news)
    assert card.date.text == "Thứ Năm, 25/01/2018" and card.date.machine == "2018-01-25"
    assert card.views == "12.345" and card.label == "Hoạt động" and card.document_kind is None
    assert card.href == "tin/2018/hoi-nghi/" and card.image is None
    assert len(card.short_excerpt) == 150 and card.short_excerpt.endswith("…")
    assert card.excerpt.startswith(card.short_excerpt[:-1])


def test_a_unit_page_carries_its_data_not_the_collection() -> None:
    site = Site.of(collection(item("bai", "2024-05-01")))
    units = [spec.data for spec in site_pages(site, per_page=20) if isinstance(spec.data, UnitPage)]
    assert units and all(isinstance(data.total, str) and isinstance(data.chart, str) for data in units)
