"""The search page's "Loại" filter over real documents: every kind present, with counts, and old URLs kept."""

from __future__ import annotations

from pathlib import Path

from bantin.loader import load_content
from bantin.search.index import meta_of
from bantin.search.kinds import filter_counts, fine_kinds, kind_filters
from tests.documents import write_content
from tests.factories import item


def test_the_filter_lists_news_every_document_and_each_kind_present(tmp_path: Path) -> None:
    collection = load_content(write_content(tmp_path / "content"))
    listed = [(option.value, option.label, count) for option, count in filter_counts(collection.items)]
    documents = [item for item in collection.items if item.notice]
    assert listed[0] == ("tin", "Tin tức", len(collection.items) - len(documents))
    assert listed[1] == ("van-ban", "Văn bản (mọi loại)", len(documents))
    by_value = {value: (label, count) for value, label, count in listed}
    assert by_value["cong-van"] == ("Công văn", 1)
    assert by_value["thong-cao"] == ("Thông cáo", 1)
    assert by_value["huong-dan"] == ("Hướng dẫn", 1)
    kinds = [item.notice.kind.name for item in documents if item.notice]
    # ket-luan, the value old shared URLs carry, finds every conclusion: Kết luận and thông báo kết luận
    assert by_value["ket-luan"] == (
        "Kết luận, thông báo kết luận",
        kinds.count("Kết luận") + kinds.count("Thông báo kết luận"),
    )
    assert by_value["thong-bao-ket-luan"][1] == kinds.count("Thông báo kết luận")
    alone = sum(count for value, _, count in listed if value not in ("van-ban", "ket-luan"))
    assert alone + kinds.count("Kết luận") == len(collection.items)  # every other kind has its own option


def test_old_conclusion_urls_still_work_where_only_thong_bao_ket_luan_exist() -> None:
    items = [item("a", "2018-01-02"), item("b", "2014-05-06", kind="ket-luan")]  # a notice without kind or number
    kinds = fine_kinds(items)
    assert kinds == [("tin", "Tin tức"), ("thong-bao-ket-luan", "Thông báo kết luận")]
    options = {option.value: option for option in kind_filters(kinds)}
    assert options["ket-luan"].kinds == (1,) and not options["ket-luan"].shown  # found by old links, not listed twice
    assert [option.value for option, _ in filter_counts(items)] == ["tin", "van-ban", "thong-bao-ket-luan"]


def test_the_index_meta_carries_each_items_kind_and_the_options(tmp_path: Path) -> None:
    collection = load_content(write_content(tmp_path / "content"))
    meta = meta_of(collection.items, 16)
    kinds = [value for value, _ in meta["kinds"]]  # type: ignore[attr-defined]
    for number, found in enumerate(collection.items):
        expected = found.notice.kind.slug if found.notice else "tin"
        assert kinds[meta["kind"][number]] == expected  # type: ignore[index]
    values = [option[0] for option in meta["filters"]]  # type: ignore[attr-defined]
    assert values[:2] == ["tin", "van-ban"] and {"ket-luan", "cong-van", "thong-cao"} <= set(values)
