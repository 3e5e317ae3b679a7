"""The persistent build cache under `.cache/bantin/`: what a build can reuse, keyed by everything it came from.

Every key is a digest of the inputs that decide the value: bantin's own code and templates, the versions of the
libraries that render a page, the site's configuration as MkDocs finished loading it (after every `on_config`),
the site's own templates, hooks and `docs/`, and the content the value shows. A change to any of them changes
the key, so a stale entry is never read; it is simply not found. Entries are written to a temporary name and
renamed into place, so a build that is interrupted (or a worker process writing beside it) never leaves half an
entry.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import os
import pickle
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import date, datetime
from enum import Enum
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, cast

try:
    import fcntl
except ImportError:  # Windows: no file locks, no pruning (LinkedEntries.prune)
    fcntl = None  # type: ignore[assignment]

CACHE_DIR = ".cache/bantin"
"""Relative to the folder of mkdocs.yml; git-ignored."""
LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "jinja2", "markupsafe", "pymdown-extensions", "pyyaml")
PACKAGE_DIR = Path(__file__).parent
NEW_ENTRY = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
# Configuration keys that say where a build reads or writes, never what a page holds.
PLACES = frozenset({"site_dir", "docs_dir", "config_file_path", "watch", "dev_addr", "_current_page"})


def digest(*parts: str | bytes) -> str:
    """A hex digest of the parts, each length-prefixed so ("ab", "c") and ("a", "bc") differ."""
    hasher = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


@cache
def code_fingerprint() -> str:
    """bantin's own source and templates, with the versions of what renders them: a code change is a new cache."""
    parts = [sys.version]
    for name in LIBRARIES:
        try:
            parts.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name}=-")
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            parts += [path.relative_to(PACKAGE_DIR).as_posix(), digest(path.read_bytes())]
    return digest(*parts)


def tree_fingerprint(folder: Path | str | None) -> str:
    """Every file under a folder (a site's custom_dir, its hooks, its docs/), by relative path and content."""
    if folder is None or not Path(folder).exists():
        return "-"
    root = Path(folder)
    if root.is_file():
        return digest(root.read_bytes())
    parts = []
    for path in sorted(root.rglob("*")):
        if path.is_file():
            parts += [path.relative_to(root).as_posix(), digest(path.read_bytes())]
    return digest(*parts)


def canonical(value: Any, known: Mapping[int, str] | None = None) -> str:
    """A stable text for a value: dataclasses by field, sets sorted, bytes by digest, callables by name, objects never
    by address.

    `known` maps `id(value)` to a precomputed fingerprint (items, computed once per build).
    """
    parts: list[str] = []
    write(value, parts, known or {})
    return "".join(parts)


