"""Site search without a server: Vietnamese tokens, one record per item, and a static sharded index."""

from __future__ import annotations

from pathlib import Path

from bantin.collection import Collection
from bantin.search.index import IndexStats, SegmentCache, write_index
from bantin.search.records import SearchRecord, search_record

INDEX_DIR = "tim-kiem/chi-muc"
"""Where the index lives under site_dir; the search page (`/tim-kiem/`) reads it from `chi-muc/`."""


def write_search_index(collection: Collection, site_dir: Path, cache: SegmentCache | None = None) -> IndexStats:
    """Index every item of the collection into `site_dir/tim-kiem/chi-muc/`, replacing the previous index."""
    return write_index(collection.items, site_dir / INDEX_DIR, cache)


__all__ = ["INDEX_DIR", "IndexStats", "SearchRecord", "search_record", "write_search_index"]
