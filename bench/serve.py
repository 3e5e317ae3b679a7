"""Preview benchmark: from saving an edited article to the browser showing it, under a real `mkdocs serve`.

A generated archive (../shared/bench/gen_corpus.py) outside the repo is served with this repo's site
configuration (BANTIN_CONTENT_DIR), the page of one article is opened in headless Debian Chromium, and the
article's title is changed on disk; the time runs from the write to the moment the open page shows the new
title (MkDocs' live reload refreshes it after the rebuild). Repeated with a different title each time.

"Shown" is when the reloaded page had both parsed with the new title (its DOMContentLoaded) and first painted
(Paint Timing's first contentful paint), by the browser's own clock. "Seen by the bench" is when Playwright's
`wait_for_function` on the title returned: it also waits for Playwright itself, which on a page already holding
the title (a static site, no rebuild) returns about 0.3 s after the load event, where `page.evaluate` answers in
0.02 s.

For each save it also prints the CPU seconds of the serve process and everything it started (its builder and the
builder's workers), until the browser shows the change and until the rebuild has finished entirely (its search
index), and with `--steps` when each step of the rebuild was reached, counted from the save (the plugin logs them
under BANTIN_SERVE_STEPS, bantin.rebuilds.step).

    python bench/serve.py                      # 10,000 articles, 5 saves
    python bench/serve.py --size 2000 --saves 3
    python bench/serve.py --size 10000 --saves 3 --steps
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
STEP = re.compile(r"bantin step (\S+) ([0-9.]+) ([0-9]+) ([0-9.]+)")
TICKS = os.sysconf("SC_CLK_TCK")
# When the page in the browser was first drawn with content, by the browser's clock (ms since the epoch).
PAINTED = """() => {
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    return paint ? performance.timeOrigin + paint.startTime : null;
}"""
HAS_TITLE = "t => document.querySelector('h1') && document.querySelector('h1').textContent.includes(t)"
# Each document notes when it was parsed and the title it was parsed with (ms since the epoch, browser's clock).
NOTE_PARSED = """document.addEventListener("DOMContentLoaded", () => {
    const heading = document.querySelector("h1");
    window.btParsed = [performance.timeOrigin + performance.now(), heading ? heading.textContent : ""];
});"""


def session_cpu(session: int) -> float:
    """CPU seconds of every live process of a session, with those of the children each has waited for."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text(encoding="ascii", errors="replace").rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[3]) == session:  # fields from the state on: ppid 1, pgrp 2, session 3, utime 11 .. cstime 14
            total += sum(int(value) for value in fields[11:15])
    return total / TICKS


def steps(log: Path, since: int, saved: float, browser: list[tuple[str, float]]) -> str:
    """The steps logged after byte `since` of the log, then the browser's, each as seconds after the save (with the
    CPU seconds its process had used since its first step of this save)."""
    with log.open("rb") as text:
        text.seek(since)
        found = STEP.findall(text.read().decode("utf-8", "replace"))
    first: dict[str, float] = {}
    shown = []
    for name, when, pid, seconds in found:
        start = first.setdefault(pid, float(seconds))
        shown.append(f"{name} {float(when) - saved:+.3f} ({float(seconds) - start:.2f})")
    shown += [f"browser-{name} {when - saved:+.3f}" for name, when in browser]
    return "    " + ", ".join(shown)


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
    parser.add_argument("--steps", action="store_true", help="print when each step of each rebuild was reached")
    args = parser.parse_args()
    from playwright.sync_api import Request, sync_playwright

    root = OUT / f"serve-{args.size}"
    if root.exists():
        shutil.rmtree(root)
    project, content = root / "project", root / "archive"
    bantin_project(project, args.size, content)
    article = sorted((content / "tin").rglob("*.md"))[len(list((content / "tin").rglob("*.md"))) // 2]
    url = article.relative_to(content).with_suffix("").as_posix() + "/"
    port = free_port()
    env = {**os.environ, "BANTIN_CONTENT_DIR": str(content), "NO_MKDOCS_2_WARNING": "1"}
    if args.steps:
        env["BANTIN_SERVE_STEPS"] = "1"
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
        times, seen_times, used, whole, painted = [], [], [], [], []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-background-networking"]
            )
            page = browser.new_page()
            page.add_init_script(NOTE_PARSED)
            page.goto(base + url)
            seen: list[tuple[str, float]] = []

            def asked(request: Request) -> None:
                if request.is_navigation_request():
                    seen.append(("asks", time.time()))

            page.on("request", asked)
            page.on("domcontentloaded", lambda _: seen.append(("parsed", time.time())))
            page.on("load", lambda _: seen.append(("loaded", time.time())))
            text = article.read_text(encoding="utf-8")
            lags = []
            for _ in range(3):  # the bench's own lag: the page reloaded unchanged, its title there from the start
                page.reload()  # returns at the load event
                loaded = time.perf_counter()
                page.wait_for_function(HAS_TITLE, arg=page.evaluate("document.querySelector('h1').textContent"))
                lags.append(time.perf_counter() - loaded)
            lag = statistics.median(lags)
            print(f"  the bench's own lag: wait_for_function returns {lag:.2f} s after the load event (median of 3)")
            for number in range(args.saves):
                title = f"Tiêu đề đã sửa lần {number + 1}"
                edited = re.sub(r"(?m)^title: .*$", f'title: "{title}"', text, count=1)
                page.wait_for_timeout(1500)  # let the watcher settle after the previous rebuild
                finished(root / "serve.log")  # and the rebuild finish: the browser reloads before its search index
                since, cpu = (root / "serve.log").stat().st_size, session_cpu(server.pid)
                saved, start = time.time(), time.perf_counter()
                seen.clear()
                article.write_text(edited, encoding="utf-8")
                page.wait_for_function(HAS_TITLE, arg=title, timeout=300_000)
                seen_times.append(time.perf_counter() - start)
                seen.append(("seen", time.time()))
                paint = page.evaluate(PAINTED)
                parsed, parsed_title = page.evaluate("window.btParsed || [null, '']")
                painted.append(paint / 1000 - saved if paint else float("nan"))
                if paint:
                    seen.append(("painted", paint / 1000))
                if paint and parsed and title in parsed_title:  # this very document was parsed with the new title
                    times.append(max(paint, parsed) / 1000 - saved)
                else:  # the title came later than the document's parsing: only the bench's own sight tells
                    times.append(seen_times[-1])
                used.append(session_cpu(server.pid) - cpu)
                finished(root / "serve.log")
                whole.append(session_cpu(server.pid) - cpu)
                print(
                    f"  save {number + 1}: {times[-1]:.2f} s (painted {painted[-1]:.2f} s, seen by the bench "
                    f"{seen_times[-1]:.2f} s, load {os.getloadavg()[0]:.2f}); serve CPU s "
                    f"{used[-1]:.2f} until shown, {whole[-1]:.2f} for the whole rebuild"
                )
                if args.steps:
                    print(steps(root / "serve.log", since, saved, seen))
            browser.close()
        print(f"  median {statistics.median(times):.2f} s, max {max(times):.2f} s from save to the browser showing it")
        print(f"  painted: median {statistics.median(painted):.2f} s, max {max(painted):.2f} s (its first paint)")
        print(
            f"  seen by the bench: median {statistics.median(seen_times):.2f} s, max {max(seen_times):.2f} s "
            "(Playwright's wait_for_function)"
        )
        print(
            f"  serve CPU s per save, median: {statistics.median(used):.2f} until shown, "
            f"{statistics.median(whole):.2f} for the whole rebuild"
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


if __name__ == "__main__":
    main()
