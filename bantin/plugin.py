"""The MkDocs plugin: a thin adapter from MkDocs events to the collection and its generated pages."""

from __future__ import annotations

import atexit
import contextlib
import functools
import gc
import logging
import os
import pickle
import re
import signal
from collections.abc import Callable, Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from jinja2 import Environment, TemplateNotFound
from mkdocs.commands.build import get_context
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
from watchdog.observers.api import BaseObserver

from bantin.cache import KEEP_UNUSED, LinkedEntries, canonical, digest
from bantin.chrome import Chrome, kept_blocks, site_dirs
from bantin.citations import document_slug, link_citations
from bantin.collection import Collection
from bantin.converter import Converter
from bantin.csp import POLICY, PREVIEW_POLICY, with_policy
from bantin.defaults import HOME_TEMPLATE, NAV, apply_defaults, home_markdown, written_settings
from bantin.documents import DocumentKind
from bantin.errors import ContentError, ContentErrors
from bantin.escaping import Templates
from bantin.feeds import alternate_links, feed_kind, feeds, page_lastmods, robots_txt, rss, sitemap_index
from bantin.figures import figures
from bantin.fingerprint import fingerprint_assets, index_version, parsed_print
from bantin.images import LeadImage, lead_image
from bantin.index_ahead import IndexAhead
from bantin.live import Session
from bantin.loader import content_assets, load_content, shown_path
from bantin.navigation import current, menu, needs_toc, sections_of, trail
from bantin.nginx import HASHED_ASSETS
from bantin.output import (
    KEPT,
    Manifest,
    Manifests,
    Since,
    Stat,
    Sweeper,
    bring_back,
    kept_sites,
    link_site,
    linked_manifest,
    previous_site,
    prune,
    set_aside,
)
from bantin.pages import HomePage, ItemPage, ListingPage, PageSpec, Site, UnitPage, home_page, site_pages
from bantin.preview import error_panel, with_panel
from bantin.publish import discard, staging_dir
from bantin.publish import publish as swap_in
from bantin.rebuilds import Rebuilds, step, watch_natively
from bantin.render import (
    CachedPage,
    Job,
    Scratch,
    cached_file,
    can_fork,
    fork_worker,
    publish,
    render_missing,
    render_page,
    replay,
)
from bantin.safety import Renderer, body_extensions, markdown_configs, removal_errors, sanitize
from bantin.search import INDEX_DIR, IndexStats, write_search_index
from bantin.site_cache import IndexOptions, SiteCache, WrittenIndex, link_all
from bantin.sitemap import GZIPPED, SITEMAP, sitemap_entries, take_over, write_sitemap
from bantin.template_code import Code, bytecode_cache
from bantin.translations import translations
from bantin.urls import NO_ADDRESSES, Addresses, Link, Sections, ServedLinks

log = get_plugin_logger(__name__)
THEME_DIR = Path(__file__).parent / "theme"
SEARCH_TEMPLATE = "bantin/search.html"  # the one page that links to the search index's folder
NAV_PAGES = {uri for _, uri in NAV}
COLLECTOR = (20_000, 20, 20)
"""The collector's thresholds from the plugins' startup to their shutdown, while a `mkdocs build`, `serve` or
`gh-deploy` runs (Python's are 700, 10, 10): a build allocates millions of objects that live until it ends, and a
young collection every 700 of them, an older one every 7,000, took 1.9 CPU s of a cold 10,000-article build's main
process; with these, 1.1 s, at the same peak memory."""
WHOLE_INDEX_UNTIL = 200  # items parsed anew (and a tenth of all) at most, for the index to be written from on_config


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
    cache_dir = c.Type(str, default=".cache/bantin")
    """Where resized images are kept between builds, relative to mkdocs.yml (keep it out of git)."""
    defaults = c.Type(bool, default=True)
    """Fill in the bulletin's settings a site's mkdocs.yml leaves out (see `bantin.defaults`); `false` turns it off."""


