"""`bantin new`, drafts and scheduled items: what editors create, preview and publish."""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from bantin import ContentErrors, load_content
from bantin.dates import now_in_vietnam
from bantin.scaffold import run_new
from tests.conftest import REPO, build_site

UNIT = "Ban Dân vận Tỉnh ủy Bắc Kạn"


def new(folder: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bantin.cli", "new", "--content", str(folder), *arguments],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        stdin=subprocess.DEVNULL,
    )


def test_new_news_item_from_arguments_passes_check(content: Callable[..., Path]) -> None:
    folder = content()
    result = new(folder, "--title", "Hội nghị biểu dương “Dân vận khéo” năm 2025", "--unit", "Ban Dân vận Bắc Kạn",
                 "--date", "2025-05-20 08:30")  # fmt: skip
    assert result.returncode == 0, result.stderr
    path = folder / "tin/2025/hoi-nghi-bieu-duong-dan-van-kheo-nam-2025.md"
    assert result.stdout == f"Đã tạo {path} (tin tức). Mở tệp để viết nội dung, rồi chạy: bantin check\n"
    text = path.read_text(encoding="utf-8")
    assert 'date: "2025-05-20 08:30"' in text
    assert f'unit: "{UNIT}"' in text  # the alias given is written as the registry's name
    assert "# tags: [Chủ đề 1, Chủ đề 2]" in text
    item = next(
        item
        for item in load_content(folder).items
        if item.path == "tin/2025/hoi-nghi-bieu-duong-dan-van-kheo-nam-2025.md"
    )
    assert item.title == "Hội nghị biểu dương “Dân vận khéo” năm 2025"


def test_new_notice_asked_in_vietnamese_defaults_to_now_in_vietnam(content: Callable[..., Path]) -> None:
    folder = content()
    answers = iter(["2", "Kết luận của Thường trực Tỉnh ủy về công tác dân vận", UNIT, ""])
    questions: list[str] = []

    def ask(question: str) -> str:
        questions.append(question)
        return next(answers)

    args = argparse.Namespace(content=folder, kind=None, title=None, unit=None, date=None, draft=False)
    before = now_in_vietnam()
    assert run_new(args, ask) == 0
    assert questions == [
        "Loại bài — 1: tin tức, 2: thông báo kết luận [1]: ",
        "Tiêu đề: ",
        "Đơn vị đăng (tên trong don-vi.yml): ",
        "Ngày đăng (Enter: bây giờ): ",
    ]
    path = folder / f"ket-luan/{before.year}/ket-luan-cua-thuong-truc-tinh-uy-ve-cong-tac-dan-van.md"
    text = path.read_text(encoding="utf-8")
    assert f'date: "{before:%Y-%m-%d} ' in text or f'date: "{now_in_vietnam():%Y-%m-%d} ' in text
    assert "# signer_title: Chánh Văn phòng" in text
    load_content(folder)  # a new notice dated now passes check


def test_new_refuses_to_overwrite_and_explains_a_wrong_date(content: Callable[..., Path]) -> None:
    folder = content()
    arguments = ("--title", "Bài đã có", "--unit", UNIT, "--date", "2025-05-20")
    assert new(folder, *arguments).returncode == 0
    again = new(folder, *arguments)
    assert again.returncode == 1
    assert again.stderr == (
        f"{folder / 'tin/2025/bai-da-co.md'}: đã có tệp này; không ghi đè. Hãy đổi tiêu đề hoặc sửa tệp đã có.\n"
    )
    wrong = new(folder, "--title", "Bài khác", "--unit", UNIT, "--date", "20/5/2025")
    assert (
        wrong.stderr == 'Ngày "20/5/2025" không đúng dạng YYYY-MM-DD hoặc YYYY-MM-DD HH:MM (có phải "2025-05-20"?).\n'
    )
    unknown = new(folder, "--title", "Bài khác", "--unit", "Ban Dan van Tinh uy Bac Kan")
    assert unknown.stderr == (
        'Không có đơn vị "Ban Dan van Tinh uy Bac Kan" trong don-vi.yml (có phải "Ban Dân vận Tỉnh ủy Bắc Kạn"?).\n'
    )


