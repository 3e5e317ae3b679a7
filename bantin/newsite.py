"""`bantin init [FOLDER]`: a new unit's site that builds and serves at once, as `mkdocs new` does for MkDocs.

The files come from `bantin/starter/` (shipped in the package); a few values are filled in from the command line.
Nothing that exists is overwritten: the files already there are named and nothing is written.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from html import escape
from importlib import metadata
from pathlib import Path
from string import Template

STARTER = Path(__file__).parent / "starter"
VIETNAM = timezone(timedelta(hours=7))
EXAMPLE_SLUG = "ra-mat-trang-ban-tin"

# Starter file → where it goes in the new site. Dot-files are stored without their dot so packaging keeps them.
LAYOUT: Mapping[str, str] = {
    "mkdocs.yml": "mkdocs.yml",
    "requirements.txt": "requirements.txt",
    "gitignore": ".gitignore",
    "docs/index.md": "docs/index.md",
    "content/don-vi.yml": "content/don-vi.yml",
    "content/example.md": "content/tin/{year}/" + EXAMPLE_SLUG + ".md",
    "github/workflows/bantin.yml": ".github/workflows/bantin.yml",
    "gitlab-ci.yml": ".gitlab-ci.yml",
}
FILLED = {"mkdocs.yml", "requirements.txt", "docs/index.md", "content/don-vi.yml", "content/example.md"}
"""Starter files with `${…}` values to fill in; the CI files are copied as they are (their `${{ }}` is theirs)."""


class FolderNotEmpty(Exception):
    """The files `bantin init` would write exist already."""

    def __init__(self, existing: list[Path]) -> None:
        super().__init__(", ".join(str(path) for path in existing))
        self.existing = existing


@dataclass(frozen=True)
class NewSite:
    unit: str
    site_name: str
    site_url: str
    description: str
    today: datetime


def requirement() -> str:
    """How the new site's CI installs this very Bản tin: the repository it came from, else its released version."""
    try:
        distribution = metadata.distribution("bantin")
    except metadata.PackageNotFoundError:
        return "bantin"
    origin = distribution.read_text("direct_url.json")
    if origin:
        source = json.loads(origin)
        vcs = source.get("vcs_info")
        if vcs and vcs.get("vcs") == "git":
            return f"bantin @ git+{source['url']}@{vcs['commit_id']}"
    return f"bantin=={distribution.version}"


def values(site: NewSite) -> dict[str, str]:
    """What the starter's `${…}` become: quoted for YAML where they land in YAML, escaped where in Markdown."""

    def yaml_text(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid double-quoted YAML scalar

    return {
        "site_name": yaml_text(site.site_name),
        "site_description": yaml_text(site.description),
        "site_url": site.site_url.replace('"', "%22"),
        "unit": yaml_text(site.unit),
        "example_title": yaml_text(f"Ra mắt trang bản tin của {site.unit}"),
        "date": site.today.strftime("%Y-%m-%d %H:%M"),
        "requirement": requirement(),
    }


def markdown_values(site: NewSite) -> dict[str, str]:
    plain = {key: escape(value, quote=False) for key, value in (("unit", site.unit), ("site_name", site.site_name))}
    return {**values(site), **plain, "site_description": escape(site.description, quote=False)}


def render(starter: str, site: NewSite) -> str:
    text = (STARTER / starter).read_text(encoding="utf-8")
    if starter not in FILLED:
        return text
    if starter.endswith(".md"):
        # Frontmatter takes YAML values, the body plain text: fill the two parts separately.
        _, head, body = text.split("---\n", 2)
        head = Template(head).substitute(values(site))
        return f"---\n{head}---\n" + Template(body).substitute(markdown_values(site))
    return Template(text).substitute(values(site))


def create_site(folder: Path, site: NewSite) -> list[Path]:
    """Write a new unit's site into `folder` (created if missing); returns the files written, in order."""
    targets = {starter: folder / target.format(year=site.today.year) for starter, target in LAYOUT.items()}
    existing = [path for path in targets.values() if path.exists()]
    if existing:
        raise FolderNotEmpty(existing)
    for starter, path in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(starter, site), encoding="utf-8")
    return list(targets.values())


def new_site(unit: str, site_name: str | None, site_url: str, now: datetime | None = None) -> NewSite:
    today = (now or datetime.now(VIETNAM)).astimezone(VIETNAM).replace(second=0, microsecond=0, tzinfo=None)
    return NewSite(
        unit=unit,
        site_name=site_name or f"Bản tin {unit}",
        site_url=site_url if site_url.endswith("/") else site_url + "/",
        description=f"Tin tức và thông báo kết luận của {unit}.",
        today=today,
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", nargs="?", default=".", type=Path, help="thư mục của trang mới (mặc định: .)")
    parser.add_argument("--don-vi", dest="unit", default="Ban Dân vận", help="tên đầy đủ của đơn vị đăng bài")
    parser.add_argument("--ten-trang", dest="site_name", help='tên trang (mặc định: "Bản tin" và tên đơn vị)')
    parser.add_argument(
        "--dia-chi",
        dest="site_url",
        default="https://bantin.example.vn/",
        help="địa chỉ trang sẽ được đăng (GitHub Pages, GitLab Pages tự đặt khi đăng)",
    )


def run_init(args: argparse.Namespace) -> int:
    site = new_site(args.unit, args.site_name, args.site_url)
    try:
        written = create_site(args.folder, site)
    except FolderNotEmpty as error:
        names = "\n".join(f"  {path}" for path in error.existing)
        print(f"Không tạo trang mới: các tệp sau đã có, Bản tin không ghi đè:\n{names}", file=sys.stderr)
        return 1
    print(f"Đã tạo trang bản tin của {site.unit} trong {args.folder}:")
    for path in written:
        print(f"  {path}")
    print(
        "Tiếp theo: sửa site_url trong mkdocs.yml nếu trang tự đăng trên máy chủ riêng, viết bài trong content/,"
        f" rồi chạy `cd {args.folder}` và `mkdocs serve` để xem trước."
    )
    return 0
