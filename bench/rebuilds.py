"""CPU seconds of `mkdocs serve`'s rebuilds, one by one: an edit (twice), an addition, a deletion.

The same steps as serve's builder (bantin.rebuilds) in this process, which has no thread: the site is built once
in serve mode, then rebuilt after each change, and each rebuild's wall time and CPU seconds (this process and the
workers it waited for) are printed, first until its pages are written (when serve's builder lets the browsers
reload), then in all (the search index brought up to date after). The archive (../shared/bench/gen_corpus.py)
is a copy outside the repo, served with this repo's site configuration; its cache starts empty.

    python bench/rebuilds.py --size 2000
    PYTHONPATH=/path/to/other/checkout python bench/rebuilds.py --size 10000   # another version, same steps
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from build import OUT, bantin_project  # noqa: E402

URL = "http://127.0.0.1:8000/"


def cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class Published:
    """Stands for serve's builder (bantin.rebuilds.Rebuilds) in the plugin: when the pages were written."""

    def __init__(self) -> None:
        self.at: tuple[float, float] | None = None

    def published(self) -> None:
        self.at = (time.perf_counter(), cpu())

    def stop(self) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000)
    args = parser.parse_args()
    root = OUT / f"rebuilds-{args.size}"
    if root.exists():
        shutil.rmtree(root)
    project, content = root / "project", root / "archive"
    bantin_project(project, args.size, content)
    os.environ.update({"BANTIN_CONTENT_DIR": str(content), "NO_MKDOCS_2_WARNING": "1"})
    os.chdir(project)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site_dir = tempfile.mkdtemp(prefix="mkdocs_")
    first = load_config("mkdocs.yml", site_dir=site_dir)
    first.plugins.on_startup(command="serve", dirty=False)

    pages = Published()
    setattr(first.plugins["bantin"], "rebuilds", pages)  # noqa: B010  # told when the pages are written, as serve's builder is

    def rebuild(name: str) -> None:
        config = load_config("mkdocs.yml", site_dir=site_dir)
        config.site_url = URL
        started, used = time.perf_counter(), cpu()
        pages.at = None
        build(config, serve_url=URL)
        wall, seconds = time.perf_counter() - started, cpu() - used
        shown = f"pages {pages.at[0] - started:.2f} s wall, {pages.at[1] - used:.2f} CPU s; " if pages.at else ""
        print(f"{name}: {shown}in all {wall:.2f} s wall, {seconds:.2f} CPU s (load {os.getloadavg()[0]:.1f})")

    try:
        rebuild("first build")
        articles = sorted((content / "tin").rglob("*.md"))
        article = articles[len(articles) // 2]
        text = article.read_text(encoding="utf-8")
        for number in (1, 2):
            article.write_text(re.sub(r"(?m)^title: .*$", f'title: "Tiêu đề sửa {number}"', text, count=1), "utf-8")
            rebuild(f"edit {number}")
        newest = max(articles, key=lambda path: path.parent.name)
        added = newest.with_name("bai-them-khi-xem-truoc.md")
        added.write_text(newest.read_text(encoding="utf-8").replace("title: ", "title: Bài mới — ", 1), "utf-8")
        rebuild("add")
        added.unlink()
        rebuild("delete")
    finally:
        first.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
