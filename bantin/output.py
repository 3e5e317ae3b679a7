"""Writing only what changed into site_dir, and emptying it without waiting when it cannot be reused.

A build starts from what the folder already holds when it can (under `mkdocs serve` the site it wrote last; else
the site before last, kept in the cache by bantin.publish): its `Manifest` says which cached page or index file
each file is a copy of and what it looked like when written, so a file still as written needs no write, and what
the build will not write is removed before it writes. Otherwise the folder is emptied as below.

MkDocs empties site_dir before every build, one file at a time: 32,000 files for 10,000 items, seconds on
every build and every save under `mkdocs serve`. Moved aside (a rename per top-level entry, hidden ones such as
`.git` left in place as MkDocs leaves them), the old files are removed by a worker process (a thread under
`mkdocs serve`, where forking is not safe) while the new site is rendered; a folder left behind by a build
that was killed is removed by the next one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
import tempfile
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bantin.render import Scratch, can_fork, fork_worker, replay

TRASH = ".{name}.bantin-old-{pid}"


class Sweeper:
    """Removes previous sites moved aside from one site_dir; `wait` before the build ends."""

    def __init__(self) -> None:
        self.workers: list[tuple[int, Scratch]] = []
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
            self.start(folder)

    def discard(self, paths: list[Path], beside: Path) -> None:
        """Remove these folders (a stale search index) while the build goes on: moved into the trash beside
        `beside`, removed by a worker."""
        found = [path for path in paths if path.exists()]
        if not found:
            return
        prefix = TRASH.format(name=beside.name, pid=os.getpid()) + "-"
        trash = Path(tempfile.mkdtemp(prefix=prefix, dir=beside.parent))
        for number, path in enumerate(found):
            try:
                os.rename(path, trash / str(number))
            except OSError:
                shutil.rmtree(path, ignore_errors=True)
        self.start(trash)

    def start(self, folder: Path) -> None:
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

    `expected` holds normalized absolute paths; `keep` are folders (relative, `/`-separated) written as a whole,
    such as the search index. Hidden entries at the top (`.git`) are left as MkDocs leaves them. One scan of each
    folder (os.scandir), paths joined as strings: a site of 10,000 items has 16,000 folders and 32,000 files.
    """
    root = os.path.normpath(site_dir)
    kept = {os.path.join(root, *folder.split("/")) for folder in keep}
    if os.path.isdir(root):
        sweep(root, expected, kept, top=True)


def sweep(folder: str, expected: set[str], kept: set[str], top: bool = False) -> bool:
    """Prune one folder; whether it is left empty."""
    empty = True
    with os.scandir(folder) as entries:
        found = list(entries)
    for entry in found:
        path = entry.path
        if top and entry.name.startswith("."):
            empty = False
        elif entry.is_dir(follow_symlinks=False):
            if path in kept or not sweep(path, expected, kept):
                empty = False
            else:
                os.rmdir(path)
        elif entry.is_symlink() and entry.is_dir():
            empty = False  # a link to a folder, which a walk does not enter either
        elif path in expected:
            empty = False
        else:
            os.unlink(path)
    return empty


def stats_under(base: str) -> dict[str, Stat]:
    """Every file under a folder by relative path (`/`-separated) with its size and modification time."""
    files: dict[str, Stat] = {}
    pending = [("", base)]
    while pending:
        prefix, folder = pending.pop()
        try:
            with os.scandir(folder) as entries:
                found = list(entries)
        except OSError:
            continue
        for entry in found:
            if entry.is_dir(follow_symlinks=False):
                pending.append((prefix + entry.name + "/", entry.path))
                continue
            try:
                info = entry.stat()
            except OSError:
                continue
            files[prefix + entry.name] = (info.st_size, info.st_mtime_ns)
    return files


Stat = tuple[int, int]  # size and modification time (ns) of a file as this build left it
Since = tuple[Mapping[str, Stat], Iterable[str], Iterable[str]]  # stats found intact, every file, files written


def updated_stats(
    root: str, before: Mapping[str, Stat], files: Iterable[str], written: Iterable[str]
) -> dict[str, Stat] | None:
    """stats_under(root) of an index folder brought up to date in place: a file not `written` since has the stats
    it had (`before`, found intact), the others are looked at; None when one of them is missing."""
    changed = set(written)
    found: dict[str, Stat] = {}
    for relative in files:
        stat = stat_of(os.path.join(root, relative)) if relative in changed else before.get(relative)
        if stat is None:
            return None
        found[relative] = stat
    return found


def stat_of(path: str) -> Stat | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_size, found.st_mtime_ns