def write(value: Any, out: list[str], known: Mapping[int, str]) -> None:
    kind = type(value)
    if kind is str or kind is int or value is None or kind is bool:
        out.append(repr(value))
        return
    found = known.get(id(value))
    if found is not None:
        out.append(f"#{found}")
        return
    names = dataclass_fields(cast(Hashable, kind))
    if names is not None:  # a page's data is mostly dataclasses of strings: those fields are written here
        out.append(kind.__name__ + "(")
        for name in names:
            entry = getattr(value, name)
            entry_kind = type(entry)
            if entry_kind is str or entry_kind is int or entry is None or entry_kind is bool:
                out.append(f"{name}={entry!r},")
            else:
                out.append(name + "=")
                write(entry, out, known)
                out.append(",")
        out.append(")")
    elif kind is list or kind is tuple:
        out.append("[")
        for entry in value:
            write(entry, out, known)
            out.append(",")
        out.append("]")
    elif kind is bytes:  # an item's body: its digest, not a repr four times as long to build and digest
        out.append(f"b{len(value)}:{hashlib.blake2b(value, digest_size=20).hexdigest()}")
    elif isinstance(value, bool | int | float | str | bytes | Enum):
        out.append(repr(value))
    elif isinstance(value, datetime | date):
        out.append(f"@{value.isoformat()}")
    elif isinstance(value, Path):
        out.append(f"P{value.as_posix()!r}")
    elif isinstance(value, Mapping):
        entries = [(canonical(key, known), entry) for key, entry in value.items()]
        out.append("{")
        for key, entry in sorted(entries, key=lambda pair: pair[0]):
            out.append(key + ":")
            write(entry, out, known)
            out.append(",")
        out.append("}")
    elif isinstance(value, set | frozenset):
        out.append("{" + ",".join(sorted(canonical(entry, known) for entry in value)) + "}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for entry in value:
            write(entry, out, known)
            out.append(",")
        out.append("]")
    elif callable(value) and hasattr(value, "__qualname__"):
        out.append(f"<{getattr(value, '__module__', '?')}.{value.__qualname__}>")
    elif hasattr(value, "items") and callable(value.items):  # MkDocs' Config and PluginCollection
        write(dict(value.items()), out, known)
    else:
        text = repr(value)
        out.append(type(value).__name__ if " at 0x" in text else text)


@cache
def dataclass_fields(kind: Hashable) -> tuple[str, ...] | None:
    """A dataclass's field names, or None for any other type; looked up once per type."""
    return fields_of(kind) if dataclasses.is_dataclass(kind) else None


@cache
def fields_of(kind: Hashable) -> tuple[str, ...]:
    """A dataclass's field names, looked up once per class."""
    return tuple(item.name for item in dataclasses.fields(kind))  # type: ignore[arg-type]


def config_fingerprint(config: Mapping[str, Any]) -> str:
    """The finished configuration (theme options and dirs, plugins' options, Markdown extensions, site_url…)."""
    settings: dict[str, Any] = {}
    for key, value in config.items():
        if key in PLACES:
            continue
        if key == "theme":
            value = {"name": value.name, "dirs": value.dirs, "options": dict(value.items())}
        elif key in ("plugins", "hooks"):
            value = {name: plugin_fingerprint(plugin) for name, plugin in value.items()}
        settings[key] = value
    return digest(canonical(settings))


def plugin_fingerprint(plugin: Any) -> Any:
    """A plugin by its options; a hook (a module) by its source, since its code is the site's own."""
    options = getattr(plugin, "config", None)
    if options is not None and hasattr(options, "items"):
        return dict(options.items())
    return tree_fingerprint(getattr(plugin, "__file__", None))


class Store:
    """Values by key in one folder of the cache: `pages/`, `content/`, `search/`."""

    def __init__(self, root: Path, name: str) -> None:
        self.folder = root / name
        self.folder.mkdir(parents=True, exist_ok=True)
        self.made: set[str] = set()  # subfolders made by this store: one mkdir each, not one per entry
        self.linkable = True  # until a hard link fails (the site on another file system than the cache)

    def path(self, key: str, suffix: str = "") -> Path:
        return self.folder / key[:2] / f"{key}{suffix}"

    def location(self, key: str, suffix: str = "") -> str:
        """`path` as a string, built without pathlib: a warm build asks it for every page."""
        return f"{self.folder}{os.sep}{key[:2]}{os.sep}{key}{suffix}"

    def has(self, key: str, suffix: str = "") -> bool:
        return os.path.isfile(self.location(key, suffix))

    def names(self) -> set[str]:
        """The file names of every entry: one listing per subfolder rather than one lookup per entry."""
        found: set[str] = set()
        for sub in os.scandir(self.folder):
            if sub.is_dir() and len(sub.name) == 2:
                found.update(os.listdir(sub.path))
        return found

    def subfolder(self, target: str) -> str:
        """The subfolder of an entry's path, made once by this store."""
        folder = os.path.dirname(target)
        if folder not in self.made:
            os.makedirs(folder, exist_ok=True)
            self.made.add(folder)
        return folder

    def link(self, key: str, source: str, suffix: str = "") -> bool:
        """Keep a file just written (a page in the site) as the entry of `key`: a hard link to it, one system call
        instead of writing it again. False where the file system cannot link; the caller writes the entry then.

        The entry then is the site's file: whatever changes that file in place (a hand edit, another tool) changes
        the entry, which `LinkedEntries` finds by its size and time before the entry is used again."""
        if not self.linkable:
            return False
        target = self.location(key, suffix)
        self.subfolder(target)
        try:
            os.link(source, target)
        except FileExistsError:
            pass  # the same key is the same page: one stored by another worker meanwhile
        except FileNotFoundError:  # the subfolder went since (the cache emptied under `mkdocs serve`)
            self.made.discard(os.path.dirname(target))
            return False
        except OSError:  # no hard links here, or the site on another file system
            self.linkable = False
            return False
        return True

    def put_bytes(self, key: str, data: bytes, suffix: str = "") -> Path:
        """Write an entry under a temporary name, then rename it into place: four system calls, where a makedirs
        and Python's buffered file took seven; each of the 256 subfolders is made once by this store."""
        target = self.location(key, suffix)
        temporary = f"{target}.{os.getpid()}.tmp"  # one writer per process: a fixed name needs no random one
        folder = self.subfolder(target)
        try:
            handle = os.open(temporary, NEW_ENTRY, 0o666)
        except FileNotFoundError:  # the subfolder went since (the cache emptied under `mkdocs serve`)
            os.makedirs(folder, exist_ok=True)
            handle = os.open(temporary, NEW_ENTRY, 0o666)
        write_all(handle, data)
        os.replace(temporary, target)
        return Path(target)

    def get_object(self, key: str) -> Any:
        """A pickled value, or None when absent or unreadable (an entry from another Python)."""
        try:
            with self.path(key, ".pickle").open("rb") as stream:
                return pickle.load(stream)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
            return None

    def put_object(self, key: str, value: Any) -> None:
        self.put_bytes(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), ".pickle")

    def put_flat(self, key: str, value: Any) -> None:
        """`put_object` for plain data none of whose parts refers back to itself (a run of the search index): pickled
        without pickle's memo, which notes every string and bytes object of a run's 16,000 terms for a reuse that
        never comes, and which took half the time of pickling a run (`get_object` reads it as any other entry)."""
        stream = io.BytesIO()
        pickler = pickle.Pickler(stream, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.fast = True  # no memo: an object met twice is written twice, and a cycle would never end
        pickler.dump(value)
        self.put_bytes(key, stream.getvalue(), ".pickle")

    def tree(self, key: str) -> Path:
        return self.folder / key

    def put_tree(self, key: str, source: Path, keep: Callable[[str], bool] = lambda name: False) -> None:
        """A copy of a folder under `key`; other trees in this store are removed unless `keep` says otherwise."""
        target = self.tree(key)
        if not target.exists():
            temporary = Path(tempfile.mkdtemp(dir=self.folder, prefix=".tmp-"))
            shutil.copytree(source, temporary, dirs_exist_ok=True)
            os.replace(temporary, target)
        for other in self.folder.iterdir():
            if other.name != key and not keep(other.name) and other.is_dir() and len(other.name) > 2:
                shutil.rmtree(other, ignore_errors=True)


EntryStat = tuple[int, ...]  # an entry's size and modification time (ns) when stored, and when last used (s)
KEEP_UNUSED = 7 * 86400  # seconds an entry no build uses is kept (LinkedEntries.prune)


class LinkedEntries:
    """The size and time of every page entry as stored, so that one changed since through a site's file it shares
    (`Store.link`: a page edited in place by hand or by a tool, in any site folder linked to it) is never used
    again: the build renders that page anew. One stat per entry a build uses, and a pickle of the figures.

    An entry with no figures (the build that stored it was killed before saving them) is trusted only while no
    other file shares it.

    The figures also say when a build last used each entry, for `prune`: every edit stores new pages (an item's
    page, its listings, its units' pages) under new keys, and the old ones would otherwise stay for good. A build
    holds a shared lock on the store from planning its pages to publishing them, so that none is pruned from
    under it; a build prunes only while no other holds the lock."""

    def __init__(self, store: Store, suffix: str, names: set[str]) -> None:
        self.store = store
        self.suffix = suffix
        self.names = names  # the store's entries (`Store.names`): figures of entries gone are dropped
        self.path = store.folder / "linked.pickle"
        self.now = int(time.time())
        self.lock = StoreLock(store.folder / ".lock")
        try:
            with open(self.path, "rb") as stream:
                found = pickle.load(stream)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
            found = None
        self.known: dict[str, EntryStat] = found if isinstance(found, dict) else {}
        self.kept: dict[str, EntryStat] = {}

    def intact(self, key: str) -> bool:
        """Whether the entry is as stored; one that is not is removed, for its page to be rendered again."""
        location = self.store.location(key, self.suffix)
        try:
            found = os.stat(location)
        except OSError:
            return False
        stored = self.known.get(key)
        now = (found.st_size, found.st_mtime_ns, self.now)
        if (stored is not None and stored[:2] == now[:2]) or (stored is None and found.st_nlink == 1):
            self.kept[key] = now
            return True
        with contextlib.suppress(OSError):
            os.unlink(location)
        return False

    def record(self, key: str) -> bool:
        """Note an entry just stored; False when there is none (its page was not stored)."""
        try:
            found = os.stat(self.store.location(key, self.suffix))
        except OSError:
            return False
        self.kept[key] = (found.st_size, found.st_mtime_ns, self.now)
        return True

    def save(self) -> None:
        """The figures of the entries this build used or stored, with those of earlier builds' entries still there."""
        known = {key: stat for key, stat in self.known.items() if key + self.suffix in self.names}
        self.known = {**known, **self.kept}
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(pickle.dumps(self.known, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, self.path)

    def prune(self) -> int:
        """Remove the entries no build has used for `KEEP_UNUSED` seconds, and files left by builds that were killed
        (nothing while another build holds the lock); then save the figures if they changed or their times of use
        are a day behind. The number of files removed.

        A week, not one build: `mkdocs serve` and `mkdocs build` key pages apart (their site_url differs), and each
        should find its own pages still there after a day of the other."""
        gone = self.unused() if self.lock.exclusive() else set()
        self.names -= gone
        if gone or any(self.behind(key, stat) for key, stat in self.kept.items()):
            self.save()
        return len(gone)

    def unused(self) -> set[str]:
        """Remove the files of the store no build has used for `KEEP_UNUSED` seconds; their names."""
        oldest = self.now - KEEP_UNUSED
        gone = set()
        for name in self.names - {key + self.suffix for key in self.kept}:
            key = name.split(".", 1)[0]
            location = self.store.location(key, name[len(key) :])
            stored = self.known.get(key) if name == key + self.suffix else None
            try:  # figures of an older bantin have no time of use, nor has a killed build's temporary file
                used = stored[2] if stored is not None and len(stored) > 2 else int(os.stat(location).st_mtime)
                if used < oldest:
                    os.unlink(location)
                    gone.add(name)
            except OSError:
                continue
        return gone

    def behind(self, key: str, stat: EntryStat) -> bool:
        """Whether the saved figures of an entry this build used are not its own, or a day behind in their use."""
        stored = self.known.get(key)
        return stored is None or stored[:2] != stat[:2] or len(stored) < 3 or stored[2] < self.now - 86400

    def release(self) -> None:
        """The build is done with the store: another may prune it."""
        self.lock.release()


class StoreLock:
    """An advisory lock on a store (`fcntl.flock`), held shared by every build that reads it. Where file locks are
    missing (Windows), `exclusive` never succeeds: nothing is pruned rather than risk a build's pages."""

    def __init__(self, path: Path) -> None:
        self.handle: int | None = None
        if fcntl is None:
            return
        try:
            self.handle = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
            fcntl.flock(self.handle, fcntl.LOCK_SH)
        except OSError:
            self.release()

    def exclusive(self) -> bool:
        """Whether this build is the only one reading the store (the lock becomes exclusive), without waiting."""
        if self.handle is None or fcntl is None:
            return False
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def release(self) -> None:
        if self.handle is not None:
            os.close(self.handle)  # closing the last descriptor releases the lock
            self.handle = None


def write_all(handle: int, data: bytes) -> None:
    """Write all of `data` to an open file descriptor, then close it (os.write may write less than it is given)."""
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view) :]
    finally:
        os.close(handle)


