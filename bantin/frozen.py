"""Long-lived objects kept out of the garbage collector's full passes while a build makes many new ones.

A full pass walks every object that survived the younger ones: at 10,000 articles, a build's collection and pages
are millions of objects, and each pass over them costs a tenth of a second or more (and in a forked worker it
copies every page of memory it touches). `gc.freeze` moves every live object out of the passes until
`gc.unfreeze`, which has no nesting: whoever froze first unfreezes, so that serve's builder (bantin.rebuilds),
which keeps everything the builds before left frozen between rebuilds, is never unfrozen halfway through one.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


def freeze() -> bool:
    """Freeze every live object; whether this is the outermost freeze (whose `thaw` unfreezes)."""
    outermost = gc.get_freeze_count() == 0
    gc.freeze()
    return outermost


def thaw(outermost: bool) -> None:
    if outermost:
        gc.unfreeze()


@contextmanager
def frozen() -> Iterator[None]:
    outermost = freeze()
    try:
        yield
    finally:
        thaw(outermost)
