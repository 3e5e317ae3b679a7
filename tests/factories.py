"""Items and units built directly, for pure-function tests that need no content folder."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bantin.collection import Collection
from bantin.items import Item, Notice
from bantin.units import Registry, Unit

GO_VAP = Unit("Ban Dân vận Quận ủy Gò Vấp", "ban-dan-van-quan-uy-go-vap", level="huyện")
BAC_KAN = Unit("Ban Dân vận Tỉnh ủy Bắc Kạn", "ban-dan-van-tinh-uy-bac-kan", level="tỉnh")
VETERANS = Unit("Hội Cựu chiến binh Quận Gò Vấp", "hoi-cuu-chien-binh-quan-go-vap", level="huyện")


def item(slug: str, when: str, unit: Unit = GO_VAP, kind: str = "tin", **fields: Any) -> Item:
    date = datetime.fromisoformat(when)
    values: dict[str, Any] = {
        "kind": kind,
        "path": f"{kind}/{date.year}/{slug}.md",
        "year": date.year,
        "slug": slug,
        "title": fields.pop("title", slug.replace("-", " ").capitalize()),
        "date": date,
        "has_time": len(when) > 10,
        "unit": unit,
        "body_utf8": fields.pop("body", "Nội dung bài.\n").encode(),
    }
    if kind == "ket-luan" and "notice" not in fields:
        fields["notice"] = Notice(None, "Thường trực Tỉnh ủy", None, values["title"], None, None, None, None, None, ())
    return Item(**values, **fields)


def collection(*items: Item, units: tuple[Unit, ...] = (GO_VAP, BAC_KAN, VETERANS)) -> Collection:
    return Collection(list(items), Registry(list(units)))
