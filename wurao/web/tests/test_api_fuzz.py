"""API fuzzing from the OpenAPI schema (schemathesis, in process against the WSGI app): every
operation that /api/schema/ lists, called as the justice bureau, a department admin and an
enterprise user, answers no 5xx and only what the schema promises — a documented status code,
the documented content type and a body that conforms.

Bounded for CI: a fixed number of generated requests per operation (valid ones, then invalid
ones), derandomized so that a failure reproduces, no shrinking. Generated values seldom name
a real record, so half the time a path parameter, and the visit registration's references,
are drawn from the demo district (the user's own records and others'). Writes happen inside
each test's transaction (pytest-django), rolled back after it.
"""

import logging
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from wurao.accounts.models import User
from wurao.accounts.services import user_token_obtain
from wurao.catalogue.models import InspectionItem
from wurao.enforcement.models import EnforcementAction
from wurao.registry.models import Enterprise, Inspector
from wurao.sampling.models import DrawTask
from wurao.visits.models import Visit

pytestmark = pytest.mark.django_db

ROLES = ("sfj", "yjj_admin", "qiye")  # justice bureau, department admin, enterprise user
EXAMPLES = {GenerationMode.POSITIVE: 8, GenerationMode.NEGATIVE: 4}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
SAMPLE = 4  # records of each kind a parameter may name


@dataclass
class Figures:
    operations: int = 0
    examples: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)  # (operation, status) -> responses

    def summary(self) -> str:
        lines = {}
        for (label, status), n in sorted(self.statuses.items()):
            lines.setdefault(label, []).append(f"{status}×{n}")
        return "\n".join(f"  {label}: {' '.join(counts)}" for label, counts in lines.items())


@pytest.fixture(scope="module")
def api_schema(demo_district, django_db_blocker):
    with django_db_blocker.unblock():
        return schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture
