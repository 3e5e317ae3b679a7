"""Build-time benchmark: the demo site and generated corpora, each built in a fresh process.

Prints wall time and peak memory (the child's max RSS) per build. Corpora come from
../shared/bench/gen_corpus.py, the project's realistic Vietnamese corpus generator.

    python bench/build.py                 # demo content + 2,000 articles
    python bench/build.py --sizes 2000 10000 --runs 3
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GENERATOR = REPO.parent / "shared" / "bench" / "gen_corpus.py"


def build_once(content: Path, site: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one `mkdocs build` in a child process."""
    env = {**os.environ, "BANTIN_CONTENT_DIR": str(content), "NO_MKDOCS_2_WARNING": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(REPO / "mkdocs.yml"), "-d", str(site)],
        check=True,
        env=env,
    )
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024


def corpus(size: int, root: Path) -> Path:
    out = root / f"corpus-{size}"
    if not (out / "content").is_dir():
        subprocess.run([sys.executable, str(GENERATOR), str(size), str(out)], check=True)
    return out / "content"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[2000], help="generated corpus sizes")
    parser.add_argument("--runs", type=int, default=3, help="builds per corpus (median reported)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        targets = [("demo (content/)", REPO / "content")]
        targets += [(f"{size:,} articles", corpus(size, root)) for size in args.sizes]
        print(f"{'corpus':<18} {'median s':>9} {'min s':>7} {'max s':>7} {'peak MiB':>9}")
        for name, content in targets:
            times, peaks = [], []
            for _ in range(args.runs):
                elapsed, peak = build_once(content, root / "site")
                times.append(elapsed)
                peaks.append(peak)
            print(
                f"{name:<18} {statistics.median(times):>9.2f} {min(times):>7.2f} {max(times):>7.2f} {max(peaks):>9.0f}"
            )


if __name__ == "__main__":
    main()
