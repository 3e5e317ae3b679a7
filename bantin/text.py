"""Reading editors' files: UTF-8 with or without BOM, any line ending, always NFC."""

from __future__ import annotations

import functools
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


@functools.cache
def make_slug(text: str, separator: str = "-") -> str:
    """URL slug: lowercase ASCII words joined by hyphens (Vietnamese folds to ASCII, đ → d).

    Also Markdown's toc `slugify`, so heading anchors read "den-giai-phap", not "en-giai-phap".
    """
    return str(slugify(text.replace("đ", "d").replace("Đ", "D"), separator=separator))
