"""Every document field is checked at its line, in Vietnamese, with a suggestion; attachments are published."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bantin import load_content
from bantin.errors import ContentErrors
from tests.conftest import build_site

PATH = "ket-luan/2025/cong-van-dan-van.md"


def document(*lines: str, body: str = "Ban Dân vận Tỉnh ủy đề nghị các đơn vị báo cáo kết quả.\n") -> str:
    head = ["title: V/v báo cáo kết quả công tác dân vận", "date: 2025-05-20", "unit: Ban Dân vận Tỉnh ủy Bắc Kạn"]
    return "---\n" + "\n".join([*head, *lines]) + "\n---\n" + body


def errors_for(content: Callable[..., Path], text: str, extra: dict[str, str] | None = None) -> list[str]:
    folder = content({PATH: text, **(extra or {})})
    with pytest.raises(ContentErrors) as caught:
        load_content(folder)
    return [str(error) for error in caught.value.errors]


def test_an_unknown_kind_suggests_the_closest(content: Callable[..., Path]) -> None:
    errors = errors_for(content, document("number: 15-CV/BDVTU", "kind: Công vănn"))
    assert errors == [f'{PATH}:6: kind: không có loại văn bản "Công vănn" (có phải "Công văn"?)']


def test_a_kind_that_disagrees_with_the_number_is_reported(content: Callable[..., Path]) -> None:
    errors = errors_for(content, document("number: 15-KL/BDVTU", "kind: Hướng dẫn"))
    assert errors == [f'{PATH}:6: kind: "Hướng dẫn" không khớp số hiệu (mã KL là Kết luận); sửa kind hoặc number']


def test_a_number_written_with_so_in_front_says_to_drop_it(content: Callable[..., Path]) -> None:
    errors = errors_for(content, document('number: "Số: 12/TB-UBND"'))
    assert errors == [f'{PATH}:5: number: bỏ chữ "Số" ở đầu, chỉ ghi số hiệu: number: 12/TB-UBND']


def test_recipients_written_as_one_string_must_be_a_list(content: Callable[..., Path]) -> None:
    errors = errors_for(content, document("recipients: Như trên; Lưu VT"))
    assert errors == [
        f"{PATH}:5: recipients: phải là danh sách, mỗi nơi nhận một dòng bắt đầu bằng dấu gạch, ví dụ:\n"
        "recipients:\n  - Như trên\n  - …"
    ]


def test_a_co_issuer_must_be_in_the_registry(content: Callable[..., Path]) -> None:
    errors = errors_for(content, document("co_issuers: [Tỉnh ủy Bắc Cạn]"))
    assert errors == [
        f'{PATH}:5: co_issuers: không có đơn vị "Tỉnh ủy Bắc Cạn" trong don-vi.yml (có phải "Tỉnh ủy Bắc Kạn"?)'
    ]


def test_a_missing_attachment_or_one_of_another_type_is_reported(content: Callable[..., Path]) -> None:
    errors = errors_for(content, document("attachments: [bao-cao.pdf, anh.jpg]"), {"ket-luan/2025/bao-cao.docx": "x"})
    assert errors == [
        f'{PATH}:5: attachments: "anh.jpg": trang chỉ đăng tệp đính kèm DOC, DOCX, PDF, XLS, XLSX',
        f'{PATH}:5: attachments: không thấy tệp "bao-cao.pdf" cạnh văn bản (thư mục 2025/) (có phải "bao-cao.docx"?)',
    ]


def test_an_unknown_system_and_a_wrong_issue_date_are_reported(content: Callable[..., Path]) -> None:
    errors = errors_for(content, document("system: Chính quyền", "issued: 2025-02-30"))
    assert errors == [
        f'{PATH}:5: system: "Chính quyền" không hợp lệ; dùng một trong: Đảng, Nhà nước, Mặt trận',
        f'{PATH}:6: issued: "2025-02-30" phải là ngày ban hành có thật, dạng YYYY-MM-DD (ví dụ 2024-08-05)',
    ]


def test_a_registry_system_must_be_one_of_the_three(content: Callable[..., Path]) -> None:
    registry = "units:\n  - name: Ban Dân vận Tỉnh ủy Bắc Kạn\n    system: Dang uy\n  - name: Tỉnh ủy Bắc Kạn\n"
    folder = content({"don-vi.yml": registry}, with_article=False)
    with pytest.raises(ContentErrors) as caught:
        load_content(folder)
    assert [str(error) for error in caught.value.errors] == [
        'don-vi.yml:3: system: "Dang uy" không hợp lệ; dùng một trong: Đảng, Nhà nước, Mặt trận (có phải "Đảng"?)'
    ]


def test_a_joint_state_document_with_addressees_attachments_and_signature_columns_builds(
    content: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = (
        "units:\n  - name: Ban Dân vận Tỉnh ủy Bắc Kạn\n  - name: Tỉnh ủy Bắc Kạn\n"
        "  - name: Ủy ban nhân dân tỉnh Bắc Kạn\n    system: Nhà nước\n    header: |\n      ỦY BAN NHÂN DÂN\n"
        "      TỈNH BẮC KẠN\n  - name: Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Bắc Kạn\n    system: Mặt trận\n"
    )
    text = document(
        "number: 12/CTr-UBND-MTTQ",
        "issuer: Ủy ban nhân dân tỉnh Bắc Kạn",
        "co_issuers: [Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Bắc Kạn]",
        "issued: 2025-02-05",
        "place: Bắc Kạn",
        "addressees: [Các sở, ban, ngành tỉnh, Ủy ban nhân dân các huyện, thành phố]",
        "attachments: [phu-luc.xlsx]",
        "signatures:",
        "  - {authority: TM. ỦY BAN NHÂN DÂN, title: CHỦ TỊCH, note: (Đã ký), name: Nguyễn Văn A}",
        "  - {authority: TM. BAN THƯỜNG TRỰC, title: CHỦ TỊCH, note: (Đã ký), name: Trần Thị B}",
        body="Hai bên phối hợp thực hiện chương trình[^1].\n\n[^1]: Theo Nghị quyết số 23/2025/NQ-HĐND.\n",
    )
    folder = content({"don-vi.yml": registry, PATH: text, "ket-luan/2025/phu-luc.xlsx": "bảng"}, with_article=False)
    site = build_site(folder, tmp_path / "site", monkeypatch)
    html = (site / PATH.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
    assert '<p class="bt-notice__number">Số: 12/CTr-UBND-MTTQ</p>' in html
    assert '<p class="bt-notice__country">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p>' in html
    assert "Bắc Kạn, ngày 05 tháng 02 năm 2025" in html
    assert (
        '<p class="bt-notice__issuer-name">ỦY BAN NHÂN DÂN</p><p class="bt-notice__issuer-name">TỈNH BẮC KẠN</p>'
        in html
    )
    assert "bt-notice__co-issuer" in html
    assert html.count('<div class="bt-notice__signer">') == 2 and "bt-notice__foot--joint" in html
    assert '<span class="bt-notice__addressees-label">Kính gửi:</span>' in html
    assert html.index("Kính gửi:") < html.index('class="bt-body bt-notice__body"')
    assert 'href="../phu-luc.xlsx" download>phu-luc.xlsx</a> <span class="bt-notice__file">(Excel, 1 KB)</span>' in html
    assert (site / "ket-luan/2025/phu-luc.xlsx").read_text(encoding="utf-8") == "bảng"
    assert html.index('class="footnote"') < html.index("Nơi nhận") if "Nơi nhận" in html else 'class="footnote"' in html


def test_a_front_committee_notice_has_the_national_header_and_its_own_number_form(
    content: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = (
        "units:\n  - name: Ban Dân vận Tỉnh ủy Bắc Kạn\n  - name: Tỉnh ủy Bắc Kạn\n"
        "  - name: Ủy ban Mặt trận Tổ quốc Việt Nam huyện Chợ Mới\n    system: Mặt trận\n"
        "    superior: ỦY BAN MTTQ VIỆT NAM TỈNH BẮC KẠN\n    header: BAN THƯỜNG TRỰC\n"
    )
    text = (
        "---\ntitle: Thông báo lịch tiếp công dân của Ban Thường trực quý III\ndate: 2025-06-04\n"
        "unit: Ủy ban Mặt trận Tổ quốc Việt Nam huyện Chợ Mới\nnumber: 12/TB-MTTQ-BTT\n"
        "issuer: Ủy ban Mặt trận Tổ quốc Việt Nam huyện Chợ Mới\nplace: Chợ Mới\n"
        "subject: Lịch tiếp công dân của Ban Thường trực quý III năm 2025\n---\n"
        "Ban Thường trực thông báo lịch tiếp công dân như sau.\n"
    )
    folder = content({"don-vi.yml": registry, PATH: text}, with_article=False)
    site = build_site(folder, tmp_path / "site", monkeypatch)
    html = (site / PATH.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
    assert '<p class="bt-notice__superior">ỦY BAN MTTQ VIỆT NAM TỈNH BẮC KẠN</p>' in html
    assert '<p class="bt-notice__issuer-name">BAN THƯỜNG TRỰC</p>' in html
    assert '<p class="bt-notice__number">Số: 12/TB-MTTQ-BTT</p>' in html
    assert '<p class="bt-notice__motto">Độc lập - Tự do - Hạnh phúc</p>' in html and "ĐẢNG CỘNG SẢN" not in html
    assert "Chợ Mới, ngày 04 tháng 6 năm 2025" in html
    assert '<span class="bt-notice__kind">Thông báo</span>' in html
    assert (site / "van-ban/loai/thong-bao/index.html").is_file()


def test_a_party_quy_dinh_numbered_qd_is_not_a_mismatch(content: Callable[..., Path]) -> None:
    """Since Quy định 66-QĐ/TW (2022) Party quy định carry QĐ, as quyết định do; QĐi is the older code."""
    text = document("number: 66-QĐ/TW", "kind: Quy định").replace("V/v báo cáo kết quả", "Quy định về thể loại")
    collection = load_content(content({PATH: text}))
    notice = next(item for item in collection.items if item.path == PATH).notice
    assert notice is not None and notice.kind.name == "Quy định"
