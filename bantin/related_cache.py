"""Related items kept between builds, under a key of exactly what decides them.

What `bantin.related.RelatedIndex` computes for an item depends on every item's date, address, ties (documents,
topics, unit) and phrases, on the units' families and on the code: nothing else. Each item's share of that is
digested once, when the item is first seen, and kept by the item's fingerprint (its parsed content); the digests
of all items in order, with the families, are the key of every item's related items. A warm build reads the
result; a build where no item's phrases or ties changed (most edits are below an article's opening words) too.
Otherwise the index is built again from the phrases kept per item, only the new items' phrases being extracted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bantin.cache import Store, canonical, code_fingerprint, digest
from bantin.collection import Collection
from bantin.items import Item
from bantin.related import phrase_list, phrase_texts, phrases, tie_keys
from bantin.render import gather_shares

SHARDS = 16
SAID = "said"  # item fingerprint → digest of its part in the related index
RESULT = "related"
PHRASES_FORK_FROM = 1000  # fewer new items than this have their phrases extracted faster here than forked


def lines(text: str) -> list[str]:
    """Phrases kept one per line (none: the empty text)."""
    return text.split("\n") if text else []


def shard_of(fingerprint: str) -> str:
    return f"phrases-{int(fingerprint[0], 16) % SHARDS}"


class RelatedCache:
    """The related items of one collection, read from `store` when its key matches, else computed and kept."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def apply(self, collection: Collection, fingerprint: Callable[[Item], str]) -> bool:
        """Set the collection's related items (`Collection.related_known`), from the store when it holds them;
        whether they had to be computed."""
        context = code_fingerprint()
        stored = self.store.get_object(SAID)
        known: dict[str, str] = stored[1] if isinstance(stored, tuple) and stored[0] == context else {}
        numbers = collection.related_numbers()
        prints = [fingerprint(item) for item in collection.items]
        # New items' phrases, one text each: as sets of strings they were 3 GB at 100,000 items.
        new = [(printed, item) for item, printed in zip(collection.items, prints, strict=True) if printed not in known]
        fresh: dict[str, str] = dict(gather_shares(new, phrase_texts, PHRASES_FORK_FROM))
        del new
        said: dict[str, str] = {}
        parts = []
        for item, printed in zip(collection.items, prints, strict=True):
            part = known.get(printed)
            if part is None:
                words = fresh[printed]
                ties = sorted(tie_keys(item, numbers))
                part = digest(item.date.isoformat(), item.url, "\n".join(ties), words)
            said[printed] = part
            parts.append(part)
        units = {item.unit.name: item.unit for item in collection.items}
        families = {name: sorted(collection.family_of(unit)) for name, unit in units.items()}
        key = digest(context, canonical(families), *parts)
        result = self.store.get_object(RESULT)
        computed = not (isinstance(result, tuple) and result[0] == key and len(result[1]) == len(collection.items))
        if not computed:
            collection.related_known = result[1]
        else:
            kept = self.phrases(prints, fresh)
            for item, printed in zip(collection.items, prints, strict=True):
                if printed not in kept:  # its phrases were not kept (a shard lost): extracted again
                    kept[printed] = fresh[printed] = "\n".join(phrase_list(item))
            by_item = {id(item): kept[printed] for item, printed in zip(collection.items, prints, strict=True)}
            collection.phrases_of = lambda item: lines(by_item[id(item)]) if id(item) in by_item else phrases(item)
            collection.related_known = collection.related_index.all_related()
            collection.phrases_of = None  # a draft shown in preview takes its own phrases; these texts can go
            del by_item, kept
            self.store.put_object(RESULT, (key, collection.related_known))
        if said != known:
            self.store.put_object(SAID, (context, said))
        if fresh or said.keys() != known.keys():
            self.keep(prints, fresh)
        return computed

    def phrases(self, prints: Iterable[str], fresh: dict[str, str]) -> dict[str, str]:
        """Every item's phrases, one per line: the new items' as just extracted, the others' as kept."""
        found: dict[str, str] = dict(fresh)
        shards: dict[str, dict[str, str]] = {}
        for printed in prints:
            if printed in found:
                continue
            shard = self.shard(shards, shard_of(printed))
            text = shard.get(printed)
            if text is not None:
                found[printed] = text
        return found

    def shard(self, shards: dict[str, dict[str, str]], name: str) -> dict[str, str]:
        if name not in shards:
            stored = self.store.get_object(name)
            valid = isinstance(stored, tuple) and stored[0] == code_fingerprint()
            shards[name] = stored[1] if valid else {}
        return shards[name]

    def keep(self, prints: Iterable[str], fresh: dict[str, str]) -> None:
        """Store the new items' phrases; drop those of items no longer in the collection (rewriting only the shards
        that change)."""
        wanted: dict[str, set[str]] = {}
        for printed in prints:
            wanted.setdefault(shard_of(printed), set()).add(printed)
        shards: dict[str, dict[str, str]] = {}
        for number in range(SHARDS):
            name = f"phrases-{number}"
            members = wanted.get(name, set())
            shard = self.shard(shards, name)
            added = {printed for printed in members if printed in fresh and printed not in shard}
            stale = [printed for printed in shard if printed not in members]
            if not added and not stale:
                continue
            for printed in stale:
                del shard[printed]
            for printed in added:
                shard[printed] = fresh[printed]
            self.store.put_object(name, (code_fingerprint(), shard))
