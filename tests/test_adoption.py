"""Another unit's site: a fresh folder, a four-line mkdocs.yml, and the full Vietnamese bulletin without more."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.livereload import LiveReloadServer

from tests.conftest import DEMO_CONTENT, REPO
from tests.linkcheck import broken_links

SITE_URL = "https://bantin.example.vn/ban-dan-van/"
MINIMAL = f"site_name: Bản tin Dân vận Gò Vấp\nsite_url: {SITE_URL}\ntheme: material\nplugins: [bantin]\n"


def unit_site(root: Path, extra: str = "", *, docs: dict[str, str] | None = None) -> Path:
    """A unit's folder as a technician makes it: mkdocs.yml, an empty docs/ and the demo's content."""
    (root / "mkdocs.yml").write_text(MINIMAL + extra, encoding="utf-8")
    (root / "docs").mkdir()
    for name, text in (docs or {}).items():
        (root / "docs" / name).write_text(text, encoding="utf-8")
    shutil.copytree(DEMO_CONTENT, root / "content")
    return root


def build_unit(root: Path) -> Path:
    build(load_config(str(root / "mkdocs.yml"), strict=True))
    return root / "site"


def read(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def test_minimal_config_gives_the_vietnamese_bulletin(tmp_path: Path) -> None:
    site = build_unit(unit_site(tmp_path))
    home = read(site, "index.html")
    assert '<html lang="vi"' in home
    assert "fonts.googleapis" not in home and "fonts.gstatic" not in home
    assert "Made with" not in home
    assert '<h1 id="ban-tin-dan-van-go-vap">Bản tin Dân vận Gò Vấp</h1>' in home  # the home page from site_name
    assert 'id="bt-latest"' in home and "Tin mới" in home
    for label in ("Trang chủ", "Tin tức", "Kết luận", "Văn bản", "Đơn vị", "Lưu trữ", "Xem nhiều"):
        assert f"{label}\n" in home or f"{label}<" in home, label
    assert "Don vi" not in home and "Ket luan" not in home
    item = read(site, "tin/2018/tap-trung-doi-moi-hoat-dong-mat-tran-doan-the-o-dia-ban-dan-cu/index.html")
    assert 'aria-label="Thanh điều hướng"' in item and 'aria-label="Đầu trang"' in item  # Material's own labels
    assert "Navigation" not in item and "Header" not in item
    assert (site / "feed.xml").is_file() and (site / "robots.txt").is_file()
    register = read(site, "ket-luan/index.html")  # the menu says "Kết luận"; the breadcrumb ends with the heading
    assert '<li aria-current="page">Thông báo kết luận</li>' in register
    assert len(list(site.glob("tim-kiem/chi-muc/*/meta.bin"))) == 1
    # No article in the menu: only the sections.
    assert home.count('class="md-nav__link') <= 2 * 7


def test_every_default_yields_to_what_the_site_writes(tmp_path: Path) -> None:
    extra = (
        "theme:\n  name: material\n  language: en\n  font:\n    text: Roboto\n"
        "extra:\n  generator: true\nnav:\n  - Tin: tin/index.md\n"
    )
    root = unit_site(tmp_path, docs={"index.md": "# Giới thiệu đơn vị\n\nĐoạn giới thiệu riêng.\n"})
    (root / "mkdocs.yml").write_text(MINIMAL.replace("theme: material\n", "") + extra, encoding="utf-8")
    site = build_unit(root)
    home = read(site, "index.html")
    assert '<html lang="en"' in home
    assert "fonts.googleapis" in home
    assert "Made with" in home
    assert "Lưu trữ</" not in home.split('class="md-content"')[0]  # the site's own one-entry menu
    assert "Đoạn giới thiệu riêng." in home and 'id="bt-latest"' in home  # its own text, on the home layout


def test_site_without_site_url_is_asked_for_one_in_vietnamese(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root = unit_site(tmp_path)
    (root / "mkdocs.yml").write_text(MINIMAL.replace(f"site_url: {SITE_URL}\n", ""), encoding="utf-8")
    with caplog.at_level(logging.WARNING), pytest.raises(Abort):
        build_unit(root)
    assert "mkdocs.yml chưa có địa chỉ của trang: thêm một dòng như «site_url:" in caplog.text


def test_serve_watches_the_content_folder(tmp_path: Path) -> None:
    root = unit_site(tmp_path)
    config = load_config(str(root / "mkdocs.yml"))
    config = config.plugins.on_config(config)

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        config.plugins.on_serve(server, config=config, builder=lambda: None)
        assert str(root / "content") in server._watched_paths
    finally:
        config.plugins.on_shutdown()
        server.server_close()


@pytest.mark.parametrize("directory_urls", [True, False], ids=["directory-urls", "html-files"])
def test_every_link_resolves_on_a_sub_path_site(tmp_path: Path, directory_urls: bool) -> None:
    root = unit_site(tmp_path, f"use_directory_urls: {str(directory_urls).lower()}\n")
    site = build_unit(root)
    if not directory_urls:
        assert (site / "tin" / "2023" / "nang-cao-chat-luong-hieu-qua-hoat-dong-cua-khoi-dan-van-co-so.html").is_file()
    assert broken_links(site, SITE_URL, directory_urls=directory_urls) == []
    not_found = read(site, "404.html")  # served at any depth: its links to the home page are the sub-path itself
    home = "/ban-dan-van/" if directory_urls else "/ban-dan-van/index.html"
    assert f'<a href="{home}">Về trang chủ</a>' in not_found
    assert f'class="bt-masthead__brand" href="{home}"' in not_found
    assert "/ban-dan-van/." not in not_found


def test_every_link_of_the_demo_site_resolves(demo_site: Path) -> None:
    assert broken_links(demo_site, "https://bantin.example.vn/") == []


def test_settings_read_through_inherit_and_tags(tmp_path: Path) -> None:
    from bantin.defaults import written_settings

    (tmp_path / "base.yml").write_text("theme:\n  name: material\n  language: en\nnav:\n  - a.md\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "INHERIT: base.yml\nsite_url: !ENV [SITE_URL, 'https://x.vn/']\ntheme:\n  font: false\n", encoding="utf-8"
    )
    written = written_settings(str(tmp_path / "mkdocs.yml"))
    assert written["theme"] == {"name": "material", "language": "en", "font": False}
    assert "nav" in written and "site_url" in written and "extra" not in written


def test_templates_join_no_url_strings() -> None:
    """Addresses come from `bantin.urls` and the page model; a template that glues one together breaks under
    `use_directory_urls: false` or a sub-path site in ways only a full link check finds."""
    theme = REPO / "bantin" / "theme"
    joins = [
        f"{path.relative_to(theme)}:{number}: {line.strip()}"
        for path in sorted(theme.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"""(?:href|src|action)="\{\{[^}]*~""", line)
    ]
    assert joins == []
