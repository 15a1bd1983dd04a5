"""Every API list endpoint answers a hostile query value with a 400 naming the parameter, in
Chinese, and never with a 5xx. The endpoints and their parameters come from the OpenAPI
schema, so a new endpoint is covered the day it is added."""

import functools
import re

import pytest
from drf_spectacular.generators import SchemaGenerator

from wurao.web.tests.crawl import HUGE

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")
# Values no parameter of a given type accepts.
REFUSED = {
    "integer": (HUGE, "9223372036854775808", "-1", "abc", "1.5"),
    "number": ("abc",),
    "boolean": ("abc",),
    "date": ("2024-02-30", "abc", "x" * 300),
    "enum": ("abc", "x" * 300),
}
# Values a text parameter may accept or refuse, but must not fail on.
ODD_TEXT = ("x" * 300, "\x00", "\u202e😀", HUGE, "' OR 1=1 --", "%")


@pytest.fixture
def client(client):
    # Every failure listed, not the first raised.
    client.raise_request_exception = False
    return client


@functools.cache
def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _list_endpoints() -> dict[str, list[dict]]:
    """Path → query parameters, for each GET without a path parameter: the lists."""
    schema = _schema()
    return {
        path: [p for p in operations["get"].get("parameters", []) if p["in"] == "query"]
        for path, operations in schema["paths"].items()
        if "get" in operations and "{" not in path and path != "/api/schema/"
    }


def _kind(parameter: dict) -> str:
    schema = parameter.get("schema", {})
    if "enum" in schema:
        return "enum"
    if schema.get("format") == "date":
        return "date"
    return schema.get("type", "string")


def _refusal_problem(response, name: str) -> str:
    """What is wrong with a refusal, or "" when it is the 400 a client can act on."""
    if response.status_code != 400:
        return f"answered {response.status_code}, not 400"
    body = response.json()
    messages = body.get(name) if isinstance(body, dict) else None
    if not messages:
        return f"400 without a message for {name}: {body}"
    if not all(CHINESE.search(str(m)) for m in messages):
        return f"400 not in Chinese: {messages}"
    return ""


def test_the_schema_lists_the_filtered_lists():
    endpoints = _list_endpoints()

    assert {"/api/enterprises/", "/api/actions/", "/api/visits/", "/api/items/"} <= set(endpoints)
    assert "street" in {p["name"] for p in endpoints["/api/enterprises/"]}


def test_every_list_refuses_a_bad_query_value_by_name_in_chinese(client, justice_user):
    # Given the justice bureau, who may read every list
    client.force_login(justice_user)
    problems = []

    # When each parameter of each list gets values it cannot take
    for path, parameters in _list_endpoints().items():
        for parameter in parameters:
            name = parameter["name"]
            for value in REFUSED.get(_kind(parameter), ()):
                if name == "page":
                    continue  # a page past the last is the pagination's 404, below
                response = client.get(path, {name: value})
                if problem := _refusal_problem(response, name):
                    problems.append(f"{path}?{name}={value[:30]!r}: {problem}")

    # Then each is a 400 saying, in Chinese, which parameter is wrong
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ["justice_user", "dept_admin", "street_user", "enterprise_user"])
def test_no_list_fails_on_odd_text_or_pages_for_any_role(client, request, role):
    client.force_login(request.getfixturevalue(role))
    failures = []

    for path, parameters in _list_endpoints().items():
        for parameter in parameters:
            name = parameter["name"]
            values = ODD_TEXT + REFUSED.get(_kind(parameter), ())
            if name == "page":
                values = ("999999", "0", "-1", "abc", HUGE)
            for value in values:
                response = client.get(path, {name: value})
                if response.status_code >= 500:
                    failures.append(f"{path}?{name}={value[:30]!r}: {response.status_code}")
                elif response.status_code == 400 and (problem := _refusal_problem(response, name)):
                    failures.append(f"{path}?{name}={value[:30]!r}: {problem}")

    assert not failures, "\n".join(failures)


def test_a_detail_endpoint_answers_no_5xx_for_an_id_past_any_record_or_a_nul(client, justice_user):
    client.force_login(justice_user)
    failures = []

    for path, operations in _schema()["paths"].items():
        if "get" not in operations or "{" not in path:
            continue
        for value in (HUGE, "9223372036854775808", "0", "x%00"):
            url = re.sub(r"\{[^}]+\}", value, path)
            response = client.get(url)
            if response.status_code >= 500:
                failures.append(f"{url}: {response.status_code}")

    assert not failures, "\n".join(failures)
