"""The build cache never serves a stale page: after each kind of change a warm build equals a cold one, byte for byte.

A 200-article corpus from the project's generator (Vietnamese paragraphs from the seed bulletins) is built as its
own site (the repo's mkdocs.yml, docs/ and hooks/, plus a custom_dir override) in tmp_path, so the cache under its
`.cache/bantin/` is the test's own. Each step changes one thing, builds with the cache of the step before, then
builds a copy of the project with no cache at all, and compares every file of the two sites.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from bantin.cache import CACHE_DIR
from bantin.render import Job, page_destination, render_missing
from tests.conftest import REPO, generated_corpus

CORPUS_SIZE = 200
OVERRIDE = "overrides/bantin/partials/neighbours.html"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_corpus(tmp_path_factory.mktemp("corpus"), CORPUS_SIZE)


def make_project(root: Path, corpus: Path) -> Path:
    """The demo site's configuration over the corpus, with a template override in its own custom_dir."""
    override = (REPO / "bantin" / "theme" / "bantin" / "partials" / "neighbours.html").read_text(encoding="utf-8")
    return project_over(root, corpus, {OVERRIDE.removeprefix("overrides/"): override})


def project_over(root: Path, content: Path, overrides: dict[str, str]) -> Path:
    """The demo site's configuration over `content`, with a custom_dir holding `overrides` (template → source)."""
    root.mkdir()
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("  name: material\n", "  name: material\n  custom_dir: overrides\n", 1)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(REPO / "hooks", root / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(content, root / "content")
    for name, source in overrides.items():
        path = root / "overrides" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return root


def add_scripted_article(project: Path) -> None:
    """An article whose body carries an event handler: the sanitizer removes it, so every build must fail."""
    bad = project / "content" / "tin" / "2024" / "bai-co-ma.md"
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_text(
        "---\ntitle: Bài có mã\ndate: 2024-05-02\nunit: Huyện đoàn\n---\n"
        'Đoạn mở đầu.\n\n<p onclick="alert(1)">Bấm vào đây</p>\n',
        encoding="utf-8",
    )


def build_project(project: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BANTIN_CONTENT_DIR", str(project / "content"))
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(site), strict=True))
    return site


def tree(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def assert_same_site(warm: Path, cold: Path) -> None:
    warm_files, cold_files = tree(warm), tree(cold)
    assert sorted(warm_files) == sorted(cold_files), "the warm build wrote other files than the cold one"
    different = [name for name in cold_files if warm_files[name] != cold_files[name]]
    assert different == [], f"{len(different)} files differ from a cold build, first {different[:5]}"


@pytest.fixture
def step(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str, Callable[[Path], None]], dict[str, bytes]]]:
    """Apply a change, build warm (cache of the previous step), build a cache-less copy, compare; returns the site."""
    project = make_project(tmp_path / "project", corpus)
    build_project(project, tmp_path / "first", monkeypatch)
    assert (project / CACHE_DIR / "pages").is_dir()

    def run(name: str, change: Callable[[Path], None]) -> dict[str, bytes]:
        change(project)
        warm = build_project(project, tmp_path / f"warm-{name}", monkeypatch)
        copy = tmp_path / f"cold-project-{name}"
        shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".cache"))
        cold = build_project(copy, tmp_path / f"cold-{name}", monkeypatch)
        assert_same_site(warm, cold)
        return tree(warm)

    yield run


def articles(project: Path) -> list[Path]:
    return sorted((project / "content" / "tin").rglob("*.md"))


