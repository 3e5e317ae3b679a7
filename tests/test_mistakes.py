"""Every likely mistake an editor makes, each with the exact Vietnamese message `bantin check` gives."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bantin import ContentErrors, load_content
from bantin.dates import now_in_vietnam
from tests.conftest import REGISTRY, build_site

PATH = "tin/2023/bai-moi.md"
UNIT = "Ban Dân vận Tỉnh ủy Bắc Kạn"
JARGON = ("yaml", "frontmatter", "traceback", "exception", "parser", "scalar", "token")


def article(
    extra: str = "", body: str = "Người dân tích cực sản xuất, nâng cao thu nhập.\n", date: str = "2023-03-03"
) -> str:
    return f'---\ntitle: Khối dân vận cơ sở phát huy vai trò\ndate: "{date}"\nunit: {UNIT}\n{extra}---\n{body}'


def errors_for(content: Callable[..., Path], files: dict[str, str]) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        load_content(content(files))
    messages = [str(error) for error in caught.value.errors]
    assert not any(word in message.casefold() for message in messages for word in JARGON)
    return messages


def test_missing_local_image_is_an_error_at_its_line(content: Callable[..., Path]) -> None:
    body = "Toàn cảnh hội nghị.\n\n![Toàn cảnh hội nghị](hoi-nghi.jpg)\n\nXem [toàn văn](toan-van.pdf).\n"
    assert errors_for(content, {PATH: article(body=body)}) == [
        f'{PATH}:8: body: không có ảnh "hoi-nghi.jpg" (tìm tại tin/2023/hoi-nghi.jpg);'
        " hãy đặt tệp vào đó hoặc sửa lại tên trong bài",
        f'{PATH}:10: body: không có tệp "toan-van.pdf" (tìm tại tin/2023/toan-van.pdf);'
        " hãy đặt tệp vào đó hoặc sửa lại tên trong bài",
    ]


def test_a_present_image_builds_and_a_missing_one_keeps_the_old_site(
    content: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    folder = content({PATH: article(body="![Toàn cảnh](hoi-nghi.jpg)\n"), "tin/2023/hoi-nghi.jpg": "ảnh"})
    site = build_site(folder, tmp_path / "site", monkeypatch)
    assert (site / "tin/2023/hoi-nghi.jpg").is_file()
    (folder / "tin/2023/hoi-nghi.jpg").unlink()
    with pytest.raises(Exception, match="BuildError"):
        build_site(folder, tmp_path / "site", monkeypatch)
    assert 'không có ảnh "hoi-nghi.jpg"' in caplog.text
    assert (site / "tin/2023/bai-moi/index.html").is_file()  # the last good site is still there


@pytest.mark.parametrize(
    ("field", "value", "names"),
    [
        ("tags", "Dân vận khéo, Nông thôn mới", "Dân vận khéo, Nông thôn mới"),
        (
            "organizations",
            "Tỉnh ủy Bắc Kạn, Ban Dân vận Tỉnh ủy Bắc Kạn",
            "Tỉnh ủy Bắc Kạn, Ban Dân vận Tỉnh ủy Bắc Kạn",
        ),
    ],
)
def test_list_without_brackets_explains_list_syntax(
    content: Callable[..., Path], field: str, value: str, names: str
) -> None:
    assert errors_for(content, {PATH: article(f"{field}: {value}\n")}) == [
        f'{PATH}:5: {field}: "{value}" sẽ thành một mục; viết danh sách trong ngoặc vuông: [{names}]'
        ' (một tên có dấu phẩy thì đặt trong ngoặc kép, ví dụ ["Hà Nội, ngày 20/5"])'
    ]


def test_recipients_without_brackets_explain_list_syntax(content: Callable[..., Path]) -> None:
    notice = article("recipients: Ban Bí thư, Lưu Văn phòng\n").replace("bai-moi", "x")
    assert errors_for(content, {"ket-luan/2023/tb.md": notice}) == [
        'ket-luan/2023/tb.md:5: recipients: "Ban Bí thư, Lưu Văn phòng" sẽ thành một mục;'
        " viết danh sách trong ngoặc vuông: [Ban Bí thư, Lưu Văn phòng]"
        ' (một tên có dấu phẩy thì đặt trong ngoặc kép, ví dụ ["Hà Nội, ngày 20/5"])'
    ]


def test_a_name_with_a_comma_in_quotes_inside_brackets_is_one_topic(content: Callable[..., Path]) -> None:
    collection = load_content(content({PATH: article('tags: ["Hà Nội, ngày 20/5", Dân vận khéo]\n')}))
    item = next(item for item in collection.items if item.path == PATH)
    assert item.tags == ("Hà Nội, ngày 20/5", "Dân vận khéo")


def test_unit_used_after_it_ceased_is_a_warning_naming_its_successor(content: Callable[..., Path]) -> None:
    folder = content({PATH.replace("2023", "2025"): article(date="2025-05-20").replace("2023", "2025")})
    collection = load_content(folder)
    assert [str(warning) for warning in collection.warnings] == [
        f'tin/2025/bai-moi.md:4: unit: "{UNIT}" thôi hoạt động từ sau 03/2025 mà bài đăng ngày 20/05/2025;'
        ' ghi đơn vị kế thừa "Ban Tuyên giáo và Dân vận Tỉnh ủy Bắc Kạn"'
    ]
    result = subprocess.run(
        [sys.executable, "-m", "bantin.cli", "check", str(folder)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert f"Cảnh báo: {collection.warnings[0]}" in result.stdout


def test_tab_in_a_list_is_explained_in_vietnamese(content: Callable[..., Path]) -> None:
    assert errors_for(content, {PATH: article("tags:\n\t- Dân vận khéo\n")}) == [
        f"{PATH}:6: thông tin: dòng này có ký tự Tab (phím Tab); hãy xoá Tab và thụt lề bằng dấu cách"
    ]


def test_tab_in_the_registry_does_not_cascade_into_unknown_units(content: Callable[..., Path]) -> None:
    broken = REGISTRY.replace("    level: tỉnh\n    until", "\tlevel: tỉnh\n    until", 1)
    assert "\t" in broken
    assert errors_for(content, {"don-vi.yml": broken}) == [
        "don-vi.yml:5: thông tin: dòng này có ký tự Tab (phím Tab); hãy xoá Tab và thụt lề bằng dấu cách"
    ]


def test_wrong_date_proposes_the_corrected_value(content: Callable[..., Path]) -> None:
    assert errors_for(content, {PATH: article(date="20/5/2025")}) == [
        f'{PATH}:3: date: "20/5/2025" không đúng dạng YYYY-MM-DD hoặc YYYY-MM-DD HH:MM (giờ Việt Nam);'
        ' viết là "2025-05-20"'
    ]
    assert errors_for(content, {PATH: article(date="2023-03-03 08:30:15")}) == [
        f'{PATH}:3: date: "2023-03-03 08:30:15" không đúng dạng YYYY-MM-DD hoặc YYYY-MM-DD HH:MM (giờ Việt Nam);'
        ' viết là "2023-03-03 08:30"'
    ]


def test_date_more_than_a_year_ahead_asks_for_the_year(content: Callable[..., Path]) -> None:
    year = now_in_vietnam().year
    far = f"{year + 20}-05-20"
    assert errors_for(content, {f"tin/{year + 20}/bai-moi.md": article(date=far)}) == [
        f'tin/{year + 20}/bai-moi.md:3: date: "{far}" là hơn một năm nữa mới tới (có phải năm {year}?);'
        " bài hẹn giờ đăng chỉ được đặt trong vòng một năm"
    ]
