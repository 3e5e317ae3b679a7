"""The page cache forgets what no build has used for a week, never what a build running beside it may read.

Every edit stores new page entries (the article's page, its listings, its units' pages) under new keys; without
pruning, `.cache/bantin/pages/` only grows (94,000 entries, 790 MB after twenty builds of 10,000 articles). A build
stamps each entry it uses, and once its site is published removes those unused for `KEEP_UNUSED`, unless another
build holds the store's lock.
"""

from __future__ import annotations

import os
import pickle
import shutil
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from bantin.cache import CACHE_DIR, KEEP_UNUSED, LinkedEntries, Store
from bantin.render import Job, render_missing, write_new
from tests.conftest import generated_corpus
from tests.test_build_cache import articles, assert_same_site, build_project, make_project

WEEK_AND_A_DAY = KEEP_UNUSED + 86400


def later(monkeypatch: pytest.MonkeyPatch, seconds: int) -> None:
    """The cache's clock `seconds` ahead of the real one."""
    monkeypatch.setattr("bantin.cache.time", SimpleNamespace(time=lambda: time.time() + seconds))


def stored(store: Store, number: int) -> str:
    key = f"{number:02x}" + "0" * 38
    store.put_bytes(key, f"<p>Trang {number}</p>".encode(), ".html")
    return key


def test_entries_unused_for_a_week_go_and_those_used_or_recent_stay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "cache", "pages")
    used, recent, stale, older = (stored(store, number) for number in range(4))
    first = LinkedEntries(store, ".html", store.names())
    assert all(first.record(key) for key in (used, recent, stale, older))
    first.save()
    first.release()
    figures = pickle.loads((store.folder / "linked.pickle").read_bytes())
    figures[older] = figures[older][:2]  # as an older bantin saved them: no time of use, the file's time counts
    (store.folder / "linked.pickle").write_bytes(pickle.dumps(figures))
    old = time.time() - WEEK_AND_A_DAY
    os.utime(store.location(older, ".html"), (old, old))
    leftover = store.location(stale, ".html.4242.tmp")  # a build killed while writing an entry
    write_new(leftover, b"<p>nua")
    os.utime(leftover, (old, old))

    later(monkeypatch, 3 * 86400)  # three days on, a build uses `used` and `recent`
    middle = LinkedEntries(store, ".html", store.names())
    assert middle.intact(used) and middle.intact(recent)
    assert middle.prune() == 2, "a week old: the killed build's file, and the entry an older bantin stamped"
    assert not store.has(older, ".html") and store.has(stale, ".html")
    middle.release()

    later(monkeypatch, WEEK_AND_A_DAY)  # a week and a day after the first build, one uses `used` only
    last = LinkedEntries(store, ".html", store.names())
    assert last.intact(used)
    assert last.prune() == 1
    last.release()
    assert store.has(used, ".html") and store.has(recent, ".html"), "used three days ago: kept"
    assert not store.has(stale, ".html") and not store.has(older, ".html")
    assert sorted(store.names()) == sorted(key + ".html" for key in (used, recent))
    figures = pickle.loads((store.folder / "linked.pickle").read_bytes())
    assert sorted(figures) == sorted((used, recent)), "the figures of entries gone are dropped"
    assert figures[used][2] > figures[recent][2], "each entry carries the last time a build used it"


def test_no_entry_goes_while_another_build_may_read_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(tmp_path / "cache", "pages")
    keys = [stored(store, number) for number in range(3)]
    old = time.time() - WEEK_AND_A_DAY
    for key in keys:
        os.utime(store.location(key, ".html"), (old, old))
    running = LinkedEntries(store, ".html", store.names())  # a build that planned its pages and renders them
    finishing = LinkedEntries(store, ".html", store.names())
    assert finishing.intact(keys[0])
    assert finishing.prune() == 0, "another build holds the lock: nothing is removed"
    assert all(store.has(key, ".html") for key in keys)
    figures = pickle.loads((store.folder / "linked.pickle").read_bytes())
    assert list(figures) == [keys[0]], "the entry it used is stamped all the same"
    finishing.release()
    running.release()
    alone = LinkedEntries(store, ".html", store.names())
    assert alone.prune() == 2, "the two no build used; the one stamped a moment ago stays"
    alone.release()
    assert store.names() == {keys[0] + ".html"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_corpus(tmp_path_factory.mktemp("corpus"), 40)


def test_a_build_a_week_after_an_edit_keeps_only_the_entries_it_uses_and_stays_a_cold_build(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path / "project", corpus)
    pages = project / CACHE_DIR / "pages"
    build_project(project, tmp_path / "site-0", monkeypatch)
    first = Store(project / CACHE_DIR, "pages").names()
    article = articles(project)[7]
    article.write_text(article.read_text(encoding="utf-8") + "\nĐoạn bổ sung sau khi sửa.\n", encoding="utf-8")
    build_project(project, tmp_path / "site-1", monkeypatch)
    both = Store(project / CACHE_DIR, "pages").names()
    assert first < both, "the edit stored new entries beside the old ones, kept for a week"

    rendered: list[str] = []

    def recording(jobs: list[Job], store: Any, render: Any, linked: Any) -> None:
        rendered.extend(job.src_uri for job in jobs)
        render_missing(jobs, store, render, linked)

    monkeypatch.setattr("bantin.plugin.render_missing", recording)
    later(monkeypatch, WEEK_AND_A_DAY)
    warm = build_project(project, tmp_path / "site-2", monkeypatch)
    assert rendered == [], "every page came from the cache"
    left = Store(project / CACHE_DIR, "pages").names()
    assert left < both and both - left <= first, "entries only the build before the edit used are gone"
    figures = pickle.loads((pages / "linked.pickle").read_bytes())
    assert {key + ".html" for key in figures} == left, "what is left is what this build used"

    build_project(project, tmp_path / "site-3", monkeypatch)
    assert rendered == [], "a build after the pruning still finds every page it needs"
    copy = tmp_path / "cold-project"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".cache"))
    assert_same_site(warm, build_project(copy, tmp_path / "cold", monkeypatch))
    assert_same_site(tmp_path / "site-3", tmp_path / "cold")
