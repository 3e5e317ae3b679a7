"""The collector's thresholds are raised while MkDocs builds with Bản tin (bantin.plugin.COLLECTOR) and are the
process's own again once the build is over, as they are after a build that fails."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

import bantin.plugin
from bantin.plugin import COLLECTOR, BantinPlugin
from tests.conftest import REPO


def build_command(content: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What `mkdocs build` does (mkdocs.__main__.build_command): the plugins' startup, the build, their shutdown."""
    monkeypatch.setenv("BANTIN_CONTENT_DIR", str(content))
    monkeypatch.setenv("BANTIN_CACHE_DIR", str(site.parent / "cache"))
    config = load_config(str(REPO / "mkdocs.yml"), site_dir=str(site), strict=True)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config, dirty=False)
    finally:
        config.plugins.on_shutdown()


@pytest.fixture
def thresholds() -> Iterator[tuple[int, ...]]:
    """Thresholds of this process's own for the test (Python's, as a fresh process has them), restored after it."""
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield gc.get_threshold()
    gc.set_threshold(*before)


def test_a_build_runs_with_the_raised_thresholds_and_restores_the_processs_own(
    tmp_path: Path, content: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, thresholds: tuple[int, ...]
) -> None:
    seen: list[tuple[int, ...]] = []
    original = BantinPlugin.on_post_build

    def recording(self: BantinPlugin, config: object) -> None:
        seen.append(gc.get_threshold())
        original(self, config)  # type: ignore[arg-type]

    monkeypatch.setattr(bantin.plugin.BantinPlugin, "on_post_build", recording)
    build_command(content(), tmp_path / "site", monkeypatch)
    assert seen == [COLLECTOR]
    assert gc.get_threshold() == thresholds


def test_a_failed_build_restores_the_processs_own_thresholds(
    tmp_path: Path, content: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, thresholds: tuple[int, ...]
) -> None:
    broken = content({"tin/2023/bai-hong.md": "---\ntitle: [không đóng\n---\nThân bài.\n"})
    with pytest.raises(Abort):  # MkDocs' own way out of a build a plugin failed (here on the unclosed "[")
        build_command(broken, tmp_path / "site", monkeypatch)
    assert not (tmp_path / "site").exists()
    assert gc.get_threshold() == thresholds
