"""The sitemap's two files as bantin.sitemap writes them: once per change, never in place, never empty."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

from bantin.sitemap import write_sitemap

SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <url><loc>https://bantin.example.vn/tin/2023/hoi-nghi-dan-van-kheo/</loc><lastmod>2023-03-03</lastmod></url>
</urlset>
"""


def test_sitemap_gzip_holds_the_same_xml(tmp_path: Path) -> None:
    assert write_sitemap(str(tmp_path), SITEMAP)
    assert (tmp_path / "sitemap.xml").read_text(encoding="utf-8") == SITEMAP
    assert gzip.decompress((tmp_path / "sitemap.xml.gz").read_bytes()) == SITEMAP.encode("utf-8")


def test_unchanged_sitemap_is_not_written_again(tmp_path: Path) -> None:
    write_sitemap(str(tmp_path), SITEMAP)
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        os.utime(tmp_path / name, ns=(0, 0))
    assert not write_sitemap(str(tmp_path), SITEMAP)
    assert (tmp_path / "sitemap.xml").stat().st_mtime_ns == 0
    assert (tmp_path / "sitemap.xml.gz").stat().st_mtime_ns == 0


def test_missing_gzip_is_written_again(tmp_path: Path) -> None:
    write_sitemap(str(tmp_path), SITEMAP)
    (tmp_path / "sitemap.xml.gz").unlink()
    assert write_sitemap(str(tmp_path), SITEMAP)
    assert gzip.decompress((tmp_path / "sitemap.xml.gz").read_bytes()) == SITEMAP.encode("utf-8")


def test_changed_sitemap_never_changes_a_linked_file_in_place(tmp_path: Path) -> None:
    published, staging = tmp_path / "site", tmp_path / "staging"
    published.mkdir()
    staging.mkdir()
    write_sitemap(str(published), SITEMAP)
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        os.link(published / name, staging / name)  # a site folder started from the published site's files
    changed = SITEMAP.replace("2023-03-03", "2023-03-05")
    assert write_sitemap(str(staging), changed)
    assert (staging / "sitemap.xml").read_text(encoding="utf-8") == changed
    assert (published / "sitemap.xml").read_text(encoding="utf-8") == SITEMAP
    assert gzip.decompress((published / "sitemap.xml.gz").read_bytes()) == SITEMAP.encode("utf-8")
    assert sorted(path.name for path in staging.iterdir()) == ["sitemap.xml", "sitemap.xml.gz"]


def test_empty_sitemap_writes_nothing(tmp_path: Path) -> None:
    assert not write_sitemap(str(tmp_path), "  \n")
    assert list(tmp_path.iterdir()) == []
