"""/api/schema/: the OpenAPI 3 document that describes every endpoint, its parameters and answers."""

import pytest
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/api/enterprises/",
    "/api/enterprises/{id}/",
    "/api/enterprises/{id}/timeline/",
    "/api/departments/",
    "/api/streets/",
    "/api/parks/",
    "/api/inspectors/",
    "/api/risk-tags/",
    "/api/items/",
    "/api/items/{id}/",
    "/api/actions/",
    "/api/actions/{id}/",
    "/api/oversight/summary/",
    "/api/auth/token/",
    "/api/auth/me/",
    "/api/draws/",
    "/api/draws/{id}/",
    "/api/public/draws/",
    "/api/public/draws/{code}/bundle/",
    "/api/credit/enterprises/{id}/grade/",
    "/api/credit/changes/",
    "/api/visits/",
    "/api/visits/{code}/",
    "/api/visits/{code}/check-in/",
    "/api/visits/{code}/check-out/",
    "/api/visits/{code}/results/",
    "/api/visits/{code}/cancel/",
    "/api/public/visits/{code}/",
}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi_3(schema):
    validate_schema(schema)  # raises on any violation of the OpenAPI 3 meta-schema

    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) >= ENDPOINTS


def test_the_schema_documents_filters_pagination_and_errors(schema):
    actions = schema["paths"]["/api/actions/"]["get"]
    parameters = {p["name"] for p in actions["parameters"]}

    assert {
        "year",
        "kind",
        "origin",
        "department",
        "enterprise",
        "date_from",
        "date_to",
        "page",
    } <= parameters
    assert set(actions["responses"]) == {"200", "400", "404"}  # 404: a page past the last
    assert actions["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "PaginatedEnforcementActionList"
    )
    assert "403" in schema["paths"]["/api/oversight/summary/"]["get"]["responses"]


def test_the_schema_documents_visit_refusals_and_the_open_code_check(schema):
    register = schema["paths"]["/api/visits/"]["post"]
    public = schema["paths"]["/api/public/visits/{code}/"]["get"]

    assert "visits 入企登记" in register["tags"]
    assert {"200", "201", "400", "403", "409"} <= set(register["responses"])
    refused = register["responses"]["409"]["content"]["application/json"]["schema"]["$ref"]
    assert refused.endswith("VisitRefused")
    assert "client_id" in schema["components"]["schemas"]["VisitRegisterRequest"]["required"]
    assert {} in public["security"]  # no sign-in needed
    assert set(public["responses"]) == {"200"}  # an unknown code is a plain answer too


def test_the_schema_generates_without_warnings(tmp_path):
    GENERATOR_STATS.reset()

    # raises SchemaGenerationError on any warning, SchemaValidationError on an invalid document
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--urlconf",
        "wurao.accounts.tests.test_api_auth",
        "--file",
        str(tmp_path / "schema.yml"),
    )
