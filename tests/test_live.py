"""What `mkdocs serve` keeps in memory between rebuilds (bantin.live) gives exactly what a fresh build computes.

The related index is updated in place after an edit and remembers each item's related items; after every kind of
change below, each item's related items equal a fresh bantin.related.RelatedIndex's over the same content. The
corpus is the project's generator's (Vietnamese paragraphs from the seed bulletins), reloaded from disk after each
change as a rebuild does.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from bantin.cache import ItemMemo, Store
from bantin.cards import Card, Cards
from bantin.collection import Collection
from bantin.feeds import feeds, page_lastmods, rss
from bantin.images import LeadImage, Variant
from bantin.live import FileKeys, LiveCards, LiveIndex, Phrases, Session
from bantin.loader import load_content
from bantin.pages import ItemPage, ListingPage, PageSpec, Site, site_pages
from bantin.related import RelatedIndex
from bantin.urls import NO_ADDRESSES
from tests.conftest import generated_corpus

CORPUS_SIZE = 120


def fresh_related(collection: Collection) -> dict[str, list[str]]:
    index = RelatedIndex(collection.items, collection.related_index.cited, collection.family_of)
    return {item.url: [other.url for other in index.related(item)] for item in collection.items}


def live_related(index: LiveIndex, collection: Collection) -> dict[str, list[str]]:
    return {item.url: [other.url for other in index.related(item)] for item in collection.items}


def articles(content: Path) -> list[Path]:
    return sorted((content / "tin").rglob("*.md"))


def rewrite(path: Path, change: Callable[[str], str]) -> None:
    text = path.read_text(encoding="utf-8")
    changed = change(text)
    assert changed != text
    path.write_text(changed, encoding="utf-8")


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_corpus(tmp_path_factory.mktemp("live"), CORPUS_SIZE)


def test_the_live_related_index_equals_a_fresh_one_after_each_edit(content: Path) -> None:
    phrases = Phrases()
    collection = load_content(content, preview=True, check_bodies=False)
    index = LiveIndex(collection, phrases)
    assert live_related(index, collection) == fresh_related(collection)
    first, other = articles(content)[7], articles(content)[30]
    borrowed = other.read_text(encoding="utf-8").split("---", 2)[2][:600]
    units = re.findall(r'(?m)^unit: "?([^"\n]+)"?$', (articles(content)[50]).read_text(encoding="utf-8"))
    edits: list[tuple[str, Callable[[], None]]] = [
        ("title", lambda: rewrite(first, lambda text: re.sub(r"(?m)^title: .*$", 'title: "Hội nông dân tỉnh"', text))),
        ("body", lambda: rewrite(first, lambda text: text + "\n" + borrowed + "\n")),
        ("tags", lambda: rewrite(first, lambda text: re.sub(r"(?m)^tags: .*$", 'tags: ["Dân vận khéo"]', text))),
        ("unit", lambda: rewrite(first, lambda text: re.sub(r"(?m)^unit: .*$", f'unit: "{units[0]}"', text))),
        ("cited", lambda: rewrite(other, lambda text: text + "\nThực hiện Kết luận số 12-KL/TU của Tỉnh ủy.\n")),
        ("back", lambda: rewrite(first, lambda text: text.replace(borrowed, "Đoạn ngắn."))),
        ("same", lambda: rewrite(other, lambda text: text + "\n")),
    ]
    for name, edit in edits:
        edit()
        collection = load_content(content, preview=True, check_bodies=False)
        assert index.update(collection), name
        assert live_related(index, collection) == fresh_related(collection), name
        rebuilt = LiveIndex(collection, phrases)  # built anew from the session's phrases, as after an addition
        assert live_related(rebuilt, collection) == fresh_related(collection), name


def test_an_added_or_moved_item_is_not_updated_in_place(content: Path) -> None:
    phrases = Phrases()
    collection = load_content(content, preview=True, check_bodies=False)
    index = LiveIndex(collection, phrases)
    source = articles(content)[3]
    added = source.with_name("bai-them-de-thu.md")
    added.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    try:
        grown = load_content(content, preview=True, check_bodies=False)
        assert not index.update(grown)
        rebuilt = LiveIndex(grown, phrases)
        assert live_related(rebuilt, grown) == fresh_related(grown)
        rewrite(added, lambda text: re.sub(r"(?m)^date: .*$", "date: 2014-01-02 08:00", text))
        moved = load_content(content, preview=True, check_bodies=False)
        assert not rebuilt.update(moved)
    finally:
        added.unlink()


def test_a_card_is_kept_only_while_its_item_image_and_mark_are_the_same(content: Path) -> None:
    """Serve's cards (bantin.live.LiveCards): the very card of the build before for the very same item, a new one
    as soon as the item, its lead image or its preview mark differs, equal to a fresh card every time."""
    collection = load_content(content, preview=True)
    item = collection.items[3]
    before = Cards(collection, {})(item)
    kept = LiveCards(collection, {}, {item.url: before})(item)
    assert kept is before
    image = LeadImage("anh.jpg", 800, 600, (), (), Variant("anh-1200.jpg", 1200, 900), "Chú thích", None)
    pictured = LiveCards(collection, {item.url: image}, {item.url: before})(item)
    assert pictured is not before and pictured.image == image
    assert pictured == Cards(collection, {item.url: image})(item)
    draft = replace(item, draft=True)
    marked = LiveCards(collection, {}, {item.url: before})(draft)
    assert marked is not before and marked.preview == "draft" and marked == Cards(collection, {})(draft)
    retitled = replace(item, title="Tiêu đề khác")
    assert LiveCards(collection, {}, {item.url: before})(retitled).title == "Tiêu đề khác"
    same = replace(item)  # an equal item parsed again: an equal card, which is the card before
    assert LiveCards(collection, {}, {item.url: before})(same) is before


def test_an_article_unchanged_since_it_was_read_is_not_read_again(tmp_path: Path) -> None:
    """Serve's file keys (bantin.live.FileKeys): the memo key of a file whose status is as when it was read; none
    once the file changed, nor for a file changed just before it was read (it may change again within the clock's
    tick and keep its status)."""
    path = tmp_path / "bai.md"
    path.write_text("title: Hội nghị\n", encoding="utf-8")
    keys = FileKeys()
    keys.start()
    keys.put("tin/2024/bai.md", path, "khoa-1")
    keys.start()
    assert keys.get("tin/2024/bai.md", path) == ""  # changed within the margin: read again
    keys.MARGIN_NS = -60_000_000_000  # as if the file had been written a minute before the load
    keys.start()
    keys.put("tin/2024/bai.md", path, "khoa-1")
    keys.start()
    assert keys.get("tin/2024/bai.md", path) == "khoa-1"
    seen = os.stat(path)  # the status the content folder's walk found (bantin.loader.content_files)
    assert keys.get("tin/2024/bai.md", path, seen) == "khoa-1"
    path.write_text("title: Hội nghị tổng kết\n", encoding="utf-8")
    keys.start()
    assert keys.get("tin/2024/bai.md", path) == ""
    assert keys.get("tin/2024/bai.md", path, os.stat(path)) == ""
    path.unlink()
    assert keys.get("tin/2024/bai.md", path) == ""


def test_files_read_too_soon_after_a_change_are_remembered_between_rebuilds(tmp_path: Path) -> None:
    """A file the load read just after it changed (a folder copied just before `mkdocs serve`) is read again
    between rebuilds (bantin.live.FileKeys.refresh) once it is old enough, and remembered only with the bytes the
    load read; nothing is done while a rebuild is asked for."""
    fresh, changed = tmp_path / "moi.md", tmp_path / "sua.md"
    for path in (fresh, changed):
        path.write_text("title: Hội nghị\n", encoding="utf-8")
    keys = FileKeys()
    keys.start()
    for relative, path in (("tin/2024/moi.md", fresh), ("tin/2024/sua.md", changed)):
        keys.put(relative, path, ItemMemo.key(relative, path.read_bytes()))
    keys.refresh(lambda: False)  # still within the margin: nothing is remembered yet
    keys.start()
    assert keys.get("tin/2024/moi.md", fresh) == ""
    changed.write_text("title: Hội nghị tổng kết\n", encoding="utf-8")  # after the load read it
    keys.MARGIN_NS = -60_000_000_000  # as if a minute had gone by
    keys.refresh(lambda: True)  # a rebuild is waiting: left to it
    keys.start()
    assert keys.get("tin/2024/moi.md", fresh) == ""
    keys.refresh(lambda: False)
    keys.start()
    assert keys.get("tin/2024/moi.md", fresh) == ItemMemo.key("tin/2024/moi.md", fresh.read_bytes())
    assert keys.get("tin/2024/sua.md", changed) == ""  # its bytes are not those the load read
    assert not keys.recent


def test_listings_kept_by_the_session_change_with_any_card_they_show(content: Path) -> None:
    """Serve's listings (bantin.pages.KeptListings): after each change every page equals a fresh build's; a listing
    page is the very page of the build before only while it shows the same items with the same cards. A retitled
    item changes the pages showing it and no other; a new lead image changes its card (the item is the same); an
    addition moves items between the pages of every listing it joins; a deletion moves them back."""
    session = Session()
    url = "https://bantin.example.vn/"
    memo = ItemMemo(Store(content.parent / "memo-listings", "content"), "ngữ cảnh")

    def pages(images: dict[str, LeadImage]) -> dict[str, PageSpec]:
        memo.start()  # the very items of unchanged files, as under serve
        collection = load_content(content, preview=True, check_bodies=False, memo=memo)
        session.relate(collection)
        kept = {spec.src_uri: spec for spec in site_pages(session.site_of(collection, images, url), 5)}
        fresh = load_content(content, preview=True, check_bodies=False)
        fresh_specs = list(site_pages(Site.of(fresh, images, url), 5))
        assert kept == {spec.src_uri: spec for spec in fresh_specs}
        assert session.lastmods(kept.values(), collection) == page_lastmods(fresh_specs, fresh)  # the sitemap's dates
        return kept

    def listings(specs: dict[str, PageSpec]) -> dict[str, PageSpec]:
        return {uri: spec for uri, spec in specs.items() if isinstance(spec.data, ListingPage)}

    def showing(spec: PageSpec, path: str) -> bool:
        return any(item.path == path for item in spec.shown)

    def cards(spec: PageSpec) -> tuple[Card, ...]:
        assert isinstance(spec.data, ListingPage)
        return spec.data.cards

    before = listings(pages({}))
    assert len({spec.group for spec in before.values()}) > 20
    again = listings(pages({}))
    assert again.keys() == before.keys() and all(again[uri] is before[uri] for uri in before)
    edited = articles(content)[20]
    relative = edited.relative_to(content).as_posix()
    rewrite(edited, lambda text: re.sub(r"(?m)^title: .*$", 'title: "Bài đã sửa tiêu đề trên danh sách"', text))
    after = listings(pages({}))
    assert after.keys() == before.keys()
    for uri, spec in after.items():
        assert (spec is before[uri]) != showing(spec, relative), uri
    assert any("Bài đã sửa tiêu đề trên danh sách" in card.title for spec in after.values() for card in cards(spec))
    item_url = next(item.url for spec in after.values() for item in spec.shown if item.path == relative)
    image = LeadImage("anh.jpg", 800, 600, (), (), Variant("anh-1200.jpg", 1200, 900), "Chú thích", None)
    pictured = listings(pages({item_url: image}))
    for uri, spec in pictured.items():
        assert (spec is after[uri]) != showing(spec, relative), uri
        assert not showing(spec, relative) or any(card.image == image for card in cards(spec))
    newest = max(articles(content), key=lambda path: path.parent.name)
    added = newest.with_name("bai-moi-nhat-tren-danh-sach.md")
    added.write_text(newest.read_text(encoding="utf-8").replace("title: ", "title: Bài mới — ", 1), encoding="utf-8")
    try:
        grown = listings(pages({item_url: image}))
        news = [spec for spec in grown.values() if spec.group == "tin/"]
        assert len(news) > 3 and all(spec is not pictured.get(spec.src_uri) for spec in news)  # each moved by one
    finally:
        added.unlink()
    shrunk = listings(pages({item_url: image}))
    assert shrunk.keys() == pictured.keys()
    assert all(spec == pictured[uri] for uri, spec in shrunk.items())
    year = edited.parent.name  # the edited article becomes its year's newest: the dates of its listings move
    rewrite(edited, lambda text: re.sub(r"(?m)^date: .*$", f"date: {year}-12-31 23:59", text))
    lastmods = session.lastmods(pages({item_url: image}).values(), load_content(content, preview=True))
    assert f"{year}-12-31" in lastmods.values()


def test_the_loader_with_file_keys_reads_each_change(content: Path, tmp_path: Path) -> None:
    memo = ItemMemo(Store(tmp_path / "cache", "content"), "ngữ cảnh")
    keys = FileKeys()
    keys.MARGIN_NS = -60_000_000_000
    first = load_content(content, preview=True, check_bodies=False, memo=memo, keys=keys)
    article = articles(content)[9]
    rewrite(article, lambda text: re.sub(r"(?m)^title: .*$", 'title: "Tiêu đề đã sửa khi xem trước"', text))
    memo.start()
    edited = load_content(content, preview=True, check_bodies=False, memo=memo, keys=keys)
    fresh = load_content(content, preview=True, check_bodies=False)
    assert edited.items == fresh.items
    assert "Tiêu đề đã sửa khi xem trước" in {item.title for item in edited.items}
    unchanged = {item.url: item for item in first.items}
    assert sum(item is unchanged.get(item.url) for item in edited.items) == len(edited.items) - 1


def test_item_pages_kept_by_the_session_equal_fresh_ones(content: Path) -> None:
    """Serve's item pages (bantin.pages.Site.kept): after an edit, an addition and a deletion, every page equals a
    fresh build's, and the page of an item whose sources did not change is the very page of the build before."""
    session = Session()
    url = "https://bantin.example.vn/"

    def pages() -> dict[str, PageSpec]:
        collection = load_content(content, preview=True, check_bodies=False)
        session.relate(collection)
        kept = {spec.src_uri: spec for spec in site_pages(session.site_of(collection, {}, url), 20)}
        fresh = load_content(content, preview=True, check_bodies=False)
        assert kept == {spec.src_uri: spec for spec in site_pages(Site.of(fresh, {}, url), 20)}
        return kept

    before = pages()
    edited_path, source = articles(content)[20], articles(content)[5]
    rewrite(edited_path, lambda text: re.sub(r"(?m)^title: .*$", 'title: "Bài đã sửa tiêu đề"', text))
    after = pages()
    assert sum(after[uri] is before[uri] for uri in after if isinstance(after[uri].data, ItemPage)) > CORPUS_SIZE // 2
    added = source.with_name("bai-them-khi-xem-truoc.md")
    added.write_text(source.read_text(encoding="utf-8").replace("title: ", "title: Bài mới — ", 1), encoding="utf-8")
    try:
        assert any(spec.src_uri.endswith("bai-them-khi-xem-truoc.md") for spec in pages().values())
    finally:
        added.unlink()
    assert not any(spec.src_uri.endswith("bai-them-khi-xem-truoc.md") for spec in pages().values())


