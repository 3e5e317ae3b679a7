"""Search at archive scale: index build time and memory, then per query the result count against the ground truth
computed from the Markdown, the time from the query to rendered results and the bytes it downloaded.

    .venv/bin/python bench/search.py                      # 2,000 and 10,000 articles
    .venv/bin/python bench/search.py --sizes 2000 --pagefind
    .venv/bin/python bench/search.py --index CONTENT OUT      # only the index of CONTENT, into OUT
    .venv/bin/python bench/search.py --queries OUT CONTENT    # only the queries, over the index in OUT

Corpora come from ../shared/bench/gen_corpus.py (relative to the repo root) and are kept in bench/out/. Each query
runs in a fresh headless Chromium context: the search page is loaded first, then the query is typed and submitted;
time and bytes count from the submit to the rendered results. `--pagefind` also indexes the same records with
Pagefind's Python API (defaults, custom records with filters and sort) and runs the same queries through its JS API.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import threading
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
GENERATOR = Path("..") / "shared" / "bench" / "gen_corpus.py"  # relative to REPO
OUT = REPO / "bench" / "out"
CHROMIUM = "/usr/bin/chromium"
QUERIES = [
    "dân vận khéo",
    "dan van kheo",
    '"dân vận khéo"',
    '"dan van kheo"',
    "nông thôn mới",
    '"nông thôn mới"',
    "Hải Hà",
    "hai ha",
    "62-KL/TW",
    "dang uy",
    "mới",
    '"mặt trận tổ quốc việt nam"',
]
WORD = re.compile(r"[^\W_]+")


# ---- Ground truth, straight from the Markdown files (independent of bantin.search) ----------------------------


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in decomposed if unicodedata.category(char) != "Mn")


def truth_pattern(words: list[str]) -> tuple[re.Pattern[str], bool]:
    """Words in a row (punctuation between them allowed), matched on the accentless text if typed without accents."""
    folded = all(fold(word) == word for word in words)
    body = r"[\W_]+".join(re.escape(word) for word in words)
    return re.compile(r"(?<![^\W_/-])" + body + r"(?![^\W_]|/\w)"), folded


def fields(text: str) -> list[str]:
    """The texts of a file a phrase cannot run across: each line of the frontmatter (a continued line with the one
    before it, each item of a `[list]` apart) and the body. Without this, "dân vận" ending a category line and
    "khéo" opening the body were one phrase."""
    if not text.startswith("---\n") or (end := text.find("\n---\n", 3)) < 0:
        return [text]
    parts: list[str] = []
    for line in text[4:end].split("\n"):
        value = line.partition(":")[2].strip()
        if line[:1].isspace() and parts and not line.lstrip().startswith("- "):
            parts[-1] += " " + line.strip()
        elif value.startswith("[") and value.endswith("]"):
            parts.extend(value[1:-1].split(","))
        else:
            parts.append(line)
    return [*parts, text[end + 5 :]]


def ground_truth(files: list[tuple[list[str], list[str]]], query: str) -> int:
    """Items matching every word, every quoted phrase and every document number of `query`."""
    query = unicodedata.normalize("NFC", query).lower()
    phrases = re.findall(r'"([^"]*)"', query)
    rest = re.sub(r'"[^"]*"', " ", query)
    numbers = re.findall(r"\d+[\w-]*/[\w/-]+", rest)
    rest = re.sub(r"\d+[\w-]*/[\w/-]+", " ", rest)
    groups = [WORD.findall(phrase) for phrase in phrases] + [[fold(n)] for n in numbers]
    groups += [[word] for word in WORD.findall(rest)]
    patterns = [truth_pattern(words) for words in groups if words]
    return sum(
        all(any(map(pattern.search, folded if is_folded else texts)) for pattern, is_folded in patterns)
        for texts, folded in files
    )


def read_corpus(content: Path) -> list[tuple[list[str], list[str]]]:
    files = []
    for path in sorted(content.rglob("*.md")):
        texts = fields(unicodedata.normalize("NFC", path.read_text(encoding="utf-8")).lower())
        files.append((texts, [fold(text) for text in texts]))
    return files


# ---- Corpus, site and index builds ------------------------------------------------------------------------------


def corpus(size: int) -> Path:
    out = OUT / f"corpus{size}"
    if not (out / "content").is_dir():
        subprocess.run([sys.executable, str(GENERATOR), str(size), str(out)], cwd=REPO, check=True)
    return out / "content"


def build_site(content: Path, site: Path) -> float:
    env = {**os.environ, "BANTIN_CONTENT_DIR": str(content), "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    subprocess.run(
        [str(REPO / ".venv" / "bin" / "mkdocs"), "build", "-q", "-d", str(site)], cwd=REPO, env=env, check=True
    )
    return time.perf_counter() - started


def measure_index(content: Path, out: Path) -> dict[str, float]:
    """Index build in a fresh process, as the build's on_post_build runs it: seconds and peak resident memory."""
    command = [sys.executable, str(Path(__file__)), "--index-only", str(content), str(out)]
    result = subprocess.run(command, cwd=REPO, check=True, capture_output=True, text=True)
    figures: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc (Linux)."""
    total = 0.0
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text(encoding="utf-8").split():
                total += tree_rss_mib(int(child))
    except (FileNotFoundError, ProcessLookupError):
        pass
    return total


def cpu_seconds() -> float:
    """User and system CPU of this process and of its workers that have ended (the index's pool ends with it)."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def index_only(content: Path, out: Path) -> None:
    sys.path.insert(0, str(REPO))
    from bantin import load_content
    from bantin.search import write_search_index

    started = time.perf_counter()
    collection = load_content(content)
    loaded = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak = [0.0]
    done_event = threading.Event()

    def sample() -> None:  # the workers run at the same time as the main process: sum them all
        while not done_event.wait(0.02):
            peak[0] = max(peak[0], tree_rss_mib(os.getpid()))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    cpu = cpu_seconds()
    stats = write_search_index(collection, out)
    done = time.perf_counter()
    cpu = cpu_seconds() - cpu
    done_event.set()
    sampler.join()
    figures = {
        "tree_peak_mib": peak[0],
        "load_s": loaded - started,
        "index_s": done - loaded,
        "index_cpu_s": cpu,
        "rss_after_load_mib": before,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "index_mib": stats.bytes / 2**20,
        "files": stats.files,
    }
    print(json.dumps(figures))


def pagefind_index(content: Path, site: Path) -> dict[str, float]:
    """The same records through Pagefind's Python API, defaults otherwise; written to site/pagefind/."""
    sys.path.insert(0, str(REPO))
    from pagefind.index import IndexConfig, PagefindIndex

    from bantin import load_content
    from bantin.search import search_record

    collection = load_content(content)
    records = [(item, search_record(item)) for item in collection.items]

    async def run() -> None:
        config = IndexConfig(output_path=str(site / "pagefind"))
        async with PagefindIndex(config=config) as index:
            for start in range(0, len(records), 200):  # batches keep the service busy without flooding its pipe
                await asyncio.gather(
                    *(
                        index.add_custom_record(
                            url="/" + record.url,
                            content="\n".join(field for field, _ in record.fields),
                            language="vi",
                            meta={"title": record.title, "date": record.date, "unit": record.unit},
                            filters={"don-vi": [record.unit_slug], "loai": [record.kind], "nam": [str(record.year)]},
                            sort={"date": item.date.isoformat()},
                        )
                        for item, record in records[start : start + 200]
                    )
                )

    started = time.perf_counter()
    asyncio.run(run())
    return {
        "index_s": time.perf_counter() - started,
        "peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


PAGEFIND_PAGE = """<!doctype html><meta charset="utf-8"><title>Pagefind</title>
<form id="f"><input id="q" name="q"><button>Tìm</button></form><p id="s"></p><ol id="r" data-state="ready"></ol>
<script type="module">
const pagefind = await import("/pagefind/pagefind.js");
await pagefind.options({});
const list = document.getElementById("r");
document.getElementById("f").addEventListener("submit", async (event) => {
  event.preventDefault();
  const q = document.getElementById("q").value;
  list.dataset.state = "loading";
  const search = await pagefind.search(q);
  const data = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  list.replaceChildren(...data.map((d) => { const li = document.createElement("li");
    li.textContent = d.meta.title + " — " + d.excerpt.replace(/<[^>]+>/g, ""); return li; }));
  document.getElementById("s").textContent = "Tìm thấy " + search.results.length + " kết quả";
  list.dataset.query = q;
  list.dataset.state = "ready";
});
</script>"""


# ---- Browser ---------------------------------------------------------------------------------------------------------


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """A static file server in a process of its own, so serving never waits on this one (and its browser driver)."""
    command = [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", str(site)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert server.stdout is not None
        announced = re.search(r"port (\d+)", server.stdout.readline())  # "Serving HTTP on 127.0.0.1 port 41234 …"
        if announced is None:
            raise RuntimeError("the static file server did not start")
        yield f"http://127.0.0.1:{announced.group(1)}/"
    finally:
        server.terminate()
        server.wait()


# Installed before the query is typed: the submit time and the moment the results list says it is ready.
WATCH = """(q) => {
  const list = document.querySelector("[data-bt-results], #r");
  window.__bench = { start: 0, end: 0 };
  document.addEventListener("submit", () => { window.__bench.start = performance.now(); }, true);
  new MutationObserver(() => {
    if (list.dataset.state === "ready" && list.dataset.query === q && !window.__bench.end) {
      window.__bench.end = performance.now();
    }
  }).observe(list, { attributes: true, childList: true });
}"""


def run_queries(browser: Any, base: str, page_url: str, input_selector: str, status: str) -> list[dict[str, Any]]:
    rows = []
    for query in QUERIES:
        context = browser.new_context()
        page = context.new_page()
        page.goto(base + page_url, wait_until="networkidle")
        page.wait_for_selector("[data-bt-results][data-state=ready], #r[data-state=ready]", state="attached")
        page.evaluate(WATCH, query)
        downloaded: list[int] = []

        def count_bytes(response: Any, into: list[int] = downloaded) -> None:
            into.append(int(response.headers.get("content-length") or 0))

        page.on("response", count_bytes)
        page.fill(input_selector, query)
        page.press(input_selector, "Enter")
        page.wait_for_function("() => window.__bench.end > 0", timeout=60_000)
        page.wait_for_load_state("networkidle")
        timing = page.evaluate("() => window.__bench")
        text = page.inner_text(status)
        found = re.search(r"Tìm thấy ([\d.]+)", text)
        rows.append(
            {
                "query": query,
                "count": int(found.group(1).replace(".", "")) if found else 0,
                "ms": timing["end"] - timing["start"],
                "bytes": sum(downloaded),
                "requests": len(downloaded),
            }
        )
        context.close()
    return rows


def browse(site: Path, pagefind: bool) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-background-networking"]
        )
        try:
            if pagefind:
                return run_queries(browser, base, "pagefind-bench.html", "#q", "#s")
            return run_queries(browser, base, "tim-kiem/", "#bt-search-q", "[data-bt-status]")
        finally:
            browser.close()


def report(label: str, rows: list[dict[str, Any]], truth: dict[str, int]) -> None:
    print(f"  {label}")
    print(f"    {'query':<36} {'found':>6} {'truth':>6} {'ms':>7} {'KB':>7} {'req':>4}")
    for row in rows:
        mark = "" if row["count"] == truth[row["query"]] else "  ≠"
        print(
            f"    {row['query']:<36} {row['count']:>6} {truth[row['query']]:>6} {row['ms']:>7.0f} "
            f"{row['bytes'] / 1024:>7.1f} {row['requests']:>4}{mark}"
        )
    times = [row["ms"] for row in rows]
    kilobytes = [row["bytes"] / 1024 for row in rows]
    exact = sum(row["count"] == truth[row["query"]] for row in rows)
    print(
        f"    median {statistics.median(times):.0f} ms, max {max(times):.0f} ms; "
        f"median {statistics.median(kilobytes):.1f} KB, max {max(kilobytes):.1f} KB; "
        f"{exact}/{len(rows)} counts equal to the ground truth"
    )


def queries_over(index: Path, content: Path) -> None:
    """The queries over an index already written (`--index`), served inside the search page of the demo site (the
    repository's own content, built into bench/out/demo-site): a large archive's queries without its site."""
    site = OUT / "demo-site"
    build_site(REPO / "content", site)  # the search page and script of this checkout
    page = site / "tim-kiem" / "index.html"
    html = re.sub(r'data-index="[^"]*"', 'data-index="bench-index/"', page.read_text(encoding="utf-8"))
    page.write_text(html, encoding="utf-8")
    files = read_corpus(content)
    truth = {query: ground_truth(files, query) for query in QUERIES}
    print(f"{len(files)} articles ({content}), index {index}")
    link = site / "tim-kiem" / "bench-index"
    link.unlink(missing_ok=True)
    link.symlink_to(index.resolve(), target_is_directory=True)
    try:
        report("Bản tin index", browse(site, pagefind=False), truth)
    finally:  # no link to a large index left in the tree (a copy of the repository would copy the index)
        link.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--pagefind", action="store_true", help="also measure Pagefind 1.5 on the same records")
    parser.add_argument("--index-only", nargs=2, type=Path, metavar=("CONTENT", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--index", nargs=2, type=Path, metavar=("CONTENT", "OUT"), help="only write the index")
    parser.add_argument("--queries", nargs=2, type=Path, metavar=("OUT", "CONTENT"), help="only run the queries")
    parser.add_argument("--pagefind-index", nargs=2, type=Path, metavar=("CONTENT", "SITE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.index_only:
        index_only(*args.index_only)
        return
    if args.index:
        figures = measure_index(*args.index)
        print(json.dumps(figures))
        return
    if args.queries:
        from bantin.search import INDEX_DIR

        out = args.queries[0]
        queries_over(out / INDEX_DIR if (out / INDEX_DIR).is_dir() else out, args.queries[1])
        return
    if args.pagefind_index:
        print(json.dumps(pagefind_index(*args.pagefind_index)))
        return
    for size in args.sizes:
        content = corpus(size)
        site = OUT / f"site{size}"
        print(f"{size} articles ({content.relative_to(REPO)})")
        seconds = build_site(content, site)
        figures = measure_index(content, OUT / f"index{size}")
        print(
            f"  site build with search: {seconds:.1f} s; index alone: {figures['index_s']:.1f} s "
            f"(content load {figures['load_s']:.1f} s); peak memory of the process and its workers together "
            f"{figures['tree_peak_mib']:.0f} MiB (main {figures['peak_mib']:.0f} MiB, of which "
            f"{figures['rss_after_load_mib']:.0f} MiB content; each worker ≤ {figures['worker_peak_mib']:.0f} MiB); "
            f"index {figures['index_mib']:.1f} MiB in {figures['files']:.0f} files"
        )
        files = read_corpus(content)
        truth = {query: ground_truth(files, query) for query in QUERIES}
        report("Bản tin index", browse(site, pagefind=False), truth)
        if args.pagefind:
            command = [sys.executable, str(Path(__file__)), "--pagefind-index", str(content), str(site)]
            result = subprocess.run(command, cwd=REPO, check=True, capture_output=True, text=True)
            pagefind = json.loads(result.stdout.strip().splitlines()[-1])
            (site / "pagefind-bench.html").write_text(PAGEFIND_PAGE, encoding="utf-8")
            print(
                f"  Pagefind 1.5 (custom records, defaults): index {pagefind['index_s']:.1f} s, "
                f"peak memory {pagefind['peak_mib']:.0f} MiB"
            )
            report("Pagefind", browse(site, pagefind=True), truth)


if __name__ == "__main__":
    main()
