"""Scripts, stylesheets and the search index are published under content-hashed names, so caches never go stale."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from bantin.fingerprint import hashed_name
from tests.conftest import ARTICLE, build_site


def test_hashed_name_follows_the_bytes() -> None:
    first = hashed_name("assets/bantin/bantin.css", b"a{}")
    assert re.fullmatch(r"assets/bantin/bantin\.[0-9a-f]{10}\.css", first)
    assert hashed_name("assets/bantin/bantin.css", b"a{}") == first
    assert hashed_name("assets/bantin/bantin.css", b"b{}") != first


def test_demo_pages_load_only_hashed_assets_of_ours(demo_site: Path) -> None:
    ours = sorted(path.name for path in (demo_site / "assets" / "bantin").iterdir())
    assert ours and all(re.fullmatch(r"[a-z-]+\.[0-9a-f]{10}\.(css|js)", name) for name in ours), ours
    for page in ("index.html", "tim-kiem/index.html", "404.html"):
        html = (demo_site / page).read_text(encoding="utf-8")
        linked = re.findall(r'(?:href|src)="[^"]*assets/bantin/([^"]+)"', html)
        assert linked and set(linked) <= set(ours), (page, linked)
    search = (demo_site / "tim-kiem" / "index.html").read_text(encoding="utf-8")
    (index,) = re.findall(r'data-index="([^"]+)"', search)
    assert re.fullmatch(r"(\.\./)?chi-muc/[0-9a-f]{10}/", index)
    assert (demo_site / "tim-kiem" / index.removeprefix("../tim-kiem/") / "meta.bin").is_file()


def index_folder(site: Path) -> str:
    (meta,) = site.glob("tim-kiem/chi-muc/*/meta.bin")
    return meta.parent.name


def test_index_folder_changes_with_the_content_and_only_then(
    content: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = content()
    first = index_folder(build_site(folder, tmp_path / "a", monkeypatch))
    assert index_folder(build_site(folder, tmp_path / "b", monkeypatch)) == first
    article = folder / "tin" / "2023" / "nang-cao-chat-luong-khoi-dan-van.md"
    article.write_text(ARTICLE.replace("từng bước", "đã từng bước"), encoding="utf-8")
    assert index_folder(build_site(folder, tmp_path / "c", monkeypatch)) != first


def test_bytes_are_fingerprinted_by_their_digest() -> None:
    """An item's body (UTF-8 bytes) keys the cache by its digest: one byte changed is another key, and the text
    written is short whatever the body's length."""
    from bantin.cache import canonical

    body = "Nội dung bài viết.\n".encode() * 2000
    assert canonical(body) == canonical(bytes(body))
    assert canonical(body) != canonical(body[:-1] + b"!")
    assert canonical(body) != canonical(body + b"\n")
    assert len(canonical(body)) < 64
