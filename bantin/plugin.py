"""The MkDocs plugin: a thin adapter from MkDocs events to the collection and its generated pages."""

from __future__ import annotations

import logging
from collections.abc import Callable
from html import escape
from pathlib import Path

from jinja2 import Environment, pass_context
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_datetime, get_relative_url
from mkdocs.utils.templates import TemplateContext

from bantin import vietnamese
from bantin.citations import document_slug, link_citations, number_source
from bantin.collection import Collection
from bantin.csp import POLICY, PREVIEW_POLICY, with_policy
from bantin.defaults import HOME_TEMPLATE, NAV, apply_defaults, home_markdown, written_settings
from bantin.documents import DocumentKind
from bantin.errors import ContentError, ContentErrors
from bantin.excerpts import excerpt
from bantin.feeds import alternate_links, feed_kind, feeds, page_lastmods, robots_txt, rss, sitemap_index
from bantin.figures import figures
from bantin.fingerprint import fingerprint_assets, index_version
from bantin.images import LeadImage, lead_image
from bantin.loader import content_assets, load_content, shown_path
from bantin.navigation import current, menu, needs_toc, sections_of, trail
from bantin.pages import PageSpec, kind_url, site_pages
from bantin.publish import discard, publish, staging_dir
from bantin.safety import Renderer, body_extensions, markdown_configs, removal_errors, sanitize
from bantin.search import INDEX_DIR, write_search_index
from bantin.site import SiteContext
from bantin.text import make_slug
from bantin.urls import NO_ADDRESSES, Addresses, category_address, document_address, listing_address, topic_address

log = get_plugin_logger(__name__)
THEME_DIR = Path(__file__).parent / "theme"
PREVIEW_LENGTH = 200
NAV_PAGES = {uri for _, uri in NAV}


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
    cache_dir = c.Type(str, default=".cache/bantin")
    """Where resized images are kept between builds, relative to mkdocs.yml (keep it out of git)."""
    defaults = c.Type(bool, default=True)
    """Fill in the bulletin's settings a site's mkdocs.yml leaves out (see `bantin.defaults`); `false` turns it off."""


