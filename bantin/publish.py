"""Atomic publishing: a build writes into a fresh folder beside the site and replaces it only when complete.

MkDocs empties `site_dir` before it writes a single page, so a build that crashes or is killed would leave half a
site, or none, on the web server. Instead the build's `site_dir` becomes a new hidden sibling
(`.site.building-<pid>-…`); when everything is written, the search index included, the two folders swap in one
`renameat2(RENAME_EXCHANGE)` call, so at every instant `site/` is either the previous site or the new one, whole.
Leftovers of killed builds are removed by the next one. Worker processes are tied to their parent: they are
killed when it dies and never write after it.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

BUILDING = ".{name}.building-"
AT_FDCWD = -100
RENAME_EXCHANGE = 2
PR_SET_PDEATHSIG = 1


def staging_dir(site_dir: Path, reuse: Path | None = None) -> Path:
    """A folder beside `site_dir` to build into, after clearing what killed builds left there.

    With `reuse` (the site before the current one, kept by `publish`), that folder is moved here: a build then
    rewrites only the files that changed and removes the few that went (bantin.output.Manifest), instead of
    writing every file anew and removing the previous site file by file (32,000 files at 10,000 items). Else
    the folder is new and empty.
    """
    site_dir = site_dir.absolute()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    prefix = BUILDING.format(name=site_dir.name)
    for leftover in site_dir.parent.glob(prefix + "*"):
        if not process_alive(leftover.name.removeprefix(prefix).split("-", 1)[0]):
            if reuse is not None and not reuse.exists():  # a killed build's folder is as good to start from
                with contextlib.suppress(OSError):
                    os.rename(leftover, reuse)
                    continue
            shutil.rmtree(leftover, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=site_dir.parent))
    if reuse is not None and reuse.is_dir():
        try:
            os.rename(reuse, staging)  # onto the empty folder just made: the name stays this build's
        except OSError:  # another file system: start empty
            shutil.rmtree(reuse, ignore_errors=True)
    return staging


def publish(staging: Path, site_dir: Path, keep: Path | None = None) -> None:
    """Put the complete build `staging` in place of `site_dir`. The previous site is then moved to `keep`, for the
    next build to start from (see `staging_dir`), or removed."""
    site_dir = site_dir.absolute()
    os.chmod(staging, 0o755)  # mkdtemp makes it private; a published site is readable by the web server
    if not site_dir.exists():
        os.rename(staging, site_dir)
        return
    keep_hidden(site_dir, staging)
    if not exchange(staging, site_dir):
        # No atomic exchange on this system: the previous site steps aside, then the new one takes its name.
        prefix = BUILDING.format(name=site_dir.name) + f"{os.getpid()}-old-"
        aside = Path(tempfile.mkdtemp(prefix=prefix, dir=site_dir.parent))
        os.rename(site_dir, aside / "site")
        os.rename(staging, site_dir)
        discard(aside / "site", keep)
        shutil.rmtree(aside, ignore_errors=True)
        return
    discard(staging, keep)


def keep_hidden(site_dir: Path, staging: Path) -> None:
    """Hidden entries of the previous site (a `.git` of a deploy checkout) carry over, as MkDocs' own cleaning keeps
    them; a build never writes hidden top-level entries of its own."""
    for entry in os.listdir(site_dir):
        if entry.startswith(".") and not (staging / entry).exists():
            os.rename(site_dir / entry, staging / entry)


def discard(staging: Path, keep: Path | None = None) -> None:
    """A folder no longer wanted as the site: kept at `keep` for the next build to start from, or removed."""
    if keep is None:
        shutil.rmtree(staging, ignore_errors=True)
    else:
        keep_for_next(staging, keep)


def keep_for_next(folder: Path, keep: Path) -> None:
    try:
        if keep.exists():
            shutil.rmtree(keep)
        keep.parent.mkdir(parents=True, exist_ok=True)
        os.rename(folder, keep)
    except OSError:  # another file system than the cache: nothing to keep
        shutil.rmtree(folder, ignore_errors=True)


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically with Linux's renameat2; False where the call does not exist."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE)
    if result != 0:
        error = ctypes.get_errno()
        if error in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: the file system cannot exchange
            return False
        raise OSError(error, os.strerror(error), str(second))
    return True


def process_alive(pid: str) -> bool:
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def die_with_parent(parent: int) -> None:
    """Worker initializer: the kernel kills this process when its parent dies; exit at once if it already has."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)
