"""The search index's runs of documents indexed ahead, on the core the rest of the build leaves idle.

Once the items are loaded, what follows until the pages render (related items, page data, page keys) runs on one
core. A forked worker meanwhile indexes the runs of documents (`bantin.search.index.index_chunk`) that the build
cache lacks and stores each under the key the search index will look for (`bantin.site_cache.Segments`), so the
index written after the pages finds them made. The keys hold everything a run is made from (its items'
fingerprints, where each is served, their thumbnails), so a run indexed ahead from anything the build ends up
not using is never taken: it is only wasted work, pruned with the other unused runs.

The worker stops when the pages start rendering (both cores are busy then, and the parent is at its largest), after
the run it is on; whatever it did not reach is indexed after the pages, as before. It dies with its parent.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

from bantin import render
from bantin.collection import Collection
from bantin.items import Item
from bantin.search import index
from bantin.site_cache import IndexOptions, Segments, SiteCache
from bantin.urls import Addresses

AHEAD_FROM = index.PARALLEL_FROM  # fewer items than this: the index's runs are done faster after the pages
BATCH_RUNS = 5  # runs of documents indexed by one short-lived fork of the worker (1,000 documents)


class IndexAhead:
    """A forked worker indexing the runs the cache lacks; `stop` ends it after its run, `kill` at once."""

    def __init__(self, pid: int, store: Path) -> None:
        self.pid = pid
        self.store = store  # where it stores the runs

    @classmethod
    def start(
        cls, cache: SiteCache, collection: Collection, images: Mapping[str, Any], served: Mapping[str, str]
    ) -> IndexAhead | None:
        """Fork the worker, when forking is safe and there are enough items for the index to use workers at all.

        `served` maps items' addresses to where the site serves their pages, as `bantin.urls.Addresses` will
        once MkDocs has made its files (only where that is not the address itself)."""
        if len(collection.items) < AHEAD_FROM or not render.can_fork():
            return None
        gc.freeze()  # the worker must not copy the parent's pages by collecting them
        pid = os.fork()
        if pid:
            return cls(pid, cache.segments.folder)
        status = 1
        try:
            render.die_with_parent()
            os.setpgid(0, 0)  # its batches with it, so that `kill` ends them all
            gc.disable()
            index_ahead(cache, collection, images, Addresses(dict(served)))
            status = 0
        finally:
            os._exit(status)

    def stop(self) -> None:
        """Let the worker finish the run it is on (SIGUSR1), and wait for it."""
        self.end(signal.SIGUSR1)

    def kill(self) -> None:
        """End the worker now (a failed build): a run its batch was storing is left as a temporary file (`Store`,
        named by the writer's pid), removed once no process of that pid is left."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)  # the worker and its batch (its own process group)
        self.end(signal.SIGKILL)
        for temporary in self.store.glob("*/*.tmp"):
            writer = temporary.suffixes[-2][1:] if len(temporary.suffixes) > 1 else ""
            if writer.isdigit() and gone(int(writer)):
                temporary.unlink(missing_ok=True)

    def end(self, how: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, how)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def index_ahead(cache: SiteCache, collection: Collection, images: Mapping[str, Any], addresses: Addresses) -> None:
    """In the worker: the runs the cache lacks, indexed and stored, a batch at a time, until SIGUSR1 comes.

    Each batch is indexed by a fork of this worker, which only waits: a fork shares the build's memory until either
    touches a page of it, so what indexing copies (every body it reads) goes with the batch instead of growing for
    the whole of on_config (at 100,000 items the parent is ~3 GB then).
    """
    stopping: list[int] = []
    batch_pid = [0]

    def stop(number: int, frame: FrameType | None) -> None:
        stopping.append(number)
        if batch_pid[0]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(batch_pid[0], signal.SIGUSR1)  # it stops after the run it is on

    signal.signal(signal.SIGUSR1, stop)
    items = collection.items
    thumbnails = {url: image.thumbnail() for url, image in images.items()}
    fingerprints = cache.item_fingerprints(collection, images)
    runs = Segments(cache.segments, fingerprints, IndexOptions(addresses, "", thumbnails))
    starts = list(range(0, len(items), index.SEGMENT))
    for first in range(0, len(starts), BATCH_RUNS):
        if stopping:
            return
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                batch_pid[0] = 0
                render.die_with_parent()
                index_runs(collection, runs, thumbnails, addresses, starts[first : first + BATCH_RUNS], stopping)
                status = 0
            finally:
                os._exit(status)
        batch_pid[0] = pid
        if stopping:  # the signal came before the batch's pid was known
            stop(signal.SIGUSR1, None)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        batch_pid[0] = 0


def index_runs(
    collection: Collection,
    runs: Segments,
    thumbnails: Mapping[str, Any],
    addresses: Addresses,
    starts: Sequence[int],
    stopping: list[int],
) -> None:
    """In a batch's process: each run from `starts` the cache lacks, indexed and stored, until a stop comes."""
    for start in starts:
        if stopping:
            return
        chunk: Sequence[Item] = collection.items[start : start + index.SEGMENT]
        key = runs.key(start, chunk)
        if runs.has(key):
            continue
        pictures = [thumbnails.get(item.url) for item in chunk]
        cited = [collection.cited[item.url] for item in chunk]
        runs.put(key, index.index_chunk(start, list(chunk), addresses, pictures, cited))


def gone(pid: int, wait: float = 1.0) -> bool:
    """Whether the process `pid` has ended (a zombie has), waiting up to `wait` seconds for a killed one."""
    deadline = time.monotonic() + wait
    while True:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return True
        if state in ("Z", "X"):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
