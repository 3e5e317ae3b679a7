"""Under a real `mkdocs serve`, every rebuild leaves the served folder exactly as a fresh build of the same content.

The serve process keeps its page cache, its parsed items, what it derived from them (bantin.live) and the site it
last wrote between rebuilds, which run in a builder process of their own (bantin.rebuilds), and rewrites only what a
change touches (bantin.output.Manifest). After each kind of change (an article edited, retitled, moved in time,
added, deleted and renamed, a conclusion deleted, an organization changed in don-vi.yml, a content error and then
its fix) the folder it serves is compared, file by file, with a fresh build in serve mode (same preview address, no
cache, an empty folder): a listing, unit page, archive, feed, sitemap, neighbour link, related item or search file
left stale would differ. The corpus is a small one from the project's generator (Vietnamese paragraphs from the seed
bulletins), enough for paginated listings.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bantin.search import INDEX_DIR
from tests.conftest import REPO, free_port, generated_corpus
from tests.test_build_cache import assert_same_site, tree
from tests.test_serve_preview import WAIT

CORPUS_SIZE = 60
DONE = re.compile(r"Serving on |Reloading browsers")  # what MkDocs' server logs once a build has returned
# What the builder logs once the search index is written, after the browsers were told to reload (bantin.rebuilds).
INDEXED = re.compile(r"Chỉ mục tìm kiếm: ")
FRESH_BUILD = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config

config = load_config("mkdocs.yml", site_dir=sys.argv[1])
config.plugins.on_startup(command="serve", dirty=False)
config.site_url = sys.argv[2]
build(config, serve_url=sys.argv[2])
"""


