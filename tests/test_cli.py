"""`bantin check` runs exactly the build's validation and speaks to editors, never in tracebacks."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.conftest import DEMO_CONTENT


def run_check(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bantin.cli", "check", folder.name],
        cwd=folder.parent,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def test_check_on_demo_content_passes_with_a_summary() -> None:
    result = run_check(DEMO_CONTENT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Nội dung hợp lệ: 4 tin, 1 thông báo kết luận,")


def test_check_lists_every_error_and_exits_1(content: Callable[..., Path]) -> None:
    folder = content(
        {
            "tin/2023/loi.md": (
                "---\ntitle: Bài lỗi\ndate: 2023-03-03\nunit: Ban Dân vận Tỉnh ủy Bắc Can\nauther: X\n---\nNội dung.\n"
            ),
        }
    )
    result = run_check(folder)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == (
        'content/tin/2023/loi.md:4: unit: không có đơn vị "Ban Dân vận Tỉnh ủy Bắc Can" trong don-vi.yml'
        ' (có phải "Ban Dân vận Tỉnh ủy Bắc Kạn"?)'
    )
    assert lines[1] == 'content/tin/2023/loi.md:5: auther: khoá không được hỗ trợ (có phải "author"?)'
    assert "Traceback" not in result.stderr


def test_check_on_missing_folder_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    result = run_check(tmp_path / "khong-co")
    assert result.stderr.startswith("khong-co:1: content_dir:")
    assert result.returncode == 1
    assert "không tìm thấy thư mục nội dung" in result.stderr
    assert "Traceback" not in result.stderr
