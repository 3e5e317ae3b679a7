"""Bar charts drawn at build time as inline SVG: no script, readable by screen readers, numbers also as a table.

A chart is a `<figure>`: the SVG (role="img", named by its caption) draws the bars, and a table under it holds
the same numbers as text, for readers who cannot see the bars and for search engines. Series are stacked, each
in a colour that keeps 3:1 contrast against the white page (the legend's keys take theirs from bantin.css).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from bantin.documents import KINDS
from bantin.items import Item
from bantin.vietnamese import grouped

COLOURS = ("#a31919", "#1f5f99", "#5b6b00", "#7a4b00", "#6b3fa0", "#00756e")
WIDTH, HEIGHT, TOP, BOTTOM, LEFT = 640, 220, 16, 34, 36
KIND_NAMES = {"tin": "Tin tức", "ket-luan": "Văn bản"}
OTHER_KINDS = "Loại khác"


@dataclass(frozen=True)
class Chart:
    caption: str
    labels: list[str]  # one per bar, left to right (oldest first)
    series: list[tuple[str, list[int]]]  # (name, one value per label)
    detail: list[tuple[str, list[int]]] | None = None
    """The table's columns when they say more than the bars (every kind, where the bars group the rarest)."""

    @property
    def totals(self) -> list[int]:
        return [sum(values[index] for _, values in self.series) for index in range(len(self.labels))]


def per_year(items: Sequence[Item], caption: str, by_kind: bool = False) -> Chart | None:
    """Items per year, oldest first, every year between the first and the last (a quiet year shows as 0)."""
    if not items:
        return None
    years = sorted({item.date.year for item in items})
    labels = [str(year) for year in range(years[0], years[-1] + 1)]
    kinds: list[str] = sorted({item.kind for item in items}) if by_kind else ["*"]
    counts: Counter[tuple[str, str]] = Counter((item.kind if by_kind else "*", str(item.date.year)) for item in items)
    series = [(KIND_NAMES.get(kind, "Số bài"), [counts[(kind, label)] for label in labels]) for kind in kinds]
    return Chart(caption, labels, series)


def documents_per_year(items: Sequence[Item], caption: str) -> Chart | None:
    """Documents per year, one series per document kind (Kết luận, Công văn…), the most frequent first.

    Beyond what the palette can tell apart, the rarest kinds share one bar segment, "Loại khác"; the table under
    the chart still gives every kind its own column.
    """
    documents = [item for item in items if item.notice is not None]
    if not documents:
        return None
    names = [item.notice.kind.name for item in documents if item.notice]
    order = {each.name: index for index, each in enumerate(KINDS)}
    ranked = [name for name, _ in sorted(Counter(names).items(), key=lambda entry: (-entry[1], order[entry[0]]))]
    kept = ranked if len(ranked) <= len(COLOURS) else ranked[: len(COLOURS) - 1]
    years = sorted({item.date.year for item in documents})
    labels = [str(year) for year in range(years[0], years[-1] + 1)]
    counts = Counter((name, str(item.date.year)) for name, item in zip(names, documents, strict=True))
    every = [(name, [counts[(name, label)] for label in labels]) for name in ranked]
    if len(kept) == len(ranked):
        return Chart(caption, labels, every)
    rest = [sum(values[index] for name, values in every if name not in kept) for index in range(len(labels))]
    return Chart(caption, labels, [*every[: len(kept)], (OTHER_KINDS, rest)], detail=every)


def per_period(items: Sequence[Item], caption: str) -> Chart | None:
    """An organization's output: per month when it spans two years or less, else per year."""
    if not items:
        return None
    first, last = min(item.date for item in items), max(item.date for item in items)
    if (last.year - first.year) * 12 + last.month - first.month >= 24:
        return per_year(items, caption)
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    counts = Counter((item.date.year, item.date.month) for item in items)
    labels = [f"{month}/{year}" for year, month in months]
    return Chart(caption, labels, [("Số bài", [counts[key] for key in months])])


def render(chart: Chart, ident: str) -> str:
    """The chart as HTML: a figure with the SVG and the same numbers in a table. Everything shown is escaped."""
    peak = max(chart.totals) or 1
    width = max(320, min(WIDTH, LEFT + 64 * len(chart.labels)))  # few bars: a narrower drawing, legible on phones
    step = (width - LEFT) / max(1, len(chart.labels))
    bar = max(2.0, min(48.0, step * 0.7))
    scale = (HEIGHT - TOP - BOTTOM) / peak
    every = max(1, len(chart.labels) // 12)  # at most a dozen axis labels stay legible
    parts = [
        f'<svg class="bt-chart__svg" viewBox="0 0 {width} {HEIGHT}" width="{width}" height="{HEIGHT}" role="img"'
        f' aria-labelledby="{ident}-caption" focusable="false">',
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{width}" y2="{HEIGHT - BOTTOM}" stroke="#767676"/>',
        f'<text x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end" class="bt-chart__axis">{grouped(peak)}</text>',
        f'<text x="{LEFT - 6}" y="{HEIGHT - BOTTOM}" text-anchor="end" class="bt-chart__axis">0</text>',
    ]
    for index, label in enumerate(chart.labels):
        x = LEFT + step * index + (step - bar) / 2
        base = float(HEIGHT - BOTTOM)
        for (name, values), colour in zip(chart.series, COLOURS, strict=False):
            value = values[index]
            if value:
                height = value * scale
                base -= height
                tip = escape(f"{label}: {name} {grouped(value)}")
                parts.append(
                    f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" height="{height:.1f}" fill="{colour}">'
                    f"<title>{tip}</title></rect>"
                )
        total = chart.totals[index]
        if total and len(chart.labels) <= 24:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{base - 4:.1f}" text-anchor="middle" class="bt-chart__value">'
                f"{grouped(total)}</text>"
            )
        if index % every == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" class="bt-chart__axis">'
                f"{escape(label)}</text>"
            )
    parts.append("</svg>")
    legend = ""
    if len(chart.series) > 1:
        keys = "".join(
            f'<li><span class="bt-chart__key bt-chart__key--{number}"></span>{escape(name)}</li>'
            for number, (name, _) in enumerate(chart.series)
        )
        legend = f'<ul class="bt-chart__legend">{keys}</ul>'
    columns = chart.detail or chart.series
    header = "".join(f'<th scope="col">{escape(name)}</th>' for name, _ in columns)
    rows = "".join(
        f'<tr><th scope="row">{escape(label)}</th>'
        + "".join(f"<td>{grouped(values[index])}</td>" for _, values in columns)
        + "</tr>"
        for index, label in enumerate(chart.labels)
    )
    table = (
        f'<details class="bt-chart__data"><summary>Xem số liệu</summary><div class="bt-table-wrap">'
        f'<table><thead><tr><th scope="col">Thời gian</th>{header}</tr></thead><tbody>{rows}</tbody></table>'
        "</div></details>"
    )
    caption = f'<figcaption id="{ident}-caption">{escape(chart.caption)}</figcaption>'
    return f'<figure class="bt-chart">{caption}{"".join(parts)}{legend}{table}</figure>'
