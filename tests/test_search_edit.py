"""After one edit the search index is rewritten over the previous one: one run of documents indexed again, only the
files whose bytes changed written, into the cache and into a site that still holds the previous index (as under
`mkdocs serve`), and the result byte for byte what a cold build writes. Articles from the project's generator."""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

import bantin.search.index
import bantin.site_cache
from bantin import load_content
from bantin.cache import ItemMemo, Store
from bantin.search import INDEX_DIR, write_search_index
from bantin.search.index import Segment
from bantin.site_cache import IndexOptions, Segments, SiteCache, link_all
from bantin.urls import NO_ADDRESSES
from tests.conftest import generated_corpus

CORPUS_SIZE = 450  # three runs of documents


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def site_cache(root: Path) -> SiteCache:
    return SiteCache(root, ItemMemo(Store(root, "content"), "-"), Store(root, "pages"), Store(root, "search"),
                     Store(root, "segments"), serving=True)  # fmt: skip


def test_an_edit_writes_only_what_changed_and_equals_a_cold_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = generated_corpus(tmp_path / "corpus", CORPUS_SIZE)
    site = tmp_path / "site"
    first = load_content(content)
    assert len(first.items) == CORPUS_SIZE
    site_cache(tmp_path / "cache").search_index(first, site, IndexOptions(NO_ADDRESSES, f"{INDEX_DIR}/v1"))
    before = files_of(site / INDEX_DIR / "v1")

    edited = first.items[len(first.items) // 2]  # same date: no document changes its number
    path = content / edited.path
    path.write_text(path.read_text(encoding="utf-8") + "\nĐoạn mới: Ban Dân vận sửa bài viết này.\n", encoding="utf-8")
    second = load_content(content)
    indexed: list[int] = []
    chunk = bantin.search.index.index_chunk

    def counted_chunk(start: int, *rest: Any) -> Segment:
        indexed.append(start)
        return chunk(start, *rest)

    copied: list[tuple[str, str]] = []

    def counted_copy(pairs: Sequence[tuple[str, str]]) -> None:
        copied.extend(pairs)
        link_all(pairs)

    monkeypatch.setattr(bantin.search.index, "index_chunk", counted_chunk)
    monkeypatch.setattr(bantin.site_cache, "link_all", counted_copy)
    site_cache(tmp_path / "cache").search_index(second, site, IndexOptions(NO_ADDRESSES, f"{INDEX_DIR}/v2"))

    assert not (site / INDEX_DIR / "v1").exists(), "the previous index stays in the site"
    monkeypatch.setattr(bantin.search.index, "index_chunk", chunk)
    cold = tmp_path / "cold"
    write_search_index(second, cold, NO_ADDRESSES, "index")
    after = files_of(site / INDEX_DIR / "v2")
    assert after == files_of(cold / "index"), "the index written over the previous one differs from a cold one"
    number = second.items.index(next(item for item in second.items if item.path == edited.path))
    assert indexed == [number - number % bantin.search.index.SEGMENT], "runs without the edited article re-indexed"
    changed = {name for name in after if before.get(name) != after[name]}
    assert f"d/{number}.bin" in changed
    assert {Path(target).relative_to(site / INDEX_DIR / "v2").as_posix() for _, target in copied} == changed
    assert len(copied) < len(after) // 4, f"{len(copied)} of {len(after)} files written for one edit"


def test_a_site_whose_index_is_linked_to_the_cache_keeps_its_files_when_an_edit_rewrites_the_cache(
    tmp_path: Path,
) -> None:
    """The site's index files are hard links to the cache's: an edit replaces the cache's changed files, so the site
    published before (or kept as the site before last) still holds the index it was built with."""
    content = generated_corpus(tmp_path / "corpus", CORPUS_SIZE)
    cache = tmp_path / "cache"
    site_cache(cache).search_index(load_content(content), tmp_path / "one", IndexOptions(NO_ADDRESSES, "v1"))
    folder = tmp_path / "one" / "v1"
    before = files_of(folder)
    assert all(path.stat().st_nlink == 2 for path in folder.rglob("*.bin")), "the site's index is not linked"

    edited = load_content(content).items[0]
    path = content / edited.path
    path.write_text(path.read_text(encoding="utf-8") + "\nĐoạn mới: Ban Dân vận sửa bài viết này.\n", encoding="utf-8")
    site_cache(cache).search_index(load_content(content), tmp_path / "two", IndexOptions(NO_ADDRESSES, "v2"))
    after = files_of(tmp_path / "two" / "v2")
    assert files_of(folder) == before, "rewriting the cache changed a site's index"
    assert after["d/0.bin"] != before["d/0.bin"]
    cold = tmp_path / "cold"
    write_search_index(load_content(content), cold, NO_ADDRESSES, "index")
    assert after == files_of(cold / "index")


@pytest.mark.parametrize("share", [bantin.search.index.SHARE_FILES, 3], ids=["shares", "small-shares"])
@pytest.mark.parametrize("forking", [True, False], ids=["forked", "spawned"])
def test_runs_indexed_by_workers_give_the_index_of_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forking: bool, share: int
) -> None:
    """Workers forked (a build without threads) or spawned (beside `mkdocs serve`'s threads) write the same bytes,
    also when they compress files while the rest are written (small shares: many sent before the flush)."""
    collection = load_content(generated_corpus(tmp_path / "corpus", CORPUS_SIZE))
    monkeypatch.setattr(bantin.search.index, "PARALLEL_FROM", 10**9)
    one = write_search_index(collection, tmp_path / "one", NO_ADDRESSES, "index")
    monkeypatch.setattr(bantin.search.index, "PARALLEL_FROM", 2)
    monkeypatch.setattr(bantin.search.index, "SHARE_FILES", share)
    monkeypatch.setattr(bantin.search.index, "can_fork", lambda: forking)
    started: list[str] = []

    def seen(method: str) -> Any:
        started.append(method)
        return multiprocessing.get_context(method)

    monkeypatch.setattr(bantin.search.index, "get_context", seen)
    workers = write_search_index(collection, tmp_path / "workers", NO_ADDRESSES, "index")
    assert started == ["fork" if forking else "spawn"]
    assert files_of(tmp_path / "workers" / "index") == files_of(tmp_path / "one" / "index")
    assert workers == one  # the sizes the workers report are those written


