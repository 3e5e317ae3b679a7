"""What one site keeps in its build cache: parsed items, rendered pages, the search index, and their keys."""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

from bantin.cache import (
    ItemMemo,
    Store,
    canonical,
    code_fingerprint,
    config_fingerprint,
    digest,
    tree_fingerprint,
)
from bantin.cards import Card
from bantin.collection import Collection
from bantin.fingerprint import parsed_print
from bantin.items import Item
from bantin.pages import PageSpec
from bantin.related_cache import RelatedCache
from bantin.render import copy_all
from bantin.search import IndexFiles, IndexStats, write_search_index
from bantin.search.index import Keeper, Segment
from bantin.units import REGISTRY_FILE
from bantin.urls import Addresses


@dataclass(frozen=True)
class IndexOptions:
    """What the search index is written with besides the items: published addresses, its folder, thumbnails."""

    addresses: Addresses
    folder: str
    thumbnails: Mapping[str, Any] = field(default_factory=dict)

    def key(self, items: Iterable[Item]) -> str:
        # Only where the items' pages are served, when elsewhere than at their own address: the index links to
        # nothing else (its runs, bantin.search.index.result_of), so the key is known before MkDocs has made its
        # files (bantin.plugin starts the index then); all 15,000 pages' were half a second of every build.
        served = {item.url: path for item in items if (path := self.addresses(item.url)) != item.url}
        return digest(canonical(served), self.folder)


