"""The package as a unit installs it: a wheel and an sdist with templates, assets and the starter site, and a wheel
that builds the demo in a clean virtual environment (no site-packages but its own, no source tree on the path)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

BIN = Path(sys.executable).parent
SHIPPED = (
    "bantin/theme/bantin/base.html",
    "bantin/theme/partials/header.html",
    "bantin/theme/404.html",
    "bantin/theme/assets/bantin/bantin.css",
    "bantin/theme/assets/bantin/search.js",
    "bantin/starter/mkdocs.yml",
    "bantin/starter/github/workflows/bantin.yml",
    "bantin/starter/gitlab-ci.yml",
)
SOURCE_ONLY = {".venv", ".git", "site", "build", "dist", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"}


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`python -m build` (sdist, then the wheel from the sdist) on a copy of the source tree."""
    root = tmp_path_factory.mktemp("packaging")
    source = root / "source"
    shutil.copytree(REPO, source, ignore=lambda _, names: [name for name in names if name in SOURCE_ONLY])
    out = root / "dist"
    subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(source)], check=True, capture_output=True)
    return out


def test_wheel_and_sdist_carry_templates_assets_and_the_starter(dist: Path) -> None:
    (wheel,) = dist.glob("bantin-*.whl")
    (sdist,) = dist.glob("bantin-*.tar.gz")
    in_wheel = set(zipfile.ZipFile(wheel).namelist())
    with tarfile.open(sdist) as archive:
        in_sdist = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for name in SHIPPED:
        assert name in in_wheel, f"{name} missing from the wheel"
        assert name in in_sdist, f"{name} missing from the sdist"
    assert not any(name.startswith(("tests/", "content/")) for name in in_wheel)
    entry_points = next(name for name in in_wheel if name.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "bantin = bantin.plugin:BantinPlugin" in text and "bantin = bantin.cli:main" in text


def test_wheel_in_a_clean_environment_builds_the_demo_and_a_new_site(dist: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    (wheel,) = dist.glob("bantin-*.whl")
    # Dependencies come from the package index as for any unit (pip's own cache makes a repeat run quick).
    pip = subprocess.run(
        [venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        capture_output=True,
        text=True,
    )
    assert pip.returncode == 0, pip.stdout + pip.stderr
    demo = tmp_path / "demo"  # the demo site without the source tree: bantin can only come from the wheel
    demo.mkdir()
    for part in ("mkdocs.yml", "docs", "hooks", "content"):
        copy = shutil.copytree if (REPO / part).is_dir() else shutil.copy
        copy(REPO / part, demo / part)
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "BANTIN_CONTENT_DIR")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    found = subprocess.run(
        [venv / "bin" / "python", "-c", "import bantin, sys; print(bantin.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(venv) in found.stdout
    subprocess.run([venv / "bin" / "mkdocs", "build", "--strict", "-q"], cwd=demo, env=env, check=True)
    assert len(list((demo / "site" / "assets" / "bantin").glob("bantin.*.css"))) == 1
    assert "bt-home" in (demo / "site" / "index.html").read_text(encoding="utf-8")
    unit = tmp_path / "don-vi-moi"
    subprocess.run([venv / "bin" / "bantin", "init", str(unit)], env=env, check=True, capture_output=True)
    subprocess.run([venv / "bin" / "mkdocs", "build", "--strict", "-q"], cwd=unit, env=env, check=True)
    assert (unit / "site" / "feed.xml").is_file()
