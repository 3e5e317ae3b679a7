"""What `mkdocs serve` keeps in memory between rebuilds (bantin.live) gives exactly what a fresh build computes.

The related index is updated in place after an edit and remembers each item's related items; after every kind of
change below, each item's related items equal a fresh bantin.related.RelatedIndex's over the same content. The
corpus is the project's generator's (Vietnamese paragraphs from the seed bulletins), reloaded from disk after each
change as a rebuild does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from bantin.cards import Cards
from bantin.collection import Collection
from bantin.images import LeadImage, Variant
from bantin.live import LiveCards, LiveIndex, Phrases
from bantin.loader import load_content
from bantin.related import RelatedIndex
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
