"""Vietnamese search tokens: syllables, their accentless folds, and document numbers kept whole.

The browser (`assets/bantin/search.js`) tokenizes queries with the same rules; change both together. Document
numbers are found with bantin.citations' pattern, the one the search page hands to the browser too.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from bantin.citations import NUMBER, number_matches

SPACES = re.compile(r"\s+")
LEADING_ZEROS = re.compile("^0+(?=[0-9])")
# Syllables are runs of letters and digits; text is NFC, so Vietnamese letters are single code points.
WORD = re.compile(r"[^\W_]+")
SEPARATORS = ",.;:!?()[]\"'“”‘’–-…%*/#&"  # what most often stands between words in prose: no letter or digit
# Two spellings of one syllable: "hoà"/"hòa", "thuỷ"/"thủy". Readers type either; both index as the second.
NEW_TO_OLD = {
    **{"o" + new: old + "a" for new, old in zip("àáảãạ", "òóỏõọ", strict=True)},
    **{"o" + new: old + "e" for new, old in zip("èéẻẽẹ", "òóỏõọ", strict=True)},
    **{"u" + new: old + "y" for new, old in zip("ỳýỷỹỵ", "ùúủũụ", strict=True)},
}


class Token(NamedTuple):
    """One token: its exact lowercase spelling and its fold; document numbers always match folded."""

    text: str
    folded: str
    number: bool


def fold(text: str) -> str:
    """Lowercase without diacritics, đ → d: what a reader types without a Vietnamese keyboard."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(char for char in decomposed if unicodedata.category(char) != "Mn")


def spelling(word: str) -> str:
    """The canonical spelling of a lowercase NFC syllable: the tone mark on the vowel editors most often use."""
    if "/" in word:
        return number_token(word)
    ending = NEW_TO_OLD.get(word[-2:])
    if ending is not None and word[-3:-2] != "q":
        return word[:-2] + ending
    return word


def number_token(word: str) -> str:
    """One document number however typed: "07-KL/VPTW", "7-kl/vptw" and "7- KL/VPTW" are all "7-kl/vptw"."""
    return LEADING_ZEROS.sub("", fold(SPACES.sub("", word)))


def token(word: str) -> Token:
    exact = spelling(word)
    return Token(exact, fold(exact), "/" in word)


def words(text: str) -> list[str]:
    """Every word and document number of `text` in order, lowercase NFC; punctuation and Markdown only separate."""
    text = unicodedata.normalize("NFC", text)
    if "/" not in text:
        return runs(text.lower())
    found: list[str] = []
    position = 0
    for match in number_matches(text):
        found.extend(runs(text[position : match.start()].lower()))
        found.append(match.group().lower())
        position = match.end()
    found.extend(runs(text[position:].lower()))
    return found


def runs(text: str) -> list[str]:
    """`WORD.findall(text)` (runs of letters and digits), without the pattern's look at every character where it
    can: with the usual punctuation (none of it a letter or digit) made spaces, the runs of most text are what lies
    between spaces, all letters and digits; text where something else is left goes to the pattern."""
    spaced = text
    for mark in SEPARATORS:
        if mark in spaced:
            spaced = spaced.replace(mark, " ")
    found = spaced.split()
    if all(map(str.isalnum, found)):
        return found
    return WORD.findall(text)


def query_words(query: str) -> list[str]:
    """A reader's query: like `words`, but a document number typed in lower case still counts as one."""
    query = unicodedata.normalize("NFC", query)
    upper = query.upper()
    if len(upper) != len(query) or "/" not in query:
        return words(query)
    found: list[str] = []
    position = 0
    for match in NUMBER.finditer(upper):
        found.extend(runs(query[position : match.start()].lower()))
        found.append(query[match.start() : match.end()].lower())
        position = match.end()
    found.extend(runs(query[position:].lower()))
    return found


def tokens(text: str) -> list[Token]:
    return [token(word) for word in words(text)]
