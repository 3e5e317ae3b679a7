"""The MkDocs plugin: a thin adapter from MkDocs events to the collection and its generated pages."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from html import escape
from pathlib import Path
from urllib.parse import urljoin

from jinja2 import Environment, FileSystemBytecodeCache
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

from bantin import vietnamese
from bantin.chrome import Chrome
from bantin.citations import document_slug, link_citations, number_source
from bantin.collection import Collection
from bantin.documents import DocumentKind
from bantin.errors import ContentErrors
from bantin.excerpts import excerpt
from bantin.feeds import alternate_links, feed_kind, feeds, page_lastmods, robots_txt, rss
from bantin.figures import figures
from bantin.loader import content_assets, load_content
from bantin.output import Sweeper, bring_back, prune, set_aside
from bantin.pages import PageSpec, site_pages
from bantin.preview import error_panel, with_panel
from bantin.render import CachedPage, Job, cached_file, copy_all, publish, render_missing, render_page
from bantin.search import INDEX_DIR, IndexStats, write_search_index
from bantin.site import SiteContext
from bantin.site_cache import SiteCache
from bantin.text import make_slug

log = get_plugin_logger(__name__)
THEME_DIR = Path(__file__).parent / "theme"
PREVIEW_LENGTH = 200
NAV_PAGES = {
    "tin/index.md",
    "ket-luan/index.md",
    "van-ban/index.md",
    "don-vi/index.md",
    "luu-tru/index.md",
    "xem-nhieu/index.md",
}


class BantinConfig(Config):
    content_dir = c.Type(str, default="content")
    """Folder holding `tin/`, `ket-luan/` and `don-vi.yml`, relative to mkdocs.yml.

    ```yaml
    plugins:
      - bantin:
          content_dir: !ENV [BANTIN_CONTENT_DIR, content]
    ```
    """
    per_page = c.Type(int, default=20)
    """Items per page on paginated listings (organization pages, news)."""
    cache = c.Type(bool, default=True)
    """Keep rendered pages, parsed items and the search index in `.cache/bantin/` to build only what changed."""


class BantinPlugin(BasePlugin[BantinConfig]):
    def __init__(self) -> None:
        self.serving = False
        self.collection: Collection | None = None
        self.specs: dict[str, PageSpec] = {}
        self.lastmods: dict[str, str] = {}
        self.assets: list[tuple[str, Path]] = []
        self.cache: SiteCache | None = None
        self.jobs: list[Job] = []
        self.nav: Navigation | None = None
        self.content_dir: Path | None = None
        self.errors: ContentErrors | None = None  # under serve: the content's errors, shown on every page
        self.last_good: Collection | None = None
        self.rendering = False
        self.index_stats: IndexStats | None = None
        self.sweeper = Sweeper()
        self.files: Files | None = None
        # Under serve: what the previous build published, so a rebuild rewrites only what changed (bantin.output).
        self.published: dict[str, str] | None = None
        self.published_index: tuple[str, str, IndexStats] | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Drafts and scheduled items are shown (marked) only to the editor previewing with `mkdocs serve`.
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # Validate before MkDocs cleans site/: a content mistake must leave the last good site intact.
        content_dir = Path(config.config_file_path).parent / self.config.content_dir
        self.cache = SiteCache.open(config, content_dir, self.serving, self.cache) if self.config.cache else None
        memo = self.cache.memo if self.cache else None
        self.content_dir = content_dir
        self.errors = None
        try:
            self.collection = self.last_good = load_content(content_dir, preview=self.serving, memo=memo)
        except ContentErrors as errors:
            if not self.serving:
                raise PluginError(errors.report()) from None
            # Under serve the preview keeps the last good pages and shows the errors on each (bantin.preview).
            # Printed outside MkDocs' loggers: `serve --strict` must not turn the preview into a stuck page again.
            logging.getLogger("bantin").error(errors.report())
            self.errors = errors
            self.collection = self.last_good or Collection([])
        finally:
            if memo is not None:
                memo.save()
        self.specs = {spec.src_uri: spec for spec in site_pages(self.collection, self.config.per_page)}
        self.lastmods = page_lastmods(self.specs.values(), self.collection)
        self.assets = content_assets(content_dir)
        if "footnotes" not in config.markdown_extensions:  # documents' [^1] notes, drawn before "Nơi nhận"
            config.markdown_extensions.append("footnotes")
        dirs = config.theme.dirs
        dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
        items = len(self.collection.items)
        for note in self.collection.schedule_notes():  # info, not warning: `--strict` must not fail on a draft
            log.info(note)
        log.info(f"{items} bài từ {content_dir.name}/, {len(self.collection.registry.units)} đơn vị")
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Nav pages go through MkDocs' loop; every other generated page is copied from the cache (see render)."""
        assert self.collection is not None
        keys = (
            self.cache.page_keys(config, self.collection, self.specs.values(), self.lastmods, self.assets)
            if self.cache
            else {}
        )
        self.jobs = []
        cached = self.cache.pages.names() if self.cache else set()
        for spec in self.specs.values():
            if files.get_file_from_path(spec.src_uri) is not None:
                raise PluginError(f"docs/{spec.src_uri} trùng địa chỉ với một trang do Bản tin tạo ra; hãy đổi tên tệp")
            if spec.src_uri in NAV_PAGES or self.cache is None:
                inclusion = InclusionLevel.INCLUDED if spec.src_uri in NAV_PAGES else InclusionLevel.NOT_IN_NAV
                files.append(File.generated(config, spec.src_uri, content=spec.markdown, inclusion=inclusion))
                continue
            key = keys[spec.src_uri]
            stand_in = cached_file(config, spec.src_uri, self.cache.pages.location(key, ".html"))
            stand_in.panel = self.error_panel(config)
            files.append(stand_in)
            if key + ".html" not in cached:
                self.jobs.append(Job(spec.src_uri, spec.markdown, key, stand_in))
        for relative, path in self.assets:
            files.append(File.generated(config, relative, abs_src_path=str(path)))
        self.add_feeds(files, config)
        return files

    def error_panel(self, config: MkDocsConfig) -> str:
        return error_panel(self.errors, config.site_url or "/") if self.errors is not None else ""

    def on_serve(
        self, server: LiveReloadServer, config: MkDocsConfig, builder: Callable[..., None]
    ) -> LiveReloadServer:
        """Watch the content folder this site is built from, wherever BANTIN_CONTENT_DIR points."""
        if self.content_dir is not None and self.content_dir.is_dir():
            server.watch(str(self.content_dir))
        return server

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        panel = "" if self.rendering else self.error_panel(config)
        return with_panel(output.encode("utf-8"), panel).decode("utf-8") if panel else output

    def on_post_template(self, output_content: str, template_name: str, config: MkDocsConfig) -> str:
        panel = self.error_panel(config)
        if not panel or not template_name.endswith(".html"):
            return output_content
        return with_panel(output_content.encode("utf-8"), panel).decode("utf-8")

    def on_pre_build(self, config: MkDocsConfig) -> None:
        """Move the previous site aside before MkDocs empties site_dir file by file (bantin.output); under serve,
        keep it to rewrite only what changed."""
        if self.serving and self.published is not None and self.cache is not None:
            set_aside(Path(config.site_dir))
        else:
            self.published = None
            self.sweeper.empty(Path(config.site_dir))

    def on_build_error(self, error: Exception) -> None:
        self.sweeper.wait()

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        return nav

    def add_feeds(self, files: Files, config: MkDocsConfig) -> None:
        """RSS feeds and robots.txt as generated files, so MkDocs reports clashes with docs/ and serves them."""
        assert self.collection is not None
        if not config.site_url:
            log.warning("chưa đặt site_url trong mkdocs.yml: không tạo nguồn tin RSS và robots.txt")
            return
        for channel, items in feeds(self.collection, config.site_name, config.site_description):
            xml = rss(channel, items, config.site_url)
            files.append(File.generated(config, channel.path, content=xml))
        if files.get_file_from_path("robots.txt") is None:  # a site's own docs/robots.txt wins
            files.append(File.generated(config, "robots.txt", content=robots_txt(config.site_url)))

    @event_priority(50)
    def setup_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        assert self.collection is not None
        # Our templates escape everything by default; Material's keep their own setting.
        env.autoescape = escape_ours(env.autoescape)
        env.globals["bantin"] = SiteContext(self.collection)
        env.filters["slug"] = make_slug
        env.filters["excerpt"] = lambda item: excerpt(item, PREVIEW_LENGTH)
        env.filters["vi_number"] = vietnamese.grouped
        env.filters["vi_date"] = vietnamese.short_date
        env.filters["vi_long_date"] = vietnamese.long_date
        env.filters["vi_approximate_date"] = vietnamese.approximate_date
        env.filters["vi_document_date"] = vietnamese.document_date
        env.filters["vi_file_size"] = vietnamese.file_size
        env.filters["number_slug"] = document_slug
        env.globals["bantin_number_pattern"] = number_source("javascript")
        env.filters["vi_partial_date"] = vietnamese.partial_date
        env.globals["bt_sitemap"] = sitemap_entries(files, config, self.lastmods)
        env.globals["bt_chrome"] = Chrome(enabled=self.cache is not None)
        if self.cache is not None:  # compiled templates kept between builds (Jinja checks each source's checksum)
            (self.cache.root / "jinja").mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = FileSystemBytecodeCache(str(self.cache.root / "jinja"))
        return env

    @event_priority(-100)
    def render_pages(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        """Once every plugin has set up the environment: render the pages the cache lacks, then put every cached
        page into site_dir on all cores (MkDocs would copy them one by one)."""
        if self.cache is None:
            return env
        assert self.collection is not None
        site_dir = Path(config.site_dir)
        if self.published is not None:
            bring_back(site_dir)
        self.render_missing(env, config, files)
        previous = self.published or {}
        pages = [file for file in files if isinstance(file, CachedPage) and not file.published]
        pages = [page for page in pages if page.panel or previous.get(page.abs_dest_path) != page.abs_src_path]
        publish(pages)
        for page in pages:
            page.published = True
        self.files = files
        key = self.cache.index_key(self.collection)
        if self.published_index is not None and self.published_index[:2] == (key, self.error_panel(config)):
            self.index_stats = self.published_index[2]  # under serve: the index in site_dir is this one
        elif (found := self.cache.cached_index(self.collection, site_dir)) is not None:
            self.index_stats, pairs = found  # the index of unchanged content is copied here too, on all cores
            copy_all(pairs)
        return env

    def render_missing(self, env: Environment, config: MkDocsConfig, files: Files) -> None:
        if self.cache is None or not self.jobs:
            return
        assert self.nav is not None
        nav = self.nav
        doc_files = files.documentation_pages(
            inclusion=InclusionLevel.is_in_serve if self.serving else InclusionLevel.is_included
        )
        self.rendering = True  # what goes into the cache never carries the preview's error panel
        try:
            render_missing(
                self.jobs, self.cache.pages, lambda job: render_page(job, config, files, doc_files, nav, env)
            )
        finally:
            self.rendering = False
        log.info(f"{len(self.jobs)} trang được tạo mới, {len(self.specs) - len(self.jobs)} trang lấy từ bộ nhớ đệm")

    on_env = CombinedEvent(setup_env, render_pages)

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self.specs.get(page.file.src_uri)
        if spec is not None:
            page.meta["template"] = spec.template
            # Material prints page titles unescaped in the header and nav: hand it text already escaped.
            page.meta["title"] = escape(spec.title)
            item = spec.context.get("item")
            if item is not None:  # Material prints it unescaped into an attribute
                page.meta["description"] = escape(excerpt(item, PREVIEW_LENGTH))
            # Sitemap <lastmod>: the newest item a page shows, never a false "today"; none when it lists nothing.
            page.update_date = self.lastmods.get(page.file.src_uri, "")
        elif page.file.src_uri in self.lastmods:
            page.update_date = self.lastmods[page.file.src_uri]
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Lone images become figures; every document number in an item's body links to its /van-ban/ page."""
        spec = self.specs.get(page.file.src_uri)
        if spec is None or "item" not in spec.context:
            return html
        targets = {document_slug(number): url for number, url in spec.context["cited"]}
        return link_citations(figures(html), lambda number: relative_target(targets, number, page.url))

    def on_post_build(self, config: MkDocsConfig) -> None:
        """The search index is written after the pages, from the same collection."""
        assert self.collection is not None
        if self.index_stats is not None:
            stats = self.index_stats
        elif self.cache is not None:
            stats = self.cache.search_index(self.collection, Path(config.site_dir))
        else:
            stats = write_search_index(self.collection, Path(config.site_dir))
        self.index_stats = None
        self.sweeper.wait()
        if self.serving and self.cache is not None and self.files is not None:
            self.keep_for_next_build(config, stats)
        log.info(f"Chỉ mục tìm kiếm: {stats.documents} bài, {stats.terms} mục từ, {stats.bytes // 1024} KB")

    def keep_for_next_build(self, config: MkDocsConfig, stats: IndexStats) -> None:
        """Under serve: remove what an earlier build wrote and this one did not, remember what this one wrote."""
        assert self.cache is not None and self.collection is not None and self.files is not None
        site_dir = Path(config.site_dir)
        written = {os.path.normpath(file.abs_dest_path) for file in self.files}
        for name in (*config.theme.static_templates, *config.extra_templates, "sitemap.xml.gz"):
            written.add(os.path.normpath(site_dir / name))
        prune(site_dir, written, keep=(INDEX_DIR,))
        pages = [file for file in self.files if isinstance(file, CachedPage) and not file.panel]
        self.published = {page.abs_dest_path: str(page.abs_src_path) for page in pages}
        self.published_index = (self.cache.index_key(self.collection), self.error_panel(config), stats)

    def on_page_context(
        self, context: TemplateContext, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        spec = self.specs.get(page.file.src_uri)
        context["bt"] = spec.context if spec is not None else {}  # type: ignore[typeddict-unknown-key]
        unit = spec.context.get("unit") if spec is not None else None
        document_kind = document_kind_of(spec)
        kind = feed_kind(page.file.src_uri, unit, document_kind)
        feeds = alternate_links(kind, config.site_name, unit, document_kind)
        context["bt_feeds"] = feeds  # type: ignore[typeddict-unknown-key]
        return context


def sitemap_entries(files: Files, config: MkDocsConfig, lastmods: dict[str, str]) -> list[tuple[str, str]]:
    """(address, lastmod) of every page in files' order, pages MkDocs renders and pages copied from the cache."""
    entries = []
    for file in files:
        if isinstance(file, CachedPage):
            if config.site_url:
                entries.append((urljoin(config.site_url, file.url), lastmods.get(file.src_uri, "")))
        elif file.is_documentation_page() and file.page is not None and not file.page.is_link:
            page = file.page
            if page.canonical_url or page.abs_url:
                entries.append((page.canonical_url or page.abs_url or "", page.update_date))
    return entries


def escape_ours(previous: bool | Callable[[str | None], bool]) -> Callable[[str | None], bool]:
    """Autoescape for our templates (under `bantin/`, and our 404 page), whatever Material's templates use."""

    def select(name: str | None) -> bool:
        if name is not None and (name.startswith("bantin/") or name == "404.html"):
            return True
        return previous(name) if callable(previous) else previous

    return select


def document_kind_of(spec: PageSpec | None) -> DocumentKind | None:
    """The kind of document a page shows or lists, which decides the feed it advertises."""
    if spec is None:
        return None
    item = spec.context.get("item")
    if item is not None:
        return item.notice.kind if item.notice else None
    found: DocumentKind | None = spec.context.get("document_kind")
    return found


def relative_target(targets: dict[str, str], number: str, page_url: str) -> str | None:
    """The link from `page_url` to a cited number's page, whichever spelling of the number the body used."""
    target = targets.get(document_slug(number))
    return get_relative_url(target, page_url) if target else None
