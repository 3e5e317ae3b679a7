"""Site search without a server: Vietnamese tokens, one record per item, and a static sharded index."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from bantin.collection import Collection
from bantin.search.index import IndexFiles, IndexStats, SegmentCache, Thumbnail, write_index
from bantin.search.records import SearchRecord, search_record
from bantin.urls import NO_ADDRESSES, Addresses

INDEX_DIR = "tim-kiem/chi-muc"
"""Where the index lives under site_dir; the search page (`/tim-kiem/`) reads it from `chi-muc/`."""


def write_search_index(
    collection: Collection,
    site_dir: Path,
    addresses: Addresses = NO_ADDRESSES,
    folder: str = INDEX_DIR,
    thumbnails: Mapping[str, Thumbnail] | None = None,
    cache: SegmentCache | None = None,
    files: IndexFiles | None = None,
) -> IndexStats:
    """Index every item of the collection into `site_dir/folder` (`tim-kiem/chi-muc/` or a versioned folder in it).

    Results link to where the site serves each item (`addresses`), with or without directory URLs, and show the
    `thumbnails` (by item URL) beside their titles. With `files`, the index goes there instead (over the index
    it already holds, writing only what changed).
    """
    cited = [collection.cited[item.url] for item in collection.items]
    return write_index(collection.items, files or site_dir / folder, addresses, thumbnails, cited, cache)


__all__ = ["INDEX_DIR", "IndexFiles", "IndexStats", "SearchRecord", "Thumbnail", "search_record", "write_search_index"]
