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
import json
import os
from collections.abc import Callable, Hashable, Iterable, Sequence
from importlib import metadata
from pathlib import Path
from posixpath import splitext
from typing import cast
from urllib.parse import quote

from mkdocs.structure.files import Files

from bantin.cache import fields_of
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
    """Bản tin's version and the source of its search indexer: a new indexer means a new index, same version or not."""
    try:
        version = metadata.version("bantin")
    except metadata.PackageNotFoundError:
        version = "unknown"
    search = Path(__file__).parent / "search"
    return [version.encode(), *(path.read_bytes() for path in sorted(search.glob("*.py")))]


def index_version(items: Sequence[Item], bytes_of: Callable[[Item], bytes] | None = None) -> str:
    """The search index's folder name: changes whenever any item or the indexer changes (`bytes_of` is `item_bytes`,
    or under serve the same bytes remembered from the build before, bantin.live)."""
    return digest([*engine_bytes(), *((bytes_of or item_bytes)(item) for item in items)])


def item_bytes(item: Item) -> bytes:
    """Every field of an item as sorted-key JSON: what `dataclasses.asdict` gives, without its deep copies."""
    return json.dumps(plain_data(item), default=plain, sort_keys=True, ensure_ascii=False).encode()


def plain_data(value: object) -> object:
    """Dataclasses as dicts of their fields, lists and tuples as lists, all the way down; other values as they are."""
    kind = type(value)
    if kind is str or value is None or kind is int:
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: plain_data(getattr(value, name)) for name in fields_of(cast(Hashable, kind))}
    if isinstance(value, list | tuple):
        return [plain_data(entry) for entry in value]
    if isinstance(value, dict):
        return {plain_data(key): plain_data(entry) for key, entry in value.items()}
    return value


def plain(value: object) -> object:
    """What JSON cannot write itself: sets sorted, anything else (dates) as its text."""
    if isinstance(value, set | frozenset):
        return sorted(value)
    return str(value)