@dataclass
class SiteCache:
    root: Path
    memo: ItemMemo
    pages: Store
    search: Store
    segments: Store
    serving: bool

    def __post_init__(self) -> None:
        self.items: dict[int, str] = {}
        # Under serve: the search index's runs of the last build in memory, by the same keys as in the store.
        self.runs: dict[str, Segment] = {}

    @classmethod
    def open(
        cls, config: MkDocsConfig, cache_dir: str, content_dir: Path, serving: bool, previous: SiteCache | None
    ) -> SiteCache:
        """The cache of this site; under `mkdocs serve`, parsed items already in memory are kept between rebuilds."""
        root = Path(config.config_file_path).parent / cache_dir if config.config_file_path else Path(cache_dir)
        registry = content_dir / REGISTRY_FILE
        context = digest(code_fingerprint(), registry.read_bytes() if registry.is_file() else b"-")
        memo = ItemMemo(Store(root, "content"), context)
        runs: dict[str, Segment] = {}
        if previous is not None and previous.root == root and previous.memo.context == context:
            memo = previous.memo
            memo.start()
            runs = previous.runs if serving else {}
        found = cls(root, memo, Store(root, "pages"), Store(root, "search"), Store(root, "segments"), serving)
        found.runs = runs
        return found

    def fingerprint(self, item: Item) -> str:
        """An item's parsed content (all but its views), digested once when it was parsed (bantin.cache.ItemMemo)."""
        return self.memo.fingerprints.get(item.path) or parsed_print(item)

    def related(self, collection: Collection) -> None:
        """Every item's related items, kept between builds under a key of exactly their inputs."""
        RelatedCache(Store(self.root, "related")).apply(collection, self.fingerprint)

    def item_fingerprints(self, collection: Collection, images: Mapping[str, Any]) -> dict[int, str]:
        """Per item (by id): its parsed content, its views, its lead image and whether preview marks it: all a
        page shows of it."""
        held = {item.url for item in collection.held}
        found = {}
        for item in collection.items:
            parsed = self.fingerprint(item)
            mark = "draft" if item.draft else "scheduled" if item.url in held else ""
            found[id(item)] = digest(parsed, repr(item.views), mark, canonical(images.get(item.url)))
        return found

    def site_fingerprint(self, config: MkDocsConfig, served: Mapping[str, str], shown: str = "") -> str:
        """Everything every page depends on: code, don-vi.yml, configuration, the site's templates, hooks and
        docs/, the addresses served elsewhere than at themselves, and `shown` (what every page shows besides its
        own data: the menu's categories).

        Only the addresses that change a link are taken: `bantin.urls.Addresses` serves every other address as
        itself, whether a page has it or not, so adding or removing a page changes no other page's key."""
        return digest(
            code_fingerprint(),
            self.memo.context,
            config_fingerprint(config),
            tree_fingerprint(config.theme.custom_dir),
            tree_fingerprint(config.docs_dir),
            canonical({address: path for address, path in served.items() if address != path}),
            shown,
            str(self.serving),
        )

    def page_keys(
        self,
        config: MkDocsConfig,
        collection: Collection,
        specs: Iterable[PageSpec],
        lastmods: dict[str, str],
        linkable: Iterable[str],
        images: Mapping[str, Any],
        served: Mapping[str, str],
        cards: Iterable[Card] = (),
        shown: str = "",
    ) -> dict[str, str]:
        """The cache key of each generated page: the site's fingerprint and what this page's template is given.

        An item's card (bantin.cards) shows only what the item's fingerprint covers: it is keyed by it, and so is an
        item's page, whose Markdown is the item's body (`PageSpec.source`: other pages have none). A page whose
        Markdown can link to a file or page (`](`, `]:`) takes every file's path (`linkable`): a link resolves
        against the files of the site, so which exist matters, not their bytes; other pages do not."""
        site = self.site_fingerprint(config, served, shown)
        files = digest("\n".join(sorted(linkable)))
        items = self.items = self.item_fingerprints(collection, images)
        known = {**items, **{id(card): items[id(card.item)] for card in cards if id(card.item) in items}}
        return {
            spec.src_uri: digest(
                site,
                spec.src_uri,
                spec.title,
                spec.template,
                files if b"](" in spec.source or b"]:" in spec.source else "",
                lastmods.get(spec.src_uri, ""),
                canonical(spec.data, known),
            )
            for spec in specs
        }

    def index_key(self, collection: Collection, options: IndexOptions) -> str:
        known = self.items or self.item_fingerprints(collection, {})
        thumbnails = canonical(dict(options.thumbnails))
        return digest(
            code_fingerprint(),
            options.key(collection.items),
            thumbnails,
            *(known[id(item)] for item in collection.items),
        )

    def cached_index(
        self, collection: Collection, site_dir: Path, options: IndexOptions
    ) -> tuple[IndexStats, list[tuple[str, str]]] | None:
        """When no item changed: the index's figures and (cached file, file in the site) pairs to copy, folders made."""
        key = self.index_key(collection, options)
        cached = self.search.tree(key)
        stats = self.search.get_object(key)
        if not cached.is_dir() or not isinstance(stats, IndexStats):
            return None
        target = site_dir / options.folder
        if target.exists():
            shutil.rmtree(target)
        return stats, tree_pairs(cached, target)

    def search_index(
        self,
        collection: Collection,
        site_dir: Path,
        options: IndexOptions,
        reusable: tuple[str, str] | None = None,
    ) -> Placed:
        """The search index from the cache when no item changed, else written (reusing every unchanged run of
        documents) and then kept in the cache; then put in the site (`place_index`)."""
        return self.place_index(self.write_index(collection, options), site_dir, options, reusable)

    def write_index(self, collection: Collection, options: IndexOptions) -> WrittenIndex:
        """The search index into the cache (nothing in the site), reusing every unchanged run of documents.

        The cache keeps one index, the latest: a new one is written over it, so an edit writes only the files it
        changes. What the site needs to be brought up to date is returned (a build may write the index in a worker
        while it renders its pages, and place it after).
        """
        key = self.index_key(collection, options)
        cached = self.search.tree(key)
        stats = self.search.get_object(key)
        if cached.is_dir() and isinstance(stats, IndexStats):
            return WrittenIndex(key, stats)
        latest = self.search.get_object(LATEST)
        self.search.path(LATEST, ".pickle").unlink(missing_ok=True)  # the tree it describes is about to change
        working = self.search.folder / ".tmp-index"
        if working.exists():
            shutil.rmtree(working)
        previous: dict[str, tuple[bytes, int]] = {}
        if not isinstance(latest, LatestIndex) or getattr(latest, "code", None) != code_fingerprint():
            latest = None  # written by another version of bantin: its files may be laid out otherwise
        if latest is not None and self.search.tree(latest.key).is_dir():
            os.rename(self.search.tree(latest.key), working)
            previous = latest.files
        files = IndexFiles(working, previous)
        segments = Segments(self.segments, self.items or self.item_fingerprints(collection, {}), options)
        if self.serving:
            segments.memory = self.runs
        stats = write_search_index(
            collection, working, options.addresses, options.folder, dict(options.thumbnails), segments, files
        )
        gone = files.finish()
        segments.prune()
        if cached.exists():  # a tree whose figures were never saved: a build stopped right after writing it
            shutil.rmtree(cached)
        os.rename(working, cached)
        self.search.put_object(key, stats)
        earlier = self.search.get_object(EARLIER)
        if latest is not None:
            self.search.put_object(EARLIER, latest)
        self.search.put_object(LATEST, LatestIndex(code_fingerprint(), key, options.folder, files.files))
        for other in self.search.folder.iterdir():  # the trees and figures of earlier indexes
            if other.is_dir() and other.name != key and len(other.name) > 2:
                shutil.rmtree(other, ignore_errors=True)
        return WrittenIndex(key, stats, latest, earlier, previous, gone, files.files, files.changed)

    def place_index(
        self, written: WrittenIndex, site_dir: Path, options: IndexOptions, reusable: tuple[str, str] | None = None
    ) -> Placed:
        """Put an index the cache holds into the site: the files an edit changed, when the site still holds the
        previous index (under `mkdocs serve`) or `reusable`, (folder, key) of an index it holds untouched (the
        site before last holds the index before last, bantin.output.Manifest), whose files the cache knows too;
        else a copy of every file."""
        target = site_dir / options.folder
        cached = self.search.tree(written.key)
        if written.files is None:
            if target.exists():
                shutil.rmtree(target)
            link_all(tree_pairs(cached, target))
            return Placed(written.stats)
        latest, previous = written.latest, written.previous
        from_reusable = False
        published = site_dir / latest.folder if latest is not None else None
        if published is not None and published != target and holds(published, previous) and not target.exists():
            os.rename(published, target)  # the previous index, still in the site: bring it up to date
            for relative in written.gone:
                (target / relative).unlink(missing_ok=True)
            changed = list(written.changed)
        elif (found := reused(site_dir, reusable, (latest, written.earlier))) is not None and not target.exists():
            folder, known = found
            from_reusable = True
            os.rename(folder, target)  # an index of the site before last: bring it up to date
            for relative in known:
                if relative not in written.files:
                    (target / relative).unlink(missing_ok=True)
            changed = [relative for relative, entry in written.files.items() if known.get(relative) != entry]
        else:
            if target.exists():
                shutil.rmtree(target)
            changed = list(written.files)
        for sub_dir in ("t", "s", "d"):
            (target / sub_dir).mkdir(parents=True, exist_ok=True)
        link_all([(str(cached / relative), str(target / relative)) for relative in changed])
        return Placed(written.stats, from_reusable, tuple(written.files), tuple(changed))


