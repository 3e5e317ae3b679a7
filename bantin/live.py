"""What `mkdocs serve` keeps in memory between rebuilds, so a save re-derives only what the saved file changes.

MkDocs keeps a plugin that has `on_startup` for the whole serve process (mkdocs.commands.serve), so the plugin
holds one `Session` from the first build to the last. Everything here gives exactly what a fresh build computes
from the same content (tests/test_live.py compares them after edits, additions and deletions); it only avoids
computing again what the content that changed cannot have changed.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin

import numpy as np
import numpy.typing as npt
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import InclusionLevel

from bantin.cache import ItemMemo
from bantin.cards import Card, Cards
from bantin.collection import Collection
from bantin.feeds import FEED_LIMIT, Channel, newest_shown, page_lastmods, rss
from bantin.images import LeadImage
from bantin.items import Item
from bantin.pages import ItemSources, KeptListings, PageSpec, Site
from bantin.related import LIMIT, RelatedIndex, idf, phrases
from bantin.render import CachedPage, cached_file
from bantin.urls import Addresses

Ids = npt.NDArray[np.int64]


class FileKeys:
    """Each article's memo key (bantin.cache.ItemMemo) by its file's status, for the session: an article whose file
    has the same inode, size, modification and change times as when it was read is not read again (the loader).

    A status is kept only when the file changed (its ctime) a while before the load began: a file changed during a
    load, or twice within the file system's clock tick, could otherwise be taken for what was read before.
    """

    MARGIN_NS = 2_000_000_000

    def __init__(self) -> None:
        self.keys: dict[str, tuple[tuple[int, int, int, int], str]] = {}
        self.answered: set[str] = set()
        self.recent: dict[str, tuple[Path, str]] = {}  # read while too freshly changed to be remembered
        self.since = 0

    def start(self) -> None:
        """A load begins: only files changed before `since` may be remembered during it."""
        self.since = time.time_ns() - self.MARGIN_NS
        self.answered = set()

    def get(self, relative: str, path: Path, info: os.stat_result | None = None) -> str:
        """The memo key of the file as it was read, "" when it may have changed since; `info` is its status when
        the load has just looked at it (bantin.loader.content_files)."""
        found = self.keys.get(relative)
        if found is None:
            return ""
        status = file_status(path) if info is None else status_of(info)
        if status != found[0]:
            return ""
        self.answered.add(relative)
        return found[1]

    def put(self, relative: str, path: Path, key: str) -> None:
        """The file at `path` was read (during this load) into the memo's `key`."""
        if relative in self.answered:
            return
        status = file_status(path)
        if status is not None and status[3] < self.since:
            self.keys[relative] = (status, key)
            self.recent.pop(relative, None)
        else:
            self.keys.pop(relative, None)
            self.recent[relative] = (path, key)

    def refresh(self, waiting: Callable[[], bool]) -> None:
        """Between rebuilds: remember the files the last load read too soon after they changed (a folder copied or
        checked out just before `mkdocs serve`), as the next load would, by reading each again; stops as soon as
        `waiting` says a rebuild is asked for, which then reads the rest itself.

        A file is remembered only with the status it had both before and after it was read, changed well before
        this began, and with the very bytes the load read (its memo key): what the loader would record.
        """
        since = time.time_ns() - self.MARGIN_NS
        for relative, (path, key) in list(self.recent.items()):
            if waiting():
                return
            status = file_status(path)
            if status is not None and status[3] >= since:
                continue  # too fresh still: left for the next time
            del self.recent[relative]
            if status is None:
                continue
            try:
                raw = path.read_bytes()
            except OSError:
                continue
            if file_status(path) == status and ItemMemo.key(relative, raw) == key:
                self.keys[relative] = (status, key)


