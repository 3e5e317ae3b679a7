"""Material's chrome drawn once per build (bantin.chrome) leaves every page as drawing it for each page does, and a
site's own template for a block is drawn for every page, with that page's values."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

import bantin.plugin
from bantin.chrome import BLOCKS, Chrome, kept_blocks
from tests.conftest import DEMO_CONTENT
from tests.test_build_cache import project_over, tree


def project_with(root: Path, overrides: dict[str, str]) -> Path:
    """The demo site's configuration with a custom_dir holding `overrides` (template name → source)."""
    return project_over(root, DEMO_CONTENT, {"README.txt": "", **overrides})


def build_project(project: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BANTIN_CONTENT_DIR", str(project / "content"))
    monkeypatch.setenv("BANTIN_CACHE_DIR", str(site.parent / f"{site.name}-cache"))
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(site), strict=True))
    return site


def test_pages_drawn_with_fragments_equal_pages_drawn_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = project_with(tmp_path / "project", {})
    kept: list[object] = []
    original = Chrome

    def keeping(*args: object) -> object:
        chrome = original(*args)  # type: ignore[arg-type]
        kept.append(chrome)
        return chrome

    monkeypatch.setattr(bantin.plugin, "Chrome", keeping)
    with_fragments = tree(build_project(project, tmp_path / "fragments", monkeypatch))
    chrome = kept[-1]
    assert sorted(chrome.kept) == sorted(BLOCKS)  # type: ignore[attr-defined]
    pages = [name for name in with_fragments if name.endswith(".html")]
    # Each block is drawn once per depth and menu entry, not once per page.
    assert 0 < len(chrome.fragments) < len(pages)  # type: ignore[attr-defined]
    monkeypatch.setattr(bantin.plugin, "kept_blocks", lambda dirs: [])
    whole = tree(build_project(project, tmp_path / "whole", monkeypatch))
    assert sorted(with_fragments) == sorted(whole)
    assert [name for name in whole if with_fragments[name] != whole[name]] == []


def test_a_block_the_site_overrides_is_drawn_for_every_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    footer = '<footer class="md-footer" data-page="{{ page.url }}">{{ page.title }}</footer>'
    project = project_with(tmp_path / "project", {"partials/footer.html": footer})
    site = build_project(project, tmp_path / "site", monkeypatch)
    pages = [path for path in site.rglob("index.html") if "/assets/" not in path.as_posix()]
    assert len(pages) > 20
    for path in pages:
        html = path.read_text(encoding="utf-8")
        url = path.parent.relative_to(site).as_posix() + "/"
        found = re.search(r'<footer class="md-footer" data-page="([^"]*)">', html)
        assert found is not None, path
        assert found.group(1) == ("" if url == "./" else url), path


def test_kept_blocks_leave_out_what_a_site_overrides(tmp_path: Path) -> None:
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "footer.html").write_text("", encoding="utf-8")
    assert "footer" not in kept_blocks([str(tmp_path)])
    assert "header" in kept_blocks([str(tmp_path)])
    (tmp_path / "main.html").write_text("", encoding="utf-8")
    assert kept_blocks([str(tmp_path)]) == []
    assert sorted(kept_blocks([])) == sorted(BLOCKS)
