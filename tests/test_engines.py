"""The same site under MkDocs 1.6 and under ProperDocs, its maintained continuation: identical pages.

ProperDocs loads plugins written for MkDocs (it redirects their `mkdocs.*` imports to its own modules), so a unit
can switch engines with one command. Each build runs in its own process, as a unit runs it, with a fixed
SOURCE_DATE_EPOCH so that build dates agree.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

BIN = Path(sys.executable).parent
GENERATOR = 'name="generator"'


def engine_build(engine: str, site: Path) -> Path:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1735689600", "NO_MKDOCS_2_WARNING": "1"}
    env.pop("BANTIN_CONTENT_DIR", None)
    env["DISABLE_MKDOCS_2_WARNING"] = "true"
    result = subprocess.run(
        [BIN / engine, "build", "--strict", "-q", "-f", str(REPO / "mkdocs.yml"), "-d", str(site)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"{engine}: {result.stderr}"
    return site


def files_of(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in site.rglob("*") if path.is_file()}


def without_generator(html: bytes) -> bytes:
    """Each engine names itself in <meta name="generator">: the one line that may differ."""
    return b"\n".join(line for line in html.split(b"\n") if GENERATOR.encode() not in line)


@pytest.mark.parametrize("engine", ["properdocs"])
def test_demo_builds_the_same_pages_under_properdocs(tmp_path: Path, engine: str) -> None:
    reference = files_of(engine_build("mkdocs", tmp_path / "mkdocs"))
    other = files_of(engine_build(engine, tmp_path / engine))
    assert sorted(other) == sorted(reference)
    different = [
        name
        for name, data in reference.items()
        if (without_generator(data) if name.endswith(".html") else data)
        != (without_generator(other[name]) if name.endswith(".html") else other[name])
    ]
    assert different == []
    assert len([name for name in reference if name.endswith(".html")]) > 50
    assert b"ProperDocs" in other["index.html"] and b"ProperDocs" not in reference["index.html"]
