"""Fixtures that build real sites through MkDocs itself, in tmp_path."""

from __future__ import annotations

import functools
import http.server
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

REPO = Path(__file__).resolve().parent.parent
DEMO_CONTENT = REPO / "content"
CHROMIUM = "/usr/bin/chromium"
GENERATOR = REPO.parent / "shared" / "bench" / "gen_corpus.py"

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

REGISTRY = """\
units:
  - name: Ban Dân vận Tỉnh ủy Bắc Kạn
    aliases: [Ban Dân vận Bắc Kạn]
    parent: Tỉnh ủy Bắc Kạn
    level: tỉnh
    until: "2025-03"
    successor: Ban Tuyên giáo và Dân vận Tỉnh ủy Bắc Kạn
  - name: Ban Tuyên giáo và Dân vận Tỉnh ủy Bắc Kạn
    parent: Tỉnh ủy Bắc Kạn
    level: tỉnh
  - name: Tỉnh ủy Bắc Kạn
    level: tỉnh
"""

ARTICLE = """\
---
title: Nâng cao chất lượng hoạt động của khối dân vận cơ sở
date: 2023-03-03
unit: Ban Dân vận Tỉnh ủy Bắc Kạn
author: Hương Dịu
views: 1234
---
Đảng ủy các xã, phường, thị trấn từng bước quan tâm củng cố đội ngũ cán bộ làm công tác dân vận.
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def content(tmp_path: Path) -> Callable[..., Path]:
    """Write a small content folder: the registry, one article, plus any files given."""

    def make(files: dict[str, str] | None = None, *, with_article: bool = True) -> Path:
        base = {"don-vi.yml": REGISTRY}
        if with_article:
            base["tin/2023/nang-cao-chat-luong-khoi-dan-van.md"] = ARTICLE
        return write(tmp_path / "content", {**base, **(files or {})})

    return make


def build_site(content_dir: Path, site_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Build the repo's own mkdocs.yml over `content_dir` into `site_dir`, as `mkdocs build --strict` would."""
    monkeypatch.setenv("BANTIN_CONTENT_DIR", str(content_dir))
    monkeypatch.setenv("BANTIN_CACHE_DIR", str(site_dir.parent / "cache"))  # resized images stay out of the repo
    config = load_config(str(REPO / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
    build(config)
    return site_dir


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo content built once for the whole session."""
    site = tmp_path_factory.mktemp("demo") / "site"
    with pytest.MonkeyPatch.context() as patch:
        build_site(DEMO_CONTENT, site, patch)
    return site


def free_port() -> int:
    """A loopback port no one listens on, for a server a test starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """A built site served over HTTP on loopback, as a reader's browser would get it."""
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def demo_server(demo_site: Path) -> Iterator[str]:
    """The demo site served for the whole session."""
    with serve(demo_site) as base:
        yield base


def generated_corpus(out: Path, size: int) -> Path:
    """A realistic corpus of `size` articles from ../shared/bench/gen_corpus.py; its content folder."""
    if not GENERATOR.is_file():
        # CI always has shared/ beside the clone: there a missing generator is a failure, never a silent skip.
        if os.environ.get("CI"):
            pytest.fail(f"corpus generator not found at {GENERATOR}")
        pytest.skip(f"corpus generator not found at {GENERATOR}")
    subprocess.run([sys.executable, str(GENERATOR), str(size), str(out)], check=True, capture_output=True)
    return out / "content"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright; never a downloaded browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield chromium
        chromium.close()
