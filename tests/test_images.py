"""Lead images: what an editor writes in `image:` is checked at load, then resized once for the layout."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from bantin import ContentErrors, load_content
from bantin.images import OPEN_GRAPH, WIDTHS, lead_image
from tests.conftest import build_site

PATH = "tin/2023/bai-moi.md"
ARTICLE = """\
---
title: Người dân xã Nông Hạ thu hoạch củ cải vụ đông
date: "2023-03-03 08:30"
unit: Ban Dân vận Tỉnh ủy Bắc Kạn
image: {image}
image_caption: Thu hoạch củ cải vụ đông
image_credit: "Ảnh: Hương Dịu"
---
Người dân tích cực sản xuất, nâng cao thu nhập.
"""


def photo(path: Path, size: tuple[int, int] = (1600, 1000)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (120, 160, 90)).save(path, "JPEG")
    return path


def errors_for(content: Callable[..., Path], image: str, files: dict[str, bytes] | None = None) -> list[str]:
    folder = content({PATH: ARTICLE.format(image=image)})
    for name, data in (files or {}).items():
        (folder / "tin" / "2023" / name).write_bytes(data)
    with pytest.raises(ContentErrors) as caught:
        load_content(folder)
    return [str(error) for error in caught.value.errors]


def test_a_missing_image_file_is_reported_at_its_line(content: Callable[..., Path]) -> None:
    assert errors_for(content, "thu-hoach.jpg") == [
        f'{PATH}:5: image: không có tệp "thu-hoach.jpg" cạnh bài; đặt ảnh vào cùng thư mục với tệp bài'
    ]


def test_an_image_from_another_site_or_folder_is_reported(content: Callable[..., Path]) -> None:
    for value in ("https://anh.example.vn/a.jpg", "../2022/a.jpg"):
        (message,) = errors_for(content, f'"{value}"')
        assert message.startswith(f'{PATH}:5: image: "{value}": ghi tên tệp ảnh đặt cạnh bài'), message


def test_a_file_that_is_not_an_image_is_reported(content: Callable[..., Path]) -> None:
    assert errors_for(content, "anh.jpg", {"anh.jpg": b"<html>not a photo</html>"}) == [
        f'{PATH}:5: image: "anh.jpg" không mở được như một tệp ảnh; hãy lưu lại ảnh dưới dạng JPEG'
    ]
    (message,) = errors_for(content, "anh.gif", {"anh.gif": b"GIF89a"})
    assert "chỉ dùng ảnh JPEG, PNG hoặc WebP" in message


def test_variants_keep_the_aspect_and_never_enlarge(tmp_path: Path) -> None:
    small = photo(tmp_path / "nho.jpg", (500, 300))
    lead, files = lead_image(small, "tin/2023/bai/", tmp_path / "cache", "Chú thích", None)
    assert [variant.width for variant in lead.webp] == [320, 500]
    assert [(variant.width, variant.height) for variant in lead.jpeg] == [(320, 192), (500, 300)]
    assert (lead.open_graph.width, lead.open_graph.height) == OPEN_GRAPH
    with Image.open(dict(files)[lead.webp[0].uri]) as image:
        assert image.format == "WEBP" and image.size == (320, 192)
    big = photo(tmp_path / "to.jpg")
    lead, _ = lead_image(big, "tin/2023/bai/", tmp_path / "cache", None, None)
    assert [variant.width for variant in lead.webp] == list(WIDTHS)
    assert lead.original == "tin/2023/to.jpg"


def test_a_replaced_photo_gets_new_file_names(tmp_path: Path) -> None:
    source = photo(tmp_path / "anh.jpg")
    first, _ = lead_image(source, "tin/2023/bai/", tmp_path / "cache", None, None)
    Image.new("RGB", (1600, 1000), (10, 20, 30)).save(source, "JPEG")
    second, _ = lead_image(source, "tin/2023/bai/", tmp_path / "cache", None, None)
    assert first.webp[0].uri != second.webp[0].uri


def test_an_article_with_an_image_builds_with_its_picture(
    content: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = content({PATH: ARTICLE.format(image="thu-hoach.jpg")})
    photo(folder / "tin" / "2023" / "thu-hoach.jpg")
    site = build_site(folder, tmp_path / "site", monkeypatch)
    html = (site / "tin" / "2023" / "bai-moi" / "index.html").read_text(encoding="utf-8")
    assert '<picture>\n    <source type="image/webp"' in html
    assert 'alt="Thu hoạch củ cải vụ đông"' in html
    assert '<span class="bt-credit">Ảnh: Hương Dịu</span>' in html
    published = sorted(path.name for path in (site / "tin" / "2023" / "bai-moi").glob("anh-*"))
    assert len(published) == 2 * len(WIDTHS) + 1
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'fetchpriority="high"' in home  # the lead story's photo loads first
