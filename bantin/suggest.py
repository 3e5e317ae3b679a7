"""'Did you mean …?' hints for misspelled keys and unit names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from bantin.text import fold


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most like `word`, compared without diacritics or case, if any is close enough."""
    by_folded: dict[str, str] = {}
    for choice in choices:
        by_folded.setdefault(fold(choice), choice)
    folded = fold(word)
    if folded in by_folded:
        return by_folded[folded]
    matches = difflib.get_close_matches(folded, list(by_folded), n=1, cutoff=0.6)
    return by_folded[matches[0]] if matches else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A message suffix such as ' (có phải "author"?)', or an empty string."""
    match = closest(word, choices)
    return f' (có phải "{match}"?)' if match and match != word else ""