def connection_kept():
    """The WSGI app closes the database connection after each request (close_old_connections),
    which would end the test's transaction: on PostgreSQL the next request fails, and the
    fuzz's writes would not be rolled back. Django's test client holds it open the same way."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


@pytest.fixture
def quiet_requests():
    """Django logs every 4xx, and the login defences every failed sign-in; a fuzz run makes
    hundreds of them."""
    loggers = [logging.getLogger(name) for name in ("django.request", "axes")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def _some(queryset, field_name: str, *own) -> list:
    values = [*own, *queryset.order_by("pk").values_list(field_name, flat=True)[:SAMPLE]]
    return list(dict.fromkeys(v for v in values if v is not None))


def _known(user: User) -> dict[str, dict[str, list]]:
    """Per path, values of its parameters (and of the visit registration's body) that name
    real records: the user's own first, then others'."""
    department = user.department_id
    own_visits = Visit.objects.filter(department_id=department) if department else Visit.objects
    enterprises = _some(Enterprise.objects, "pk", user.enterprise_id)
    visit_codes = _some(Visit.objects, "code", *_some(own_visits, "code"))
    officers = _some(Inspector.objects.filter(department_id=department), "badge_no")
    items = _some(InspectionItem.objects.filter(department_id=department), "code")
    return {
        "/api/actions/{id}/": {"id": _some(EnforcementAction.objects, "pk")},
        "/api/credit/enterprises/{id}/grade/": {"id": enterprises},
        "/api/draws/{id}/": {"id": _some(DrawTask.objects, "pk")},
        "/api/enterprises/{id}/": {"id": enterprises},
        "/api/enterprises/{id}/timeline/": {"id": enterprises},
        "/api/items/{id}/": {"id": _some(InspectionItem.objects, "pk")},
        "/api/public/draws/{code}/bundle/": {"code": _some(DrawTask.objects, "code")},
        "/api/public/visits/{code}/": {"code": visit_codes},
        "/api/visits/{code}/": {"code": visit_codes},
        "/api/visits/{code}/cancel/": {"code": visit_codes},
        "/api/visits/{code}/check-in/": {"code": visit_codes},
        "/api/visits/{code}/check-out/": {"code": visit_codes},
        "/api/visits/{code}/officers/": {"code": visit_codes, "officers": [officers]},
        "/api/visits/{code}/results/": {"code": visit_codes, "items": [items]},
        "/api/visits/": {
            "enterprise": _some(Enterprise.objects, "credit_code"),
            "officers": [officers, officers[:1]],
            "items": [items, items[:1]],
            "date": [timezone.localdate().isoformat()],
        },
    }


def _name_real_records(case, known: dict[str, list], data) -> None:
    """Half the time, a parameter or body field that names a record names a real one."""
    for name, values in known.items():
        if not values or not data.draw(st.booleans(), label=f"real {name}"):
            continue
        value = data.draw(st.sampled_from(values), label=name)
        if case.path_parameters and name in case.path_parameters:
            case.path_parameters[name] = value
        elif isinstance(case.body, dict):
            case.body[name] = value


def _problem(error: BaseException) -> str:
    """Schemathesis's own account of a failure (what was checked, the response, a curl
    command that reproduces it), or the exception raised on the way."""
    text = str(error) if isinstance(error, BaseExceptionGroup) else repr(error)
    return text[:3000]


def _fuzz_operation(operation, mode, *, headers: dict, known: dict, figures: Figures) -> None:
    @settings(
        max_examples=EXAMPLES[mode],
        derandomize=True,  # the same requests every run: a failure reproduces
        database=None,
        deadline=None,
        phases=[Phase.generate],  # no shrinking: the first failing request is reported
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    def call(case, data):
        figures.examples += 1
        _name_real_records(case, known, data)
        response = case.call(headers=headers)
        figures.statuses[operation.label, response.status_code] += 1
        case.validate_response(response, checks=CHECKS)

    try:
        call()
    except Unsatisfiable:
        # Nothing about the operation can be invalid (no parameters, or only free text).
        assert mode == GenerationMode.NEGATIVE, operation.label
    except (Exception, BaseExceptionGroup) as error:
        figures.failures.append(f"{operation.label} ({mode.value}): {_problem(error)}")


def _fuzz(api_schema, username: str) -> Figures:
    user = User.objects.get(username=username)
    headers = {"Authorization": f"Token {user_token_obtain(user=user)}"}
    known = _known(user)
    figures = Figures()
    started = time.monotonic()
    for result in api_schema.get_all_operations():
        operation = result.ok()
        figures.operations += 1
        for mode in EXAMPLES:
            _fuzz_operation(
                operation,
                mode,
                headers=headers,
                known=known.get(operation.path, {}),
                figures=figures,
            )
    figures.seconds = round(time.monotonic() - started, 1)
    return figures


@pytest.mark.parametrize("username", ROLES)
def test_every_api_operation_answers_what_its_schema_documents_and_never_5xx(
    api_schema, username, connection_kept, quiet_requests
):
    # Given the demo district and one of three roles with its API token
    # When every operation of the schema gets generated requests, valid and invalid
    figures = _fuzz(api_schema, username)

    # Then none answered 5xx or outside the schema (status code, content type, body)
    print(
        f"\n{username}: {figures.operations} operations, {figures.examples} examples, "
        f"{figures.seconds} s, {len(figures.failures)} failing\n{figures.summary()}"
    )
    assert figures.operations >= 30 and figures.examples >= figures.operations * 8
    assert not figures.failures, "\n\n".join(figures.failures)


def test_every_paginated_list_documents_the_404_of_a_page_past_its_last(client, demo_district):
    # Given the schema, and the justice bureau, who may read every list
    schema = SchemaGenerator().get_schema(request=None, public=True)
    lists = {
        f"{method.upper()} {path}": operation
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if any(p["name"] == "page" for p in operation.get("parameters", []))
    }
    client.force_login(User.objects.get(username="sfj"))

    # When a list is asked for a page it does not have
    response = client.get("/api/parks/", {"page": 2})

    # Then the answer is the 404 that each list's schema documents
    assert response.status_code == 404
    assert {"GET /api/parks/", "GET /api/enterprises/", "GET /api/visits/"} <= set(lists)
    assert [
        label for label, operation in lists.items() if "404" not in operation["responses"]
    ] == []