@dataclass(frozen=True)
class Placed:
    """A search index put into a site: its figures, whether it was brought up to date from `reusable` (an intact index
    of the site before last), every file it has and those written over the reused index's."""

    stats: IndexStats
    from_reusable: bool = False
    files: Sequence[str] = ()
    changed: Sequence[str] = ()


@dataclass(frozen=True)
class WrittenIndex:
    """A search index the cache holds under `key`, with what bringing a site's copy up to date needs: the index the
    cache held before (`latest`, its files `previous`) and the one before it (`earlier`), the files gone and
    changed since, and every file's digest and size. `files` is None when the index was found whole."""

    key: str
    stats: IndexStats
    latest: LatestIndex | None = None
    earlier: object = None
    previous: dict[str, tuple[bytes, int]] = field(default_factory=dict)
    gone: Sequence[str] = ()
    files: dict[str, tuple[bytes, int]] | None = None
    changed: Sequence[str] = ()


LATEST = "latest-index"
EARLIER = "earlier-index"  # the one before it, which the site before last holds


@dataclass(frozen=True)
class LatestIndex:
    """The index the cache holds: its key, the folder it was published to and each file's digest and size."""

    code: str
    key: str
    folder: str
    files: dict[str, tuple[bytes, int]]


def reused(
    site_dir: Path, reusable: tuple[str, str] | None, known: Iterable[object]
) -> tuple[Path, dict[str, tuple[bytes, int]]] | None:
    """The folder of an intact index in the site and its files' digests, when the cache knows them (its key is the
    latest's or the one before it, written by this version of bantin)."""
    if reusable is None:
        return None
    folder, key = reusable
    for index in known:
        if isinstance(index, LatestIndex) and index.key == key and index.code == code_fingerprint():
            path = site_dir / folder
            return (path, index.files) if path.is_dir() else None
    return None


