"""Atomic publishing: a failed, crashed or killed build leaves the last good site exactly as it was."""

from __future__ import annotations

import hashlib
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import Abort

from bantin.search import write_search_index
from tests.conftest import REPO, build_site, generated_corpus

EXTRA = """\
---
title: Bài mới đăng sau bản tốt
date: 2023-03-05
unit: Ban Dân vận Tỉnh ủy Bắc Kạn
---
Nội dung bài mới.
"""


def tree_hash(folder: Path) -> str:
    """Every file's path and bytes: equal hashes mean byte-identical folders."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        if path.is_file():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def leftovers(site: Path) -> list[str]:
    return sorted(path.name for path in site.parent.iterdir() if path.name.startswith(f".{site.name}.building-"))


def test_a_build_that_fails_on_a_body_leaves_the_last_good_site(
    content: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    folder = content()
    site = build_site(folder, tmp_path / "site", monkeypatch)
    good = tree_hash(site)
    (folder / "tin/2023/bai-xau.md").write_text(EXTRA + '\n<p onclick="alert(1)">Bấm vào đây</p>\n', "utf-8")
    with pytest.raises(Abort):
        build_site(folder, site, monkeypatch)
    assert 'tin/2023/bai-xau.md:8: body: thuộc tính "onclick" chạy mã' in caplog.text
    assert tree_hash(site) == good
    assert leftovers(site) == []


def test_a_strict_build_with_a_warning_leaves_the_last_good_site(
    content: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_build_cache(monkeypatch)  # every page and the index go through MkDocs and the patched call
    folder = content()
    site = build_site(folder, tmp_path / "site", monkeypatch)
    good = tree_hash(site)
    (folder / "tin/2023/bai-moi.md").write_text(EXTRA, "utf-8")
    index = write_search_index

    def index_and_warn(*args: Any) -> Any:
        logging.getLogger("mkdocs.plugins.khac").warning("một plugin khác cảnh báo")
        return index(*args)

    monkeypatch.setattr("bantin.plugin.write_search_index", index_and_warn)
    with pytest.raises(Abort, match="strict mode"):
        build_site(folder, site, monkeypatch)
    assert tree_hash(site) == good
    assert leftovers(site) == []


def test_a_crash_in_the_middle_of_a_build_leaves_the_last_good_site(
    content: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_build_cache(monkeypatch)  # every page and the index go through MkDocs and the patched call
    folder = content()
    site = build_site(folder, tmp_path / "site", monkeypatch)
    good = tree_hash(site)
    (folder / "tin/2023/bai-moi.md").write_text(EXTRA, "utf-8")

    def crash(*args: object) -> None:
        raise MemoryError("hết bộ nhớ")

    monkeypatch.setattr("bantin.plugin.write_search_index", crash)
    with pytest.raises(MemoryError):
        build_site(folder, site, monkeypatch)
    assert tree_hash(site) == good
    assert leftovers(site) == []


def test_a_first_build_creates_the_site_folder(content: Callable[..., Path], tmp_path: Path, monkeypatch) -> None:
    site = build_site(content(), tmp_path / "nested" / "site", monkeypatch)
    assert (site / "index.html").is_file() and list(site.glob("tim-kiem/chi-muc/**/meta.bin"))
    assert oct(site.stat().st_mode & 0o777) == "0o755"
    assert leftovers(site) == []


def mkdocs_build(content: Path, site: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "BANTIN_CONTENT_DIR": str(content), "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "0"}
    command = [sys.executable, "-m", "mkdocs", "build", "-v", "-f", str(REPO / "mkdocs.yml"), "-d", str(site)]
    return subprocess.Popen(command, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)


def kill_at(content: Path, site: Path, marker: str, occurrence: int = 1) -> bool:
    """Run `mkdocs build` and SIGKILL it as soon as its log shows `marker` for the n-th time; whether it did."""
    build = mkdocs_build(content, site)
    assert build.stderr is not None
    seen = 0
    for line in build.stderr:
        if marker in line:
            seen += 1
            if seen == occurrence:
                build.send_signal(signal.SIGKILL)
                break
    build.wait()
    build.stderr.close()
    return build.returncode == -signal.SIGKILL


KILL_POINTS = [
    ("Cleaning site directory", 1),
    ("Copying static assets", 1),
    ("Building page", 1),
    ("Chỉ mục tìm kiếm", 1),
]


def test_killing_a_real_build_at_any_moment_leaves_the_last_good_site(tmp_path: Path) -> None:
    content = generated_corpus(tmp_path / "corpus", 200)
    site = tmp_path / "site"
    first = mkdocs_build(content, site)
    log = first.communicate()[1]
    assert "Chỉ mục tìm kiếm" in log and first.returncode == 0
    good = tree_hash(site)
    (content / "tin" / "2023").mkdir(parents=True, exist_ok=True)
    (content / "tin/2023/bai-moi-dang.md").write_text(EXTRA.replace("Tỉnh ủy Bắc Kạn", "Tỉnh ủy"), "utf-8")
    after_kill = []
    for marker, occurrence in KILL_POINTS:
        assert kill_at(content, site, marker, occurrence), marker
        after_kill.append((marker, occurrence, tree_hash(site)))
    finished = mkdocs_build(content, site)
    assert "Documentation built" in finished.communicate()[1] and finished.returncode == 0
    new = tree_hash(site)
    assert new != good
    for marker, occurrence, found in after_kill:
        # Killed as the index was written, the swap may already have happened: then the new site is there, whole.
        assert found == good or (marker == "Chỉ mục tìm kiếm" and found == new), (marker, occurrence)
    assert leftovers(site) == []


WORKER_SCRIPT = """
import sys
from pathlib import Path
from tests.factories import item
from bantin.search.index import write_index
items = [item(f"bai-{n}", "2023-03-03", body="Dân vận khéo, " * 400 + f" bài {n}.") for n in range(1600)]
print("start", flush=True)
write_index(items, Path(sys.argv[1]))
"""


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_index_workers_die_with_their_parent_and_never_write_after_it(tmp_path: Path) -> None:
    out = tmp_path / "chi-muc"
    parent = subprocess.Popen(
        [sys.executable, "-c", WORKER_SCRIPT, str(out)], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None and parent.stdout.readline().strip() == "start"
    workers: list[int] = []
    while parent.poll() is None and len(workers) < 2:  # the parent writes what they return; they write nothing
        # Forked (a script without threads) or spawned: every child but multiprocessing's resource tracker.
        workers = [
            pid
            for pid in children_of(parent.pid)
            if b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]
        time.sleep(0.05)
    assert parent.poll() is None, "the index finished before its workers could be observed"
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    parent.stdout.close()
    for _ in range(200):  # the kernel delivers the workers' death signal at once; allow a loaded machine 10 s
        if not any(running(pid) for pid in workers):
            break
        time.sleep(0.05)
    assert not any(running(pid) for pid in workers)
    written = sorted(path.name for path in out.rglob("*"))
    time.sleep(0.5)
    assert sorted(path.name for path in out.rglob("*")) == written


def no_build_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds without bantin's page cache, so the events these tests patch are the ones that run."""
    monkeypatch.setattr("bantin.plugin.SiteCache.open", lambda *args, **kwargs: None)