def file_status(path: Path) -> tuple[int, int, int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return status_of(info)


def status_of(info: os.stat_result) -> tuple[int, int, int, int]:
    return info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


class Phrases:
    """Every phrase met in the session by a number that stays the same, and each item's phrases by number.

    An item's phrases (bantin.related.phrases) are taken from its title, lead and body again only when one of
    them changed: extracting them is most of what building the related index costs.
    """

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.spelled: list[str] = []
        self.known: dict[str, tuple[tuple[str, str, str, str], Ids]] = {}

    def of(self, item: Item) -> Ids:
        said = (item.title, item.notice.subject if item.notice else "", item.summary or "", item.body)
        found = self.known.get(item.url)
        if found is not None and found[0] == said:
            return found[1]
        numbers, found_ids = self.numbers, []
        for phrase in phrases(item):
            number = numbers.get(phrase)
            if number is None:
                number = numbers[phrase] = len(self.spelled)
                self.spelled.append(phrase)
            found_ids.append(number)
        ids = np.array(sorted(found_ids), dtype=np.int64)
        self.known[item.url] = (said, ids)
        return ids

    def forget(self, urls: Iterable[str]) -> None:
        for url in urls:
            self.known.pop(url, None)


class LiveIndex(RelatedIndex):
    """bantin.related.RelatedIndex with what it was built from kept, updated in place after an edit, and each
    item's related items remembered until something they depend on changes.

    It holds the same attributes as a RelatedIndex of the same items (phrases numbered by the session instead of
    from zero, which `related` never sees) and `related` is RelatedIndex's own: only which items are asked again
    is decided here.
    """

    def __init__(self, collection: Collection, phrases: Phrases) -> None:
        self.session_phrases = phrases
        self.build(collection)

    def build(self, collection: Collection) -> None:
        self.place(collection.items, collection.related_numbers(), collection.family_of)
        self.said = [self.session_phrases.of(item) for item in self.items]
        self.counts = np.bincount(np.concatenate([*self.said, np.zeros(0, np.int64)]), minlength=self.known())
        kept = self.kept_mask()
        spelled = self.session_phrases.spelled
        kept_ids = np.flatnonzero(kept)
        self.numbers = {spelled[number]: int(number) for number in kept_ids}
        self.spelled = {int(number): spelled[number] for number in kept_ids}
        self.shares = {int(number): int(self.counts[number]) for number in kept_ids}
        self.phrase_postings = defaultdict(list)
        self.followed = []
        for index, ids in enumerate(self.said):
            mine = [int(number) for number in ids[kept[ids]]]
            for number in mine:
                self.phrase_postings[number].append(index)
            self.followed.append(self.rarest(mine))
        self.families = {}
        self.family_names = family_names(collection)
        self.remembered: dict[int, list[int]] = {}

    def known(self) -> int:
        return len(self.session_phrases.spelled)

    def kept_mask(self) -> npt.NDArray[np.bool_]:
        """Phrases the index follows: shared by two items at least and by no more than `limit`."""
        return (self.counts >= 2) & (self.counts <= self.limit)

    def related(self, item: Item, limit: int = LIMIT) -> list[Item]:
        index = self.position.get(item.url)
        if index is None or limit != LIMIT or self.items[index] is not item:
            return super().related(item, limit)
        found = self.remembered.get(index)
        if found is None:
            found = self.remembered[index] = [self.position[other.url] for other in super().related(item, limit)]
        return [self.items[other] for other in found]

    def update(self, collection: Collection) -> bool:
        """Bring the index to `collection` in place when it holds the same items at the same dates (an edit that
        moves nothing), forgetting the related items of every item the change can reach; False otherwise."""
        items = collection.items
        if [item.url for item in items] != self.urls or family_names(collection) != self.family_names:
            return False
        if any(new.date != old.date for new, old in zip(items, self.items, strict=True)):
            return False
        self.cited = collection.related_numbers()
        self.family = collection.family_of
        changed: list[int] = []  # items whose phrases or ties changed
        keys: set[str] = set()
        numbers: list[Ids] = []
        for index, item in enumerate(items):
            if item is self.items[index]:
                continue
            self.items[index] = item
            said, ties = self.session_phrases.of(item), sorted(self.tie_keys(item))
            old_said, old_ties = self.said[index], self.ties[index]
            if ties == old_ties and np.array_equal(said, old_said):
                continue  # nothing the index holds: only the item's own card changes
            changed.append(index)
            keys |= set(ties) ^ set(old_ties)
            self.ties[index], self.said[index] = ties, said
            if len(self.counts) < self.known():
                self.counts = np.concatenate([self.counts, np.zeros(self.known() - len(self.counts), np.int64)])
            gone = np.setdiff1d(old_said, said, assume_unique=True)
            added = np.setdiff1d(said, old_said, assume_unique=True)
            np.subtract.at(self.counts, gone, 1)
            np.add.at(self.counts, added, 1)
            numbers += [gone, added]
        reach = set(changed)
        reach |= self.retie(keys, changed)
        if numbers:
            reach |= self.rephrase({int(number) for number in np.concatenate(numbers)}, changed)
        for index in reach:
            self.remembered.pop(index, None)
        return True

    def retie(self, keys: set[str], changed: Sequence[int]) -> set[int]:
        """The postings of documents, topics and units gained or lost; the items they reach."""
        reach: set[int] = set()
        for key in keys:
            found = sorted(index for index in {*self.postings.get(key, ()), *changed} if key in self.ties[index])
            reach.update(self.postings.get(key, ()), found)
            if found:
                self.postings[key] = found
                self.idf[key] = idf(len(self.items), len(found))
            else:
                self.postings.pop(key, None)
                self.idf.pop(key, None)
            if key.startswith("u:"):  # a unit's items count for its family's items too
                unit = key[2:]
                reach.update(
                    index for index, item in enumerate(self.items) if unit in self.family_names.get(item.unit.name, ())
                )
        return reach

    def rephrase(self, numbers: set[int], changed: Sequence[int]) -> set[int]:
        """Phrases whose share changed: the index's record of each, and every holder's followed phrases anew."""
        kept = self.kept_mask()
        spelled = self.session_phrases.spelled
        holders: set[int] = set()
        newly = sorted(number for number in numbers if kept[number] and number not in self.shares)
        found: dict[int, list[int]] = defaultdict(list)
        if newly:  # a phrase the index did not follow: who else says it is looked up in every item's phrases
            lookup = np.array(newly, dtype=np.int64)
            for index, ids in enumerate(self.said):
                for number in ids[np.isin(ids, lookup, assume_unique=True)]:
                    found[int(number)].append(index)
        for number in sorted(numbers):
            holders.update(self.phrase_postings.get(number, ()))
            phrase = spelled[number]
            if not kept[number]:
                self.shares.pop(number, None)
                self.spelled.pop(number, None)
                self.numbers.pop(phrase, None)
                self.phrase_postings.pop(number, None)
                continue
            if number in found:
                postings = found[number]
            else:
                candidates = {*self.phrase_postings.get(number, ()), *changed}
                postings = sorted(index for index in candidates if has(self.said[index], number))
            self.phrase_postings[number] = postings
            holders.update(postings)
            self.shares[number] = int(self.counts[number])
            self.spelled[number] = phrase
            self.numbers[phrase] = number
        for index in holders:
            ids = self.said[index]
            self.followed[index] = self.rarest(int(number) for number in ids[kept[ids]])
        return holders


def has(ids: Ids, number: int) -> bool:
    at = int(np.searchsorted(ids, number))
    return at < len(ids) and int(ids[at]) == number


def family_names(collection: Collection) -> dict[str, tuple[str, ...]]:
    """Each unit's family (parent and children), by name: a change in don-vi.yml can relate other items."""
    return {unit.name: tuple(collection.family_of(unit)) for unit in collection.registry.units}


class LiveCards(Cards):
    """Cards made anew each build, but a card equal to the build before's is that very card: pages whose data did
    not change then compare equal to the previous build's at little cost (`Session.page_keys`)."""

    def __init__(self, collection: Collection, images: Mapping[str, LeadImage], previous: Mapping[str, Card]) -> None:
        super().__init__(collection, images)
        self.previous = previous

    def make(self, item: Item) -> Card:
        old = self.previous.get(item.url)
        # A card is made of its item, its lead image and its preview mark alone: the same item (the loader's memo
        # hands back the very item of an unchanged file) with the same image and mark has the same card.
        same = old is not None and old.item is item and old.preview == self.preview(item)
        if old is not None and same and old.image == self.images.get(item.url):
            return old
        card = super().make(item)
        return old if old is not None and old == card else card


class Session:
    """What one `mkdocs serve` process keeps from build to build (the plugin holds it from on_startup on)."""

    def __init__(self) -> None:
        self.phrases = Phrases()
        self.files = FileKeys()
        self.index: LiveIndex | None = None
        self.made: Mapping[str, Card] = {}
        self.site = ""
        self.keys: dict[str, tuple[PageSpec, str, str]] = {}
        self.joined: dict[tuple[str, str], str] = {}
        self.stand_ins: dict[tuple[str, str, bool], CachedPage] = {}
        self.item_pages: dict[str, tuple[ItemSources, PageSpec]] = {}  # bantin.pages.Site.kept
        self.listings = KeptListings()
        self.written: tuple[str, set[str]] | None = None  # the site folder and every file the last build wrote there
        self.newest: dict[int, tuple[PageSpec, datetime | None]] = {}  # by the page spec: `newest_shown`
        self.newest_before: dict[int, tuple[PageSpec, datetime | None]] = {}
        self.feeds: dict[str, tuple[tuple[Channel, str, tuple[str, ...]], tuple[Item, ...], str]] = {}

    def urljoin(self, base: str, url: str) -> str:
        """urllib.parse.urljoin, each answer remembered for the session."""
        found = self.joined.get((base, url))
        if found is None:
            found = self.joined[(base, url)] = urljoin(base, url)
        return found

    def stand_ins_of(self, config: MkDocsConfig, uris: Iterable[str]) -> list[CachedPage]:
        """Each cached page's stand-in among MkDocs' files (bantin.render.cached_file), the build before's object
        for the same page, folder and URL style, as new: what it was given since (its cache entry, whether it was
        published, the preview's error panel, its inclusion) is set again every build."""
        kept, self.stand_ins = self.stand_ins, {}
        found = []
        for uri in uris:
            key = (uri, config.site_dir, config.use_directory_urls)
            stand_in = kept.get(key)
            if stand_in is None:
                stand_in = cached_file(config, uri, "")
            else:
                stand_in.abs_src_path, stand_in.panel, stand_in.published = "", "", False
                stand_in.inclusion = InclusionLevel.NOT_IN_NAV
            self.stand_ins[key] = stand_in
            found.append(stand_in)
        return found

    def prune(self, site_dir: str, expected: set[str]) -> bool:
        """Remove from the site folder what the last build wrote there and this one will not (and folders left
        empty), as bantin.output.prune would find by walking the folder; False when no build is known to have
        written it (the first, or one after a failure: see `forget`), which then walks it."""
        written, self.written = self.written, (site_dir, expected)
        if written is None or written[0] != site_dir:
            return False
        for path in sorted(written[1] - expected):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            folder = os.path.dirname(path)
            while folder != site_dir and folder.startswith(site_dir + os.sep):
                try:
                    os.rmdir(folder)
                except OSError:  # not empty, or gone already
                    break
                folder = os.path.dirname(folder)
        return True

    def wrote(self, site_dir: str, expected: set[str]) -> None:
        """A build into an emptied site folder writes `expected` there: the next one needs no walk to prune."""
        self.written = (site_dir, expected)

    def forget(self) -> None:
        """A build failed: what it wrote is not known, the next one walks the site folder."""
        self.written = None

    def idle(self, waiting: Callable[[], bool]) -> None:
        """Between rebuilds, in serve's builder (bantin.rebuilds): what the next rebuild would otherwise do first,
        done now unless `waiting` says it is asked for."""
        self.files.refresh(waiting)

    def cards(self, collection: Collection, images: Mapping[str, LeadImage]) -> Cards:
        cards = LiveCards(collection, images, self.made)
        self.made = cards.made
        return cards

    def site_of(self, collection: Collection, images: Mapping[str, LeadImage], site_url: str) -> Site:
        """The pages' shared data, with the cards, item pages and listings of the build before (of items still
        there); every item's card is made first, to know which are not the build before's (KeptListings)."""
        urls = {item.url for item in collection.items}
        for url in [url for url in self.item_pages if url not in urls]:
            del self.item_pages[url]
        before = self.made
        cards = self.cards(collection, images)
        changed = {item.url for item in collection.items if cards(item) is not before.get(item.url)}
        self.listings.start(changed)
        return Site(collection, cards, site_url, self.item_pages, self.listings)

    def page_keys(
        self,
        site: str,
        specs: Sequence[PageSpec],
        lastmods: Mapping[str, str],
        compute: Callable[[Sequence[PageSpec]], dict[str, str]],
    ) -> dict[str, str]:
        """Each page's cache key: the previous build's for a page equal to the one it had then, under the same site
        fingerprint (bantin.site_cache.SiteCache.site_fingerprint); `compute`d for the others (always called, even
        for none: it also fingerprints the items for the search index).

        Equal page data make equal keys: a key is a digest of the data's canonical text (bantin.cache.canonical),
        which equal values of the page model's types always have, and each item shown enters it as a fingerprint
        of the item, its lead image and its preview mark, which the item's card holds too.
        """
        previous = self.keys if site == self.site else {}
        keys: dict[str, str] = {}
        missing = []
        for spec in specs:
            old = previous.get(spec.src_uri)
            if old is not None and old[1] == lastmods.get(spec.src_uri, "") and (old[0] is spec or old[0] == spec):
                keys[spec.src_uri] = old[2]
            else:
                missing.append(spec)
        keys.update(compute(missing))
        self.site = site
        self.keys = {spec.src_uri: (spec, lastmods.get(spec.src_uri, ""), keys[spec.src_uri]) for spec in specs}
        return keys

    def lastmods(self, specs: Iterable[PageSpec], collection: Collection) -> dict[str, str]:
        """bantin.feeds.page_lastmods, each page's newest item remembered by its spec: a page spec of the build
        before (the very object: Site.kept, KeptListings) shows the very same items, which are frozen."""
        self.newest_before, self.newest = self.newest, {}
        try:
            return page_lastmods(specs, collection, self.newest_shown)
        finally:
            self.newest_before = {}

    def newest_shown(self, spec: PageSpec) -> datetime | None:
        found = self.newest_before.get(id(spec))
        date = found[1] if found is not None and found[0] is spec else newest_shown(spec)
        self.newest[id(spec)] = (spec, date)
        return date

    def rss(self, channel: Channel, items: Sequence[Item], site_url: str, addresses: Addresses) -> str:
        """bantin.feeds.rss, the build before's document when the feed shows the very same (frozen) items under the
        same channel, site address and links: all that document is made of."""
        shown = tuple(items[:FEED_LIMIT])
        key = (channel, site_url, tuple(addresses(address) for address in (channel.page, *(i.url for i in shown))))
        found = self.feeds.get(channel.path)
        same = found is not None and found[0] == key and len(found[1]) == len(shown)
        if found is not None and same and all(old is new for old, new in zip(found[1], shown, strict=True)):
            return found[2]
        xml = rss(channel, shown, site_url, addresses=addresses)
        self.feeds[channel.path] = (key, shown, xml)
        return xml

    def relate(self, collection: Collection) -> None:
        """Give the collection the session's related index, updated in place when the change allows it."""
        if self.index is None or not self.index.update(collection):
            self.phrases.forget(set(self.phrases.known) - {item.url for item in collection.items})
            self.index = LiveIndex(collection, self.phrases)
        collection.related_index = self.index
