"""What a unit's site gets without writing it in mkdocs.yml, and how a setting the site wrote always wins.

A unit's mkdocs.yml needs only `site_name`, `site_url`, `theme: material` and `plugins: [bantin]`: the rest of the
Vietnamese bulletin (language, system fonts, menu, heading anchors…) is filled in here, key by key, only where the
site's own file leaves the key out. MkDocs keeps no record of which keys a file set, so the file is read again for
its keys only (tags such as `!ENV` are not evaluated; `INHERIT` is followed as MkDocs follows it).
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config.defaults import MkDocsConfig

from bantin.text import make_slug

NAV: tuple[tuple[str, str], ...] = (
    ("Trang chủ", "index.md"),
    ("Tin tức", "tin/index.md"),
    ("Kết luận", "ket-luan/index.md"),
    ("Văn bản", "van-ban/index.md"),
    ("Đơn vị", "don-vi/index.md"),
    ("Lưu trữ", "luu-tru/index.md"),
    ("Xem nhiều", "xem-nhieu/index.md"),
)
"""The menu: the sections only, never the items (thousands of entries would slow every build and page)."""

THEME: Mapping[str, Any] = {
    "language": "vi",
    "font": False,  # no request to a font service: system fonts carry every Vietnamese glyph
    "palette": {"primary": "custom", "accent": "custom"},  # bantin.css sets a dark red with enough contrast
    "features": ["navigation.top", "navigation.tracking"],
}
"""Material options, each applied only when the site's `theme:` does not set it."""

HOME_TEMPLATE = "bantin/home.html"


class _KeysLoader(yaml.SafeLoader):
    """Reads the structure of mkdocs.yml; any tagged value (`!ENV`, `!!python/name`, `!relative`) becomes None."""


_KeysLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_KeysLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def written_settings(config_file: str | None) -> dict[str, Any]:
    """The settings the site's own mkdocs.yml (and the files it INHERITs) writes, values unevaluated."""
    if not config_file or not Path(config_file).is_file():
        return {}
    path = Path(config_file)
    settings = yaml.load(path.read_text(encoding="utf-8"), Loader=_KeysLoader) or {}
    if not isinstance(settings, dict):
        return {}
    parent = settings.pop("INHERIT", None)
    if isinstance(parent, str):
        inherited = written_settings(str(path.parent / parent))
        return merge(inherited, settings)
    return settings


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def apply_defaults(config: MkDocsConfig, written: Mapping[str, Any]) -> None:
    """Fill every bulletin default the site did not write; a key the site wrote is never touched."""
    theme = written.get("theme")
    theme_keys = set(theme) if isinstance(theme, dict) else set()
    if config.theme.name == "material":
        for key, value in THEME.items():
            if key not in theme_keys:
                config.theme[key] = value
    extra = written.get("extra")
    if not (isinstance(extra, dict) and "generator" in extra):
        config.extra["generator"] = False  # no "Made with Material for MkDocs" line
    if "nav" not in written:
        config.nav = [{title: uri} for title, uri in NAV]
    if "markdown_extensions" not in written:
        # Heading anchors in plain ASCII ("#ket-qua-noi-bat"), images and tables with attributes.
        config.markdown_extensions = ["toc", "tables", "fenced_code", "attr_list"]
        config.mdx_configs["toc"] = {"permalink": False, "slugify": make_slug}


def home_markdown(site_name: str, description: str | None) -> str:
    """The home page's text when the site has no docs/index.md: its name and description."""
    lines = ["---", f"template: {HOME_TEMPLATE}", "title: Trang chủ", "---", "", f"# {escape(site_name)}", ""]
    if description:
        lines += [escape(description), ""]
    return "\n".join(lines)
