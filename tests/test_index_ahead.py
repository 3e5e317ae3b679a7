"""The search index's runs indexed ahead, while on_config and on_files run on one core (bantin.index_ahead).

A 200-article corpus from the project's generator is built cold twice, in runs of 25 documents so there are several:
once with the worker indexing ahead, once without it. The sites must be the same byte for byte, and the index
written after the pages must have taken the runs the worker made instead of indexing them again.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import Abort, PluginError

from bantin import render
from bantin.cache import ItemMemo, Store
from bantin.index_ahead import IndexAhead
from bantin.loader import load_content
from bantin.search import index
from bantin.site_cache import IndexOptions, Segments, SiteCache
from bantin.urls import Addresses
from tests.conftest import generated_corpus
from tests.test_build_cache import add_scripted_article, assert_same_site, build_project, make_project

CORPUS_SIZE = 200
RUN = 25


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_corpus(tmp_path_factory.mktemp("corpus"), CORPUS_SIZE)


@pytest.fixture
def ahead(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Indexing ahead on for this small site, in runs of RUN documents, the worker let finish every run; returns
    the process of each run this process indexed itself (after the pages)."""
    monkeypatch.setattr("bantin.index_ahead.AHEAD_FROM", 2)
    monkeypatch.setattr(index, "SEGMENT", RUN)
    monkeypatch.setattr(render, "can_fork", lambda: True)  # threads other tests left behind are idle
    monkeypatch.setattr(IndexAhead, "stop", lambda self: os.waitpid(self.pid, 0))
    indexed_here: list[int] = []
    chunk = index.index_chunk

    def counted(start: int, items: list[Any], *arguments: Any) -> index.Segment:
        indexed_here.append(os.getpid())
        return chunk(start, items, *arguments)

    monkeypatch.setattr(index, "index_chunk", counted)
    return indexed_here


def without_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(IndexAhead, "start", classmethod(lambda cls, *_: None))


def test_runs_indexed_ahead_are_taken_and_the_site_is_the_same(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ahead: list[int]
) -> None:
    monkeypatch.setattr(index, "COMPRESS_FORK_FROM", 2)  # the index's files compressed on forked workers too
    with_worker = build_project(make_project(tmp_path / "ahead", corpus), tmp_path / "site-ahead", monkeypatch)
    assert [pid for pid in ahead if pid == os.getpid()] == [], "a run indexed ahead was indexed again"
    without_ahead(monkeypatch)
    plain = build_project(make_project(tmp_path / "plain", corpus), tmp_path / "site-plain", monkeypatch)
    assert ahead.count(os.getpid()) == CORPUS_SIZE // RUN
    assert_same_site(with_worker, plain)


def test_runs_indexed_ahead_link_where_pages_are_served_without_directory_urls(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ahead: list[int]
) -> None:
    """Under `use_directory_urls: false` an item is served at `….html`: the worker's runs link there too."""

    def project(name: str) -> Path:
        root = make_project(tmp_path / name, corpus)
        config = root / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8") + "use_directory_urls: false\n", encoding="utf-8")
        return root

    with_worker = build_project(project("ahead"), tmp_path / "site-ahead", monkeypatch)
    assert ahead.count(os.getpid()) == 0, "the runs indexed ahead were keyed by other addresses than the index's"
    without_ahead(monkeypatch)
    plain = build_project(project("plain"), tmp_path / "site-plain", monkeypatch)
    assert_same_site(with_worker, plain)


def test_a_worker_stopped_early_leaves_the_rest_to_the_index_after_the_pages(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ahead: list[int]
) -> None:
    """Stopped as soon as it starts, the worker leaves whole runs or none: the index after the pages does the rest."""
    start = IndexAhead.start.__func__  # type: ignore[attr-defined]

    def stopped_at_once(cls: type[IndexAhead], *arguments: Any) -> None:
        worker = start(cls, *arguments)
        assert worker is not None
        worker.end(signal.SIGUSR1)  # as `stop` does when the pages start rendering

    monkeypatch.setattr(IndexAhead, "start", classmethod(stopped_at_once))
    with_worker = build_project(make_project(tmp_path / "ahead", corpus), tmp_path / "site-ahead", monkeypatch)
    without_ahead(monkeypatch)
    plain = build_project(make_project(tmp_path / "plain", corpus), tmp_path / "site-plain", monkeypatch)
    assert_same_site(with_worker, plain)


def children() -> set[int]:
    """This process's live children (Linux)."""
    found: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        found.update(int(pid) for pid in (task / "children").read_text().split())
    return {pid for pid in found if Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][0] != "Z"}


def test_a_failed_build_ends_the_worker_and_publishes_nothing(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ahead: list[int]
) -> None:
    project = make_project(tmp_path / "project", corpus)
    add_scripted_article(project)
    before = children()
    started: list[IndexAhead] = []
    start = IndexAhead.start.__func__  # type: ignore[attr-defined]

    def recorded(cls: type[IndexAhead], *arguments: Any) -> IndexAhead | None:
        worker: IndexAhead | None = start(cls, *arguments)
        if worker is not None:
            started.append(worker)
        return worker

    monkeypatch.setattr(IndexAhead, "start", classmethod(recorded))
    with pytest.raises((Abort, PluginError)):
        build_project(project, tmp_path / "site", monkeypatch)
    assert len(started) == 1
    assert children() <= before
    assert not (tmp_path / "site").exists()


def test_the_worker_stores_every_run_under_its_key_and_a_killed_one_leaves_whole_runs(
    corpus: Path, tmp_path: Path, ahead: list[int]
) -> None:
    collection = load_content(corpus, check_bodies=False)
    root = tmp_path / "cache"
    memo = ItemMemo(Store(root, "content"), "-")
    cache = SiteCache(root, memo, Store(root, "pages"), Store(root, "search"), Store(root, "segments"), False)
    killed = IndexAhead.start(cache, collection, {}, {})
    assert killed is not None
    killed.kill()
    stored = sorted(cache.segments.folder.glob("*/*"))
    assert all(path.suffix == ".pickle" and isinstance(cache.segments.get_object(path.stem), tuple) for path in stored)
    worker = IndexAhead.start(cache, collection, {}, {})
    assert worker is not None
    worker.stop()  # waits for every run (the fixture's `stop`)
    runs = Segments(cache.segments, cache.item_fingerprints(collection, {}), IndexOptions(Addresses(), ""))
    keys = [runs.key(start, collection.items[start : start + RUN]) for start in range(0, CORPUS_SIZE, RUN)]
    assert all(runs.get(key) is not None for key in keys)
    assert {path.stem for path in cache.segments.folder.glob("*/*")} == set(keys)
