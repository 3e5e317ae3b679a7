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
            gc.disable()
            index_ahead(cache, collection, images, Addresses(dict(served)))
            status = 0
        finally:
            os._exit(status)

    def stop(self) -> None:
        """Let the worker finish the run it is on (SIGUSR1), and wait for it."""
        self.end(signal.SIGUSR1)

    def kill(self) -> None:
        """End the worker now (a failed build): a run it was storing is left as a temporary file (`Store`), removed."""
        self.end(signal.SIGKILL)
        for temporary in self.store.glob(f"*/*.{self.pid}.tmp"):
            temporary.unlink(missing_ok=True)

    def end(self, how: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, how)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def index_ahead(cache: SiteCache, collection: Collection, images: Mapping[str, Any], addresses: Addresses) -> None:
    """In the worker: each run of documents the cache lacks, indexed and stored, until SIGUSR1 comes."""
    stopping: list[int] = []

    def stop(number: int, frame: FrameType | None) -> None:
        stopping.append(number)

    signal.signal(signal.SIGUSR1, stop)
    items = collection.items
    thumbnails = {url: image.thumbnail() for url, image in images.items()}
    fingerprints = cache.item_fingerprints(collection, images)
    runs = Segments(cache.segments, fingerprints, IndexOptions(addresses, "", thumbnails))
    for start in range(0, len(items), index.SEGMENT):
        if stopping:
            return
        chunk: Sequence[Item] = items[start : start + index.SEGMENT]
        key = runs.key(start, chunk)
        if runs.has(key):
            continue
        pictures = [thumbnails.get(item.url) for item in chunk]
        cited = [collection.cited[item.url] for item in chunk]
        runs.put(key, index.index_chunk(start, list(chunk), addresses, pictures, cited))