def copy_tree(source: Path, target: Path) -> None:
    """Copy a cached folder into the site (the site's copy may be modified by later plugins; the cache is not).

    One read and one write per file: the search index of 10,000 items is 17,000 files.
    """
    if target.exists():
        shutil.rmtree(target)
    os.makedirs(target)
    for entry in os.scandir(source):
        if entry.is_dir(follow_symlinks=False):
            copy_tree(Path(entry.path), target / entry.name)
        else:
            with open(entry.path, "rb") as stream:
                data = stream.read()
            with open(target / entry.name, "wb") as stream:
                stream.write(data)


def cache_root(config_file_path: str | None) -> Path:
    base = Path(config_file_path).parent if config_file_path else Path.cwd()
    return base / CACHE_DIR


def fingerprints(values: Iterable[Any]) -> list[str]:
    return [fingerprint(value) for value in values]


def fingerprint(value: Any) -> str:
    """A digest of a value's canonical text: equal for equal content, whatever process computed it."""
    return digest(canonical(value))


class ItemMemo:
    """Parsed items by file content, valid for one don-vi.yml and one bantin: a warm build parses only changed files.

    Entries live in a few shards (pickles), so saving after one edit rewrites a sixteenth of them. `fingerprints`
    holds, by content path, a digest of each item as parsed, for the page keys.
    """

    SHARDS = 16

    def __init__(self, store: Store, context: str) -> None:
        self.store = store
        self.context = context
        self.shards: dict[str, dict[str, tuple[Any, str]]] = {}
        self.changed: set[str] = set()
        self.used: set[str] = set()
        self.fingerprints: dict[str, str] = {}

    def start(self) -> None:
        """Begin another build with what is already loaded (`mkdocs serve` keeps the memo between rebuilds)."""
        self.changed = set()
        self.used = set()
        self.fingerprints = {}

    def shard(self, key: str) -> dict[str, tuple[Any, str]]:
        name = f"items-{int(key[0], 16) % self.SHARDS}"
        if name not in self.shards:
            stored = self.store.get_object(name)
            valid = isinstance(stored, tuple) and len(stored) == 2 and stored[0] == self.context
            self.shards[name] = stored[1] if valid else {}
        return self.shards[name]

    @staticmethod
    def key(relative: str, raw: bytes) -> str:
        """Where a file's parse is kept: its path and bytes."""
        return digest(relative, raw)

    def get(self, key: str, relative: str) -> Any:
        found = self.shard(key).get(key)
        if found is None:
            return None
        self.used.add(key)
        self.fingerprints[relative] = found[1]
        return found[0]

    def has(self, key: str) -> bool:
        return key in self.shard(key)

    def put(self, key: str, relative: str, value: Any, fingerprint: str) -> None:
        """Remember what a file parsed into, with its fingerprint (computed where it was parsed)."""
        self.shard(key)[key] = (value, fingerprint)
        self.used.add(key)
        self.changed.add(key)
        self.fingerprints[relative] = fingerprint

    def save(self) -> None:
        """Write the shards that gained entries or hold entries of files gone or changed since."""
        for name, entries in self.shards.items():
            stale = [key for key in entries if key not in self.used]
            if stale or any(key in self.changed for key in entries):
                for key in stale:
                    del entries[key]
                self.store.put_object(name, (self.context, entries))
