"""Real MkDocs builds in tmp_path: generated pages, escaping, and failing builds that lose nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest
from mkdocs.exceptions import Abort

from tests.conftest import build_site


def read(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_article_page_shows_its_metadata(
    content: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = build_site(content(), tmp_path / "site", monkeypatch)
    html = read(site, "tin/2023/nang-cao-chat-luong-khoi-dan-van")
    assert "<h1>Nâng cao chất lượng hoạt động của khối dân vận cơ sở</h1>" in html
    assert "Thứ Sáu, 03/03/2023" in html
    assert "Hương Dịu" in html
    assert "Lượt xem: 1.234" in html
    assert 'href="../../../don-vi/ban-dan-van-tinh-uy-bac-kan/"' in html


def test_content_is_escaped_everywhere_it_lands(
    content: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hostile = (
        '---\ntitle: "Tin <script>alert(1)</script> & <b>đậm</b>"\ndate: 2023-03-04\n'
        'unit: Ban Dân vận Tỉnh ủy Bắc Kạn\nauthor: "<img src=x onerror=alert(2)>"\n'
        'category: "</title><script>alert(3)</script>"\n---\nNội dung.\n'
    )
    site = build_site(content({"tin/2023/tin-doc-hai.md": hostile}), tmp_path / "site", monkeypatch)
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html, page
        assert "<img src=x" not in html, page
    html = read(site, "tin/2023/tin-doc-hai")
    title = "Tin &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;đậm&lt;/b&gt;"
    assert f"<title>{title} – Bản tin Dân vận</title>" in html
    assert f'<meta property="og:title" content="{title}">' in html
    feed = ElementTree.parse(site / "feed.xml").getroot()
    assert "Tin <script>alert(1)</script> & <b>đậm</b>" in [node.text for node in feed.iter("title")]


def test_quotes_in_titles_cannot_leave_attributes(
    content: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (
        '---\ntitle: \'Tin "trích dẫn" onmouseover="alert(1)"\'\ndate: 2023-03-04\n'
        "unit: Ban Dân vận Tỉnh ủy Bắc Kạn\n---\nNội dung.\n"
    )
    site = build_site(content({"tin/2023/trich-dan.md": text}), tmp_path / "site", monkeypatch)
    for page in site.rglob("*.html"):
        assert 'onmouseover="alert' not in page.read_text(encoding="utf-8"), page


def test_unit_page_paginates_twenty_per_page(
    content: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        f"tin/2023/tin-so-{day:02d}.md": (
            f"---\ntitle: Tin số {day}\ndate: 2023-01-{day:02d}\nunit: Ban Dân vận Tỉnh ủy Bắc Kạn\n"
            f"---\nNội dung {day}.\n"
        )
        for day in range(1, 26)
    }
    site = build_site(content(files, with_article=False), tmp_path / "site", monkeypatch)
    first = read(site, "don-vi/ban-dan-van-tinh-uy-bac-kan")
    second = read(site, "don-vi/ban-dan-van-tinh-uy-bac-kan/trang/2")
    assert first.count('class="bt-list__item"') == 20
    assert second.count('class="bt-list__item"') == 5
    assert first.index("Tin số 25") < first.index("Tin số 6<")
    assert "Tin số 5<" in second and "Tin số 1<" in second
    assert "Trang 1/2" in first and 'href="trang/2/"' in first


def test_unit_page_shows_lineage_both_ways(
    content: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = build_site(content(), tmp_path / "site", monkeypatch)
    old = read(site, "don-vi/ban-dan-van-tinh-uy-bac-kan")
    new = read(site, "don-vi/ban-tuyen-giao-va-dan-van-tinh-uy-bac-kan")
    assert "Hoạt động đến" in old and "03/2025" in old
    assert 'class="bt-successor"><a href="../ban-tuyen-giao-va-dan-van-tinh-uy-bac-kan/">' in old
    assert 'class="bt-predecessors">' in new and "Ban Dân vận Tỉnh ủy Bắc Kạn</a> (1 bài)" in new


def test_content_error_fails_the_build_before_touching_site(
    content: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    site = build_site(content(), tmp_path / "site", monkeypatch)
    before = sorted(path.relative_to(site) for path in site.rglob("*"))
    broken = content({"tin/2023/hong.md": "---\ntitle: Hỏng\ndate: 2023-03-33\nunit: Không rõ\n---\nNội dung.\n"})
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_site(broken, site, monkeypatch)
    assert sorted(path.relative_to(site) for path in site.rglob("*")) == before
    messages = "\n".join(record.getMessage() for record in caplog.records)
    assert 'tin/2023/hong.md:3: date: "2023-03-33" không phải ngày giờ có thật' in messages
    assert 'tin/2023/hong.md:4: unit: không có đơn vị "Không rõ" trong don-vi.yml' in messages
    assert "Traceback" not in messages


def test_document_page_names_the_notice_that_carries_the_number(
    content: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notice = (
        "---\ntitle: Kết luận về công tác dân vận\ndate: 2024-05-02\nunit: Tỉnh ủy Bắc Kạn\nnumber: 212-TB/TU\n"
        "issuer: Tỉnh ủy Bắc Kạn\n---\nThường trực Tỉnh ủy kết luận.\n"
    )
    article = (
        "---\ntitle: Triển khai Thông báo 212-TB/TU\ndate: 2024-05-10\nunit: Ban Dân vận Tỉnh ủy Bắc Kạn\n---\n"
        "Ban Dân vận Tỉnh ủy quán triệt Thông báo số 212-TB/TU ngày 02/5/2024.\n"
    )
    folder = content({"ket-luan/2024/ket-luan-dan-van.md": notice, "tin/2024/trien-khai.md": article})
    site = build_site(folder, tmp_path / "site", monkeypatch)
    page = read(site, "van-ban/212-tb-tu")
    assert 'class="bt-document-notice"' in page and "Kết luận về công tác dân vận" in page
    assert "Triển khai Thông báo 212-TB/TU" in page
    article_html = read(site, "tin/2024/trien-khai")
    assert '<a class="bt-citation" href="../../../van-ban/212-tb-tu/">212-TB/TU</a>' in article_html
    assert 'id="bt-related-heading">Tin khác</h2>' in article_html


def test_image_beside_an_article_is_published_as_a_captioned_figure(
    content: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = (
        "---\ntitle: Thu hoạch củ cải\ndate: 2023-01-05\nunit: Ban Dân vận Tỉnh ủy Bắc Kạn\n---\n"
        "Người dân tích cực sản xuất.\n\n![Người dân xã Nông Hạ thu hoạch củ cải <vụ đông>](thu-hoach.png)\n"
    )
    folder = content({"tin/2023/thu-hoach.md": article})
    (folder / "tin/2023/thu-hoach.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    site = build_site(folder, tmp_path / "site", monkeypatch)
    html = read(site, "tin/2023/thu-hoach")
    alt = "Người dân xã Nông Hạ thu hoạch củ cải &lt;vụ đông&gt;"
    assert f'<figure class="bt-figure"><img alt="{alt}" src="../thu-hoach.png"' in html
    assert "<figcaption>Người dân xã Nông Hạ thu hoạch củ cải &lt;vụ đông&gt;</figcaption></figure>" in html
    assert (site / "tin/2023/thu-hoach.png").read_bytes().startswith(b"\x89PNG")


def test_footer_names_the_newest_items_year_not_the_build_year(
    content: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo's footer hook: a build next year of the same content gives the same pages."""
    site = build_site(content(), tmp_path / "site", monkeypatch)
    html = read(site, "tin/2023/nang-cao-chat-luong-khoi-dan-van")
    assert "© 2023 Bản tin Dân vận" in html
