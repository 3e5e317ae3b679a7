"""Related news ("Tin khác") as a pure function of the items and what they cite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bantin.collection import item_citations
from bantin.items import Item
from bantin.loader import load_content
from bantin.related import RelatedIndex, related
from tests.factories import BAC_KAN, GO_VAP, VETERANS, item

KL62 = "Sau 05 năm thực hiện Kết luận số 62-KL/TW của Bộ Chính trị (khóa X).\n"
NQ25 = "tiếp tục quán triệt và thực hiện sâu rộng Nghị quyết số 25-NQ/TW.\n"
QD217 = "phối hợp thực hiện công tác giám sát theo Quyết định 217-QĐ/TW của Bộ Chính trị.\n"


def slugs(items: list[Item]) -> list[str]:
    return [entry.slug for entry in items]


def test_shared_cited_documents_rank_above_same_unit_and_topics() -> None:
    article = item("so-ket-kl62", "2014-11-27", unit=BAC_KAN, tags=("Dân vận khéo",), body=KL62)
    citing = item("hoi-nghi-kl62", "2010-01-05", unit=VETERANS, body=KL62)
    same_unit_and_topic = item("dan-van-kheo", "2014-11-28", unit=BAC_KAN, tags=("Dân vận khéo",))
    items = [article, citing, same_unit_and_topic]
    assert slugs(related(article, items, item_citations)) == ["hoi-nghi-kl62", "dan-van-kheo"]


def test_more_shared_documents_rank_higher() -> None:
    article = item("tong-ket", "2018-01-25", body=KL62 + NQ25)
    one = item("mot-van-ban", "2018-01-26", body=KL62)
    two = item("hai-van-ban", "2012-05-01", unit=BAC_KAN, body=NQ25 + KL62)
    assert slugs(related(article, [article, one, two], item_citations)) == ["hai-van-ban", "mot-van-ban"]


def test_shared_topics_and_units_relate_and_more_in_common_ranks_higher() -> None:
    article = item("hoi-nghi", "2018-01-25", unit=GO_VAP, tags=("Nông thôn mới",))
    topic_and_unit = item("ca-hai", "2012-06-01", unit=GO_VAP, tags=("nông thôn mới",))
    topic_only = item("nong-thon-moi", "2018-01-25 20:00", unit=BAC_KAN, tags=("Nông thôn mới",))
    same_unit = item("cung-don-vi", "2015-06-01", unit=GO_VAP)
    items = [article, topic_and_unit, topic_only, same_unit]
    assert slugs(related(article, items, item_citations)) == ["ca-hai", "nong-thon-moi", "cung-don-vi"]


def test_among_equals_the_closest_in_date_comes_first_and_the_newer_on_a_tie() -> None:
    article = item("giua", "2018-01-25")
    items = [
        article,
        item("xa-truoc", "2016-01-01"),
        item("sat-truoc", "2018-01-20"),
        item("sat-sau", "2018-01-30"),
        item("xa-sau", "2019-06-01"),
    ]
    assert slugs(related(article, items, item_citations)) == ["sat-sau", "sat-truoc", "xa-sau", "xa-truoc"]


def test_unrelated_items_never_fill_the_free_slots() -> None:
    article = item("bai", "2018-01-25", unit=GO_VAP, tags=("Nông thôn mới",), body=KL62)
    citing = item("trich-dan", "2011-01-01", unit=BAC_KAN, body=KL62)
    unrelated = [
        item(f"khac-{year}", f"{year}-03-01", unit=BAC_KAN, tags=("Giảm nghèo bền vững",), body=QD217)
        for year in range(2015, 2022)
    ]
    assert slugs(related(article, [article, citing, *unrelated], item_citations)) == ["trich-dan"]


FARMERS = (
    "Hội Nông dân huyện tổ chức tập huấn kỹ thuật trồng cây ăn quả, hướng dẫn hội viên nông dân xây dựng "
    "mô hình vườn mẫu, liên kết tiêu thụ nông sản và vay vốn Quỹ hỗ trợ nông dân để mở rộng sản xuất.\n"
)
CENTRAL = (
    "Bộ Chính trị kết luận về định hướng sắp xếp đơn vị hành chính, tiêu chuẩn phân loại đô thị và tổ chức "
    "chính quyền địa phương hai cấp trên phạm vi cả nước.\n"
)


def test_items_saying_the_same_things_are_related_across_units() -> None:
    article = item("tap-huan-nong-dan", "2024-05-02", unit=GO_VAP, body=FARMERS)
    same_subject = item("vuon-mau", "2019-03-01", unit=BAC_KAN, body="Tiếp nối năm trước, " + FARMERS)
    newest_unrelated = [item(f"ket-luan-{day}", f"2025-06-{day:02d}", unit=VETERANS, body=CENTRAL) for day in (1, 2)]
    found = related(article, [article, same_subject, *newest_unrelated], item_citations)
    assert slugs(found) == ["vuon-mau"]


def test_phrases_most_items_use_do_not_relate_two_items() -> None:
    article = item("mot", "2024-05-02", unit=GO_VAP, body="Hội nghị tổng kết công tác năm 2024 của huyện.\n")
    other = item("hai", "2024-05-03", unit=BAC_KAN, body="Hội nghị tổng kết công tác năm 2023 ở tỉnh.\n")
    body = "Hội nghị tổng kết công tác. " + CENTRAL
    filler = [item(f"khac-{n}", f"2020-01-{n + 1:02d}", unit=VETERANS, body=body) for n in range(8)]
    assert related(article, [article, other, *filler], item_citations) == []


def test_phrases_alone_relate_two_items_from_four_shared_on() -> None:
    """Pairs of syllables between function words ("và"): four in common relate two items, three do not."""
    article = item("bon", "2024-05-02", unit=GO_VAP, body="Cà phê và bò sữa và ao cá và nhà kính.\n")
    four = item("cung-bon", "2019-03-01", unit=VETERANS, body="Nhà kính và ao cá và bò sữa và cà phê.\n")
    three = item("chi-ba", "2024-05-03", unit=VETERANS, body="Nhà kính và ao cá và bò sữa.\n")
    assert related(article, [article, four], item_citations) == [four]
    assert related(article, [article, three], item_citations) == []


def test_a_parent_units_items_rank_closer_but_are_not_related_alone() -> None:
    article = item("bai", "2018-01-25", unit=GO_VAP, tags=("Dân vận khéo",))
    from_parent = item("cap-tren", "2010-01-01", unit=BAC_KAN, tags=("Dân vận khéo",))
    from_other = item("don-vi-khac", "2018-01-26", unit=VETERANS, tags=("Dân vận khéo",))
    parent_only = item("chi-cap-tren", "2018-01-25 12:00", unit=BAC_KAN)
    items = [article, from_parent, from_other, parent_only]

    def family(unit: object) -> list[str]:
        return [BAC_KAN.name] if unit == GO_VAP else []

    index = RelatedIndex(items, item_citations, family)
    assert slugs(index.related(article)) == ["cap-tren", "don-vi-khac"]


def test_a_lone_item_has_no_related_items() -> None:
    article = item("bai", "2018-01-25")
    assert related(article, [article], item_citations) == []


def test_never_the_item_itself_and_at_most_the_limit() -> None:
    article = item("bai", "2018-01-25", body=KL62)
    others = [item(f"tin-{day:02d}", f"2018-02-{day:02d}", body=KL62) for day in range(1, 11)]
    found = related(article, [article, *others], item_citations)
    assert slugs(found) == ["tin-01", "tin-02", "tin-03", "tin-04", "tin-05"]
    assert slugs(related(article, [article, *others], item_citations, limit=2)) == ["tin-01", "tin-02"]


def test_cited_numbers_can_come_from_a_mapping_by_url() -> None:
    article = item("bai", "2018-01-25", unit=GO_VAP)
    citing = item("trich-dan", "2010-01-01", unit=BAC_KAN)
    other = item("khac", "2018-01-26", unit=BAC_KAN)
    cited = {article.url: ["217-QĐ/TW"], citing.url: ["217-QD/TW"], other.url: []}
    assert slugs(related(article, [article, citing, other], cited, limit=1)) == ["trich-dan"]


def test_an_item_outside_the_index_gets_related_items_around_its_date() -> None:
    index = RelatedIndex([item("cu", "2012-01-01", body=KL62), item("moi", "2020-01-01", body=KL62)], item_citations)
    draft = item("ban-nhap", "2019-06-01", body=KL62)
    assert slugs(index.related(draft)) == ["moi", "cu"]


def pair_by_pair(index: RelatedIndex, item: Item, limit: int = 5) -> list[Item]:
    """The related items as one addition per pair of items would score them: what `Scorer`'s arrays must equal."""
    import math
    from collections import defaultdict

    from bantin.related import KEY_KINDS, MIN_PHRASES, WEIGHTS, ranked

    here = index.position[item.url]
    said: dict[int, float] = defaultdict(float)
    shared: dict[int, int] = defaultdict(int)
    for number in index.followed[here]:
        weight = math.log(1 + len(index.items) / index.shares[number])
        for other in index.phrase_postings[number]:
            said[other] += weight
            shared[other] += 1
    scores: dict[int, float] = defaultdict(float)
    for key in index.ties[here]:
        for other in index.nearest(key, here):
            scores[other] += WEIGHTS[KEY_KINDS[key[0]]] * index.idf[key]
    family: dict[int, float] = defaultdict(float)
    for key in index.family_keys(item):
        if key not in index.ties[here]:
            for other in index.nearest(key, here):
                family[other] += WEIGHTS["family"] * index.idf.get(key, 0.0)
    for other in scores:
        scores[other] = scores[other] + said.get(other, 0.0) + family.get(other, 0.0)
    for other, score in said.items():
        if other not in scores and shared[other] >= MIN_PHRASES:
            scores[other] = score + family.get(other, 0.0)
    scores.pop(here, None)
    best = ranked(scores, limit, lambda other: abs(index.items[other].date - item.date))
    return [index.items[other] for other in best]


def test_every_items_related_items_are_what_scoring_pair_by_pair_gives(tmp_path: Path) -> None:
    """A generated archive (its units, families, topics, documents and phrases), every item asked."""
    generator = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "gen_corpus.py"
    subprocess.run([sys.executable, str(generator), "400", str(tmp_path / "archive")], check=True, capture_output=True)
    collection = load_content(tmp_path / "archive" / "content", check_bodies=False)
    index = RelatedIndex(collection.items, collection.related_numbers(), collection.family_of)
    everything = index.all_related()
    assert sum(1 for found in everything if found) > len(everything) * 3 // 4
    for position, asked in enumerate(index.items):
        expected = pair_by_pair(index, asked)
        assert index.related(asked) == expected, asked.url
        assert [index.items[other] for other in everything[position]] == expected, asked.url