def test_warm_build_equals_cold_build_after_every_kind_of_change(
    step: Callable[[str, Callable[[Path], None]], dict[str, bytes]],
) -> None:
    def edit(project: Path) -> None:
        path = articles(project)[5]
        path.write_text(path.read_text(encoding="utf-8") + "\nĐoạn mới thêm: Ban Dân vận sửa bài.\n", encoding="utf-8")

    site = step("edit", edit)
    assert any("Đoạn mới thêm" in data.decode("utf-8", "replace") for name, data in site.items() if "tin/" in name)

    def add(project: Path) -> None:
        (project / "content" / "tin" / "2025").mkdir(exist_ok=True)
        (project / "content" / "tin" / "2025" / "bai-moi-them.md").write_text(
            "---\ntitle: Bài mới thêm về Dân vận khéo\ndate: 2025-06-01 08:00\nunit: Ban Dân vận Tỉnh ủy\n"
            "tags: [Dân vận khéo]\n---\nHội nghị biểu dương điển hình Dân vận khéo năm 2025.\n",
            encoding="utf-8",
        )

    site = step("add", add)
    assert "tin/2025/bai-moi-them/index.html" in site
    assert "bai-moi-them" in site["feed.xml"].decode("utf-8")

    step("delete", lambda project: articles(project)[10].unlink())

    def rename(project: Path) -> None:
        path = articles(project)[20]
        path.rename(path.with_name("doi-ten-" + path.name))

    site = step("rename", rename)
    assert any("/doi-ten-" in name for name in site)

    def registry(project: Path) -> None:
        path = project / "content" / "don-vi.yml"
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace(
                '  - name: "Thường trực Tỉnh ủy"\n',
                '  - name: "Thường trực Tỉnh ủy"\n    parent: "Ban Dân vận Tỉnh ủy"\n',
            ),
            encoding="utf-8",
        )

    step("don-vi", registry)

    def template(project: Path) -> None:
        path = project / OVERRIDE
        path.write_text(path.read_text(encoding="utf-8").replace("Tin mới hơn", "Tin sau"), encoding="utf-8")

    site = step("template", template)
    assert any("Tin sau" in data.decode("utf-8", "replace") for data in site.values())

    def config(project: Path) -> None:
        path = project / "mkdocs.yml"
        path.write_text(
            path.read_text(encoding="utf-8").replace("site_name: Bản tin Dân vận", "site_name: Bản tin Mới")
        )

    site = step("mkdocs.yml", config)
    assert "Bản tin Mới" in site["tin/index.html"].decode("utf-8")


def test_two_cold_builds_are_byte_identical(corpus: Path, tmp_path: Path) -> None:
    """Fresh processes with different hash seeds, no cache and build dates 30 years apart (MkDocs takes its build
    date from SOURCE_DATE_EPOCH): nothing in the site depends on when it was built or on set order."""
    sites = []
    for seed, built in (("1", "946684800"), ("2", "1893456000")):
        project = make_project(tmp_path / f"project-{seed}", corpus)
        site = tmp_path / f"site-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "BANTIN_CONTENT_DIR": str(project / "content")}
        env["SOURCE_DATE_EPOCH"] = built
        command = [sys.executable, "-m", "mkdocs", "build", "-q", "--strict", "-f", str(project / "mkdocs.yml")]
        subprocess.run([*command, "-d", str(site)], check=True, env=env)
        sites.append(site)
    assert_same_site(*sites)
    feeds = [name for name in tree(sites[0]) if name.endswith("feed.xml")]
    assert len(feeds) > 2