@dataclass
class Manifest:
    """What a site folder holds of the cache: per file (relative path), the cache entry it is a copy of and the size
    and modification time it had when written. A file whose stat still matches was not touched since, so it needs
    no write; one changed by anything else (a later plugin, a hand edit, a killed build) is written again.

    `index` is the search index folder (relative), the key it was written under, its figures and its files' stats.
    """

    root: str
    files: dict[str, tuple[str, Stat]] = field(default_factory=dict)
    index: tuple[str, str, Any, dict[str, Stat]] | None = None

    def relative(self, path: str) -> str:
        prefix = self.root + os.sep
        found = path[len(prefix) :] if path.startswith(prefix) else os.path.relpath(path, self.root)
        return found.replace(os.sep, "/")

    def holds(self, path: str, source: str) -> bool:
        entry = self.files.get(self.relative(path))
        return entry is not None and entry[0] == source and stat_of(path) == entry[1]

    def record(self, path: str, source: str) -> None:
        found = stat_of(path)
        relative = self.relative(path)
        if found is None:
            self.files.pop(relative, None)
        else:
            self.files[relative] = (source, found)

    def forget(self, path: str) -> None:
        self.files.pop(self.relative(path), None)

    def holds_index(self, folder: str, key: str) -> Any:
        """The index's figures when the folder holds the index of `key`, untouched; else None."""
        if self.index is None or self.index[:2] != (folder, key):
            return None
        return self.index[2] if stats_under(os.path.join(self.root, folder)) == self.index[3] else None

    def intact_index(self) -> tuple[str, str] | None:
        """(folder, key) of the index the folder holds, when every file of it is as this manifest recorded it."""
        if self.index is None:
            return None
        folder, key = self.index[:2]
        return (folder, key) if self.holds_index(folder, key) is not None else None

    def record_index(self, folder: str, key: str, stats: Any, since: Since | None = None) -> None:
        """The index the folder now holds, with its files' stats: those not written since an index whose stats
        were found as recorded (`since`) keep them, only the others are looked at; else every file is."""
        root = os.path.join(self.root, folder)
        found = updated_stats(root, *since) if since is not None else None
        self.index = (folder, key, stats, found if found is not None else stats_under(root))

    def moved_to(self, root: str) -> Manifest:
        """The same files once their folder is renamed (the staging folder published as the site and back)."""
        return Manifest(root, self.files, self.index)


def link_site(live: Manifest, root: str) -> None:
    """Start a site folder from the published site `live` when there is no site before last: each file of it still
    as its manifest recorded it, and its search index when intact, hard-linked under `root` (no copy).

    Run in a worker while the build loads and plans its pages (bantin.plugin); the build then unlinks what it will
    not publish again from the same cache entry, and every write into a site folder first removes the file it
    replaces (bantin.render.replace_file), so the published site never changes through a link. A file left out
    (changed since, a worker stopped early, a file system without hard links) fails `Manifest.holds` and is
    written like any other. Each folder is made once, not once per file (16,000 folders, 42,000 files at 10,000
    items)."""
    made: set[str] = set()

    def link_file(source: str, target: str) -> None:
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        os.link(source, target)

    try:
        for relative, (_, stat) in live.files.items():
            path = os.path.join(live.root, relative)
            if stat_of(path) == stat:
                link_file(path, os.path.join(root, relative))
        if live.index is not None and live.intact_index() is not None:
            folder = live.index[0]
            for relative in live.index[3]:
                link_file(os.path.join(live.root, folder, relative), os.path.join(root, folder, relative))
    except OSError:  # no hard links here (another file system): the files not linked are written
        pass


def linked_manifest(live: Manifest, root: str, wanted: dict[str, str]) -> Manifest:
    """The manifest of a folder `link_site` filled from `live`, once what the build will not publish again from the
    same cache entry (`wanted`: relative path → entry) is unlinked: a file MkDocs or a later plugin writes in
    place must not be a link into the published site."""
    found = Manifest(root)
    for relative, entry in live.files.items():
        if wanted.get(relative) == entry[0]:
            found.files[relative] = entry
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(os.path.join(root, relative))
    found.index = live.index  # checked file by file where it is reused (Manifest.intact_index, holds_index)
    return found


class Manifests:
    """Manifests of site folders kept in the cache, by the folder's identity (device and inode), which survives
    the renames of atomic publishing: a folder's manifest is found wherever the folder has moved."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @staticmethod
    def identity(root: Path) -> str | None:
        try:
            found = os.stat(root)
        except OSError:
            return None
        return f"{found.st_dev}-{found.st_ino}"

    def load(self, root: Path) -> Manifest:
        """The manifest of a folder, or an empty one (every file is written) when none is known or it is unreadable."""
        identity = self.identity(root)
        if identity is not None:
            try:
                with open(self.folder / f"{identity}.pickle", "rb") as stream:
                    stored = pickle.load(stream)
                if isinstance(stored, Manifest):
                    return stored.moved_to(str(root))
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
                pass
        return Manifest(str(root))

    def save(self, manifest: Manifest, keep: tuple[Path, ...] = ()) -> None:
        """Keep the manifest of its folder; manifests of folders other than it and `keep` are removed."""
        identity = self.identity(Path(manifest.root))
        if identity is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{identity}.pickle"
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(pickle.dumps(manifest, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, target)
        wanted = {identity, *(found for path in keep if (found := self.identity(path)) is not None)}
        for entry in self.folder.glob("*.pickle"):
            if entry.stem not in wanted:
                entry.unlink(missing_ok=True)

    def forget(self, root: Path) -> None:
        identity = self.identity(root)
        if identity is not None:
            (self.folder / f"{identity}.pickle").unlink(missing_ok=True)


def previous_site(cache_root: Path, site_dir: Path) -> Path:
    """Where the cache keeps the site before the current one of `site_dir` (see bantin.publish.staging_dir); the
    kept sites of folders that no longer exist are removed."""
    site = str(site_dir.absolute())
    folder = cache_root / "previous"
    name = hashlib.blake2b(site.encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()
    if folder.is_dir():
        for owner in folder.glob("*.site"):
            if owner.stem != name and not Path(owner.read_text(encoding="utf-8", errors="replace")).exists():
                shutil.rmtree(folder / owner.stem, ignore_errors=True)
                owner.unlink(missing_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    owner = folder / f"{name}.site"
    if not owner.is_file():
        owner.write_text(site, encoding="utf-8")
    return folder / name


def kept_sites(cache_root: Path) -> tuple[Path, ...]:
    """Every site folder a build of this cache published and the site before it, whose manifests are worth keeping."""
    folder = cache_root / "previous"
    owners = sorted(folder.glob("*.site")) if folder.is_dir() else []
    sites = [Path(owner.read_text(encoding="utf-8", errors="replace")) for owner in owners]
    return (*sites, *(folder / owner.stem for owner in owners))
