"""Content-hashed names for what a release or a content change replaces, so a cache can keep them forever.

A page is cached for minutes, our scripts, stylesheets and the search index for a year (see `bantin.nginx`): that is
only safe if a changed file gets a new name. Each stylesheet and script of ours is published as
`assets/bantin/<name>.<hash>.<ext>`, the hash of its bytes; the search index goes into a folder named for the hash
of everything it is computed from (the items, the index format, Bản tin's version), known before any page is
rendered so that the search page can name it. Templates keep writing the plain names: `bantin.urls.Addresses`
maps them to the published ones.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from importlib import metadata
from pathlib import Path
from posixpath import splitext
from urllib.parse import quote

from mkdocs.structure.files import Files

from bantin import cache
from bantin.items import Item

ASSETS = "assets/bantin/"
SUFFIXES = (".css", ".js")
HASH_LENGTH = 10


def digest(parts: Iterable[bytes]) -> str:
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(part)
    return hashed.hexdigest()[:HASH_LENGTH]


def hashed_name(uri: str, content: bytes) -> str:
    """ "assets/bantin/bantin.css" → "assets/bantin/bantin.<hash of content>.css"."""
    stem, suffix = splitext(uri)
    return f"{stem}.{digest([content])}{suffix}"


def fingerprint_assets(files: Files) -> dict[str, str]:
    """Give each of our stylesheets and scripts its hashed name; returns plain name → published URL."""
    published: dict[str, str] = {}
    for file in files:
        if file.src_uri.startswith(ASSETS) and file.src_uri.endswith(SUFFIXES):
            name = hashed_name(file.src_uri, file.content_bytes)
            file.dest_uri = name
            file.url = quote(name)
            file.abs_dest_path = os.path.normpath(os.path.join(file.dest_dir, name))
            published[file.src_uri] = file.url
    return published


def engine_bytes() -> list[bytes]:
    """Bản tin's version, the source of its search indexer and the version of the compressor of its files: a new
    indexer means a new index, same version or not, and another ISA-L may compress the same index to other bytes."""
    versions = []
    for package in ("bantin", "isal"):
        try:
            versions.append(metadata.version(package))
        except metadata.PackageNotFoundError:
            versions.append("unknown")
    search = Path(__file__).parent / "search"
    return [" ".join(versions).encode(), *(path.read_bytes() for path in sorted(search.glob("*.py")))]


def parsed_print(item: Item) -> str:
    """A digest of every field of an item as parsed: all but its views, to which the views counted since (from the
    access logs, bantin.views) are added after parsing; they are taken on their own."""
    return cache.digest(cache.canonical(dataclasses.replace(item, views=None)))


def index_version(items: Sequence[Item], parsed: Callable[[Item], str] = parsed_print) -> str:
    """The search index's folder name: changes whenever any item or the indexer changes.

    `parsed` gives `parsed_print` of an item, from where it was kept when the item was parsed (bantin.site_cache)."""
    return digest([*engine_bytes(), *(f"{parsed(item)}:{item.views!r}".encode() for item in items)])
