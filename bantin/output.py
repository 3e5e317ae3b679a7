"""Emptying site_dir without waiting for it: the previous site is moved aside and removed while the new one builds.

MkDocs empties site_dir before every build, one file at a time: 32,000 files for 10,000 items, seconds on
every build and every save under `mkdocs serve`. Moved aside (a rename per top-level entry, hidden ones such as
`.git` left in place as MkDocs leaves them), the old files are removed by a worker process (a thread under
`mkdocs serve`, where forking is not safe) while the new site is rendered; a folder left behind by a build
that was killed is removed by the next one.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

from bantin.render import can_fork, fork_worker, replay

TRASH = ".{name}.bantin-old-{pid}"


class Sweeper:
    """Removes previous sites moved aside from one site_dir; `wait` before the build ends."""

    def __init__(self) -> None:
        self.workers: list[tuple[int, Path]] = []
        self.threads: list[threading.Thread] = []

    def empty(self, site_dir: Path) -> None:
        if not site_dir.is_dir():
            return
        leftovers = sorted(site_dir.parent.glob(TRASH.format(name=site_dir.name, pid="*")))
        entries = [entry for entry in os.listdir(site_dir) if not entry.startswith(".")]
        trash = site_dir.parent / TRASH.format(name=site_dir.name, pid=os.getpid())
        if entries and not trash.exists():
            try:
                trash.mkdir()
                for entry in entries:
                    os.rename(site_dir / entry, trash / entry)
            except OSError:
                pass  # whatever is still in site_dir, MkDocs removes itself
            leftovers.append(trash)
        for folder in dict.fromkeys(leftovers):
            if can_fork():
                self.workers.append(fork_worker([folder], remove))
            else:
                thread = threading.Thread(target=remove, args=(folder,), daemon=True)
                thread.start()
                self.threads.append(thread)

    def wait(self) -> None:
        for pid, records in self.workers:
            os.waitpid(pid, 0)
            replay(records)
        for thread in self.threads:
            thread.join()
        self.workers, self.threads = [], []


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


KEPT = ".bantin-previous"


def set_aside(site_dir: Path) -> bool:
    """Under `mkdocs serve`: keep the previous site from MkDocs' emptying, inside site_dir under a hidden name."""
    if not site_dir.is_dir():
        return False
    kept = site_dir / KEPT
    if kept.exists():
        shutil.rmtree(kept)
    entries = [entry for entry in os.listdir(site_dir) if not entry.startswith(".")]
    kept.mkdir()
    for entry in entries:
        os.rename(site_dir / entry, kept / entry)
    return True


def bring_back(site_dir: Path) -> None:
    """Put the previous site back (before MkDocs writes this build's files over it)."""
    kept = site_dir / KEPT
    if not kept.is_dir():
        return
    for entry in os.listdir(kept):
        if not (site_dir / entry).exists():
            os.rename(kept / entry, site_dir / entry)
    shutil.rmtree(kept, ignore_errors=True)


def prune(site_dir: Path, expected: set[str], keep: tuple[str, ...] = ()) -> None:
    """Remove every file of an earlier build that this build did not write, then the folders left empty.

    `keep` are folders (relative, `/`-separated) written as a whole, such as the search index.
    """
    for folder, _, names in os.walk(site_dir, topdown=False):
        relative = os.path.relpath(folder, site_dir).replace(os.sep, "/")
        hidden = relative != "." and relative.split("/", 1)[0].startswith(".")
        if hidden or any(relative == kept or relative.startswith(kept + "/") for kept in keep):
            continue
        for name in names:
            path = os.path.normpath(os.path.join(folder, name))
            if path not in expected and not (relative == "." and name.startswith(".")):
                os.unlink(path)
        if relative != "." and not os.listdir(folder):
            os.rmdir(folder)
