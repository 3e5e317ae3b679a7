"""Each validation rule, with real Vietnamese content, and the path:line of its message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bantin import ContentErrors, load_content

PATH = "tin/2023/bai-moi.md"


def errors_for(content: Callable[..., Path], text: str, path: str = PATH) -> list[str]:
    folder = content({path: text})
    with pytest.raises(ContentErrors) as caught:
        load_content(folder)
    return [str(error) for error in caught.value.errors]


def article(**fields: str) -> str:
    base = {
        "title": "Khối dân vận cơ sở phát huy vai trò",
        "date": '"2023-03-03 08:30"',
        "unit": "Ban Dân vận Tỉnh ủy Bắc Kạn",
    }
    base.update(fields)
    lines = [f"{key}: {value}" for key, value in base.items() if value != "-"]
    return "---\n" + "\n".join(lines) + "\n---\nNgười dân tích cực sản xuất, nâng cao thu nhập.\n"


def test_valid_content_loads_with_metadata(content: Callable[..., Path]) -> None:
    collection = load_content(content({PATH: article(author="Hương Dịu", views="9913")}))
    item = next(item for item in collection.items if item.path == PATH)
    assert item.title == "Khối dân vận cơ sở phát huy vai trò"
    assert (item.date.hour, item.date.minute, item.has_time) == (8, 30, True)
    assert item.unit.name == "Ban Dân vận Tỉnh ủy Bắc Kạn"
    assert item.views == 9913
    assert item.url == "tin/2023/bai-moi/"


def test_missing_title_is_reported_at_frontmatter(content: Callable[..., Path]) -> None:
    assert errors_for(content, article(title="-")) == [f'{PATH}:1: title: thiếu trường bắt buộc "title"']


def test_date_in_wrong_format_names_the_expected_format(content: Callable[..., Path]) -> None:
    errors = errors_for(content, article(date="25/01/2018"))
    assert errors == [
        f'{PATH}:3: date: "25/01/2018" không đúng dạng YYYY-MM-DD hoặc YYYY-MM-DD HH:MM (giờ Việt Nam);'
        ' viết là "2018-01-25"'
    ]


def test_impossible_date_is_rejected(content: Callable[..., Path]) -> None:
    assert errors_for(content, article(date="2023-02-30")) == [
        f'{PATH}:3: date: "2023-02-30" không phải ngày giờ có thật'
    ]


def test_unknown_unit_suggests_closest_name(content: Callable[..., Path]) -> None:
    errors = errors_for(content, article(unit="Ban Dan van Tinh uy Bac Kan"))
    assert errors == [
        f'{PATH}:4: unit: không có đơn vị "Ban Dan van Tinh uy Bac Kan" trong don-vi.yml'
        ' (có phải "Ban Dân vận Tỉnh ủy Bắc Kạn"?)'
    ]


def test_unit_alias_resolves_to_the_registered_unit(content: Callable[..., Path]) -> None:
    collection = load_content(content({PATH: article(unit="Ban Dân vận Bắc Kạn")}))
    assert {item.unit.name for item in collection.items} == {"Ban Dân vận Tỉnh ủy Bắc Kạn"}


def test_misspelled_key_suggests_the_known_key(content: Callable[..., Path]) -> None:
    errors = errors_for(content, article(auther="Hương Dịu"))
    assert errors == [f'{PATH}:5: auther: khoá không được hỗ trợ (có phải "author"?)']


def test_document_fields_in_a_news_item_say_once_to_move_the_file(content: Callable[..., Path]) -> None:
    errors = errors_for(content, article(number="212-TB/TU", issuer="Thường trực Tỉnh ủy", signer="Lê Tấn Lai"))
    assert errors == [
        f"{PATH}:5: number: bài có các trường của văn bản (number, issuer, signer):"
        " chuyển tệp sang thư mục văn bản, thành ket-luan/2023/bai-moi.md"
    ]


def test_views_must_be_a_whole_number(content: Callable[..., Path]) -> None:
    errors = errors_for(content, article(views='"9.913"'))
    assert errors == [f'{PATH}:5: views: "9.913" phải là số nguyên không âm, viết liền không dấu chấm (ví dụ 9913)']


def test_bad_file_name_gets_the_slug_to_rename_to(content: Callable[..., Path]) -> None:
    errors = errors_for(content, article(), path="tin/2023/Dân vận khéo.md")
    assert errors == [
        "tin/2023/Dân vận khéo.md:1: file: tên tệp phải là chữ thường không dấu và gạch nối;"
        ' đổi tên thành "dan-van-kheo.md"'
    ]


def test_year_folder_must_match_the_date(content: Callable[..., Path]) -> None:
    errors = errors_for(content, article(), path="tin/2022/bai-moi.md")
    assert errors == ["tin/2022/bai-moi.md:3: date: ngày thuộc năm 2023 nên tệp phải nằm trong tin/2023/"]


def test_broken_yaml_reports_its_line(content: Callable[..., Path]) -> None:
    text = '---\ntitle: Hội nghị\ndate: "2023-03-03\nunit: Ban Dân vận Tỉnh ủy Bắc Kạn\n---\nNội dung.\n'
    errors = errors_for(content, text)
    assert errors == [f"{PATH}:3: thông tin: dấu ngoặc kép (hoặc nháy đơn) mở ở dòng 3 chưa được đóng"]


@pytest.mark.parametrize(
    ("frontmatter", "line", "explained"),
    [
        ("title: Hội nghị: tổng kết công tác dân vận\n", 2, 'giá trị có dấu ": " phải đặt trong ngoặc kép'),
        ("title: Hội nghị\n\tviews: 9913\n", 3, "dòng này có ký tự Tab (phím Tab); hãy xoá Tab"),
        ("title: Hội nghị\ntags: [Dân vận khéo, Nông thôn mới\n", 3, 'danh sách mở bằng "[" ở dòng 3'),
        ("title: *Hội nghị dân vận*\n", 2, 'giá trị bắt đầu bằng "*" hoặc "&" phải đặt trong ngoặc kép'),
        ("title: *Hoi nghi dan van*\n", 2, 'giá trị bắt đầu bằng "*" hoặc "&" phải đặt trong ngoặc kép'),
    ],
)
def test_common_yaml_mistakes_are_explained_in_vietnamese(
    content: Callable[..., Path], frontmatter: str, line: int, explained: str
) -> None:
    text = f"---\n{frontmatter}date: 2023-03-03\nunit: Ban Dân vận Tỉnh ủy Bắc Kạn\n---\nNội dung.\n"
    errors = errors_for(content, text)
    assert len(errors) == 1
    assert errors[0].startswith(f"{PATH}:{line}: thông tin: {explained}")


def test_missing_frontmatter_is_explained(content: Callable[..., Path]) -> None:
    errors = errors_for(content, "Chỉ có nội dung, không có phần thông tin.\n")
    assert errors == [f'{PATH}:1: thông tin: tệp phải mở đầu bằng dòng "---" rồi đến các trường title, date, unit']


def test_empty_body_is_an_error(content: Callable[..., Path]) -> None:
    text = article().split("---\n", 2)
    errors = errors_for(content, "---\n" + text[1] + "---\n\n")
    assert errors == [f"{PATH}:6: body: bài chưa có nội dung sau phần thông tin"]


def test_duplicate_key_is_reported(content: Callable[..., Path]) -> None:
    errors = errors_for(content, article().replace("unit:", "title: Lặp\nunit:", 1))
    assert errors == [f"{PATH}:4: title: khoá bị lặp (đã có ở dòng 2)"]


def test_file_outside_kind_folders_is_not_silently_dropped(content: Callable[..., Path]) -> None:
    errors = errors_for(content, article(), path="bai-lac.md")
    assert errors == [
        "bai-lac.md:1: file: bài sẽ không được đăng: đặt tệp vào tin/NĂM/bai-lac.md (tin tức)"
        " hoặc ket-luan/NĂM/bai-lac.md (thông báo kết luận)"
    ]


def test_every_error_of_every_file_is_reported_together(content: Callable[..., Path]) -> None:
    folder = content(
        {
            "tin/2023/mot.md": article(unit="Ban Dân vận Huyện ủy Không Có"),
            "tin/2023/hai.md": article(date="2023-13-01", views="-5"),
        }
    )
    with pytest.raises(ContentErrors) as caught:
        load_content(folder)
    fields = [(error.path, error.field) for error in caught.value.errors]
    assert fields == [("tin/2023/hai.md", "date"), ("tin/2023/hai.md", "views"), ("tin/2023/mot.md", "unit")]
    assert caught.value.report().endswith("Nội dung có 3 lỗi; chưa trang nào được tạo. Sửa các lỗi trên rồi chạy lại.")


def test_bom_crlf_and_decomposed_text_are_accepted(content: Callable[..., Path]) -> None:
    decomposed = "Dân vận khéo".encode().decode()
    import unicodedata

    text = article(title=unicodedata.normalize("NFD", decomposed)).replace("\n", "\r\n")
    folder = content()
    (folder / PATH).parent.mkdir(parents=True, exist_ok=True)
    (folder / PATH).write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    item = next(item for item in load_content(folder).items if item.path == PATH)
    assert item.title == unicodedata.normalize("NFC", "Dân vận khéo")
    assert "\r" not in item.body


def test_non_utf8_file_is_reported(content: Callable[..., Path]) -> None:
    folder = content()
    (folder / PATH).parent.mkdir(parents=True, exist_ok=True)
    (folder / PATH).write_bytes(article().encode("cp1258", errors="replace"))
    with pytest.raises(ContentErrors) as caught:
        load_content(folder)
    assert [str(error) for error in caught.value.errors] == [
        f"{PATH}:1: file: tệp không phải văn bản UTF-8; hãy lưu lại với mã hoá UTF-8"
    ]


def test_registry_reference_to_missing_unit_is_reported(content: Callable[..., Path]) -> None:
    folder = content()
    registry = folder / "don-vi.yml"
    registry.write_text(
        registry.read_text(encoding="utf-8") + "  - name: Ban Dân vận Huyện ủy Chợ Mới\n    parent: Huyện ủy Chợ Mơi\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentErrors) as caught:
        load_content(folder)
    assert [str(error) for error in caught.value.errors] == [
        'don-vi.yml:14: parent: không có đơn vị "Huyện ủy Chợ Mơi" trong don-vi.yml'
    ]


def test_registry_level_must_be_known(content: Callable[..., Path]) -> None:
    folder = content()
    registry = folder / "don-vi.yml"
    registry.write_text(registry.read_text(encoding="utf-8").replace("level: tỉnh", "level: tinh", 1), encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        load_content(folder)
    assert [str(error) for error in caught.value.errors] == [
        'don-vi.yml:5: level: "tinh" không hợp lệ; dùng một trong: trung-ương, tỉnh, huyện, xã'
    ]


def test_notice_number_must_look_like_a_document_number(content: Callable[..., Path]) -> None:
    text = (
        "---\ntitle: Kết luận của Thường trực Tỉnh ủy\ndate: 2014-11-27\nunit: Tỉnh ủy Bắc Kạn\n"
        "number: số 212\n---\nNgày 27/11/2014, Thường trực Tỉnh ủy chủ trì hội nghị.\n"
    )
    errors = errors_for(content, text, path="ket-luan/2014/ket-luan.md")
    assert errors == [
        'ket-luan/2014/ket-luan.md:5: number: "số 212" không giống số hiệu văn bản (ví dụ 212-TB/TU hoặc 12/TB-UBND)'
    ]


def registry_errors(content: Callable[..., Path], extra_units: str) -> list[str]:
    folder = content()
    registry = folder / "don-vi.yml"
    registry.write_text(registry.read_text(encoding="utf-8") + extra_units, encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        load_content(folder)
    return [str(error) for error in caught.value.errors]


def test_registry_unit_listed_twice_is_reported(content: Callable[..., Path]) -> None:
    errors = registry_errors(content, "  - name: Tỉnh ủy Bắc Kạn\n    level: tỉnh\n")
    assert errors == [
        'don-vi.yml:13: name: "Tỉnh ủy Bắc Kạn" trùng với tên của đơn vị "Tỉnh ủy Bắc Kạn" ở dòng 11',
        'don-vi.yml:13: slug: "tinh-uy-bac-kan" trùng với đơn vị "Tỉnh ủy Bắc Kạn" ở dòng 11',
    ]


def test_registry_alias_taken_by_another_unit_is_reported(content: Callable[..., Path]) -> None:
    errors = registry_errors(content, "  - name: Ban Dân vận Tỉnh ủy Thái Nguyên\n    aliases: [Ban Dân vận Bắc Kạn]\n")
    assert errors == [
        'don-vi.yml:14: aliases: "Ban Dân vận Bắc Kạn" trùng với tên của đơn vị "Ban Dân vận Tỉnh ủy Bắc Kạn" ở dòng 2'
    ]


def test_registry_lineage_that_loops_back_is_reported(content: Callable[..., Path]) -> None:
    errors = registry_errors(
        content,
        "  - name: Ban Dân vận Huyện ủy Chợ Mới\n    parent: Ban Dân vận Huyện ủy Chợ Mới\n"
        "    successor: Ban Dân vận Tỉnh ủy Bắc Kạn\n",
    )
    assert errors == [
        'don-vi.yml:14: parent: "Ban Dân vận Huyện ủy Chợ Mới" dẫn vòng trở lại "Ban Dân vận Huyện ủy Chợ Mới"'
    ]


def test_markdown_file_with_another_suffix_is_reported_not_copied(content: Callable[..., Path]) -> None:
    errors = errors_for(content, article(), path="tin/2023/bai-moi.MD")
    assert errors == ['tin/2023/bai-moi.MD:1: file: bài sẽ không được đăng: đổi đuôi tệp thành ".md" (bai-moi.md)']


def test_files_in_hidden_folders_are_ignored(content: Callable[..., Path]) -> None:
    folder = content({"tin/.obsidian/ghi-chu.md": "Ghi chú riêng của biên tập viên"})
    assert [item.path for item in load_content(folder).items] == ["tin/2023/nang-cao-chat-luong-khoi-dan-van.md"]


def with_body(body: str) -> str:
    return article().replace("Người dân tích cực sản xuất, nâng cao thu nhập.\n", body)


def test_script_in_a_body_is_reported_at_its_line(content: Callable[..., Path]) -> None:
    body = 'Hội nghị diễn ra sáng nay.\n\n<script src="https://thong-ke.example/t.js"></script>\n'
    assert errors_for(content, with_body(body)) == [
        f"{PATH}:8: body: thẻ <script> không được dùng trong bài: trang bản tin không chạy mã hay nhúng nội dung"
        " của trang khác"
    ]


def test_event_handler_and_script_link_are_reported(content: Callable[..., Path]) -> None:
    body = 'Ảnh <img\n  src="anh.jpg" onerror="alert(1)"> và [bấm vào đây](javascript:alert(2)).\n'
    assert errors_for(content, with_body(body)) == [
        f'{PATH}:7: body: liên kết "javascript:" không được dùng; hãy dùng địa chỉ http(s) hoặc tệp đặt cạnh bài',
        f'{PATH}:7: body: thuộc tính "onerror" chạy mã trong trình duyệt của người đọc; hãy xoá thuộc tính này',
    ]


def test_harmless_html_and_html_shown_as_code_are_accepted(content: Callable[..., Path]) -> None:
    body = (
        "Kết quả <b>nổi bật</b>:<br>\n\n<table><tr><td>4/15 xã</td></tr></table>\n\n"
        "Mã nhúng `<iframe src=x>` bị chặn.\n\n```html\n<script>alert(1)</script>\n```\n\n"
        "[Toàn văn kết luận](https://dangcongsan.vn/ket-luan-62.html), ảnh ![Hội nghị](hoi-nghi.jpg).\n"
    )
    collection = load_content(content({PATH: with_body(body), "tin/2023/hoi-nghi.jpg": "ảnh"}))
    assert any(item.path == PATH for item in collection.items)


def test_image_from_another_site_is_reported(content: Callable[..., Path]) -> None:
    body = (
        "Toàn cảnh hội nghị.\n\n![Toàn cảnh](https://anh.example.vn/hoi-nghi.jpg)\n"
        '<img alt="" src="//cdn.example.vn/a.png">\n'
    )
    assert errors_for(content, with_body(body)) == [
        f'{PATH}:8: body: ảnh hoặc tệp "https://anh.example.vn/hoi-nghi.jpg" lấy từ trang khác; hãy tải về,'
        " đặt cạnh bài và dẫn bằng tên tệp",
        f'{PATH}:9: body: ảnh hoặc tệp "//cdn.example.vn/a.png" lấy từ trang khác; hãy tải về, đặt cạnh bài và dẫn'
        " bằng tên tệp",
    ]


def test_articles_parsed_in_a_forked_worker_equal_those_parsed_here(
    content: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold build parses on every core (bantin.loader.Reader.parse_new): the same items, citations, warnings and
    memo fingerprints as one process, and every broken file still reported, by the one loop that reports errors."""
    import shutil

    from bantin import render
    from bantin.cache import ItemMemo, Store
    from tests.conftest import DEMO_CONTENT

    folder = tmp_path / "demo"
    shutil.copytree(DEMO_CONTENT, folder)
    forks: list[int] = []
    real_fork = render.fork_gatherer

    def counted(*arguments: object) -> render.Gatherer[object]:
        forks.append(1)
        return real_fork(*arguments)  # type: ignore[arg-type]

    monkeypatch.setattr(render, "fork_gatherer", counted)
    monkeypatch.setattr(render, "can_fork", lambda: True)  # threads other tests left behind are idle

    def loaded(parallel_from: int, memo_dir: Path) -> tuple[object, dict[str, str]]:
        monkeypatch.setattr("bantin.loader.PARALLEL_FROM", parallel_from)
        memo = ItemMemo(Store(memo_dir, "content"), "test")
        collection = load_content(folder, memo=memo)
        return (collection.items, collection.cited, collection.warnings, collection.held), memo.fingerprints

    here = loaded(10**9, tmp_path / "memo-here")
    assert forks == []
    forked = loaded(2, tmp_path / "memo-forked")
    assert forks == [1]
    assert forked == here and len(here[1]) >= 5

    broken = content(
        {
            "tin/2023/mot.md": article(unit="Ban Dân vận Huyện ủy Không Có"),
            "tin/2023/hai.md": article(date="2023-13-01", views="-5"),
            "tin/2023/ba.md": article(),
        }
    )
    reports = []
    for parallel_from in (10**9, 2):
        monkeypatch.setattr("bantin.loader.PARALLEL_FROM", parallel_from)
        with pytest.raises(ContentErrors) as caught:
            load_content(broken)
        reports.append(caught.value.report())
    assert reports[0] == reports[1] and "tin/2023/hai.md" in reports[0]
    assert len(forks) == 2
