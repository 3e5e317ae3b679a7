"""The one error type for content mistakes, and the formatter that prints them all."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(order=True, unsafe_hash=True)
class ContentError(Exception):
    """One problem an editor can fix: where it is, which field, and what was expected."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


class ContentErrors(Exception):
    """Every content problem of one run, raised once so the editor sees them all together."""

    def __init__(self, errors: Iterable[ContentError], root: str = "") -> None:
        self.errors = sorted(set(errors))
        self.root = root
        super().__init__(self.report())

    def report(self) -> str:
        """One line per problem, paths as the editor would open them (`content/tin/…`), then a summary."""
        count = len(self.errors)
        prefix = f"{self.root}/" if self.root else ""
        lines = [prefix + str(error) for error in self.errors]
        lines.append(f"Nội dung có {count} lỗi; chưa trang nào được tạo. Sửa các lỗi trên rồi chạy lại.")
        return "\n".join(lines)
