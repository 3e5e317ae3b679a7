"""Bản tin: static bulletin sites for Vietnamese Party committees and mass organizations."""

from __future__ import annotations

from bantin.cpu import sort_without_avx512

sort_without_avx512()  # before anything imports numpy (bantin.cpu)

from bantin.collection import Collection  # noqa: E402
from bantin.errors import ContentError, ContentErrors  # noqa: E402
from bantin.loader import load_content  # noqa: E402

__all__ = ["Collection", "ContentError", "ContentErrors", "load_content"]
