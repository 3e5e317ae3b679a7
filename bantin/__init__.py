"""Bản tin: static bulletin sites for Vietnamese Party committees and mass organizations."""

from __future__ import annotations

from bantin.collection import Collection
from bantin.errors import ContentError, ContentErrors
from bantin.loader import load_content

__all__ = ["Collection", "ContentError", "ContentErrors", "load_content"]
