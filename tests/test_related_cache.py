"""Related items kept between builds (bantin.related_cache) always equal those computed afresh.

The generator's 200-article corpus (Vietnamese paragraphs from the seed bulletins) is loaded as a build loads it;
each test changes the content one way and compares what the cache gives with a new `RelatedIndex` over the same
items. Whether the cache was read or the index built again is what `RelatedCache.apply` returns.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from bantin import render
from bantin.cache import Store
from bantin.collection import Collection
from bantin.fingerprint import parsed_print
from bantin.loader import load_content
from bantin.related_cache import RelatedCache
from tests.conftest import generated_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_corpus(tmp_path_factory.mktemp("corpus"), 200)


@pytest.fixture
def content(corpus: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(corpus, tmp_path / "content"))


def load(content: Path) -> Collection:
    return load_content(content, check_bodies=False)


def kept(collection: Collection, store: Store, computes: bool | None = None) -> list[list[str]]:
    """The related items the cache gives; with `computes`, whether it must have built the index again."""
    rebuilt = RelatedCache(store).apply(collection, parsed_print)
    assert computes is None or rebuilt is computes, "built again" if rebuilt else "read back"
    return [[other.url for other in collection.related(item)] for item in collection.items]


def computed(content: Path) -> list[list[str]]:
    fresh = load(content)
    return [[other.url for other in fresh.related_index.related(item)] for item in fresh.items]


def longest_article(content: Path) -> Path:
    return max(sorted((content / "tin").rglob("*.md")), key=lambda path: len(path.read_text(encoding="utf-8")))


def test_related_items_are_computed_once_then_read_back(content: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "cache", "related")
    first = load(content)
    assert kept(first, store, computes=True) == computed(content)  # an empty cache computes
    second = load(content)
    assert kept(second, store, computes=False) == computed(content)  # the same items read what the first kept
    assert any(related for related in kept(load(content), store))


def test_an_edit_below_the_opening_words_reads_them_back(content: Path, tmp_path: Path) -> None:
    """Only an item's opening words, title, lead, topics, unit and citations relate it to others."""
    store = Store(tmp_path / "cache", "related")
    kept(load(content), store)
    path = longest_article(content)
    path.write_text(path.read_text(encoding="utf-8") + "\nĐính chính: bổ sung danh sách đại biểu dự hội nghị.\n")
    edited = load(content)
    assert kept(edited, store, computes=False) == computed(content)


@pytest.mark.parametrize("change", ["title", "tags", "cites", "add", "delete", "date", "parent"])
def test_whatever_relates_items_computes_them_again(change: str, content: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "cache", "related")
    kept(load(content), store)
    articles = sorted((content / "tin").rglob("*.md"))
    path = articles[17]
    text = path.read_text(encoding="utf-8")
    if change == "title":
        title = re.search(r"^title:.*$", articles[90].read_text(encoding="utf-8"), re.MULTILINE)
        assert title is not None
        text = re.sub(r"^title:.*$", title.group(0), text, count=1, flags=re.MULTILINE)
    elif change == "tags":
        text = re.sub(r"^tags:.*\n", "", text, count=1, flags=re.MULTILINE)
        text = text.replace("---\n", '---\ntags: ["Dân vận khéo", "Nông thôn mới"]\n', 1)
    elif change == "cites":
        text = text.replace("---\n\n", "---\n\nThực hiện Kết luận số 62-KL/TW của Bộ Chính trị.\n\n", 1)
    elif change == "date":
        moved = f"date: {path.parent.name}-01-02 08:00"  # the same year (its folder), another day
        text = re.sub(r"^date:.*$", moved, text, count=1, flags=re.MULTILINE)
    if change == "add":
        text = re.sub(r"^title:.*$", 'title: "Tiếp theo bài trước"', text, count=1, flags=re.MULTILINE)
        (path.parent / "bai-them-lien-quan.md").write_text(text, encoding="utf-8")
    elif change == "delete":
        articles[60].unlink()
    elif change == "parent":
        registry = content / "don-vi.yml"
        lines = registry.read_text(encoding="utf-8").split("\n")
        names = [line.split("name:", 1)[1].strip() for line in lines if line.strip().startswith("- name:")]
        at = next(number for number, line in enumerate(lines) if line.strip().startswith("- name:"))
        lines.insert(at + 1, f"    parent: {names[1]}")
        registry.write_text("\n".join(lines), encoding="utf-8")
    else:
        path.write_text(text, encoding="utf-8")
    collection = load(content)
    assert kept(collection, store, computes=True) == computed(content)  # the change computes them again


def test_phrases_and_related_items_made_on_every_core_are_those_made_here(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """New items' phrases and every item's related items are shared out to forked workers (bantin.render): each
    answer comes back to its own item, the same as in one process."""
    monkeypatch.setattr("os.sched_getaffinity", lambda _: {0, 1, 2}, raising=False)
    monkeypatch.setattr(render, "can_fork", lambda: True)  # threads other tests left behind are idle
    monkeypatch.setattr("bantin.related.PARALLEL_FROM", 2)
    monkeypatch.setattr("bantin.related_cache.PHRASES_FORK_FROM", 2)
    forks: list[int] = []
    fork = render.fork_gatherer

    def counted(*arguments: Any) -> render.Gatherer[Any]:
        forks.append(1)
        return fork(*arguments)

    monkeypatch.setattr(render, "fork_gatherer", counted)
    shared = kept(load(content), Store(tmp_path / "cache", "related"), computes=True)
    assert len(forks) == 4  # two workers for the phrases, two for the related items
    assert shared == computed(content)
