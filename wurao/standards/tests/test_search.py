"""Search: correct for one-, two- and many-character queries, Latin words and numbers, with a
recheck against the text, ranked, highlighted and filtered (run on SQLite and PostgreSQL)."""

import datetime

import pytest

from wurao.registry.tests.factories import DepartmentFactory
from wurao.standards.choices import DocumentKind
from wurao.standards.selectors import article_search, hits_load
from wurao.standards.services import document_create, version_import, version_repeal

pytestmark = pytest.mark.django_db


def numbers(query, **filters):
    result = article_search(query=query, filters=filters)
    return [h.article.number for h in hits_load(hits=result.hits, terms=result.terms)]


def test_one_character_finds_every_article_holding_it(fire_code):
    assert sorted(numbers("窗")) == ["6.2.8"]
    assert sorted(numbers("门")) == ["6.2.7", "6.2.8"]


def test_two_characters_find_them_adjacent_only(fire_code):
    assert sorted(numbers("乙级")) == ["6.2.7"]
    assert sorted(numbers("火门")) == ["6.2.7", "6.2.8"]


def test_many_characters_are_rechecked_against_the_text(fire_code):
    # 6.2.8 has 防火 and 火门 (both bigrams of 防火门) but never 防火门 itself.
    assert numbers("防火门") == ["6.2.7"]
    assert numbers("消防控制室和其他设备房") == ["6.2.7"]


def test_an_absent_term_finds_nothing(fire_code):
    assert numbers("噪声") == []
    assert numbers("甲级防火门") == []
    assert numbers("，。") == []


def test_latin_words_designations_and_clause_numbers_are_searchable(fire_code):
    assert len(numbers("GB")) == 3
    assert len(numbers("50016")) == 3
    assert numbers("6.2.7") == ["6.2.7"]
    assert numbers("GB 50016 乙级") == ["6.2.7"]
    assert numbers("script") == ["6.2.9"]


def test_more_occurrences_rank_first_and_highlights_escape_html(fire_code):
    result = article_search(query="防火")
    hits = hits_load(hits=result.hits, terms=result.terms)

    assert hits[0].article.number == "6.2.9"  # three times
    assert "&lt;script&gt;" in hits[0].snippet and "<script>" not in hits[0].snippet
    assert "<mark>防火</mark>" in hits[0].snippet


def test_title_hits_rank_before_text_hits(fire_code, department):
    other = document_create(actor="test", title="消防安全检查指引", kind=DocumentKind.GUIDANCE)
    version_import(
        actor="test",
        document=other,
        text="第一条 检查消防通道。",
        effective_from=datetime.date(2020, 1, 1),
    )

    result = article_search(query="防火")

    assert len(result.hits) == 3 and all(h.title_hit for h in result.hits)
    assert [d.title for d in article_search(query="防火规范").documents] == ["建筑设计防火规范"]


def test_filters_by_department_kind_topic_industry_and_in_force(fire_code, department):
    elsewhere = DepartmentFactory()
    law = document_create(actor="test", title="演示法", kind=DocumentKind.LAW, department=elsewhere)
    version_import(
        actor="test",
        document=law,
        text="第一条 防火门应常闭。",
        effective_from=datetime.date(2019, 1, 1),
    )

    assert len(numbers("防火门")) == 2
    assert numbers("防火门", department=department.pk) == ["6.2.7"]
    assert numbers("防火门", kind=DocumentKind.LAW) == ["第一条"]
    assert numbers("防火门", topic="消防") == ["6.2.7"]
    # A document naming no industry applies to every industry.
    assert sorted(numbers("防火门", industry="C")) == ["6.2.7", "第一条"]
    assert numbers("防火门", industry="F") == ["第一条"]
    version_repeal(actor="test", version=law.versions.get(), effective_to=datetime.date(2020, 1, 1))
    assert numbers("防火门", in_force=True) == ["6.2.7"]


def test_only_the_current_version_is_searched(fire_code):
    version_import(
        actor="test",
        document=fire_code,
        text="6.2.7 消防控制室的门应采用甲级防火门。",
        effective_from=datetime.date(2021, 1, 1),
    )
    version_import(
        actor="test",
        document=fire_code,
        text="6.2.7 将来的丙级防火门。",
        effective_from=datetime.date(2099, 1, 1),
    )

    assert numbers("甲级") == ["6.2.7"]
    assert numbers("乙级") == [] and numbers("丙级") == []


def test_a_query_matching_more_than_the_limit_says_so(fire_code):
    result = article_search(query="防", limit=2)

    assert result.more and result.count == 2