def test_pages_rendered_outside_mkdocs_loop_equal_mkdocs_own(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the cache (pages rendered in forked workers, copied in) the site equals MkDocs rendering every page."""
    cached = make_project(tmp_path / "cached", corpus)
    plain = make_project(tmp_path / "plain", corpus)
    config = plain / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("content_dir: !ENV", "cache: false\n      content_dir: !ENV"), encoding="utf-8")
    monkeypatch.setattr("bantin.render.PARALLEL_FROM", 2)  # fork even for this small site
    with_cache = build_project(cached, tmp_path / "with-cache", monkeypatch)
    without = build_project(plain, tmp_path / "without-cache", monkeypatch)
    assert not (plain / CACHE_DIR / "pages").exists()
    assert_same_site(with_cache, without)


def test_rebuilding_into_the_same_site_dir_replaces_it_and_keeps_hidden_entries(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The previous site is moved aside and removed (bantin.output); like MkDocs, `.git` and the like stay."""
    project = make_project(tmp_path / "project", corpus)
    site = build_project(project, tmp_path / "site", monkeypatch)
    first = tree(site)
    (site / ".git").mkdir()
    (site / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (site / "cu-khong-con.html").write_text("a page of an older build")
    build_project(project, site, monkeypatch)
    assert (site / ".git" / "HEAD").is_file()
    assert not (site / "cu-khong-con.html").exists()
    assert {name: data for name, data in tree(site).items() if not name.startswith(".git/")} == first
    assert list(tmp_path.glob(".site.bantin-old-*")) == []


def test_a_body_that_loses_markup_fails_every_build_wherever_its_page_was_rendered(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Pages render in forked workers and are cached: the sanitizer's removals still reach the build, and a second
    build with the same cache fails the same way instead of publishing the cleaned page silently."""
    project = make_project(tmp_path / "project", corpus)
    add_scripted_article(project)
    site = tmp_path / "site"
    for _ in range(2):
        caplog.clear()
        with pytest.raises(Abort):
            build_project(project, site, monkeypatch)
        assert 'tin/2024/bai-co-ma.md:8: body: thuộc tính "onclick" chạy mã' in caplog.text
    assert not site.exists()


def test_builds_into_the_same_site_dir_write_only_what_changed_and_equal_cold_builds(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build starts from the site before last (bantin.publish keeps it in the cache) and rewrites only what its
    manifest says changed; whatever happened to that folder since (a page edited by hand, a file removed or added),
    the published site equals a cold build byte for byte, build after build."""
    project = make_project(tmp_path / "project", corpus)
    site = tmp_path / "site"
    build_project(project, site, monkeypatch)
    cold_sites: dict[str, Path] = {}

    def cold(name: str) -> Path:
        copy = tmp_path / f"cold-project-{name}"
        shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".cache"))
        cold_sites[name] = build_project(copy, tmp_path / f"cold-{name}", monkeypatch)
        return cold_sites[name]

    def edit(project: Path) -> None:
        path = articles(project)[7]
        path.write_text(path.read_text(encoding="utf-8") + "\nĐoạn sửa trong cùng thư mục.\n", encoding="utf-8")

    def add_and_delete(project: Path) -> None:
        articles(project)[3].unlink()
        (project / "content" / "tin" / "2025").mkdir(exist_ok=True)
        (project / "content" / "tin" / "2025" / "bai-them-cung-thu-muc.md").write_text(
            "---\ntitle: Bài thêm khi dựng vào cùng thư mục\ndate: 2025-07-01 08:00\nunit: Ban Dân vận Tỉnh ủy\n"
            "tags: [Dân vận khéo]\n---\nNội dung bài thêm.\n",
            encoding="utf-8",
        )

    def tamper(project: Path) -> None:
        # The published site, which the build after next starts from, changed by hand: a page, an index file.
        page = next(iter(sorted(site.glob("tin/*/*/index.html"))))
        page.write_bytes(page.read_bytes().replace(b"</body>", b"<p>sua tay</p></body>"))
        next(path for path in sorted(site.glob("tim-kiem/chi-muc/*/*/*")) if path.is_file()).unlink()
        (site / "tin" / "thua.html").write_text("not from any build", encoding="utf-8")

    for name, change in (
        ("edit", edit),
        ("unchanged", lambda project: None),
        ("add-delete", add_and_delete),
        ("tamper", tamper),
        ("after-tamper", lambda project: None),
        ("again", lambda project: None),
    ):
        change(project)
        build_project(project, site, monkeypatch)
        expected = cold(name) if name in ("edit", "add-delete") else cold_sites[list(cold_sites)[-1]]
        assert_same_site(site, expected)
    previous = list((project / CACHE_DIR / "previous").iterdir())
    assert any(path.is_dir() for path in previous), "the site before last is kept for the next build"
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".site.")] == []


