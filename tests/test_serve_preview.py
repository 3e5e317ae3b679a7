"""The editor's preview loop: a real `mkdocs serve` process over a content folder outside the repo, a real browser.

The project is a copy of this repo's site (mkdocs.yml, docs/, hooks/, its own content/); the content it serves is
elsewhere, given by BANTIN_CONTENT_DIR, as an editor would try it. Saving an edit shows in the open page by
itself; adding or deleting an article updates listings, the organization page, the archive, the feed and search;
a content error shows in the open page as `bantin check` prints it, the last good pages stay, and fixing the
file brings the page back by itself.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REGISTRY, REPO, free_port, write
from tests.test_search_browser import search

WAIT = 120  # seconds: the machine running the suite may be busy
ARTICLE = """\
---
title: {title}
date: 2024-0{month}-1{day} 08:00
unit: Tỉnh ủy Bắc Kạn
tags: [Dân vận khéo]
---
{body}
"""


def article(title: str, month: int, day: int, body: str) -> str:
    return ARTICLE.format(title=title, month=month, day=day, body=body)


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def eventually(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    pytest.fail(f"not seen within {WAIT} s: {what}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    project = tmp_path / "project"
    project.mkdir()
    for name in ("docs", "hooks", "content"):
        shutil.copytree(REPO / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    content = write(
        tmp_path / "elsewhere" / "content",
        {
            "don-vi.yml": REGISTRY,
            "tin/2024/hoi-nghi-dan-van.md": article("Hội nghị công tác dân vận", 3, 1, "Nội dung hội nghị dân vận."),
            "tin/2024/bai-se-xoa.md": article("Bài sẽ bị xoá khỏi bản tin", 2, 2, "Bài này có từ bộtrống."),
        },
    )
    port = free_port()
    env = {**os.environ, "BANTIN_CONTENT_DIR": str(content), "NO_MKDOCS_2_WARNING": "1", "BANTIN_SERVE_STEPS": "1"}
    command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", "-f", "mkdocs.yml"]
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        command, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        eventually(lambda: "Hội nghị công tác dân vận" in fetch(base + "tin/"), "the first build")
        yield base, content
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def steps(log: Path, name: str) -> list[float]:
    """When the serve process logged each step `name` of its rebuilds (BANTIN_SERVE_STEPS)."""
    text = log.read_text(encoding="utf-8", errors="replace")
    return [float(when) for when in re.findall(rf"bantin step {name} ([0-9.]+) ", text)]


def test_preview_follows_saves_and_shows_content_errors(served: tuple[str, Path], browser: Any, tmp_path: Path) -> None:
    base, content = served
    page = browser.new_page()
    try:
        page.goto(base + "tin/2024/hoi-nghi-dan-van/")
        assert "Hội nghị công tác dân vận" in page.inner_text("h1")

        # Saving an edit shows in the open page by itself (live reload); the search index is brought up to date
        # once the reloaded page is loaded, not while the browser draws it, and then finds the edit.
        edited = content / "tin" / "2024" / "hoi-nghi-dan-van.md"
        edited.write_text(article("Hội nghị tổng kết công tác dân vận", 3, 1, "Nội dung đã sửa."), encoding="utf-8")
        page.wait_for_function(
            "() => document.querySelector('h1').textContent.includes('tổng kết')", timeout=WAIT * 1000
        )
        eventually(lambda: bool(steps(tmp_path / "serve.log", "indexed")[1:]), "the rebuild's search index")
        (go,) = steps(tmp_path / "serve.log", "go")  # logged to the millisecond
        loaded = page.evaluate("performance.timeOrigin + performance.getEntriesByType('navigation')[0].loadEventStart")
        assert go * 1000 >= loaded - 1
        assert search(page, base, "tổng kết")["urls"] == ["tin/2024/hoi-nghi-dan-van/"]

        # Adding an article: listings, its organization page, the archive, the feed and search.
        page.goto("about:blank")  # no reload of an open page racing the navigations below
        added = content / "tin" / "2024" / "bai-moi-them.md"
        added.write_text(article("Bài mới thêm về phong trào", 4, 3, "Phong trào thi đua xanhbiếc."), encoding="utf-8")
        eventually(lambda: "Bài mới thêm về phong trào" in fetch(base + "tin/"), "the added article in /tin/")
        for url in ("don-vi/tinh-uy-bac-kan/", "luu-tru/2024/", "luu-tru/2024/04/", "feed.xml", "chu-de/dan-van-kheo/"):
            assert "bai-moi-them" in fetch(base + url), url
        assert search(page, base, "xanhbiếc")["urls"] == ["tin/2024/bai-moi-them/"]

        # Deleting one: gone from every listing, the feed and search; its page is gone.
        page.goto("about:blank")
        (content / "tin" / "2024" / "bai-se-xoa.md").unlink()
        eventually(lambda: "bai-se-xoa" not in fetch(base + "tin/"), "the deleted article gone from /tin/")
        for url in ("don-vi/tinh-uy-bac-kan/", "luu-tru/2024/", "feed.xml", "chu-de/dan-van-kheo/", "sitemap.xml"):
            assert "bai-se-xoa" not in fetch(base + url), url
        assert fetch(base + "tin/2024/bai-se-xoa/") == ""
        assert search(page, base, "bộtrống")["urls"] == []

        # A content error: the open page shows it, as `bantin check` prints it, and keeps the last good content.
        page.goto(base + "tin/2024/hoi-nghi-dan-van/")
        broken = article("Hội nghị tổng kết công tác dân vận", 3, 1, "Nội dung đã sửa.").replace(
            "date: 2024-03-11 08:00", "date: 11/3/2024"
        )
        edited.write_text(broken, encoding="utf-8")
        page.wait_for_selector(".bt-build-errors", timeout=WAIT * 1000)
        check = subprocess.run(
            [sys.executable, "-m", "bantin.cli", "check", str(content)], capture_output=True, text=True
        )
        expected = [line for line in check.stderr.splitlines() if ".md:" in line]
        assert expected, check.stderr
        panel = page.inner_text(".bt-build-errors")
        for line in expected:
            assert line in panel
        assert "Hội nghị tổng kết công tác dân vận" in page.inner_text("h1")  # the last good page
        assert "Bài mới thêm về phong trào" in fetch(base + "tin/")

        # Fixing the file brings the page back by itself, without the panel.
        edited.write_text(article("Hội nghị tổng kết công tác dân vận", 3, 1, "Đã sửa lỗi ngày."), encoding="utf-8")
        page.wait_for_selector(".bt-build-errors", state="detached", timeout=WAIT * 1000)
        page.wait_for_function("() => document.body.textContent.includes('Đã sửa lỗi ngày')", timeout=WAIT * 1000)
    finally:
        page.close()
