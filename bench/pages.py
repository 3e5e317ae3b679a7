"""Lighthouse scores and page weights of the pages a reader meets first, on the demo site.

Builds the demo site (or takes `--site`), serves it on loopback with gzip as a production web server would, runs
Lighthouse (npm package, bench/node_modules, `make lighthouse`) with its default mobile settings against Debian's
Chromium, and prints per page the four category scores and the bytes of HTML, CSS, JS and fonts (images and the
search index excluded), uncompressed and as sent gzip-compressed. Requests answered with an error are listed.

    python bench/pages.py                          # build, measure, print beside bench/pages-before.json
    python bench/pages.py --site site --save out.json
    python bench/pages.py --screenshots bench/out/screenshots   # 360 px and 1280 px screenshots instead
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
LIGHTHOUSE = REPO / "bench" / "node_modules" / "lighthouse" / "cli" / "index.js"
BEFORE = REPO / "bench" / "pages-before.json"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = "--headless --no-sandbox --disable-background-networking --disable-gpu"
PAGES = {
    "home": "",
    "article": "tin/2018/tap-trung-doi-moi-hoat-dong-mat-tran-doan-the-o-dia-ban-dan-cu/",
    "document": "ket-luan/2014/ket-luan-hoi-nghi-so-ket-05-nam-thuc-hien-ket-luan-so-62-kl-tw/",
    "register": "ket-luan/",
    "organization": "don-vi/ban-dan-van-quan-uy-go-vap/",
    "search": "tim-kiem/?q=dan+van+kheo",
}
SCREENSHOTS = {**PAGES, "documents": "van-ban/"}  # the documents register beside the conclusions register
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# Lighthouse's resource types, as the columns of the weight table; the rest (images, fetched data) is left out.
WEIGHTS = {"Document": "html", "Stylesheet": "css", "Script": "js", "Font": "fonts"}
COMPRESSIBLE = (".html", ".css", ".js", ".xml", ".json", ".svg", ".txt")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, text gzip-compressed when the browser accepts it (as nginx's `gzip on` does)."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not accepts or path.suffix not in COMPRESSIBLE or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return BytesReader(body)


class BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = (self.data, b"") if size < 0 else (self.data[:size], self.data[size:])
        return data

    def close(self) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    handler = functools.partial(GzipHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def build(site: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(REPO / "mkdocs.yml"), "-d", str(site)]
    subprocess.run(command, check=True, env=env, cwd=REPO)


def lighthouse(url: str, report: Path) -> dict[str, Any]:
    """One Lighthouse run with its default (mobile, simulated throttling) settings; the JSON report."""
    if not LIGHTHOUSE.is_file():
        raise SystemExit("Lighthouse is not installed: run `make lighthouse`")
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    command = ["node", str(LIGHTHOUSE), url, "--output=json", f"--output-path={report}", "--quiet"]
    subprocess.run([*command, f"--chrome-flags={CHROME_FLAGS}"], check=True, env=env)
    data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return data


def summary(report: dict[str, Any]) -> dict[str, Any]:
    """Scores (0–100), weights by type (bytes, raw and as sent) and failed requests of one report."""
    scores = {name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES}
    weights = {column: {"raw": 0, "sent": 0} for column in WEIGHTS.values()}
    failed = []
    for request in report["audits"]["network-requests"]["details"]["items"]:
        column = WEIGHTS.get(request.get("resourceType", ""))
        if column:
            weights[column]["raw"] += request.get("resourceSize", 0)
            weights[column]["sent"] += request.get("transferSize", 0)
        if request.get("statusCode", 200) >= 400:
            failed.append(f"{request['statusCode']} {request['url']}")
    failing = [
        audit["id"]
        for audit in report["audits"].values()
        if audit.get("score") is not None and audit["score"] < 1 and audit.get("scoreDisplayMode") == "binary"
    ]
    names = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift")
    metrics = {name: report["audits"][name]["numericValue"] for name in names}
    return {"scores": scores, "weights": weights, "failed": failed, "failing": failing, "metrics": metrics}


def measure(site: Path, out: Path) -> dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    results = {}
    with serve(site) as base:
        for name, path in PAGES.items():
            results[name] = summary(lighthouse(base + path, out / f"{name}.json"))
            print(f"  {name}: {results[name]['scores']}", file=sys.stderr)
    return results


def kb(size: int) -> str:
    return f"{size / 1024:.1f}"


def table(results: dict[str, Any], before: dict[str, Any] | None) -> str:
    """One row per page: scores, then each weight in KiB raw/sent; the recorded "before" row under it."""
    lines = ["page          perf a11y  bp seo | html KiB    css KiB     js KiB      fonts KiB   total KiB (raw/gzip)"]
    for name in PAGES:
        rows = [("", results.get(name))] + ([("  before", before.get(name))] if before else [])
        for label, row in rows:
            if row is None:
                continue
            scores = " ".join(f"{row['scores'][category]:>4}" for category in CATEGORIES)
            weights = row["weights"]
            cells = [f"{kb(weights[c]['raw']):>5}/{kb(weights[c]['sent']):<5}" for c in WEIGHTS.values()]
            raw = sum(weights[c]["raw"] for c in WEIGHTS.values())
            sent = sum(weights[c]["sent"] for c in WEIGHTS.values())
            lines.append(f"{(label or name):<13}{scores} | {' '.join(cells)} {kb(raw):>5}/{kb(sent)}")
    for name in PAGES:
        row = results.get(name)
        if row and row["failed"]:
            lines.append(f"{name}: failed requests: {', '.join(row['failed'])}")
        if row and row["failing"]:
            lines.append(f"{name}: failing audits: {', '.join(row['failing'])}")
    return "\n".join(lines)


def screenshots(site: Path, out: Path) -> None:
    """Full-page PNGs of every measured page at 360 px (a phone) and 1280 px (a desktop)."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    args = ["--no-sandbox", "--disable-background-networking", "--disable-gpu"]
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        for width, height in ((360, 740), (1280, 800)):
            page = browser.new_page(viewport={"width": width, "height": height})
            for name, path in SCREENSHOTS.items():
                page.goto(base + path)
                if "?q=" in path:
                    page.wait_for_selector(".bt-result")
                page.wait_for_load_state("networkidle")
                target = out / f"{name}-{width}.png"
                page.screenshot(path=str(target), full_page=True)
                print(target)
            page.close()
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="a built site (default: build the demo site afresh)")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "lighthouse", help="JSON reports")
    parser.add_argument("--save", type=Path, help="write the summary as JSON here")
    parser.add_argument("--before", type=Path, default=BEFORE, help="the summary to print beside (recorded before)")
    parser.add_argument("--screenshots", type=Path, help="write 360 px and 1280 px screenshots here instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            build(site)
        if args.screenshots:
            screenshots(site, args.screenshots)
            return
        results = measure(site, args.out)
    if args.save:
        args.save.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    before = json.loads(args.before.read_text(encoding="utf-8")) if args.before.is_file() else None
    print(table(results, before))


if __name__ == "__main__":
    main()