class Served:
    """A `mkdocs serve` process over a project, and where it writes (its TMPDIR is the test's own)."""

    def __init__(self, project: Path, content: Path, temporary: Path, log: Path) -> None:
        self.project, self.content, self.log = project, content, log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.env = {**os.environ, "BANTIN_CONTENT_DIR": str(content), "NO_MKDOCS_2_WARNING": "1"}
        temporary.mkdir()
        command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{self.port}"]
        self.output = log.open("wb")
        self.process = subprocess.Popen(
            command,
            cwd=project,
            env={**self.env, "TMPDIR": str(temporary)},
            stdout=self.output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.builds = 0
        self.wait_for_build()
        found = [path for path in temporary.iterdir() if path.name.startswith("mkdocs_")]
        assert len(found) == 1, found
        self.site = found[0]

    def built(self) -> int:
        return len(DONE.findall(self.log.read_text(encoding="utf-8", errors="replace")))

    def wait_for_build(self) -> None:
        """Until a build after the last one seen has finished and no other follows within a second."""
        deadline = time.monotonic() + WAIT
        while self.built() <= self.builds:
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"no rebuild: {self.log.read_text(encoding='utf-8', errors='replace')[-2000:]}")
            time.sleep(0.2)
        seen = self.built()
        while True:
            time.sleep(1.2)
            now = self.built()
            if now == seen and "Building documentation" not in self.tail(seen) and self.indexed() >= now:
                break
            seen = now
        self.builds = seen

    def indexed(self) -> int:
        return len(INDEXED.findall(self.log.read_text(encoding="utf-8", errors="replace")))

    def tail(self, builds: int) -> str:
        """The log after the `builds`-th finished build."""
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return DONE.split(text)[builds] if builds else text

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.output.close()

    def fresh_build(self, site: Path, cache: Path) -> Path:
        """The same content built from nothing in serve mode, at the same preview address."""
        env = {**self.env, "BANTIN_CACHE_DIR": str(cache)}
        subprocess.run([sys.executable, "-c", FRESH_BUILD, str(site), self.url], cwd=self.project, env=env, check=True)
        return site


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    project = tmp_path / "project"
    project.mkdir()
    for name in ("docs", "hooks", "content"):
        shutil.copytree(REPO / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    content = generated_corpus(tmp_path / "corpus", CORPUS_SIZE)
    server = Served(project, content, tmp_path / "tmp", tmp_path / "serve.log")
    try:
        yield server
    finally:
        server.stop()


def articles(content: Path, folder: str = "tin") -> list[Path]:
    return sorted((content / folder).rglob("*.md"))


def test_every_rebuild_under_serve_equals_a_fresh_build(served: Served, tmp_path: Path) -> None:
    content = served.content
    moved = articles(content)[11]

    def edit() -> None:
        path = articles(content)[4]
        text = path.read_text(encoding="utf-8").replace("title: ", "title: Đã sửa — ", 1)
        path.write_text(text + "\nĐoạn thêm khi xem trước.\n", encoding="utf-8")

    def add() -> None:
        source = articles(content)[0]
        added = source.read_text(encoding="utf-8").replace("title: ", "title: Bài mới thêm khi xem trước — ", 1)
        (source.parent / "bai-moi-them-khi-xem-truoc.md").write_text(added, encoding="utf-8")

    def registry() -> None:
        path = content / "don-vi.yml"
        text = path.read_text(encoding="utf-8")
        unit = '  - name: "Thường trực Tỉnh ủy"\n'
        path.write_text(text.replace(unit, unit + '    parent: "Ban Dân vận Tỉnh ủy"\n'), encoding="utf-8")

    def retitle() -> None:  # what the related items of others follow: the title's phrases
        path = articles(content)[9]
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?m)^title: .*$", 'title: "Hội Nông dân tỉnh tổng kết phong trào"', text), "utf-8")

    def redate() -> None:  # an item moving among the others
        path = articles(content)[15]
        text = path.read_text(encoding="utf-8")
        moved = re.sub(r"(?m)^date: .*$", f"date: {path.parent.name}-01-01 00:05", text)  # the year its folder says
        path.write_text(moved, encoding="utf-8")

    def tamper() -> None:  # the served index changed by hand: not brought up to date in place, written anew
        (index,) = (served.site / INDEX_DIR).iterdir()
        first = min(path for path in index.rglob("*") if path.is_file())
        data = first.read_bytes()
        first.unlink()  # a new file, not one shared with the cache's copy of the index
        first.write_bytes(data + b"\0")
        edit()

    changes: list[tuple[str, Callable[[], object]]] = [
        ("edit", edit),
        ("tamper-index", tamper),
        ("retitle", retitle),
        ("redate", redate),
        ("add", add),
        ("delete", lambda: articles(content)[20].unlink()),
        ("rename", lambda: moved.rename(moved.with_name("doi-ten-" + moved.name))),
        ("delete-conclusion", lambda: articles(content, "ket-luan")[1].unlink()),
        ("don-vi", registry),
    ]
    for name, change in changes:
        change()
        served.wait_for_build()
        log = served.tail(served.builds - 1)
        assert "lỗi" not in log and "error happened" not in log, name  # an error would keep the last good site
        fresh = served.fresh_build(tmp_path / f"fresh-{name}", tmp_path / f"cache-{name}")
        assert_same_site(served.site, fresh)
    # A content error keeps the last good pages, each with the errors on top; fixing it gives a fresh build's site.
    broken = articles(content)[5]
    good = broken.read_text(encoding="utf-8")
    broken.write_text(re.sub(r"(?m)^date: .*$", "date: 31/02/2024", good), encoding="utf-8")
    served.wait_for_build()
    page = served.site / broken.relative_to(content).with_suffix("").as_posix() / "index.html"
    assert b"bt-build-errors" in page.read_bytes()
    assert b"bt-build-errors" in (served.site / "tin" / "index.html").read_bytes()
    broken.write_text(good.replace("title: ", "title: Đã sửa lỗi — ", 1), encoding="utf-8")
    served.wait_for_build()
    assert_same_site(served.site, served.fresh_build(tmp_path / "fresh-fixed", tmp_path / "cache-fixed"))
    files = tree(served.site)
    assert any("/bai-moi-them-khi-xem-truoc/" in name for name in files)
    assert any("/doi-ten-" in name for name in files)