def test_feeds_kept_by_the_session_equal_fresh_ones(content: Path) -> None:
    """Serve's feeds (Session.rss): after a retitle, an addition and a deletion each equals bantin.feeds.rss of a
    fresh load, and a feed is the build before's very text only while it shows the very same items."""
    session = Session()
    url = "https://bantin.example.vn/"
    memo = ItemMemo(Store(content.parent / "memo-feeds", "content"), "ngữ cảnh")

    def documents() -> dict[str, tuple[str, list[str]]]:
        memo.start()  # the very items of unchanged files, as under serve
        collection = load_content(content, preview=True, check_bodies=False, memo=memo)
        fresh = {
            channel.path: rss(channel, items, url)
            for channel, items in feeds(load_content(content, preview=True, check_bodies=False), "Bản tin")
        }
        found = {}
        for channel, items in feeds(collection, "Bản tin"):
            found[channel.path] = (session.rss(channel, items, url, NO_ADDRESSES), [item.path for item in items[:20]])
            assert found[channel.path][0] == fresh[channel.path], channel.path
        assert found.keys() == fresh.keys()
        return found

    before = documents()
    again = documents()
    assert all(again[path][0] is before[path][0] for path in before)
    edited = max(articles(content), key=lambda path: path.parent.name)  # among the newest: in several feeds
    relative = edited.relative_to(content).as_posix()
    rewrite(edited, lambda text: re.sub(r"(?m)^title: .*$", 'title: "Bài mới nhất đã sửa tiêu đề"', text))
    after = documents()
    assert any(relative in shown for _, shown in after.values())
    for path, (xml, shown) in after.items():
        assert (xml is before[path][0]) != (relative in shown), path
    added = edited.with_name("bai-them-vao-nguon-tin.md")
    added.write_text(edited.read_text(encoding="utf-8").replace("title: ", "title: Bài thêm — ", 1), encoding="utf-8")
    try:
        documents()
    finally:
        added.unlink()
    documents()
