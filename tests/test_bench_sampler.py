"""bench/build.py's memory sampler on processes whose memory is known: forks that share, children that copy."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "build.py"


def bench_build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_build", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_sampler_counts_shared_pages_once_and_copies_each_time() -> None:
    # A process with 64 MiB forks short-lived children that share it, then two that write over their copies.
    assert bench_build().sampler_check() == []


def test_a_reading_across_a_fork_is_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    bench = bench_build()
    readings = iter([{1: ("a",)}, {1: ("a",), 2: ("b",)}] * 3)
    monkeypatch.setattr(bench, "tree_of", lambda root: next(readings))  # the tree changed during every reading
    monkeypatch.setattr(bench, "pss_of", lambda pid: 1000)
    assert bench.tree_pss(1, attempts=3) is None


def test_a_cold_run_sets_the_last_outputs_aside_whole_without_freeing_a_file(tmp_path: Path) -> None:
    """Removed right before a build, a site's files would slow its file creation (bench/build.py, set_aside)."""
    work = tmp_path / "bantin"
    page = work / "site" / "tin" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<p>Tin</p>", encoding="utf-8")
    (work / ".cache" / "bantin").mkdir(parents=True)
    inode = page.stat().st_ino
    bench = bench_build()
    bench.set_aside(work, (".cache", "site", "public"), tmp_path / "set-aside" / "bantin-0")
    assert not (work / "site").exists() and not (work / ".cache").exists()
    kept = tmp_path / "set-aside" / "bantin-0" / "site" / "tin" / "index.html"
    assert kept.stat().st_ino == inode, "moved, not copied and removed"
    assert (tmp_path / "set-aside" / "bantin-0" / ".cache" / "bantin").is_dir()
