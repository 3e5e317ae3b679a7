"""The templates' CPU, A against B in one process: every page of a cold build rendered again, theme against theme.

Builds a site folder cold in one process (forking off), keeping each generated page's template and context; then
renders every page again, in turn with this checkout's theme (B) and with `--other`, the `bantin/theme` folder of
another checkout (A, e.g. main's), with fresh chrome fragments for each pass. Prints the CPU seconds
(`time.process_time`) of each pass, of `item_list` within it, and the median of B/A over the pairs. Paired passes
a second apart in one process hold their ratio on a shared machine where whole builds' CPU seconds drift by a
third; a profile (cProfile) overstates Jinja's share, whose many small calls carry most of the profiler's cost.
The other theme must call the same Python as this checkout's (`bt_chrome`); pages that differ are counted.

    BANTIN_CONTENT_DIR=CONTENT .venv/bin/python bench/templates.py SITE_FOLDER --other OTHER/bantin/theme
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import time
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import FileSystemLoader
from jinja2.runtime import Macro


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--other", type=Path, required=True, help="the bantin/theme folder of another checkout")
    parser.add_argument("--pairs", type=int, default=6)
    options = parser.parse_args()
    site = options.site.resolve()
    shutil.rmtree(site / ".cache" / "bantin", ignore_errors=True)
    shutil.rmtree(site / "site", ignore_errors=True)
    os.chdir(site)

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    import bantin
    from bantin import index_ahead, render
    from bantin.plugin import BantinPlugin
    from bantin.search import index
    from bantin.urls import PageLinks

    render.PARALLEL_FROM = index.PARALLEL_FROM = index_ahead.AHEAD_FROM = 10**9
    pages: list[tuple[jinja2.Environment, str, dict[str, Any]]] = []
    original = jinja2.Template.render
    depth = [0]

    def recording(template: jinja2.Template, *args: Any, **kwargs: Any) -> str:
        if depth[0] == 0 and args and isinstance(args[0], dict) and args[0].get("page") is not None:
            pages.append((template.environment, str(template.name), args[0]))
        depth[0] += 1
        try:
            return original(template, *args, **kwargs)
        finally:
            depth[0] -= 1

    jinja2.Template.render = recording  # type: ignore[method-assign,assignment]
    config = load_config("mkdocs.yml", site_dir=str(site / "site"))
    build(config)
    jinja2.Template.render = original  # type: ignore[method-assign]
    plugin = next(plugin for plugin in config.plugins.values() if isinstance(plugin, BantinPlugin))
    chrome = plugin.chrome
    assert chrome is not None and pages
    ours = (Path(bantin.__file__).parent / "theme").resolve()
    mine = pages[0][0]
    assert isinstance(mine.loader, FileSystemLoader)
    folders = [str(options.other) if Path(folder).resolve() == ours else folder for folder in mine.loader.searchpath]
    other = mine.overlay(loader=FileSystemLoader(folders))
    other.cache = {}

    in_lists = [0.0]
    invoke = Macro._invoke

    def timed(macro: Macro, arguments: list[Any], autoescape: bool) -> str:
        if macro.name != "item_list":
            return invoke(macro, arguments, autoescape)
        started = time.process_time()
        try:
            return invoke(macro, arguments, autoescape)
        finally:
            in_lists[0] += time.process_time() - started

    Macro._invoke = timed  # type: ignore[method-assign,assignment]

    def rendered(env: jinja2.Environment) -> tuple[float, float, list[str]]:
        """One pass over every page, as a cold build's render would find the fragments: none yet."""
        chrome.fragments.clear()
        chrome.pending.clear()
        chrome.links.links = PageLinks()
        chrome.active = True
        in_lists[0] = 0.0
        out = []
        started = time.process_time()
        for _, name, context in pages:
            context["page"].active = True
            out.append(env.get_template(name).render(context))
            context["page"].active = False
        spent = time.process_time() - started
        chrome.active = False
        return spent, in_lists[0], out

    _, _, a = rendered(other)
    _, _, b = rendered(mine)
    print(f"{len(pages)} pages, {sum(x != y for x, y in zip(a, b, strict=True))} differing between A and B")
    passes: dict[str, list[tuple[float, float]]] = {"A": [], "B": []}
    for number in range(options.pairs):
        order = [("A", other), ("B", mine)] if number % 2 == 0 else [("B", mine), ("A", other)]
        for label, env in order:
            spent, lists, _ = rendered(env)
            passes[label].append((spent, lists))
    for label, figures in passes.items():
        totals = " ".join(f"{spent:.2f}" for spent, _ in figures)
        in_list = " ".join(f"{lists:.2f}" for _, lists in figures)
        print(f"{label}: pass CPU s {totals}; item_list {in_list}")
    ratios = [b[0] / a[0] for a, b in zip(passes["A"], passes["B"], strict=True)]
    print(f"B/A median of {len(ratios)} pairs: {statistics.median(ratios):.3f}")


if __name__ == "__main__":
    main()