class BantinPlugin(BasePlugin[BantinConfig]):
    def __init__(self) -> None:
        self.serving = False
        self.collection: Collection | None = None
        self.specs: dict[str, PageSpec] = {}
        self.lastmods: dict[str, str] = {}
        self.assets: list[tuple[str, Path]] = []
        self.images: dict[str, LeadImage] = {}
        self.content_dir = Path("content")
        self.addresses = NO_ADDRESSES
        self.index_dir = INDEX_DIR
        self.serving = False
        self.in_place = False
        self.content_root = ""
        self.body_errors: list[ContentError] = []
        self.site_dir: Path | None = None
        self.staging: Path | None = None
        self.warnings = WarningCount()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Drafts and scheduled items are shown (marked) only to the editor previewing with `mkdocs serve`.
        self.serving = command == "serve"
        # `mkdocs serve` builds into a temporary folder of its own, and `--dirty` means building over the last
        # site: both write where MkDocs says. Every other build is published atomically.
        self.in_place = self.serving or dirty

    def on_shutdown(self) -> None:
        # MkDocs keeps a plugin with on_startup for every later configuration of the process: start afresh.
        self.serving = self.in_place = False

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.config.defaults:
            apply_defaults(config, written_settings(config.config_file_path))
        # Validate before MkDocs cleans site/: a content mistake must leave the last good site intact.
        content_dir = Path(config.config_file_path).parent / self.config.content_dir
        self.content_dir = content_dir
        self.images = {}
        try:
            # Bodies are checked on the HTML MkDocs renders (on_page_content): rendering them here too would cost
            # a sixth of the build. `bantin check` renders them with this site's Markdown configuration instead.
            self.collection = load_content(content_dir, preview=self.serving, check_bodies=False)
        except ContentErrors as errors:
            raise PluginError(errors.report()) from None
        self.content_root = shown_path(content_dir)
        self.body_errors = []
        config.mdx_configs = markdown_configs(config.mdx_configs)
        self.warnings.start(config.strict)
        if not self.in_place:
            self.site_dir = Path(config.site_dir)
            self.staging = staging_dir(self.site_dir)
            config.site_dir = str(self.staging)
        self.specs = {spec.src_uri: spec for spec in site_pages(self.collection, self.config.per_page)}
        self.lastmods = page_lastmods(self.specs.values(), self.collection)
        self.assets = content_assets(content_dir)
        self.index_dir = f"{INDEX_DIR}/{index_version(self.collection.items)}"
        config.markdown_extensions = body_extensions(config.markdown_extensions)
        dirs = config.theme.dirs
        dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
        items = len(self.collection.items)
        for note in self.collection.schedule_notes():  # info, not warning: `--strict` must not fail on a draft
            log.info(note)
        log.info(f"{items} bài từ {content_dir.name}/, {len(self.collection.registry.units)} đơn vị")
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        for spec in self.specs.values():
            if files.get_file_from_path(spec.src_uri) is not None:
                raise PluginError(f"docs/{spec.src_uri} trùng địa chỉ với một trang do Bản tin tạo ra; hãy đổi tên tệp")
            inclusion = InclusionLevel.INCLUDED if spec.src_uri in NAV_PAGES else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, spec.src_uri, content=spec.markdown, inclusion=inclusion))
        for relative, path in self.assets:
            files.append(File.generated(config, relative, abs_src_path=str(path)))
        self.add_images(files, config)
        if files.get_file_from_path("index.md") is None:  # no docs/index.md: the home page from site_name
            home = home_markdown(config.site_name, config.site_description)
            files.append(File.generated(config, "index.md", content=home))
        hashed = {**fingerprint_assets(files), f"{INDEX_DIR}/": f"{self.index_dir}/"}
        self.addresses = Addresses.of_pages(((file.src_uri, file.url) for file in files.documentation_pages()), hashed)
        self.add_feeds(files, config)
        return files

    def add_images(self, files: Files, config: MkDocsConfig) -> None:
        """Each item's lead image in the layout's widths, resized once into the cache and published from there."""
        assert self.collection is not None
        cache = Path(config.config_file_path).parent / self.config.cache_dir / "images"
        for item in self.collection.items:
            if item.image:
                source = (self.content_dir / item.path).parent / item.image
                lead, published = lead_image(source, item.url, cache, item.image_caption, item.image_credit)
                self.images[item.url] = lead
                for uri, path in published:
                    files.append(File.generated(config, uri, abs_src_path=str(path)))

    def on_serve(
        self, server: LiveReloadServer, config: MkDocsConfig, builder: Callable[..., None]
    ) -> LiveReloadServer:
        """`mkdocs serve` rebuilds when an editor saves a content file, without a `watch:` entry in mkdocs.yml."""
        server.watch(str(self.content_dir))
        return server

    def add_feeds(self, files: Files, config: MkDocsConfig) -> None:
        """RSS feeds and robots.txt as generated files, so MkDocs reports clashes with docs/ and serves them."""
        assert self.collection is not None
        if not config.site_url:
            log.warning(
                "mkdocs.yml chưa có địa chỉ của trang: thêm một dòng như «site_url: https://bantin.ten-don-vi.vn/» "
                "(địa chỉ trang sẽ được đăng). Khi chưa có, trang không có nguồn tin RSS, robots.txt và sơ đồ trang."
            )
            return
        built = get_build_datetime()
        for channel, items in feeds(self.collection, config.site_name, config.site_description):
            xml = rss(channel, items, config.site_url, built, addresses=self.addresses)
            files.append(File.generated(config, channel.path, content=xml))
            folder = channel.path.rpartition("/")[0]
            if folder and files.get_file_from_path(f"{folder}/sitemap.xml") is None:
                files.append(File.generated(config, f"{folder}/sitemap.xml", content=sitemap_index(config.site_url)))
        if files.get_file_from_path("robots.txt") is None:  # a site's own docs/robots.txt wins
            files.append(File.generated(config, "robots.txt", content=robots_txt(config.site_url)))

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        assert self.collection is not None
        # Our templates escape everything by default; Material's keep their own setting.
        env.autoescape = escape_ours(env.autoescape)
        env.globals["bantin"] = SiteContext(self.collection, self.images)
        env.filters["slug"] = make_slug
        env.filters["url"] = served_url(env.filters["url"], self.addresses)
        env.filters["category_url"] = category_address
        env.filters["topic_url"] = topic_address
        env.filters["listing_url"] = listing_address
        env.filters["document_url"] = document_address
        env.filters["kind_url"] = kind_url
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
        return env

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
        if page.file.src_uri == "index.md" and "template" not in page.meta:
            page.meta["template"] = HOME_TEMPLATE  # the site's own home text, above the latest items
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """An item's body sanitized, what that removed recorded as errors; lone images become figures and every
        document number links to its /van-ban/ page (markup we add ourselves, after the sanitizer)."""
        spec = self.specs.get(page.file.src_uri)
        if spec is None or "item" not in spec.context:
            return html
        item = spec.context["item"]
        clean = sanitize(html)
        if clean != html:  # most bodies come out byte for byte; only the others are searched for removals
            self.body_errors.extend(removal_errors(item.path, item.body, item.body_line, html))
        targets = {document_slug(number): url for number, url in spec.context["cited"]}
        clean = figures(clean)
        return link_citations(clean, lambda number: relative_target(targets, number, page.url, self.addresses))

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        return with_policy(output, PREVIEW_POLICY if self.serving else POLICY)

    def on_post_template(self, output_content: str, template_name: str, config: MkDocsConfig) -> str:
        if not template_name.endswith(".html"):
            return output_content
        return with_policy(output_content, PREVIEW_POLICY if self.serving else POLICY)

    @event_priority(-100)  # last, after every other plugin has written its files
    def on_post_build(self, config: MkDocsConfig) -> None:
        """The search index is written after the pages, from the same collection; then the site is published."""
        assert self.collection is not None
        if self.body_errors:
            errors, self.body_errors = self.body_errors, []
            raise PluginError(ContentErrors(errors, root=self.content_root).report())
        thumbnails = {url: image.thumbnail() for url, image in self.images.items()}
        stats = write_search_index(self.collection, Path(config.site_dir), self.addresses, self.index_dir, thumbnails)
        log.info(f"Chỉ mục tìm kiếm: {stats.documents} bài, {stats.terms} mục từ, {stats.bytes // 1024} KB")
        if self.warnings.stop():  # `--strict` fails this build after us: keep the last good site
            return
        if self.staging is not None and self.site_dir is not None:
            publish(self.staging, self.site_dir)
            config.site_dir = str(self.site_dir)  # for what runs after the build, as `mkdocs gh-deploy` does
            self.staging = None

    def on_build_error(self, *, error: Exception) -> None:
        """A build that failed leaves the last good site as it was: its own folder goes."""
        self.warnings.stop()
        if self.staging is not None:
            discard(self.staging)
            self.staging = None

    def on_page_context(
        self, context: TemplateContext, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        assert self.collection is not None
        spec = self.specs.get(page.file.src_uri)
        context["bt"] = spec.context if spec is not None else {}  # type: ignore[typeddict-unknown-key]
        links = menu(self.collection, sections_of(nav))
        context["bt_current"] = current(links, page.url)  # type: ignore[typeddict-unknown-key]
        crumbs = trail(spec.src_uri, spec.context, self.collection) if spec is not None else []
        context["bt_trail"] = crumbs  # type: ignore[typeddict-unknown-key]
        item = spec.context.get("item") if spec is not None else None
        context["bt_toc"] = bool(item is not None and needs_toc(item))  # type: ignore[typeddict-unknown-key]
        unit = spec.context.get("unit") if spec is not None else None
        document_kind = document_kind_of(spec)
        kind = feed_kind(page.file.src_uri, unit, document_kind)
        feeds = alternate_links(kind, config.site_name, unit, document_kind)
        context["bt_feeds"] = feeds  # type: ignore[typeddict-unknown-key]
        return context


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
    item = spec.context.get("item")
    if item is not None:
        return item.notice.kind if item.notice else None
    found: DocumentKind | None = spec.context.get("document_kind")
    return found


def relative_target(
    targets: dict[str, str], number: str, page_url: str, addresses: Addresses = NO_ADDRESSES
) -> str | None:
    """The link from `page_url` to a cited number's page, whichever spelling of the number the body used."""
    target = targets.get(document_slug(number))
    return get_relative_url(addresses(target), page_url) if target else None


def served_url(url: Callable[..., str], addresses: Addresses) -> Callable[..., str]:
    """MkDocs' `url` filter, first turning a page's address into where the site serves it (`bantin.urls`)."""

    @pass_context
    def served(context: TemplateContext, value: object) -> str:
        return url(context, addresses(str(value)))

    return served


def site_renderer(config_file: Path) -> Renderer:
    """Bodies rendered with the Markdown configuration of the site whose mkdocs.yml is `config_file`, so `bantin
    check` reports exactly what that site's build would; MkDocs' defaults when there is no such file."""
    if not config_file.is_file():
        return Renderer()
    from mkdocs.config import load_config

    config = load_config(str(config_file))
    return Renderer(config.markdown_extensions, config.mdx_configs)