class BantinPlugin(BasePlugin[BantinConfig]):
    def __init__(self) -> None:
        self.serving = False
        self.collector = gc.get_threshold()  # the collector's thresholds before on_startup (COLLECTOR)
        self.collection: Collection | None = None
        self.specs: dict[str, PageSpec] = {}
        self.lastmods: dict[str, str] = {}
        self.assets: list[tuple[str, Path]] = []
        self.cache: SiteCache | None = None
        self.jobs: list[Job] = []
        self.linked: LinkedEntries | None = None  # the page entries' figures (bantin.cache.LinkedEntries)
        self.nav: Navigation | None = None
        self.env: Environment | None = None  # this build's, from on_env to the sitemap (on_post_build)
        self.files: Files | None = None
        self.content_dir = Path("content")
        self.errors: ContentErrors | None = None  # under serve: the content's errors, shown on every page
        self.last_good: Collection | None = None
        self.rendering = False
        self.chrome: Chrome | None = None  # Material's blocks drawn once per build (bantin.chrome)
        self.index_stats: IndexStats | None = None
        self.index_written = True
        self.sweeper = Sweeper()
        # What site_dir holds from an earlier build (under serve, or the site before last that a build starts
        # from), so only what changed is written (bantin.output.Manifest); None when site_dir starts empty.
        self.manifest: Manifest | None = None
        self.kept: Manifest | None = None  # under serve: the manifest of the last build, for the next
        self.previous: Path | None = None  # where the site before the current one is kept
        self.reusable: tuple[str, str] | None = None  # (folder, key) of an intact earlier index in site_dir
        self.reusable_files: Mapping[str, Stat] = {}  # the stats of its files, as its manifest recorded them
        self.unchecked: Manifest | None = None  # under serve, until the pages are out: `reusable` is not checked yet
        self.live: Manifest | None = None  # the published site's, when there is no site before last to start from
        self.linking: tuple[int, Scratch] | None = None  # the worker linking `live` into the new folder (bantin.output)
        self.indexing: tuple[int, Scratch, Scratch] | None = None  # the worker writing the search index, its result
        self.images: dict[str, LeadImage] = {}
        self.image_files: list[tuple[str, Path]] = []
        self.site: Site | None = None
        self.home: HomePage | None = None
        self.menu: list[Link] = []
        self.addresses = NO_ADDRESSES
        self.index_dir = INDEX_DIR
        self.serving = False
        self.in_place = False
        self.content_root = ""
        self.body_errors: list[ContentError] = []
        self.site_dir: Path | None = None
        self.staging: Path | None = None
        self.warnings = WarningCount()
        self.session: Session | None = None  # under serve: what rebuilds reuse in memory (bantin.live)
        self.rebuilds: Rebuilds | None = None  # under serve: the process that rebuilds (bantin.rebuilds)
        self.watcher: BaseObserver | None = None  # under serve: what watches the content folder
        self.ahead: IndexAhead | None = None  # the search index's runs indexed during on_config and on_files
        self.paused = False  # the collector was paused by on_config, until the pages are planned

    def on_startup(self, *, command: str, dirty: bool) -> None:
        freeze_at_exit()
        if gc.get_threshold() != COLLECTOR:  # a second start before a shutdown keeps the first's to restore
            self.collector = gc.get_threshold()
        gc.set_threshold(*COLLECTOR)
        # Drafts and scheduled items are shown (marked) only to the editor previewing with `mkdocs serve`.
        self.serving = command == "serve"
        # `mkdocs serve` builds into a temporary folder of its own, and `--dirty` means building over the last
        # site: both write where MkDocs says. Every other build is published atomically.
        self.in_place = self.serving or dirty
        self.session = Session() if self.serving else None

    def on_shutdown(self) -> None:
        # MkDocs keeps a plugin with on_startup for every later configuration of the process: start afresh.
        gc.set_threshold(*self.collector)
        self.serving = self.in_place = False
        self.session = None
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None
        self.stop_ahead(kill=True)
        if self.rebuilds is not None:
            self.rebuilds.stop()
            self.rebuilds = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        step("config")
        if self.config.defaults:
            apply_defaults(config, written_settings(config.config_file_path))
        take_over(config)  # the sitemap is rendered after the pages (bantin.sitemap)
        # Validate before MkDocs cleans site/: a content mistake must leave the last good site intact.
        content_dir = Path(config.config_file_path).parent / self.config.content_dir
        self.content_dir = content_dir
        self.images = {}
        self.cache = (
            SiteCache.open(config, self.config.cache_dir, content_dir, self.serving, self.cache)
            if self.config.cache
            else None
        )
        memo = self.cache.memo if self.cache else None
        self.errors = None
        try:
            keys = self.session.files if self.session is not None else None
            self.collection = self.last_good = load_content(
                content_dir, preview=self.serving, memo=memo, check_bodies=False, keys=keys
            )
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
        step("loaded")
        # The collection lives the whole build: out of the collector's full passes while pages and keys are made
        # from it (a tenth of a warm build), back in once they are planned (end of on_files). What planning makes
        # lives on to the pages too: the collector is paused meanwhile (its full passes over the plan took 0.25 s of
        # a warm 10,000-article build).
        gc.freeze()
        self.paused = gc.isenabled()
        gc.disable()
        self.content_root = shown_path(content_dir)
        self.body_errors = []
        config.mdx_configs = markdown_configs(config.mdx_configs)
        self.warnings.start(config.strict)
        self.manifest = self.kept if self.serving and self.cache is not None else None
        if not self.in_place:
            self.site_dir = Path(config.site_dir)
            self.previous = previous_site(self.cache.root, self.site_dir) if self.cache is not None else None
            self.staging = staging_dir(self.site_dir, self.previous)
            config.site_dir = str(self.staging)
            self.live = None
            if self.cache is not None and any(self.staging.iterdir()):
                self.manifest = self.manifests().load(self.staging)
            elif self.cache is not None and self.site_dir.is_dir():  # no site before last: start from this one
                self.live = self.manifests().load(self.site_dir)
                self.start_linking(self.live, self.staging)
        self.read_images(config)
        printed = self.cache.fingerprint if self.cache is not None else parsed_print
        self.index_dir = f"{INDEX_DIR}/{index_version(self.collection.items, printed)}"
        self.stop_ahead()
        self.indexed(kill=True)
        if self.cache is not None and not self.serving and not self.start_indexing(config):
            # the core left idle until the pages render
            self.ahead = IndexAhead.start(self.cache, self.collection, self.images, self.served_items(config))
        try:
            self.plan_site(config, content_dir)
        except BaseException:
            self.stop_ahead(kill=True)
            raise
        step("planned")
        return config

    def start_linking(self, live: Manifest, staging: Path) -> None:
        """Link the published site's files into the new folder on the other core while the build plans its pages,
        hidden where MkDocs' emptying leaves them (brought back in render_pages); in this process there when
        forking is not safe."""
        self.stop_linking()
        if live.files and can_fork():
            self.linking = fork_worker([str(staging / KEPT)], lambda root: link_site(live, root))

    def stop_linking(self, kill: bool = False) -> None:
        if self.linking is None:
            return
        pid, records = self.linking
        self.linking = None
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        replay(records)

    def plan_site(self, config: MkDocsConfig, content_dir: Path) -> None:
        """The related items, every generated page's data and what the theme is given, from the collection."""
        assert self.collection is not None
        if self.session is not None:  # the related index and the cards of the build before, updated (bantin.live)
            self.session.relate(self.collection)
            self.site = self.session.site_of(self.collection, self.images, config.site_url or "")
        else:
            if self.cache is not None:
                self.cache.related(self.collection)
            self.site = Site.of(self.collection, self.images, config.site_url or "")
        self.specs = {spec.src_uri: spec for spec in site_pages(self.site, self.config.per_page)}
        self.home = home_page(self.site)
        lastmods = self.session.lastmods if self.session is not None else page_lastmods  # under serve, by page
        self.lastmods = lastmods(self.specs.values(), self.collection)
        # The loader's own walk of the folder, unless it failed (the assets are then looked for again).
        self.assets = self.collection.assets if self.errors is None else content_assets(content_dir)
        config.markdown_extensions = body_extensions(config.markdown_extensions)
        dirs = config.theme.dirs
        dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
        items = len(self.collection.items)
        for note in self.collection.schedule_notes():  # info, not warning: `--strict` must not fail on a draft
            log.info(note)
        log.info(f"{items} bài từ {content_dir.name}/, {len(self.collection.registry.units)} đơn vị")

    def served_items(self, config: MkDocsConfig) -> dict[str, str]:
        """Where the site will serve each item's page, where that is not its address (`use_directory_urls: false`),
        as on_files' `Addresses` will say."""
        assert self.collection is not None
        if config.use_directory_urls:
            return {}
        return {item.url: cached_file(config, item.src_uri, "").url for item in self.collection.items}

    def stop_ahead(self, kill: bool = False) -> None:
        if self.ahead is not None:
            if kill:
                self.ahead.kill()
            else:
                self.ahead.stop()
            self.ahead = None

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Nav pages go through MkDocs' loop; every other generated page is copied from the cache (see render)."""
        assert self.collection is not None
        step("files")
        stand_ins: list[tuple[PageSpec, CachedPage]] = []
        cached = [uri for uri in self.specs if uri not in NAV_PAGES] if self.cache is not None else []
        if self.session is not None:  # under serve, the build before's stand-ins (bantin.live)
            made = iter(self.session.stand_ins_of(config, cached))
        else:
            made = (cached_file(config, uri, "") for uri in cached)
        taken = files.src_uris  # a page's address is a plain path: looked up as is (no PurePath for 15,000 pages)
        for spec in self.specs.values():
            if spec.src_uri in taken:
                raise PluginError(f"docs/{spec.src_uri} trùng địa chỉ với một trang do Bản tin tạo ra; hãy đổi tên tệp")
            if spec.src_uri in NAV_PAGES or self.cache is None:
                inclusion = InclusionLevel.INCLUDED if spec.src_uri in NAV_PAGES else InclusionLevel.NOT_IN_NAV
                files.append(File.generated(config, spec.src_uri, content=spec.markdown, inclusion=inclusion))
                continue
            stand_in = next(made)
            stand_in.panel = self.error_panel(config)
            files.append(stand_in)
            stand_ins.append((spec, stand_in))
        for relative, path in self.assets:
            files.append(File.generated(config, relative, abs_src_path=str(path)))
        for uri, path in self.image_files:
            files.append(File.generated(config, uri, abs_src_path=str(path)))
        if files.get_file_from_path("index.md") is None:  # no docs/index.md: the home page from site_name
            home = home_markdown(config.site_name, config.site_description)
            files.append(File.generated(config, "index.md", content=home))
        hashed = {**fingerprint_assets(files), f"{INDEX_DIR}/": f"{self.index_dir}/"}
        pages = (file for file in files if file.is_documentation_page() or isinstance(file, CachedPage))
        self.addresses = Addresses.of_pages(((file.src_uri, file.url) for file in pages), hashed)
        self.add_feeds(files, config)
        self.jobs = []
        step("feeds")
        if self.cache is not None:
            self.plan_pages(config, stand_ins, [file.src_uri for file in files])
        self.resume_collector()
        step("keyed")
        return files

    def plan_pages(
        self, config: MkDocsConfig, stand_ins: list[tuple[PageSpec, CachedPage]], linkable: list[str]
    ) -> None:
        """Each generated page's cache entry; the pages the cache lacks are rendered in on_env."""
        assert self.cache is not None and self.collection is not None
        # Published addresses and hashed asset names reach every page; the index folder's name (it changes with
        # every item) only the search page, whose key takes it on its own.
        served = {key: value for key, value in self.addresses.served.items() if key != f"{INDEX_DIR}/"}
        specs = [spec for spec, _ in stand_ins]
        cards = self.site.cards.made.values() if self.site else ()
        shown = canonical(menu(self.collection, []))  # the menu's categories (its sections are the nav's)
        cache, collection, lastmods = self.cache, self.collection, self.lastmods

        def page_keys(specs: Sequence[PageSpec]) -> dict[str, str]:
            return cache.page_keys(config, collection, specs, lastmods, linkable, self.images, served, cards, shown)

        if self.session is not None:  # under serve, the keys of pages that did not change are known (bantin.live)
            site = digest(cache.site_fingerprint(config, served, shown), "\n".join(sorted(linkable)))
            keys = self.session.page_keys(site, specs, self.lastmods, page_keys)
        else:
            keys = page_keys(specs)
        cached = self.cache.pages.names()
        self.release_linked()  # a build that stopped before publishing (no on_post_build, no on_build_error)
        self.linked = linked = LinkedEntries(self.cache.pages, ".html", cached)  # entries the site may share
        for spec, stand_in in stand_ins:
            key = keys[spec.src_uri]
            if spec.template == SEARCH_TEMPLATE:
                key = digest(key, self.index_dir)
            stand_in.abs_src_path = self.cache.pages.location(key, ".html")
            if key + ".html" not in cached or not linked.intact(key):
                self.jobs.append(Job(spec.src_uri, spec.source, key, stand_in))

    def error_panel(self, config: MkDocsConfig) -> str:
        return error_panel(self.errors, config.site_url or "/") if self.errors is not None else ""

    def read_images(self, config: MkDocsConfig) -> None:
        """Each item's lead image in the layout's widths, resized once into the cache and published from there
        (in on_files); pages choose their pictures from these."""
        assert self.collection is not None
        cache = Path(config.config_file_path).parent / self.config.cache_dir / "images"
        self.image_files = []
        for item in self.collection.items:
            if item.image:
                source = (self.content_dir / item.path).parent / item.image
                lead, published = lead_image(source, item.url, cache, item.image_caption, item.image_credit)
                self.images[item.url] = lead
                self.image_files.extend(published)

    def on_serve(
        self, server: LiveReloadServer, config: MkDocsConfig, builder: Callable[..., None]
    ) -> LiveReloadServer:
        """`mkdocs serve` rebuilds when an editor saves a content file, without a `watch:` entry in mkdocs.yml; each
        rebuild runs in a builder process without threads, on every core (bantin.rebuilds)."""
        if can_fork():  # the server has started no thread yet
            session = self.session
            idle = session.idle if session is not None else None
            self.rebuilds = Rebuilds(lambda: builder(), server.socket, start=False, idle=idle)
            self.rebuilds.start()  # the builder's plugin holds it too, to say when the pages are written
            server.builder = self.rebuilds
            # Browsers reload once the pages are written; the search index's files wait for the rest of the rebuild.
            hashed = re.compile(rf"/{HASHED_ASSETS}$")
            index = f"/{INDEX_DIR}/"
            gate = self.rebuilds.gate(
                server.get_app(), lambda path: index in path, lambda path: bool(hashed.search(path))
            )
            server.set_app(gate)
        self.watcher = watch_natively(server, str(self.content_dir))  # its thread starts after the fork
        return server

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        panel = "" if self.rendering else self.error_panel(config)
        if panel:
            output = with_panel(output.encode("utf-8"), panel).decode("utf-8")
        return with_policy(output, PREVIEW_POLICY if self.serving else POLICY)

    def on_post_template(self, output_content: str, template_name: str, config: MkDocsConfig) -> str:
        step(f"template-{template_name}")
        if not template_name.endswith(".html"):
            return output_content
        panel = self.error_panel(config)
        if panel:
            output_content = with_panel(output_content.encode("utf-8"), panel).decode("utf-8")
        return with_policy(output_content, PREVIEW_POLICY if self.serving else POLICY)

    def on_pre_build(self, config: MkDocsConfig) -> None:
        """Keep what site_dir holds from an earlier build from MkDocs' emptying, to rewrite only what changed; else
        move it aside to be removed while the site builds, not file by file before (bantin.output)."""
        step("pre-build")
        if self.manifest is not None:
            set_aside(Path(config.site_dir))
        else:
            self.sweeper.empty(Path(config.site_dir))

    def manifests(self) -> Manifests:
        assert self.cache is not None
        return Manifests(self.cache.root / "published")

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        step("nav")
        self.nav = nav
        return nav

    def add_feeds(self, files: Files, config: MkDocsConfig) -> None:
        """RSS feeds and robots.txt as generated files, so MkDocs reports clashes with docs/ and serves them."""
        assert self.collection is not None
        if not config.site_url:
            log.warning(
                "mkdocs.yml chưa có địa chỉ của trang: thêm một dòng như «site_url: https://bantin.ten-don-vi.vn/» "
                "(địa chỉ trang sẽ được đăng). Khi chưa có, trang không có nguồn tin RSS, robots.txt và sơ đồ trang."
            )
            return
        feed = self.session.rss if self.session is not None else rss  # under serve: the same feed is the same text
        for channel, items in feeds(self.collection, config.site_name, config.site_description):
            xml = feed(channel, items, config.site_url, addresses=self.addresses)
            files.append(File.generated(config, channel.path, content=xml))
            folder = channel.path.rpartition("/")[0]
            if folder and files.get_file_from_path(f"{folder}/sitemap.xml") is None:
                files.append(File.generated(config, f"{folder}/sitemap.xml", content=sitemap_index(config.site_url)))
        if files.get_file_from_path("robots.txt") is None:  # a site's own docs/robots.txt wins
            files.append(File.generated(config, "robots.txt", content=robots_txt(config.site_url)))

    @event_priority(50)
    def setup_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        assert self.collection is not None
        step("env")
        # Our templates escape everything by default; Material's keep their own setting.
        env.autoescape = escape_ours(env.autoescape)
        # Templates get data only (bantin.pages); `url` makes an address a link relative to the page.
        links = ServedLinks(env.filters["url"], self.addresses)
        kept = kept_blocks(site_dirs(config.theme.dirs, THEME_DIR))
        self.chrome = Chrome(links, kept, config.extra_javascript)
        env.filters["url"] = self.chrome.recording()
        env.globals["bt_chrome"] = self.chrome
        self.menu = env.globals["bt_menu"] = menu(self.collection, sections_of(self.nav or []))
        env.globals["bt_sections"] = Sections()
        env.globals["bt_translations"] = translations(env, str(config.theme.get("language", "en")))
        moved = {uri for uri, spec in self.specs.items() if not spec.indexed}
        join = self.session.urljoin if self.session is not None else urljoin
        env.globals["bt_sitemap"] = sitemap_entries(files, config, self.lastmods, moved, join)
        self.env, self.files = env, files  # for the sitemap, after the pages
        # Loaded templates in a plain dict: Jinja's LRU cache locks and reorders a queue on each of the ~15
        # includes, imports and extends of every page, for the few dozen templates a build has.
        env.cache = {}
        env.template_class = Templates  # their values escaped without a Python call per value (bantin.escaping)
        env.code_generator_class = Code  # their attributes looked up in C (bantin.template_code)
        if self.cache is not None:  # compiled templates kept between builds
            env.bytecode_cache = bytecode_cache(self.cache.root / "jinja")
        return env

    @event_priority(-100)
    def render_pages(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        """Once every plugin has set up the environment: render the pages the cache lacks, then put every cached
        page into site_dir on all cores (MkDocs would copy them one by one)."""
        step("render")
        self.stop_ahead()  # both cores render now
        if self.cache is None:
            return env
        assert self.collection is not None
        site_dir = Path(config.site_dir)
        previous = self.manifest
        if previous is None and self.live is not None and self.live.files:
            if self.linking is not None:
                self.stop_linking()
            else:
                link_site(self.live, str(site_dir / KEPT))
            bring_back(site_dir)
            previous = self.manifest = linked_manifest(self.live, str(site_dir), self.republished(files, site_dir))
        self.live = None
        # The index an earlier build left here, untouched: an index of other content is written over it.
        self.reusable, self.unchecked = None, None
        if previous is not None:
            bring_back(site_dir)
            if self.serving and previous.index is not None:  # checked once the browsers may reload (on_post_build)
                self.reusable, self.unchecked = previous.index[:2], previous
            else:
                self.reusable = previous.intact_index()
            self.reusable_files = previous.index[3] if previous.index is not None else {}
            self.remove_stale(site_dir, config, files)
        elif self.session is not None:  # an emptied site folder: what this build writes is all it will hold
            self.session.wrote(os.path.normpath(site_dir), expected_files(site_dir, config, files))
        options = self.index_options(self.thumbnails())
        key = self.cache.index_key(self.collection, options)
        # The index intact_index found untouched a moment ago is this very index: no second look at its files.
        intact = previous is not None and previous.index is not None and self.reusable == (self.index_dir, key)
        if intact and self.unchecked is not None:  # this very content's index, kept only if untouched: seen now
            if self.unchecked.intact_index() is None:
                intact, self.reusable = False, None
            self.unchecked = None
        held = previous.index[2] if intact and previous is not None and previous.index is not None else None
        if held is not None:
            self.index_stats = held  # site_dir holds this very index, untouched
        elif self.indexing is None and (found := self.cache.cached_index(self.collection, site_dir, options)):
            self.index_stats, pairs = found  # the index of unchanged content is linked here too
            link_all(pairs)
        if self.index_stats is not None and self.reusable is not None:
            self.discard_index(site_dir, self.reusable[0])
            self.reusable = None
        self.render_missing(env, config, files)
        step("rendered")
        cached = [file for file in files if isinstance(file, CachedPage)]
        pages = [page for page in cached if not page.published]
        if previous is not None:
            pages = [page for page in pages if page.panel or not previous.holds(page.abs_dest_path, source(page))]
        publish(pages)
        for page in cached:  # written now or held untouched from the earlier build: MkDocs copies none of them
            page.published = True
        manifest = Manifest(str(site_dir))
        written = {id(page) for page in pages} | {id(job.page) for job in self.jobs}
        for page in cached:
            if page.panel:
                continue  # never taken for the cached page
            if id(page) in written:
                manifest.record(page.abs_dest_path, source(page))
            elif previous is not None:
                relative = manifest.relative(page.abs_dest_path)
                manifest.files[relative] = previous.files[relative]
        if held is not None and previous is not None:
            manifest.index = previous.index
        self.manifest = manifest
        self.index_written = held is None
        step("env-done")
        return env

    def start_indexing(self, config: MkDocsConfig) -> bool:
        """After an edit (few items parsed anew), the search index is written into the cache by a forked worker from
        here on, while this process plans and renders the pages on the other core (bantin.site_cache.SiteCache.
        write_index); on_post_build puts it in the site, or writes it itself if the worker failed or wrote the
        index of other addresses than on_files' (its key says: `IndexOptions.key`). The worker touches only the
        cache's index and runs, nothing of the site; when the cache holds the index already, it does nothing.
        Whether it was started: else the runs the cache lacks are indexed ahead (bantin.index_ahead)."""
        assert self.cache is not None and self.collection is not None
        changed = len(self.cache.memo.changed)
        if changed > min(WHOLE_INDEX_UNTIL, len(self.collection.items) // 10) or not can_fork():
            return False  # a cold build, or most items new: their pages take both cores
        cache, collection, images = self.cache, self.collection, self.images
        options = IndexOptions(Addresses(self.served_items(config)), self.index_dir, self.thumbnails())
        result = Scratch()

        def write(scratch: Scratch) -> None:
            cache.items = cache.item_fingerprints(collection, images)  # as page_keys will find them
            if not cache.search.tree(cache.index_key(collection, options)).is_dir():
                written = cache.write_index(collection, options)
                scratch.write(pickle.dumps(written, pickle.HIGHEST_PROTOCOL))

        gc.freeze()  # the worker's collections must not copy the pages of everything built so far (until on_files)
        self.indexing = (*fork_worker([result], write), result)
        return True

    def indexed(self, kill: bool = False) -> WrittenIndex | None:
        """What the worker wrote into the cache, once it has ended; None when it failed (or there is none)."""
        if self.indexing is None:
            return None
        pid, records, result = self.indexing
        self.indexing = None
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            status = 1
        replay(records)
        written = None
        try:
            data = result.read() if status == 0 else b""
            written = pickle.loads(data) if data else None  # nothing: the cache held the index already
        except (OSError, pickle.UnpicklingError, EOFError):
            pass
        finally:
            result.close()
        return written if isinstance(written, WrittenIndex) else None

    def thumbnails(self) -> dict[str, Any]:
        return {url: image.thumbnail() for url, image in self.images.items()}

    def republished(self, files: Files, site_dir: Path) -> dict[str, str]:
        """Each cached page's place in the site (relative) and its cache entry, but a place MkDocs also writes."""
        written = {os.path.normpath(file.abs_dest_path) for file in files if not isinstance(file, CachedPage)}
        relative = Manifest(str(site_dir)).relative
        return {
            relative(page.abs_dest_path): source(page)
            for page in files
            if isinstance(page, CachedPage) and not page.panel and os.path.normpath(page.abs_dest_path) not in written
        }

    def remove_stale(self, site_dir: Path, config: MkDocsConfig, files: Files) -> None:
        """In a site_dir kept from an earlier build, remove what this build will not write (before it writes):
        pages and files that went, and search indexes of other content (in a worker, while the site builds)."""
        expected = expected_files(site_dir, config, files)
        indexes = site_dir / INDEX_DIR
        kept = (self.index_dir, *([self.reusable[0]] if self.reusable else []))
        current = {site_dir / folder for folder in kept}
        stale = [entry for entry in indexes.iterdir() if entry not in current] if indexes.is_dir() else []
        self.sweeper.discard(stale, self.site_dir or site_dir)
        if self.session is None or not self.session.prune(os.path.normpath(site_dir), expected):
            prune(site_dir, expected, keep=kept)

    def discard_index(self, site_dir: Path, folder: str) -> None:
        """An earlier index kept for reuse that was not needed after all."""
        if folder != self.index_dir:
            self.sweeper.discard([site_dir / folder], self.site_dir or site_dir)

    def render_missing(self, env: Environment, config: MkDocsConfig, files: Files) -> None:
        if self.cache is None or not self.jobs:
            return
        assert self.nav is not None and self.linked is not None
        nav = self.nav
        doc_files = files.documentation_pages(
            inclusion=InclusionLevel.is_in_serve if self.serving else InclusionLevel.is_included
        )
        self.rendering = True  # what goes into the cache never carries the preview's error panel
        if self.chrome is not None:
            self.chrome.active = True
        try:
            converter = Converter(config)

            def render(job: Job) -> tuple[bytes, bool]:
                found = len(self.body_errors)
                data = render_page(job, config, files, doc_files, nav, env, converter)
                return data, len(self.body_errors) == found  # a body that lost markup is not cached (render)

            render_missing(self.jobs, self.cache.pages, render, self.linked)
        finally:
            self.rendering = False
            if self.chrome is not None:
                self.chrome.active = False
        log.info(f"{len(self.jobs)} trang được tạo mới, {len(self.specs) - len(self.jobs)} trang lấy từ bộ nhớ đệm")

    on_env = CombinedEvent(setup_env, render_pages)

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self.specs.get(page.file.src_uri)
        if spec is not None:
            page.meta["template"] = spec.template
            # Material prints page titles unescaped in the header and nav: hand it text already escaped.
            page.meta["title"] = escape(spec.title)
            page.meta["noindex"] = not spec.indexed  # read by our sitemap.xml and the page's robots tag
            if isinstance(spec.data, ItemPage):  # Material prints it unescaped into an attribute
                page.meta["description"] = escape(spec.data.card.excerpt)
            # Sitemap <lastmod>: the newest item a page shows, never a false "today"; none when it lists nothing.
            page.update_date = self.lastmods.get(page.file.src_uri, "")
        elif page.file.src_uri in self.lastmods:
            page.update_date = self.lastmods[page.file.src_uri]
        if page.file.src_uri == "index.md" and "template" not in page.meta:
            page.meta["template"] = HOME_TEMPLATE  # the site's own home text, above the latest items
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """An item's body sanitized, what that removed recorded as errors; lone images become figures and every
        document number links to its /van-ban/ page (markup we add ourselves, after the sanitizer)."""
        spec = self.specs.get(page.file.src_uri)
        if spec is None or not isinstance(spec.data, ItemPage):
            return html
        item = spec.data.item
        clean = sanitize(html)
        if clean != html:  # most bodies come out byte for byte; only the others are searched for removals
            self.body_errors.extend(removal_errors(item.path, item.body, item.body_line, html))
        targets = {document_slug(link.title): link.url for link in spec.data.cited}
        clean = figures(clean)
        return link_citations(clean, lambda number: relative_target(targets, number, page.url, self.addresses))

    @event_priority(-100)  # last, after every other plugin has written its files
    def on_post_build(self, config: MkDocsConfig) -> None:
        """The search index is written after the pages, from the same collection (or, written meanwhile by a worker,
        put in the site); then the site is published."""
        assert self.collection is not None
        step("post-build")
        if self.body_errors:
            errors, self.body_errors = self.body_errors, []
            raise PluginError(ContentErrors(errors, root=self.content_root).report())
        self.render_sitemap(config)
        if self.rebuilds is not None:  # under serve, every page is written: the browsers may reload (bantin.rebuilds)
            self.rebuilds.published()
        if not self.serving:
            self.release_pages()
        if self.unchecked is not None:  # under serve: the earlier index is brought up to date only if untouched
            previous, self.unchecked = self.unchecked, None
            if self.reusable is not None and previous.intact_index() != self.reusable:
                self.discard_index(Path(config.site_dir), self.reusable[0])
                self.reusable = None
        thumbnails = self.thumbnails()
        written = self.indexed()
        since: Since | None = None  # the files of the index it was brought up to date from, as found intact
        if self.index_stats is not None:
            stats = self.index_stats
        elif self.cache is not None:
            site_dir = Path(config.site_dir)
            options = self.index_options(thumbnails)
            if written is not None and written.key == self.cache.index_key(self.collection, options):
                placed = self.cache.place_index(written, site_dir, options, self.reusable)
            else:
                placed = self.cache.search_index(self.collection, site_dir, options, self.reusable)
            stats = placed.stats
            if placed.from_reusable:
                since = (self.reusable_files, placed.files, placed.changed)
            if self.reusable is not None:
                self.discard_index(site_dir, self.reusable[0])  # when it was not brought up to date
            self.reusable = None
        else:
            stats = write_search_index(
                self.collection, Path(config.site_dir), self.addresses, self.index_dir, thumbnails
            )
        self.index_stats = None
        self.sweeper.wait()
        if self.cache is not None and self.manifest is not None:
            if self.index_written:
                key = self.cache.index_key(self.collection, self.index_options(thumbnails))
                self.manifest.record_index(self.index_dir, key, stats, since)
            if self.serving:
                self.kept = self.manifest
            elif self.staging is not None and self.site_dir is not None:
                self.manifests().save(self.manifest, keep=(self.site_dir, *kept_sites(self.cache.root)))
        log.info(f"Chỉ mục tìm kiếm: {stats.documents} bài, {stats.terms} mục từ, {stats.bytes // 1024} KB")
        step("indexed")
        if self.warnings.stop():  # `--strict` fails this build after us: keep the last good site
            return
        if self.staging is not None and self.site_dir is not None:
            swap_in(self.staging, self.site_dir, self.previous)
            config.site_dir = str(self.site_dir)  # for what runs after the build, as `mkdocs gh-deploy` does
            self.staging = None
        self.prune_pages()

    def render_sitemap(self, config: MkDocsConfig) -> None:
        """The theme's sitemap.xml, rendered as MkDocs renders its static templates (bantin.sitemap)."""
        if self.env is None or self.files is None or self.nav is None:
            return
        try:
            template = self.env.get_template(SITEMAP)
        except TemplateNotFound:  # a theme without one: MkDocs would skip it too
            return
        template = config.plugins.on_pre_template(template, template_name=SITEMAP, config=config)
        context = get_context(self.nav, self.files, config, base_url=get_relative_url(".", SITEMAP))
        context = config.plugins.on_template_context(context, template_name=SITEMAP, config=config)
        output = config.plugins.on_post_template(template.render(context), template_name=SITEMAP, config=config)
        write_sitemap(config.site_dir, output)
        self.env = self.files = None

    def prune_pages(self) -> None:
        """Once the site is published, the page entries no build has used for a week go (LinkedEntries.prune)."""
        if self.linked is not None:
            try:
                if removed := self.linked.prune():
                    log.info(f"Bộ nhớ đệm: bỏ {removed} trang không dùng đến trong {KEEP_UNUSED // 86400} ngày qua")
            finally:  # never left holding the lock: another build would wait on it
                self.release_linked()

    def release_linked(self) -> None:
        """Let go of the page store's lock (bantin.cache.StoreLock): another build may prune it."""
        if self.linked is not None:
            self.linked.release()
            self.linked = None

    def release_pages(self) -> None:
        """Let go of what only the pages needed (their data and cards, the render jobs) once they are written: the
        search index is merged next, where a build is at its largest (0.4 GB of 2.9 at 100,000 items)."""
        self.specs, self.jobs, self.site, self.home = {}, [], None, None

    def on_build_error(self, *, error: Exception) -> None:
        """A build that failed leaves the last good site as it was: its own folder goes."""
        self.stop_ahead(kill=True)
        self.stop_linking(kill=True)
        self.indexed(kill=True)
        self.release_linked()
        self.resume_collector()
        self.unchecked = None
        if self.session is not None:
            self.session.forget()
        self.sweeper.wait()
        self.warnings.stop()
        if self.staging is not None:
            discard(self.staging, self.previous)  # what it wrote is checked file by file before any reuse
            self.staging = None

    def resume_collector(self) -> None:
        """The collector as it was before on_config paused it, over everything again."""
        gc.unfreeze()
        if self.paused:
            gc.enable()
            self.paused = False

    def index_options(self, thumbnails: dict[str, Any]) -> IndexOptions:
        return IndexOptions(self.addresses, self.index_dir, thumbnails)

    def on_page_context(
        self, context: TemplateContext, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        assert self.collection is not None
        spec = self.specs.get(page.file.src_uri)
        home = self.home if page.file.src_uri == "index.md" else None
        context["bt"] = spec.data if spec is not None else home or {}  # type: ignore[typeddict-unknown-key]
        context["bt_current"] = current(self.menu, page.url)  # type: ignore[typeddict-unknown-key]
        crumbs = trail(spec.src_uri, spec.data, self.collection) if spec is not None else []
        context["bt_trail"] = crumbs  # type: ignore[typeddict-unknown-key]
        # The last crumb names the page as its heading does, not as the menu labels it ("Kết luận").
        context["bt_heading"] = spec.title if spec is not None else page.title  # type: ignore[typeddict-unknown-key]
        data = spec.data if spec is not None else None
        context["bt_toc"] = isinstance(data, ItemPage) and needs_toc(data.item)  # type: ignore[typeddict-unknown-key]
        unit = data.unit if isinstance(data, UnitPage) else None
        document_kind = document_kind_of(spec)
        kind = feed_kind(page.file.src_uri, unit, document_kind)
        feeds = alternate_links(kind, config.site_name, unit, document_kind)
        context["bt_feeds"] = feeds  # type: ignore[typeddict-unknown-key]
        return context


@functools.cache
def freeze_at_exit() -> None:
    """At exit the system frees a build's memory at once; unfrozen, Python's last collections first walk every
    object still alive (half a second after a 10,000-article build)."""
    atexit.register(gc.freeze)


def expected_files(site_dir: Path, config: MkDocsConfig, files: Files) -> set[str]:
    """Every file the build writes into site_dir (normalized paths), but the search index's."""
    expected = {os.path.normpath(file.abs_dest_path) for file in files}
    for name in (*config.theme.static_templates, *config.extra_templates, SITEMAP, GZIPPED):
        expected.add(os.path.normpath(site_dir / name))
    return expected


def source(page: CachedPage) -> str:
    """The cache entry a page is a copy of, by name (its key)."""
    return os.path.basename(str(page.abs_src_path))


class WarningCount(logging.Handler):
    """Counts MkDocs' warnings during a strict build, which MkDocs turns into a failure after the last event."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1

    def start(self, strict: bool) -> None:
        self.count = 0
        logging.getLogger("mkdocs").removeHandler(self)
        if strict:
            logging.getLogger("mkdocs").addHandler(self)

    def stop(self) -> bool:
        """Whether any warning was counted; counting stops."""
        logging.getLogger("mkdocs").removeHandler(self)
        return self.count > 0


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
    if isinstance(spec.data, ItemPage):
        return spec.data.item.notice.kind if spec.data.item.notice else None
    return spec.data.document_kind if isinstance(spec.data, ListingPage) else None


def relative_target(
    targets: dict[str, str], number: str, page_url: str, addresses: Addresses = NO_ADDRESSES
) -> str | None:
    """The link from `page_url` to a cited number's page, whichever spelling of the number the body used."""
    target = targets.get(document_slug(number))
    return get_relative_url(addresses(target), page_url) if target else None


def site_renderer(config_file: Path) -> Renderer:
    """Bodies rendered with the Markdown configuration of the site whose mkdocs.yml is `config_file`, so `bantin
    check` reports exactly what that site's build would; MkDocs' defaults when there is no such file."""
    if not config_file.is_file():
        return Renderer()
    from mkdocs.config import load_config

    config = load_config(str(config_file))
    return Renderer(config.markdown_extensions, config.mdx_configs)