DRAFT = f"---\ntitle: Bản nháp tổng kết\ndate: 2023-05-01\nunit: {UNIT}\ndraft: true\n---\nĐang viết dở.\n"


def scheduled(when: datetime) -> str:
    return f'---\ntitle: Bài hẹn giờ đăng\ndate: "{when:%Y-%m-%d %H:%M}"\nunit: {UNIT}\n---\nSẽ đăng sau.\n'


def test_drafts_and_future_items_are_never_published(
    content: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    later = now_in_vietnam().replace(second=0, microsecond=0) + (datetime(2000, 1, 11) - datetime(2000, 1, 1))
    folder = content({"tin/2023/ban-nhap.md": DRAFT, f"tin/{later.year}/hen-gio.md": scheduled(later)})
    site = build_site(folder, tmp_path / "site", monkeypatch)
    everything = "\n".join(
        path.read_text(encoding="utf-8", errors="replace") for path in site.rglob("*") if path.is_file()
    )
    assert not (site / "tin/2023/ban-nhap").exists()
    assert not (site / f"tin/{later.year}/hen-gio").exists()
    for text in ("Bản nháp tổng kết", "ban-nhap", "Bài hẹn giờ đăng", "hen-gio"):
        assert text not in everything  # no page, listing, feed, sitemap entry or search record


def test_check_says_when_each_held_item_appears(content: Callable[..., Path]) -> None:
    later = datetime(now_in_vietnam().year + 1, 1, 2, 7, 0)
    folder = content({"tin/2023/ban-nhap.md": DRAFT, f"tin/{later.year}/hen-gio.md": scheduled(later)})
    result = subprocess.run(
        [sys.executable, "-m", "bantin.cli", "check", str(folder)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1] == "Bản nháp, chưa đăng: tin/2023/ban-nhap.md (bỏ dòng draft: true để đăng)"
    weekday = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")[later.weekday()]
    assert lines[2] == (
        f"Hẹn đăng: tin/{later.year}/hen-gio.md sẽ hiện trên trang từ {weekday}, 02/01/{later.year}, 07:00"
        " (khi trang được tạo lại sau giờ đó)"
    )


def test_serve_shows_drafts_marked(
    content: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = content({"tin/2023/ban-nhap.md": DRAFT})
    monkeypatch.setenv("BANTIN_CONTENT_DIR", str(folder))
    config = load_config(str(REPO / "mkdocs.yml"), site_dir=str(tmp_path / "preview"))
    config.plugins.on_startup(command="serve", dirty=False)  # what `mkdocs serve` tells plugins first
    try:
        build(config, serve_url="http://127.0.0.1:8000/")
    finally:
        config.plugins.on_shutdown()  # MkDocs keeps this plugin instance for later configs of the process
    page = (tmp_path / "preview" / "tin/2023/ban-nhap/index.html").read_text(encoding="utf-8")
    assert "<strong>Bản nháp</strong> — chỉ hiện khi xem trước, không được đăng." in page
    listing = (tmp_path / "preview" / "tin/index.html").read_text(encoding="utf-8")
    assert '<span class="bt-badge bt-badge--draft">Bản nháp</span>' in listing


def test_draft_must_be_true_or_false(content: Callable[..., Path]) -> None:
    folder = content({"tin/2023/ban-nhap.md": DRAFT.replace("draft: true", "draft: chưa")})
    with pytest.raises(ContentErrors) as caught:
        load_content(folder)
    assert [str(error) for error in caught.value.errors] == [
        'tin/2023/ban-nhap.md:5: draft: "chưa" phải là true (bản nháp, chưa đăng) hoặc false'
    ]
