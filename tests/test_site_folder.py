"""What a build left in a site folder: pruning what it did not write, and the search index's files recorded."""

from __future__ import annotations

import os
from pathlib import Path

from bantin.output import Manifest, prune, stats_under


def tree(root: Path) -> set[str]:
    found = set()
    for folder, dirs, names in os.walk(root):
        relative = Path(folder).relative_to(root).as_posix()
        found |= {f"{relative}/{name}/" if relative != "." else f"{name}/" for name in dirs}
        found |= {f"{relative}/{name}" if relative != "." else name for name in names}
    return found


def make(root: Path, *paths: str) -> None:
    for path in paths:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path, encoding="utf-8")


def test_prune_removes_what_the_build_did_not_write_and_the_folders_left_empty(tmp_path: Path) -> None:
    site = tmp_path / "site"
    make(
        site,
        "index.html",
        "tin/2024/bai-con/index.html",
        "tin/2024/bai-bo/index.html",
        "tin/2023/bai-bo/index.html",
        "tim-kiem/chi-muc/v1/t/0.bin",
        "tim-kiem/chi-muc/v1/meta.bin",
        "tim-kiem/index.html",
        ".git/HEAD",
        ".nojekyll",
        "tin/.an/tep",
    )
    expected = {os.path.normpath(site / path) for path in ("index.html", "tin/2024/bai-con/index.html")}
    prune(site, expected, keep=("tim-kiem/chi-muc/v1",))
    assert tree(site) == {
        "index.html",
        "tin/",
        "tin/2024/",
        "tin/2024/bai-con/",
        "tin/2024/bai-con/index.html",
        "tim-kiem/",
        "tim-kiem/chi-muc/",
        "tim-kiem/chi-muc/v1/",
        "tim-kiem/chi-muc/v1/t/",
        "tim-kiem/chi-muc/v1/t/0.bin",
        "tim-kiem/chi-muc/v1/meta.bin",
        ".git/",
        ".git/HEAD",
        ".nojekyll",
    }


def test_prune_of_a_missing_folder_does_nothing(tmp_path: Path) -> None:
    prune(tmp_path / "absent", set())
    assert not (tmp_path / "absent").exists()


def test_a_recorded_index_is_held_only_while_every_file_is_as_written(tmp_path: Path) -> None:
    site = tmp_path / "site"
    make(site, "idx/v1/meta.bin", "idx/v1/t/0.bin", "idx/v1/d/0.bin")
    manifest = Manifest(str(site))
    manifest.record_index("idx/v1", "key", "figures")
    assert set(stats_under(str(site / "idx/v1"))) == {"meta.bin", "t/0.bin", "d/0.bin"}
    assert manifest.holds_index("idx/v1", "key") == "figures"
    assert manifest.holds_index("idx/v1", "other key") is None
    (site / "idx/v1/t/1.bin").write_bytes(b"x")  # a file the index did not have
    assert manifest.holds_index("idx/v1", "key") is None
    (site / "idx/v1/t/1.bin").unlink()
    assert manifest.holds_index("idx/v1", "key") == "figures"
    (site / "idx/v1/d/0.bin").write_bytes(b"changed in size")
    assert manifest.holds_index("idx/v1", "key") is None
    (site / "idx/v1/d/0.bin").unlink()
    assert manifest.holds_index("idx/v1", "key") is None


def test_an_index_brought_up_to_date_is_recorded_as_a_full_look_would_find_it(tmp_path: Path) -> None:
    site = tmp_path / "site"
    make(site, "idx/v1/meta.bin", "idx/v1/t/0.bin", "idx/v1/t/1.bin")
    before = stats_under(str(site / "idx/v1"))
    os.rename(site / "idx/v1", site / "idx/v2")  # brought up to date: one file gone, one rewritten, one added
    (site / "idx/v2/t/1.bin").unlink()
    (site / "idx/v2/meta.bin").write_bytes(b"a new entry file")
    (site / "idx/v2/d").mkdir()
    (site / "idx/v2/d/0.bin").write_bytes(b"added")
    manifest = Manifest(str(site))
    files = ["meta.bin", "t/0.bin", "d/0.bin"]
    manifest.record_index("idx/v2", "key", "figures", (before, files, ["meta.bin", "d/0.bin"]))
    assert manifest.index is not None and manifest.index[3] == stats_under(str(site / "idx/v2"))
    assert manifest.holds_index("idx/v2", "key") == "figures"
    # a file the base's stats lack: every file is looked at instead
    manifest.record_index("idx/v2", "key", "figures", ({}, files, ["meta.bin"]))
    assert manifest.index is not None and manifest.index[3] == stats_under(str(site / "idx/v2"))
