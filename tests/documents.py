"""The real documents of tests/data/documents/documents.yml as a content folder, read from where they live."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tests.conftest import REPO

DATA = REPO / "tests" / "data" / "documents"
REALWORLD = REPO.parent / "shared" / "realworld"


def markdown_files() -> list[Path]:
    """The demo content's Markdown files and the real Party, State and Front documents' (../shared/realworld, with
    their sources in its README) where that folder is present."""
    paths = sorted((REPO / "content").rglob("*.md"))
    if REALWORLD.is_dir():
        paths += sorted(REALWORLD.rglob("*.md"))
    return paths


def table() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DATA / "documents.yml").read_text(encoding="utf-8"))
    return loaded


def source_path(file: str) -> Path:
    """Where a listed file is read: ../shared/realworld, the demo content, or this folder."""
    if file.startswith("realworld/"):
        return REALWORLD / file.removeprefix("realworld/")
    if file.startswith("content/"):
        return REPO / file
    return REPO / file


def content_path(file: str) -> str:
    """The file's place in a content folder: `ket-luan/2025/…` or `tin/2025/…`."""
    parts = file.split("/")
    start = parts.index("ket-luan") if "ket-luan" in parts else parts.index("tin")
    return "/".join(parts[start:])


def with_fields(text: str, added: dict[str, Any]) -> str:
    """The file with frontmatter fields added (or replaced), as an editor would write them."""
    _, head, body = text.split("---\n", 2)
    fields = yaml.safe_load(head)
    kept = [line for line in head.splitlines(keepends=True) if line.split(":")[0] not in added]
    if any(key in added for key in fields):  # a replaced key's continuation lines go too
        kept = []
        skipping = False
        for line in head.splitlines(keepends=True):
            key = line.split(":")[0]
            if not line.startswith((" ", "-")):
                skipping = key in added
            if not skipping:
                kept.append(line)
    extra = yaml.safe_dump(added, allow_unicode=True, sort_keys=False)
    return "---\n" + "".join(kept) + extra + "---\n" + body


def registry() -> str:
    """../shared/realworld/don-vi.yml with this folder's additions merged into its entries."""
    units = yaml.safe_load((REALWORLD / "don-vi.yml").read_text(encoding="utf-8"))["units"]
    additions = yaml.safe_load((DATA / "don-vi.yml").read_text(encoding="utf-8"))["units"]
    by_name = {unit["name"]: unit for unit in units}
    for addition in additions:
        if addition["name"] in by_name:
            by_name[addition["name"]].update(addition)
        else:
            units.append(addition)
    return yaml.safe_dump({"units": units}, allow_unicode=True, sort_keys=False)


def write_content(root: Path, *, with_additions: bool = True) -> Path:
    """A content folder holding every listed document and news item, and the merged registry."""
    listed = table()
    root.mkdir(parents=True, exist_ok=True)
    (root / "don-vi.yml").write_text(registry(), encoding="utf-8")
    for entry in listed["documents"] + listed["news"]:
        text = source_path(entry["file"]).read_text(encoding="utf-8")
        if with_additions and entry.get("add"):
            text = with_fields(text, entry["add"])
        target = root / content_path(entry["file"])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root
