"""The CPU of rendering pages on a cold build, in one process: every generated page through `render_page`.

Builds a site folder cold (its cache and output removed first) with forking turned off, so every page renders
here, and prints the CPU seconds (`time.process_time`) spent in `render_page` and in its parts: Markdown, the
plugins' `on_page_content` (sanitizing, figures, document numbers) and the page's template.

    BANTIN_CONTENT_DIR=CONTENT .venv/bin/python bench/render.py SITE_FOLDER    # a folder holding mkdocs.yml
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any


def timing(spent: dict[str, float], name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] += time.process_time() - started

    return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    site = parser.parse_args().site.resolve()
    shutil.rmtree(site / ".cache" / "bantin", ignore_errors=True)
    shutil.rmtree(site / "site", ignore_errors=True)
    os.chdir(site)

    import jinja2
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    import bantin.converter
    import bantin.plugin
    import bantin.render

    bantin.render.can_fork = lambda: False  # every page in this process
    spent: dict[str, float] = dict.fromkeys(("render_page", "  Markdown", "  on_page_content", "  template"), 0.0)
    pages = Counter[str]()
    render_page = bantin.render.render_page

    def counted(*args: Any, **kwargs: Any) -> Any:
        pages["pages"] += 1
        return render_page(*args, **kwargs)

    bantin.plugin.render_page = timing(spent, "render_page", counted)  # type: ignore[attr-defined]
    converter = bantin.converter.Converter
    converter.render = timing(spent, "  Markdown", converter.render)  # type: ignore[method-assign]
    plugin = bantin.plugin.BantinPlugin
    plugin.on_page_content = timing(spent, "  on_page_content", plugin.on_page_content)  # type: ignore[method-assign]
    render = jinja2.Template.render
    jinja2.Template.render = timing(spent, "  template", render)  # type: ignore[method-assign]
    build(load_config(str(site / "mkdocs.yml")))
    jinja2.Template.render = render  # type: ignore[method-assign]
    print(f"{pages['pages']} pages rendered")
    for name in ("render_page", "  Markdown", "  on_page_content", "  template"):
        print(f"{name:20s} {spent[name]:7.2f} CPU s")


if __name__ == "__main__":  # the search index's workers import this module
    main()
