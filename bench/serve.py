"""Preview benchmark: from saving an edited article to the browser showing it, under a real `mkdocs serve`.

A generated archive (../shared/bench/gen_corpus.py) outside the repo is served with this repo's site
configuration (BANTIN_CONTENT_DIR), the page of one article is opened in headless Debian Chromium, and the
article's title is changed on disk; the time runs from the write to the moment the open page shows the new
title (MkDocs' live reload refreshes it after the rebuild). Repeated with a different title each time.

    python bench/serve.py                      # 10,000 articles, 5 saves
    python bench/serve.py --size 2000 --saves 3
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from build import OUT, bantin_project  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def finished(log: Path) -> None:
    """Until every build the serve process started has written its search index (the builder's last step)."""
    while True:
        text = log.read_text(encoding="utf-8", errors="replace")
        if text.count("Chỉ mục tìm kiếm: ") >= text.count("Building documentation"):
            return
        time.sleep(0.1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--saves", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    root = OUT / f"serve-{args.size}"
    if root.exists():
        shutil.rmtree(root)
    project, content = root / "project", root / "archive"
    bantin_project(project, args.size, content)
    article = sorted((content / "tin").rglob("*.md"))[len(list((content / "tin").rglob("*.md"))) // 2]
    url = article.relative_to(content).with_suffix("").as_posix() + "/"
    port = free_port()
    env = {**os.environ, "BANTIN_CONTENT_DIR": str(content), "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"]
    log = (root / "serve.log").open("wb")
    started = time.perf_counter()
    server = subprocess.Popen(
        command, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        while "<h1" not in fetch(base + url):
            if server.poll() is not None:
                raise SystemExit(f"mkdocs serve stopped; see {root / 'serve.log'}")
            time.sleep(0.5)
        print(f"{args.size:,} articles: first build under serve {time.perf_counter() - started:.1f} s")
        times = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-background-networking"]
            )
            page = browser.new_page()
            page.goto(base + url)
            text = article.read_text(encoding="utf-8")
            for number in range(args.saves):
                title = f"Tiêu đề đã sửa lần {number + 1}"
                edited = re.sub(r"(?m)^title: .*$", f'title: "{title}"', text, count=1)
                page.wait_for_timeout(1500)  # let the watcher settle after the previous rebuild
                finished(root / "serve.log")  # and the rebuild finish: the browser reloads before its search index
                start = time.perf_counter()
                article.write_text(edited, encoding="utf-8")
                page.wait_for_function(
                    "t => document.querySelector('h1') && document.querySelector('h1').textContent.includes(t)",
                    arg=title,
                    timeout=300_000,
                )
                times.append(time.perf_counter() - start)
                print(f"  save {number + 1}: {times[-1]:.2f} s (load {os.getloadavg()[0]:.2f})")
            browser.close()
        print(f"  median {statistics.median(times):.2f} s, max {max(times):.2f} s from save to the browser showing it")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


if __name__ == "__main__":
    main()