def tree_pairs(source: Path, target: Path) -> list[tuple[str, str]]:
    """(file, the same place under `target`) for every file under `source`; `target`'s folders made."""
    pairs = []
    for folder, _, names in os.walk(source):
        relative = os.path.relpath(folder, source)
        os.makedirs(os.path.join(target, relative), exist_ok=True)
        pairs += [(os.path.join(folder, name), os.path.join(target, relative, name)) for name in names]
    return pairs


def link_all(pairs: Sequence[tuple[str, str]]) -> None:
    """Put cached index files into the site (their folders exist) as hard links: one system call a file instead of
    an open, a read, an unlink, an open and a write (17,000 files at 10,000 items; a copy of every one was 1.5 CPU s
    of a cold build). Neither copy is ever written in place: the cache's are replaced when an edit changes them
    (`bantin.search.index.write_file`), the site's too (`bantin.render.copy_pair`, or a new link here), so a change
    to either never reaches the other. Where the file system has no hard links (or the cache is on another), copies.
    """
    for number, (source, target) in enumerate(pairs):
        try:
            try:
                os.link(source, target)
            except FileExistsError:  # the previous version, in a site's index brought up to date
                os.unlink(target)
                os.link(source, target)
        except OSError:
            copy_all(pairs[number:])
            return


def holds(folder: Path, files: Mapping[str, tuple[bytes, int]]) -> bool:
    """Whether a folder in the site is still the index the cache holds, as the previous build published it: its
    name is the version of the items indexed; its entry file is the same."""
    try:
        data = gzip.decompress((folder / "meta.bin").read_bytes())
    except OSError:
        return False
    known = files.get("meta.bin")
    return known is not None and known[0] == hashlib.blake2b(data, digest_size=16).digest()


class Segments:
    """Indexed runs of documents (bantin.search.index.SegmentCache), by the runs' start, items and options."""

    def __init__(self, store: Store, items: dict[int, str], options: IndexOptions) -> None:
        self.store = store
        self.items = items
        self.options = options
        self.used: set[str] = set()
        self.memory: dict[str, Segment] | None = None  # under serve: the runs in memory, read before the store

    def key(self, start: int, items: Sequence[Item]) -> str:
        pictures = canonical([self.options.thumbnails.get(item.url) for item in items])
        # Where the run's own items are served, all its results link to: not every address of the site, nor the
        # index's folder, which changes with every item.
        served = "\n".join(self.options.addresses(item.url) for item in items)
        key = digest(code_fingerprint(), served, pictures, str(start), *(self.items[id(i)] for i in items))
        self.used.add(key)
        return key

    def has(self, key: str) -> bool:
        return self.store.has(key, ".pickle")

    def get(self, key: str) -> Segment | None:
        """A run as indexed before (never changed since: merging copies what it joins, bantin.search.index)."""
        held = self.memory.get(key) if self.memory is not None else None
        if held is not None:
            return held
        found = self.store.get_object(key)
        if not isinstance(found, tuple):
            return None
        if self.memory is not None:
            self.memory[key] = found
        return found

    def put(self, key: str, segment: Segment) -> None:
        self.store.put_flat(key, segment)
        if self.memory is not None:
            self.memory[key] = segment

    def keeper(self) -> Keeper | None:
        """The store's writer, for workers: not under serve, where the runs are kept in this process's memory too."""
        return self.store.put_flat if self.memory is None else None

    def prune(self) -> None:
        """Runs of an earlier state of the content are of no more use: keep only this build's."""
        if self.memory is not None:
            for key in set(self.memory) - self.used:
                del self.memory[key]
        for path in self.store.folder.glob("*/*.pickle"):
            if path.stem not in self.used:
                path.unlink(missing_ok=True)