@pytest.mark.parametrize("serving", [False, True], ids=["build", "serve"])
def test_runs_the_workers_index_are_stored_as_indexed_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, serving: bool
) -> None:
    """A build's workers store the runs they index themselves (under serve the build's process keeps them, in memory
    too); either way the cache holds, under each run's key, the run this process would index, and the index the
    build writes from those runs is the one this process writes alone."""
    collection = load_content(generated_corpus(tmp_path / "corpus", CORPUS_SIZE))
    monkeypatch.setattr(bantin.search.index, "PARALLEL_FROM", 10**9)
    write_search_index(collection, tmp_path / "one", NO_ADDRESSES, "v1")
    monkeypatch.setattr(bantin.search.index, "PARALLEL_FROM", 2)
    root = tmp_path / "cache"
    cache = SiteCache(root, ItemMemo(Store(root, "content"), "-"), Store(root, "pages"), Store(root, "search"),
                      Store(root, "segments"), serving=serving)  # fmt: skip
    options = IndexOptions(NO_ADDRESSES, "v1")
    put_here: list[str] = []
    put = Segments.put

    def counted_put(self: Segments, key: str, segment: Segment) -> None:
        put_here.append(key)
        put(self, key, segment)

    monkeypatch.setattr(Segments, "put", counted_put)
    cache.search_index(collection, tmp_path / "site", options)
    assert len(list(cache.segments.folder.glob("*/*.pickle"))) == 3
    assert len(put_here) == (3 if serving else 0)
    assert files_of(tmp_path / "site" / "v1") == files_of(tmp_path / "one" / "v1")
    runs = Segments(cache.segments, cache.item_fingerprints(collection, {}), options)
    for start in range(0, CORPUS_SIZE, bantin.search.index.SEGMENT):
        chunk = collection.items[start : start + bantin.search.index.SEGMENT]
        cited = [collection.cited[item.url] for item in chunk]
        here = bantin.search.index.index_chunk(start, list(chunk), NO_ADDRESSES, [None] * len(chunk), cited)
        assert runs.get(runs.key(start, chunk)) == here


def test_a_run_stored_without_pickle_s_memo_reads_back_as_it_was(tmp_path: Path) -> None:
    """Runs are pickled without a memo (`Store.put_flat`): the strings and bytes a run repeats come back equal."""
    collection = load_content(generated_corpus(tmp_path / "corpus", CORPUS_SIZE))
    chunk = list(collection.items[: bantin.search.index.SEGMENT])
    run = bantin.search.index.index_chunk(0, chunk)
    store = Store(tmp_path / "cache", "segments")
    store.put_flat("a" * 40, run)
    assert store.get_object("a" * 40) == run
    assert len(run[0].syllables) > 100 and len(run[1]) == len(chunk)
