"""The search page's "Loại" filter: news, every document, or one kind of document, with what each option finds.

Each indexed item has one fine kind: `tin` for news, else its document kind's slug (`cong-van`, `thong-cao`…).
An option of the filter (a `loai=` value in a shared URL) finds one or more fine kinds:

- `tin` (Tin tức) and `van-ban` (every document);
- one document kind by its slug, as the register's filter names it (`loai=cong-van`);
- `ket-luan`, which has always found the conclusions (the documents of the /ket-luan/ register), finds both
  Kết luận and Thông báo kết luận, so a search URL shared before documents had kinds finds what it found then.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bantin.documents import CONCLUSIONS, KINDS
from bantin.items import Item

NEWS = "tin"
DOCUMENTS = "van-ban"
CONCLUSIONS_VALUE = "ket-luan"


@dataclass(frozen=True)
class KindFilter:
    value: str
    label: str
    kinds: tuple[int, ...]
    """Indices into the fine kinds the option finds."""
    shown: bool = True
    """False for an option kept only so old URLs work (`ket-luan` where only thông báo kết luận exist)."""


def fine_kind(item: Item) -> str:
    return item.notice.kind.slug if item.notice is not None else NEWS


def fine_kinds(items: Sequence[Item]) -> list[tuple[str, str]]:
    """(value, name) of every kind present: news first, then document kinds in the order of the official lists."""
    present = {fine_kind(item) for item in items}
    found = [(NEWS, "Tin tức")] if NEWS in present else []
    return found + [(kind.slug, kind.name) for kind in KINDS if kind.slug in present]


def kind_filters(kinds: Sequence[tuple[str, str]]) -> list[KindFilter]:
    """The filter's options over the fine kinds present, in the order the select lists them.

    Kết luận has no option of its own: `ket-luan` finds it with the thông báo kết luận, which keep theirs.
    """
    index = {value: number for number, (value, _) in enumerate(kinds)}
    documents = tuple(number for value, number in index.items() if value != NEWS)
    options = [KindFilter(NEWS, "Tin tức", (index[NEWS],))] if NEWS in index else []
    if documents:
        options.append(KindFilter(DOCUMENTS, "Văn bản (mọi loại)", documents))
    for value, name in kinds:
        if name in CONCLUSIONS and not any(option.value == CONCLUSIONS_VALUE for option in options):
            options.append(conclusions_filter(kinds, index))
        if value != NEWS and name != CONCLUSIONS[0]:
            options.append(KindFilter(value, name, (index[value],)))
    return options


def conclusions_filter(kinds: Sequence[tuple[str, str]], index: dict[str, int]) -> KindFilter:
    """`ket-luan`: every conclusion; not listed where it would only repeat the thông báo kết luận option."""
    names = [name for _, name in kinds if name in CONCLUSIONS]
    members = tuple(index[value] for value, name in kinds if name in CONCLUSIONS)
    label = "Kết luận, thông báo kết luận" if len(names) == len(CONCLUSIONS) else names[0]
    return KindFilter(CONCLUSIONS_VALUE, label, members, shown=CONCLUSIONS[0] in names)


def filter_counts(items: Sequence[Item]) -> list[tuple[KindFilter, int]]:
    """Every shown option with how many items it finds: the options the search page lists before any query."""
    kinds = fine_kinds(items)
    per_kind = Counter(fine_kind(item) for item in items)
    counts = [per_kind[value] for value, _ in kinds]
    return [(option, sum(counts[n] for n in option.kinds)) for option in kind_filters(kinds) if option.shown]
