"""`bantin init`: a new unit's site that builds, serves (and reloads on a content edit) at once, with valid CI files."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from bantin.cli import main
from tests.conftest import free_port
from tests.linkcheck import broken_links

BIN = Path(sys.executable).parent
UNIT = 'Ban Dân vận Huyện ủy Hải Hà: "Dân vận khéo"'  # a colon and quotes: what breaks hand-written YAML


def init(folder: Path, *args: str) -> int:
    return main(["init", str(folder), "--don-vi", UNIT, *args])


def test_init_creates_a_site_that_builds_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "ban-tin"
    assert init(folder, "--dia-chi", "https://haiha.example.vn/ban-tin") == 0
    names = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())
    year = time.localtime().tm_year
    assert {".github/workflows/bantin.yml", ".gitlab-ci.yml", ".gitignore", "mkdocs.yml", "content/don-vi.yml"} <= set(
        names
    )
    assert any(name.startswith(f"content/tin/{year - 1}/") or name.startswith(f"content/tin/{year}/") for name in names)
    assert "mkdocs serve" in capsys.readouterr().out
    build(load_config(str(folder / "mkdocs.yml"), strict=True))
    site = folder / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="vi"' in home
    assert '>Bản tin Ban Dân vận Huyện ủy Hải Hà: "Dân vận khéo"</h1>' in home
    assert "<title>Trang chủ – Bản tin Ban Dân vận Huyện ủy Hải Hà: &#34;Dân vận khéo&#34;</title>" in home
    assert "Ra mắt trang bản tin" in home
    assert broken_links(site, "https://haiha.example.vn/ban-tin/") == []


def test_init_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "ban-tin"
    folder.mkdir()
    (folder / "mkdocs.yml").write_text("site_name: Của đơn vị\n", encoding="utf-8")
    assert init(folder) == 1
    assert (folder / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: Của đơn vị\n"
    assert not (folder / "content").exists()
    assert "mkdocs.yml" in capsys.readouterr().err


def test_ci_files_pass_the_platforms_validators(tmp_path: Path) -> None:
    init(tmp_path)
    workflow = tmp_path / ".github" / "workflows" / "bantin.yml"
    gitlab = tmp_path / ".gitlab-ci.yml"
    lint = subprocess.run([BIN / "actionlint", "-no-color", str(workflow)], capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    for schema, path in (("vendor.github-workflows", workflow), ("vendor.gitlab-ci", gitlab)):
        check = subprocess.run(
            [BIN / "check-jsonschema", "--builtin-schema", schema, str(path)], capture_output=True, text=True
        )
        assert check.returncode == 0, check.stdout + check.stderr
    steps = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    triggers = steps[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["branches"] == ["main"] and triggers["schedule"][0]["cron"] == "5 17 * * *"
    runs = [step.get("run", "") for step in steps["jobs"]["build"]["steps"]]
    assert any("bantin check content" in run for run in runs) and any("mkdocs build --strict" in run for run in runs)
    assert any(step.get("uses", "").startswith("actions/cache@") for step in steps["jobs"]["build"]["steps"])
    assert steps["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages@")
    pipeline = yaml.safe_load(gitlab.read_text(encoding="utf-8"))
    assert pipeline["pages"]["artifacts"]["paths"] == ["public"]
    assert ".cache/" in pipeline["cache"]["paths"]
    assert "bantin check content" in pipeline["pages"]["script"]


def fetch(url: str, attempts: int = 120) -> str:
    """The page at `url`, waiting for the server to come up (bounded: `attempts` tries, 0.25 s apart)."""
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return str(response.read().decode("utf-8"))
        except OSError:
            time.sleep(0.25)
    raise AssertionError(f"{url} did not answer")


def test_init_then_serve_gives_the_site_and_reloads_on_a_content_edit(tmp_path: Path) -> None:
    init(tmp_path)
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [BIN / "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        home = fetch(f"http://127.0.0.1:{port}/")
        assert "Ra mắt trang bản tin" in home and '<html lang="vi"' in home
        registry = (tmp_path / "content" / "don-vi.yml").read_text(encoding="utf-8")
        item = tmp_path / "content" / "tin" / "2024" / "hoi-nghi-dan-van.md"
        item.parent.mkdir(parents=True, exist_ok=True)
        unit = yaml.safe_load(registry)["units"][0]["name"]
        item.write_text(f"---\ntitle: Hội nghị dân vận\ndate: 2024-05-20\nunit: '{unit}'\n---\nNội dung.\n", "utf-8")
        for _ in range(120):  # the rebuild after the edit: bounded wait, never a timing assertion
            page = fetch(f"http://127.0.0.1:{port}/tin/")
            if "Hội nghị dân vận" in page:
                break
            time.sleep(0.25)
        assert "Hội nghị dân vận" in page
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_starter_ships_every_file_the_layout_names() -> None:
    from bantin.newsite import LAYOUT, STARTER

    assert sorted(LAYOUT) == sorted(
        path.relative_to(STARTER).as_posix() for path in STARTER.rglob("*") if path.is_file()
    )
