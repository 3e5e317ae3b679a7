"""Serve's rebuilds run in a builder process (bantin.rebuilds): each call is one build there, a failure is
reported as MkDocs reports a failed build, the builder outlives it, and once stopped the builds run here again."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from bantin.rebuilds import Rebuilds


def test_rebuilds_run_in_the_builder_and_report_failures(tmp_path: Path) -> None:
    built = tmp_path / "built-by"
    failing = tmp_path / "failing"

    def build() -> None:
        if failing.exists():
            raise SystemExit(failing.read_text(encoding="utf-8"))
        built.write_text(str(os.getpid()), encoding="utf-8")

    rebuilds = Rebuilds(build)
    try:
        rebuilds()
        builder = int(built.read_text(encoding="utf-8"))
        assert builder != os.getpid()
        failing.write_text("Aborted with 2 warnings in strict mode!", encoding="utf-8")
        with pytest.raises(Abort, match="2 warnings in strict mode"):
            rebuilds()
        failing.unlink()
        built.unlink()
        rebuilds()  # the same builder, after a failed build
        assert int(built.read_text(encoding="utf-8")) == builder
    finally:
        rebuilds.stop()
    rebuilds()
    assert int(built.read_text(encoding="utf-8")) == os.getpid()


def test_an_error_in_a_build_is_reported_with_its_message(tmp_path: Path) -> None:
    def build() -> None:
        raise ValueError("tệp hỏng")

    rebuilds = Rebuilds(build)
    try:
        with pytest.raises(Abort, match="ValueError: tệp hỏng"):
            rebuilds()
    finally:
        rebuilds.stop()


def test_a_builder_that_died_is_reported_once_then_builds_run_here(tmp_path: Path) -> None:
    built = tmp_path / "built-by"

    def build() -> None:
        built.write_text(str(os.getpid()), encoding="utf-8")

    rebuilds = Rebuilds(build)
    try:
        os.kill(rebuilds.pid, signal.SIGKILL)
        with pytest.raises(Abort):
            rebuilds()
        rebuilds()
        assert int(built.read_text(encoding="utf-8")) == os.getpid()
    finally:
        rebuilds.stop()
