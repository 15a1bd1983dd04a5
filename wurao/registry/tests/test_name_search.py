"""The enterprise name search (?q=) through the bigram index on PostgreSQL
(wurao/registry/selectors_search.py): the same answers as a plain substring search, the
index really used, and totals and pages cached until the registry changes."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from wurao.accounts.scope import Scope
from wurao.registry.models import Enterprise
from wurao.registry.selectors import enterprise_list
from wurao.registry.selectors_search import BIGRAMS_INDEX
from wurao.registry.services import enterprise_upsert_many
from wurao.registry.tests.factories import EnterpriseFactory, StreetFactory, valid_credit_code

NAMES = [
    "深圳市辉凯科技有限公司",
    "深圳市科技园餐馆",
    "ABC科技有限公司",
    "abc贸易商行",
    "深圳市100%纯净水店",
    "深圳市a_b商行",
    "深圳市龙华区民治小吃店",
    "深圳市龙华科技有限公司",
    "科",
]
TEXTS = [
    *("科", "科技", "科技有限", "技有限公", "abc", "ABC", "%纯", "a_b", "_", "%"),
    *("龙华区", "无此名"),
]


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def named(street):
    return [EnterpriseFactory(street=street, name=name) for name in NAMES]


@pytest.mark.django_db
@pytest.mark.parametrize("text", TEXTS)
def test_a_name_search_answers_as_a_substring_search(dept_admin, named, text):
    # given enterprises whose names share words, cases and LIKE's wildcard characters
    # (SQLite's LIKE, Django's `contains` there, ignores the case of Latin letters)
    def holds(name: str) -> bool:
        return text in name if connection.vendor != "sqlite" else text.lower() in name.lower()

    expected = sorted((e for e in named if holds(e.name)), key=lambda e: e.credit_code)

    # when a department searches their names
    body = client_for(dept_admin).get("/api/enterprises/", {"q": text}).json()

    # then it gets exactly the names holding the text, in code order
    assert body["count"] == len(expected)
    assert [row["id"] for row in body["results"]] == [e.pk for e in expected]


@pytest.mark.django_db
def test_a_two_character_search_can_use_the_bigram_index(named):
    if connection.vendor != "postgresql":
        pytest.skip("the index is PostgreSQL's; SQLite reads every name")
    # given a search of two characters, as counted (a handful of rows: the planner is told
    # to read neither the table nor an index in order, as it would not over 433,407 names)
    found = enterprise_list(scope=Scope(sees_all=True), filters={"q": "科技"})
    sql, params = found.order_by().values("pk").query.sql_with_params()

    # when PostgreSQL plans it, then it finds the candidates through the bigram index
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert BIGRAMS_INDEX in plan


def _count_statements(queries) -> list[str]:
    return [
        q["sql"] for q in queries if "COUNT(" in q["sql"] and Enterprise._meta.db_table in q["sql"]
    ]


@pytest.mark.django_db(transaction=True)
def test_a_search_s_total_and_page_are_cached_until_the_registry_changes(justice_user):
    # given enterprises with “科技” in their names, searched once
    street = StreetFactory()
    for name in NAMES:
        EnterpriseFactory(street=street, name=name)
    client = client_for(justice_user)
    first = client.get("/api/enterprises/", {"q": "科技"}).json()

    # when the same search comes again, then nothing is counted or listed again
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/api/enterprises/", {"q": "科技"}).json()
    assert again == first
    assert _count_statements(queries) == []
    assert not [q for q in queries if "LIKE" in q["sql"]]

    # when an import adds one more, then the next search counts and lists it
    code = valid_credit_code(900_001)
    enterprise_upsert_many(
        actor="sfj",
        rows=[{"credit_code": code, "name": "深圳市新来科技有限公司", "street_id": street.pk}],
        fields=frozenset({"name", "street_id"}),
    )
    after = client.get("/api/enterprises/", {"q": "科技"}).json()
    assert after["count"] == first["count"] + 1
    assert code in [row["credit_code"] for row in after["results"]]

    # when an enterprise is renamed in the back office's way (a save), then it drops out
    renamed = Enterprise.objects.get(credit_code=code)
    renamed.name = "深圳市新来贸易有限公司"
    renamed.save()
    assert client.get("/api/enterprises/", {"q": "科技"}).json() == first
