"""Where a build's time goes, phase by phase: each build event of MkDocs, and MkDocs' own work between them.

Runs `mkdocs build` in this process over a site folder, timing every build-level plugin event (all plugins of
the event together) and the stretches between them, in wall seconds and in CPU seconds of this process and the
workers it waited for (os.times: forked renderers, the search index's workers). Each event's start is printed to
stderr as it comes, to line up with a memory trace.

    .venv/bin/python bench/phases.py SITE_FOLDER              # a folder holding mkdocs.yml (BANTIN_CONTENT_DIR
                                                              # set as for any build)
    .venv/bin/python bench/phases.py SITE_FOLDER --cold       # its .cache/bantin/ and site/ removed first
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

from mkdocs.plugins import PluginCollection

EVENTS = ("config", "pre_build", "files", "nav", "env", "post_build")


def clock() -> tuple[float, float]:
    """(wall, CPU) now; CPU counts this process and every child it has waited for."""
    times = os.times()
    return time.perf_counter(), times.user + times.system + times.children_user + times.children_system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--cold", action="store_true", help="remove the site's cache and output first")
    arguments = parser.parse_args()
    site = arguments.site.resolve()
    if arguments.cold:
        shutil.rmtree(site / ".cache" / "bantin", ignore_errors=True)
        shutil.rmtree(site / "site", ignore_errors=True)
    os.chdir(site)
    rows: list[tuple[str, float, float]] = []
    began = last = clock()
    run_event = PluginCollection.run_event

    def timed(self: PluginCollection, name: str, item: object = None, **kwargs: object) -> object:
        nonlocal last
        if name not in EVENTS:
            return run_event(self, name, item, **kwargs)
        started = clock()
        print(f"{started[0] - began[0]:9.2f} s: on_{name}", file=sys.stderr, flush=True)
        rows.append((f"MkDocs before {name}", started[0] - last[0], started[1] - last[1]))
        result = run_event(self, name, item, **kwargs)
        last = clock()
        rows.append((f"on_{name}", last[0] - started[0], last[1] - started[1]))
        return result

    PluginCollection.run_event = timed  # type: ignore[assignment,method-assign]
    from mkdocs.__main__ import cli

    sys.argv = ["mkdocs", "build", "-q"]
    began = last = clock()
    try:
        cli()
    except SystemExit as stop:
        if stop.code:
            raise
    ended = clock()
    rows.append(("MkDocs after the last event", ended[0] - last[0], ended[1] - last[1]))
    print(f"{'phase':<30} {'wall s':>8} {'cpu s':>8}")
    for name, wall, cpu in rows:
        if wall >= 0.005:
            print(f"{name:<30} {wall:8.2f} {cpu:8.2f}")
    print(f"{'total':<30} {ended[0] - began[0]:8.2f} {ended[1] - began[1]:8.2f}")


if __name__ == "__main__":
    main()