def test_adding_or_deleting_an_article_renders_only_the_pages_that_show_it(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page's key covers what it shows and links to, not every address of the site: after an article is added
    or deleted, every page rendered again is one whose HTML changed (a page that shows, lists or counts it),
    and the site still equals a cold build."""
    project = make_project(tmp_path / "project", corpus)
    sites = [build_project(project, tmp_path / "site-0", monkeypatch)]
    rendered: list[str] = []

    def recording(jobs: list[Job], store: Any, render: Any, linked: Any) -> None:
        rendered.extend(job.src_uri for job in jobs)
        render_missing(jobs, store, render, linked)

    monkeypatch.setattr("bantin.plugin.render_missing", recording)

    def add(project: Path) -> None:
        (project / "content" / "tin" / "2019").mkdir(exist_ok=True)
        (project / "content" / "tin" / "2019" / "bai-moi-nam-2019.md").write_text(
            "---\ntitle: Hội nghị sơ kết công tác dân vận chính quyền\ndate: 2019-03-04 08:00\n"
            "unit: Ban Dân vận Tỉnh ủy\n---\nBan Dân vận Tỉnh ủy tổ chức hội nghị sơ kết công tác dân vận.\n",
            encoding="utf-8",
        )

    def delete(project: Path) -> None:
        articles(project)[40].unlink()

    for number, change in enumerate((add, delete), 1):
        rendered.clear()
        change(project)
        sites.append(build_project(project, tmp_path / f"site-{number}", monkeypatch))
        before, after = tree(sites[-2]), tree(sites[-1])
        pages = [name for name in after if name.endswith(".html")]
        changed = {name for name in pages if before.get(name) != after[name]}
        again = {page_destination(src_uri, True) for src_uri in rendered}
        assert again, "the pages showing the article are rendered again"
        assert again <= changed, f"pages rendered again though nothing on them changed: {sorted(again - changed)[:5]}"
        assert len(again) < len(pages) // 4
        copy = tmp_path / f"cold-{number}"
        shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".cache"))
        assert_same_site(sites[-1], build_project(copy, tmp_path / f"cold-site-{number}", monkeypatch))


def test_a_build_started_from_the_published_site_never_changes_it(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no site before last, a build links the published site's unchanged pages and index into its own folder
    instead of copying them: the site it replaces stays byte for byte as published (it becomes the site before
    last, which the next build starts from), and each new site equals a cold build."""
    project = make_project(tmp_path / "project", corpus)
    site = tmp_path / "site"
    published = [tree(build_project(project, site, monkeypatch))]
    for number in range(2):
        path = articles(project)[30 + number]
        path.write_text(path.read_text(encoding="utf-8") + f"\nĐính chính lần {number}.\n", encoding="utf-8")
        build_project(project, site, monkeypatch)
        kept = [folder for folder in (project / CACHE_DIR / "previous").iterdir() if folder.is_dir()]
        assert len(kept) == 1
        assert tree(kept[0]) == published[-1], "the site replaced is kept as it was published"
        copy = tmp_path / f"cold-{number}"
        shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".cache"))
        assert_same_site(site, build_project(copy, tmp_path / f"cold-site-{number}", monkeypatch))
        published.append(tree(site))
    linked = [path for path in site.rglob("*.html") if path.stat().st_nlink > 1]
    assert linked, "unchanged pages are shared with the site before last, not copied"


def test_a_page_changed_in_the_published_site_is_written_again_not_linked(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first build after a cold one links the published site's files into its own folder (in a worker, while it
    plans its pages): a file changed there since it was published (by hand, by a deploy tool) is not taken, but
    written again from the cache, and the changed file itself, which becomes the site before last, is left as
    it is."""
    monkeypatch.setattr("bantin.plugin.can_fork", lambda: True)  # threads other tests left behind are idle
    project = make_project(tmp_path / "project", corpus)
    site = tmp_path / "site"
    build_project(project, site, monkeypatch)
    page = next(path for path in sorted(site.glob("tin/*/*/index.html")))
    relative = page.relative_to(site).as_posix()
    page.write_bytes(page.read_bytes() + b"<!-- changed by hand -->")
    build_project(project, site, monkeypatch)
    copy = tmp_path / "cold-project"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".cache"))
    assert_same_site(site, build_project(copy, tmp_path / "cold-site", monkeypatch))
    kept = [folder for folder in (project / CACHE_DIR / "previous").iterdir() if folder.is_dir()]
    assert (kept[0] / relative).read_bytes().endswith(b"<!-- changed by hand -->")
    assert (site / relative).stat().st_ino != (kept[0] / relative).stat().st_ino
    shared = [path for path in site.rglob("*.html") if path.stat().st_nlink > 1]
    assert shared, "the pages still as published are shared with the site before last, not copied"


def test_an_edit_build_whose_index_worker_fails_writes_the_index_itself(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit build renders a few pages while a worker writes the search index into the cache; when the worker
    fails, the build writes the index itself after the pages, and the site still equals a cold build."""
    from bantin.site_cache import SiteCache

    project = make_project(tmp_path / "project", corpus)
    site = tmp_path / "site"
    build_project(project, site, monkeypatch)
    parent = os.getpid()
    written = SiteCache.write_index

    def failing_in_a_worker(self: SiteCache, *arguments: Any) -> Any:
        if os.getpid() != parent:
            (tmp_path / f"worker-{os.getpid()}").touch()
            raise OSError("the worker fails")
        return written(self, *arguments)

    monkeypatch.setattr(SiteCache, "write_index", failing_in_a_worker)
    monkeypatch.setattr("bantin.plugin.can_fork", lambda: True)  # threads other tests left behind are idle
    path = articles(project)[12]
    path.write_text(
        path.read_text(encoding="utf-8") + "\nĐính chính: bổ sung thông tin về hội nghị.\n", encoding="utf-8"
    )
    build_project(project, site, monkeypatch)
    assert list(tmp_path.glob("worker-*")), "the index was to be written by a worker"
    copy = tmp_path / "cold-project"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".cache"))
    assert_same_site(site, build_project(copy, tmp_path / "cold-site", monkeypatch))
