"""Writing pages and their cache entries with few system calls, never through a file another folder shares.

A page's cache entry is a hard link of the page the build just wrote into its site (bantin.render.render_missing),
and the site's files may be links of the published site's (bantin.output.link_site): a page is always written as a
new file, and an entry changed through a site (a page edited in place) is found by its size and time and never
used again. A real build whose site folder is deleted, replaced or edited by hand between builds still equals a
cold build.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bantin.cache import CACHE_DIR, LinkedEntries, Store
from bantin.render import write_new
from tests.conftest import generated_corpus
from tests.test_build_cache import articles, assert_same_site, build_project, make_project, tree


def test_a_page_is_written_as_a_new_file_never_through_a_link(tmp_path: Path) -> None:
    published = tmp_path / "published" / "tin" / "bai" / "index.html"
    published.parent.mkdir(parents=True)
    published.write_bytes("<p>Bài đã đăng</p>".encode())
    page = tmp_path / "site" / "tin" / "bai" / "index.html"
    page.parent.mkdir(parents=True)
    os.link(published, page)
    write_new(str(page), "<p>Bài đã sửa</p>".encode())
    assert page.read_bytes().decode() == "<p>Bài đã sửa</p>"
    assert published.read_bytes().decode() == "<p>Bài đã đăng</p>", "the linked file is left as it was"
    assert page.stat().st_nlink == 1
    fresh = tmp_path / "site" / "van-ban" / "2024" / "ket-luan" / "index.html"
    write_new(str(fresh), b"x" * 300_000)  # folders made as needed, every byte written
    assert fresh.read_bytes() == b"x" * 300_000
    opened = tmp_path / "opened.html"
    opened.write_bytes(b"")
    assert fresh.stat().st_mode == opened.stat().st_mode, "the same permissions as Python's own open()"


def test_the_store_writes_entries_again_after_its_folder_is_emptied(tmp_path: Path) -> None:
    store = Store(tmp_path / "cache", "pages")
    key = "ab" + "0" * 38
    store.put_bytes(key, "một".encode(), ".html")
    assert store.has(key, ".html")
    shutil.rmtree(tmp_path / "cache")  # emptied by hand while `mkdocs serve` keeps the store
    store.put_bytes(key, b"hai", ".html")
    store.put_bytes("ab" + "1" * 38, b"ba", ".html")
    assert Path(store.location(key, ".html")).read_bytes().decode() == "hai"
    assert sorted(store.names()) == [f"ab{'0' * 38}.html", f"ab{'1' * 38}.html"], "no temporary file is left"


def test_an_entry_changed_through_a_linked_file_is_never_used_again(tmp_path: Path) -> None:
    store = Store(tmp_path / "cache", "pages")
    pages = [tmp_path / "site" / f"bai-{number}" / "index.html" for number in range(3)]
    keys = [f"{number:02x}" + "0" * 38 for number in range(3)]
    for page, key in zip(pages, keys, strict=True):
        write_new(str(page), f"<p>Bài {page.parent.name}</p>".encode())
        assert store.link(key, str(page), ".html")
    linked = LinkedEntries(store, ".html", store.names())
    assert all(linked.record(key) for key in keys)
    linked.save()
    with open(pages[0], "r+b") as stream:  # edited in place, by hand: the entry is the same file
        stream.write(b"<!-- sua tay -->")
    again = LinkedEntries(store, ".html", store.names())
    assert not again.intact(keys[0]) and not store.has(keys[0], ".html"), "changed: removed, to be rendered anew"
    assert again.intact(keys[1])
    shutil.rmtree(tmp_path / "site")  # the site deleted: the entries stand alone, still as stored
    assert again.intact(keys[2])
    unknown = "ff" + "0" * 38  # stored by a build killed before it saved the figures
    write_new(str(tmp_path / "other" / "index.html"), b"<p>x</p>")
    store.link(unknown, str(tmp_path / "other" / "index.html"), ".html")
    assert not again.intact(unknown), "unknown and shared with a site: not trusted"
    store.put_bytes(unknown, b"<p>x</p>", ".html")
    assert again.intact(unknown), "unknown but its own file: trusted"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_corpus(tmp_path_factory.mktemp("corpus"), 60)


def test_a_site_deleted_replaced_or_edited_between_builds_is_built_as_a_cold_build(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path / "project", corpus)
    site = tmp_path / "site"
    cold = tree(build_project(project, site, monkeypatch))
    entries = {path: path.read_bytes() for path in (project / CACHE_DIR / "pages").rglob("*.html")}
    assert len(entries) > 60

    edited = sorted(site.glob("tin/*/*/index.html"))[:3]
    assert all(page.stat().st_nlink > 1 for page in edited), "the cache's entries are the site's pages, linked"
    for page in edited:  # edited by hand, in place: their cache entries with them
        with open(page, "r+b") as stream:
            stream.write(b"<!-- sua tay -->")
    assert {path: path.read_bytes() for path in entries} != entries
    for _ in range(2):  # the site before last, then the one just published, as the next build's start
        assert tree(build_project(project, site, monkeypatch)) == cold
    assert {path: path.read_bytes() for path in entries} == entries, "every entry changed was rendered anew"

    shutil.rmtree(site)  # deleted: every page comes from the cache
    assert tree(build_project(project, site, monkeypatch)) == cold
    shutil.rmtree(site)  # replaced by another folder, with a stray file where a page goes
    (site / "tin").mkdir(parents=True)
    (site / "tin" / "index.html").write_text("không phải trang của bản dựng", encoding="utf-8")
    (site / "thua.txt").write_text("thừa", encoding="utf-8")
    assert tree(build_project(project, site, monkeypatch)) == cold

    path = articles(project)[5]  # and a later edit is built as a cold build of the edited content
    path.write_text(path.read_text(encoding="utf-8") + "\nĐoạn thêm sau khi dựng.\n", encoding="utf-8")
    build_project(project, site, monkeypatch)
    copy = tmp_path / "cold-project"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".cache"))
    assert_same_site(site, build_project(copy, tmp_path / "cold-site", monkeypatch))
