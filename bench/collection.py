"""What a build computes from the collection before rendering (the plugin's on_config), phase by phase, in CPU seconds.

    .venv/bin/python bench/collection.py CONTENT_DIR                  # cold: every file parsed
    .venv/bin/python bench/collection.py CONTENT_DIR --memo DIR       # with the item memo in DIR (run twice: warm)
    .venv/bin/python bench/collection.py CONTENT_DIR --profile OUT    # and a cProfile of it in OUT

The phases are those of `BantinPlugin.on_config`: loading (parsing, validation, the collection and its related
index), the generated pages (with every item's related items), sitemap dates and the search index's folder name.
The last line is the peak resident memory of the process.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import time
from pathlib import Path

from bantin.cache import ItemMemo, Store
from bantin.feeds import page_lastmods
from bantin.fingerprint import index_version
from bantin.loader import load_content
from bantin.pages import site_pages


def phases(content: Path, memo_dir: Path | None) -> dict[str, float]:
    times: dict[str, float] = {}
    started = last = time.process_time()

    def done(name: str) -> None:
        nonlocal last
        now = time.process_time()
        times[name] = now - last
        last = now

    memo = ItemMemo(Store(memo_dir, "content"), "bench") if memo_dir else None
    collection = load_content(content, memo=memo, check_bodies=False)
    if memo is not None:
        memo.save()
    done("load_content")
    specs = {spec.src_uri: spec for spec in site_pages(collection, 20)}
    done("site_pages")
    page_lastmods(specs.values(), collection)
    done("page_lastmods")
    index_version(collection.items)
    done("index_version")
    times["total"] = last - started
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("--memo", type=Path, help="folder of the item memo (created if missing)")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the run here and print its top entries")
    options = parser.parse_args()
    profiler = cProfile.Profile() if options.profile else None
    if profiler:
        profiler.enable()
    times = phases(options.content, options.memo)
    if profiler:
        profiler.disable()
        profiler.dump_stats(options.profile)
        pstats.Stats(str(options.profile)).sort_stats("tottime").print_stats(30)
    print("  ".join(f"{name} {seconds:.2f}" for name, seconds in times.items()), "(CPU s)")
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB")


if __name__ == "__main__":
    main()
