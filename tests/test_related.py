"""Related news ("Tin khác") as a pure function of the items and what they cite."""

from __future__ import annotations

import random
from datetime import timedelta

from bantin.collection import item_citations
from bantin.items import Item
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


def test_same_unit_ranks_above_shared_topics() -> None:
    article = item("hoi-nghi", "2018-01-25", unit=GO_VAP, tags=("Nông thôn mới",))
    topic_only = item("nong-thon-moi", "2018-01-25 20:00", unit=BAC_KAN, tags=("Nông thôn mới",))
    same_unit = item("cung-don-vi", "2015-06-01", unit=GO_VAP)
    items = [article, topic_only, same_unit]
    assert slugs(related(article, items, item_citations)) == ["cung-don-vi", "nong-thon-moi"]


def test_more_shared_topics_rank_higher() -> None:
    article = item("bai", "2018-01-25", unit=BAC_KAN, tags=("Nông thôn mới", "Dân vận khéo"))
    one = item("mot-chu-de", "2018-01-26", unit=GO_VAP, tags=("Nông thôn mới",))
    two = item("hai-chu-de", "2011-01-01", unit=VETERANS, tags=("dân vận khéo", "Nông thôn mới"))
    assert slugs(related(article, [article, one, two], item_citations)) == ["hai-chu-de", "mot-chu-de"]


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


def test_free_slots_go_to_the_newest_items_after_everything_related() -> None:
    article = item("bai", "2018-01-25", unit=GO_VAP, tags=("Nông thôn mới",), body=KL62)
    citing = item("trich-dan", "2011-01-01", unit=BAC_KAN, body=KL62)
    unrelated = [
        item(f"khac-{year}", f"{year}-03-01", unit=BAC_KAN, tags=("Giảm nghèo bền vững",), body=QD217)
        for year in range(2015, 2022)
    ]
    found = related(article, [article, citing, *unrelated], item_citations)
    assert slugs(found) == ["trich-dan", "khac-2021", "khac-2020", "khac-2019", "khac-2018"]


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


def test_index_agrees_with_ranking_every_pair() -> None:
    chance = random.Random(2018)
    units = [GO_VAP, BAC_KAN, VETERANS]
    topics = ["Nông thôn mới", "Dân vận khéo", "Giảm nghèo bền vững", "Quy chế dân chủ"]
    bodies = [KL62, NQ25, QD217]
    start = item("goc", "2010-01-01").date
    hours = chance.sample(range(100_000), 80)  # distinct dates, so the expected order has no ties
    items = [
        item(
            f"tin-{number}",
            (start + timedelta(hours=hour)).isoformat(sep=" ", timespec="minutes"),
            unit=chance.choice(units),
            tags=tuple(chance.sample(topics, chance.randrange(3))),
            body="".join(chance.sample(bodies, chance.randrange(3))) or "Nội dung bài.\n",
        )
        for number, hour in enumerate(hours)
    ]
    index = RelatedIndex(items, item_citations)

    def rank(article: Item, other: Item) -> tuple[int, int, int, float, float]:
        documents = len(set(item_citations(article)) & set(item_citations(other)))
        topics = len(set(article.tags) & set(other.tags))
        distance = abs((other.date - article.date).total_seconds())
        return -documents, -(article.unit == other.unit), -topics, distance, -other.date.timestamp()

    for article in items:
        others = [other for other in items if other is not article and rank(article, other)[:3] != (0, 0, 0)]
        expected = sorted(others, key=lambda other: rank(article, other))[:5]
        rest = [other for other in items if other is not article and other not in expected]
        expected += sorted(rest, key=lambda other: other.date, reverse=True)[: 5 - len(expected)]
        assert slugs(index.related(article)) == slugs(expected), article.slug
