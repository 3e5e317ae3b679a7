"""Build-time benchmark: the demo site and generated corpora, each built in a fresh process.

Prints wall time and peak memory (the child's max RSS) per build. Corpora come from
../shared/bench/gen_corpus.py, the project's realistic Vietnamese corpus generator.

    python bench/build.py                 # demo content + 2,000 articles
    python bench/build.py --sizes 2000 10000 --runs 3
    python bench/build.py --material-blog # also the same articles as a hand-configured Material blog
    python bench/build.py --engine properdocs   # the same builds under ProperDocs instead of MkDocs
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GENERATOR = REPO.parent / "shared" / "bench" / "gen_corpus.py"


def build_once(
    config: Path, site: Path, content: Path | None = None, engine: str = "mkdocs"
) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system, the child and its workers) and peak RSS (MiB) of one
    `mkdocs build` (or `properdocs build`) in a child process of its own. CPU time moves less than wall time
    when other work shares the machine."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if content is not None:
        env["BANTIN_CONTENT_DIR"] = str(content)
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", engine, "build", "-q", "-f", str(config), "-d", str(site)], env=env)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{engine} build of {config} failed")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def corpus(size: int, root: Path) -> Path:
    out = root / f"corpus-{size}"
    if not (out / "content").is_dir():
        subprocess.run([sys.executable, str(GENERATOR), str(size), str(out)], check=True)
    return out / "content"


# What a unit would configure by hand with Material alone: its blog, tags and built-in search.
MATERIAL_BLOG = """\
site_name: Bản tin
site_url: https://bantin.example.vn/
theme: {name: material, language: vi, font: false}
plugins: [blog, tags, search]
"""


def material_blog(size: int, root: Path) -> Path:
    """The same generated articles in Material's blog layout, with its mkdocs.yml."""
    out = root / f"material-blog-{size}"
    if not (out / "docs").is_dir():
        subprocess.run([sys.executable, str(GENERATOR), str(size), str(out), "--layout", "material-blog"], check=True)
        (out / "mkdocs.yml").write_text(MATERIAL_BLOG, encoding="utf-8")
    return out / "mkdocs.yml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[2000], help="generated corpus sizes")
    parser.add_argument("--runs", type=int, default=3, help="builds per corpus (median reported)")
    parser.add_argument("--material-blog", action="store_true", help="also build each size as a Material blog")
    parser.add_argument("--engine", choices=["mkdocs", "properdocs"], default="mkdocs", help="the build command")
    args = parser.parse_args()
    site_config = REPO / "mkdocs.yml"
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        targets: list[tuple[str, Path, Path | None]] = [("demo (content/)", site_config, REPO / "content")]
        for size in args.sizes:
            targets.append((f"{size:,} articles", site_config, corpus(size, root)))
            if args.material_blog:
                targets.append(("  Material blog", material_blog(size, root), None))
        print(f"{'corpus':<18} {'median s':>9} {'min s':>7} {'max s':>7} {'cpu s':>7} {'peak MiB':>9}")
        for name, config, content in targets:
            times, cpus, peaks = [], [], []
            for _ in range(args.runs):
                elapsed, cpu, peak = build_once(config, root / "site", content, args.engine)
                times.append(elapsed)
                cpus.append(cpu)
                peaks.append(peak)
            print(
                f"{name:<18} {statistics.median(times):>9.2f} {min(times):>7.2f} {max(times):>7.2f}"
                f" {statistics.median(cpus):>7.2f} {max(peaks):>9.0f}"
            )


if __name__ == "__main__":
    main()
