"""Reading editors' files: UTF-8 with or without BOM, any line ending, always NFC."""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from slugify import slugify


def read_text(path: Path) -> str:
    """The file's text in NFC with LF line endings; raises UnicodeDecodeError for non-UTF-8 files."""
    return decoded(path.read_bytes())


def decoded(data: bytes) -> str:
    """Bytes of an editor's file as text in NFC with LF line endings (UTF-8 with or without BOM)."""
    text = data.decode("utf-8-sig")
    return nfc(text.replace("\r\n", "\n").replace("\r", "\n"))


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lowercase without diacritics (đ → d), for matching what editors and readers type."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


MARKS = "\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323"  # Vietnamese tones, circumflex, breve and horn
VIETNAMESE = "".join(
    char
    for char in map(chr, range(0xC0, 0x1EFA))
    if (plain := unicodedata.normalize("NFD", char))[0].isascii()
    and plain[0].isalpha()
    and all(mark in MARKS for mark in plain[1:])
)
"""Every precomposed letter of Vietnamese (an ASCII letter with its marks), and the few others so composed."""
PLAIN_TITLE = re.compile(f'(?:[0-9A-Za-zĐđ{VIETNAMESE} .:;!?()/%"“”…-]|,(?![0-9]))*')
"""Text that python-slugify folds as `fold` does: letters lose their marks, any run of the rest is one separator
(python-slugify drops a comma before a digit after one: "1,5" is "15")."""
NOT_ALPHANUMERIC = re.compile("[^0-9a-z]+")


@functools.cache
def make_slug(text: str, separator: str = "-") -> str:
    """URL slug: lowercase ASCII words joined by hyphens (Vietnamese folds to ASCII, đ → d).

    Also Markdown's toc `slugify`, so heading anchors read "den-giai-phap", not "en-giai-phap". Plain titles and
    headings (PLAIN_TITLE, most of them) are folded here, in a fifth of python-slugify's time and to the same
    slug (tests/test_slugs.py); anything else goes to python-slugify.
    """
    if PLAIN_TITLE.fullmatch(text):
        return separator.join(word for word in NOT_ALPHANUMERIC.split(fold(text)) if word)
    return str(slugify(text.replace("đ", "d").replace("Đ", "D"), separator=separator))
