"""Material's chrome made once per build: a block of `base.html` that every generated page draws alike.

A page's masthead, stylesheets, scripts, footer and `__config` JSON depend on the configuration (fixed for a
build), on the links they make relative to the page, and on a few values of the page named here (the menu's
current entry, the page's neighbours in the nav). Drawn for every page they were a tenth to a sixth of the
templates' time (bench/README.md, "Rendering CPU, fourth round"). Each such block is rendered once and kept under
exactly what it depends on: the block's name, the page's way to the site root (`base_url`), the page's own values
for that block, and where the page stands to every link the block made (`bantin.urls.ServedLinks.position`: its
depth and the folders it shares with those links, which decide them, without making each link again). A page whose
links differ (another depth, another section for the menu) draws the block again.

Only blocks whose templates are Material's or Bản tin's are kept: a block a site's `custom_dir` overrides, or
draws from a partial it overrides, is drawn for every page as before (its dependencies are the site's own).
tests/test_chrome.py compares pages drawn with and without the fragments.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import material
import mkdocs
from jinja2 import pass_context
from jinja2.runtime import Context
from mkdocs.utils.templates import TemplateContext, url_filter

from bantin.urls import Reach, ServedLinks

ALWAYS = ("main.html", "base.html", "bantin/base.html", "partials/language.html", "partials/languages/")
"""Templates every block below depends on: overriding one of them draws every block for every page."""

BLOCKS: dict[str, tuple[str, ...]] = {
    "styles": ("partials/icons.html", ".icons/"),
    "libs": (),
    "fonts": (),
    "analytics": ("partials/integrations/",),
    "header": ("partials/header.html", ".icons/"),
    "footer": ("partials/footer.html", "partials/copyright.html", "partials/social.html", ".icons/"),
    "config": (),
    "scripts": (),
}
"""The blocks kept, with the templates (names or folders) each draws besides ALWAYS."""


@dataclass
class Fragment:
    """One block as drawn for one set of inputs: the values it passed to `url`, and its output by where a page
    stands to them (`ServedLinks.position`)."""

    targets: tuple[str, ...]
    reach: Reach
    made: dict[Hashable, Any] = field(default_factory=dict)


class Chrome:
    """The fragments of one build (a fresh one for each build: `on_env` makes it). Templates call `find` at the
    start of a kept block and `keep` with what they drew when `find` found nothing.

    Fragments are looked up only while `active` (the generated pages being rendered).
    """

    def __init__(self, links: ServedLinks, kept: Iterable[str], extra_javascript: Iterable[object]) -> None:
        self.links = links
        self.url = links.filter
        self.kept = frozenset(kept)
        self.extra_javascript = tuple(extra_javascript)
        self.active = False
        self.fragments: dict[tuple[object, ...], Fragment] = {}
        self.pending: list[tuple[tuple[object, ...], list[str]]] = []

    def recording(self) -> Callable[..., str]:
        """The `url` filter, noting each value it is given for the blocks being drawn."""
        url = self.url

        @pass_context
        def recorded(context: Context, value: object) -> str:
            for _, targets in self.pending:
                targets.append(str(value))
            return url(context, value)

        self.filter = recorded
        return recorded

    def key(self, name: str, context: Context) -> tuple[object, ...] | None:
        """What the block `name` draws from this page besides its links; None when it is drawn afresh."""
        if not self.active or name not in self.kept or context.environment.filters.get("url") is not self.filter:
            return None
        page = context.get("page")
        if page is None:
            return None
        if name == "header":
            sections = context.get("bt_sections")
            own: tuple[object, ...] = (context.get("bt_current"), page.url == getattr(sections, "search", None))
        elif name == "footer":
            if page.previous_page is not None or page.next_page is not None:
                return None
            own = ()
        elif name == "scripts":
            own = tuple(url_filter(cast(TemplateContext, context), str(script)) for script in self.extra_javascript)
        else:
            own = ()
        return (name, context.get("base_url"), own)

    @pass_context
    def find(self, context: Context, name: str) -> Any:
        """The block as drawn before for the same inputs, or None (then the template draws it and calls `keep`)."""
        key = self.key(name, context)
        if key is None:
            return None
        fragment = self.fragments.get(key)
        if fragment is not None:
            made = fragment.made.get(self.links.position(context, fragment.reach))
            if made is not None:
                return made
        self.pending.append((key, []))
        return None

    @pass_context
    def keep(self, context: Context, name: str, made: Any) -> Any:
        """Keep the block just drawn under its inputs; returns it."""
        if not self.pending or self.pending[-1][0][0] != name:
            return made
        key, targets = self.pending.pop()
        fragment = self.fragments.get(key)
        if fragment is None:
            fragment = self.fragments[key] = Fragment(tuple(targets), self.links.reach(targets))
        if fragment.targets == tuple(targets):
            fragment.made[self.links.position(context, fragment.reach)] = made
        return made


def kept_blocks(site_dirs: Iterable[str]) -> list[str]:
    """The blocks no template in `site_dirs` (a site's own template folders) overrides."""
    overridden = [name for folder in site_dirs for name in templates_in(folder)]

    def touched(prefixes: tuple[str, ...]) -> bool:
        return any(
            name == prefix or (prefix.endswith("/") and name.startswith(prefix))
            for name in overridden
            for prefix in prefixes
        )

    if touched(ALWAYS):
        return []
    return [name for name, prefixes in BLOCKS.items() if not touched(prefixes)]


def site_dirs(theme_dirs: Iterable[str], ours: Path) -> list[str]:
    """The template folders of the site itself (its `custom_dir`, a theme of its own): all but Bản tin's,
    Material's and MkDocs' own."""
    known = [ours.resolve(), Path(material.__file__).parent.resolve(), Path(mkdocs.__file__).parent.resolve()]
    return [folder for folder in theme_dirs if not any(Path(folder).resolve().is_relative_to(root) for root in known)]


def templates_in(folder: str) -> list[str]:
    """Every file under a template folder, by its name as Jinja loads it."""
    names = []
    for root, _, files in os.walk(folder):
        for file in files:
            names.append(os.path.relpath(os.path.join(root, file), folder).replace(os.sep, "/"))
    return names
