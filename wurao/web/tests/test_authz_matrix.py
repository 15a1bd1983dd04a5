"""The authorisation matrix: every page and API endpoint, asked by every identity (a visitor,
the justice bureau, and two each of department admins, inspectors, street coordinators and
enterprises) about a record of its own scope and one of another, with GET and with each write
the route takes, answers as the policy module declares (authz_routes.py says how the expected
answer is derived). A refusal writes nothing: neither the audit log nor any table. And no
page or answer an identity is served shows a record of the other scope it may not see, even
when a list is asked to filter by the other scope's enterprise, department or street.

The world (authz_world.py) is built once for the module and every request runs in a savepoint
rolled back after it, so a write that succeeds leaves the next request the same world."""

import collections
import os
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from drf_spectacular.generators import SchemaGenerator

from wurao.accounts.policy import PUBLIC, allows
from wurao.web.tests.authz_routes import (
    DENIED,
    HIDDEN,
    SERVED,
    ask,
    expected,
    problem,
    routes,
)
from wurao.web.tests.authz_targets import (
    body_of,
    naming_query,
    targets_of,
    unseen_marks,
    url_of,
)
from wurao.web.tests.authz_world import IDENTITIES, world_committed

pytestmark = pytest.mark.django_db

ROUTES = routes()
ANSWERS = []  # every request the matrix made: (route, method, identity, target, outcome, answer)


@pytest.fixture(scope="module", name="world")
def _world(django_db_setup, django_db_blocker, tmp_path_factory):
    with world_committed(django_db_blocker, tmp_path_factory.mktemp("authz-media")) as built:
        yield built


@pytest.fixture(scope="module", autouse=True)
def _answers_logged():
    """WURAO_AUTHZ_LOG=file writes every answer the module's matrix got."""
    yield
    _log(os.environ.get("WURAO_AUTHZ_LOG"))


def _matrix_params():
    for route in ROUTES:
        for identity in IDENTITIES:
            yield pytest.param(route, identity, id=f"{route.name or route.route}-{identity}")


@pytest.mark.parametrize("route, identity", list(_matrix_params()))
def test_the_route_answers_each_identity_as_the_policy_declares(world, route, identity):
    user = world.users.get(identity) or AnonymousUser()
    client = world.clients[identity]
    unseen = unseen_marks(world, identity)
    problems = []

    def shows_unseen(method, url, about, answer) -> None:
        shown = [v for c, v in unseen.items() if c in answer.text and c not in url]
        if shown and route.rule(method) != PUBLIC:
            problems.append(f"{method} {url}{about}: shows the {', '.join(shown)}")

    for method in route.methods:
        assert route.rule(method), f"{route} names no policy rule for {method}"
        for target in targets_of(route, world):
            url = url_of(route, target)
            outcome = expected(route, method, user, identity, target)
            body = body_of(route, method, world, identity, target)
            answer = ask(client, route, method, url, user, body)
            ANSWERS.append((route.name, method, identity, target, outcome, answer))
            about = f" ({target.label})" if target else ""
            if wrong := problem(route, outcome, identity, answer):
                problems.append(f"{method} {url}{about}: {wrong}")
            if outcome == SERVED:
                shows_unseen(method, url, about, answer)
            if outcome == SERVED and method == "GET" and target is None and unseen:
                # a list or a page asked to filter by the other scope's enterprise, department
                # or street shows none of its records either
                query = naming_query(world, identity)
                probe = ask(client, route, "GET", url, user, query)
                if probe.status >= 500:
                    problems.append(f"GET {url} {query}: server error {probe.error}")
                shows_unseen("GET", url, f" {query}", probe)
    assert not problems, "\n".join(problems)


# An API list and the page listing the same records answer to rules that let the same people
# in: a person the page refuses gets a 403 from the API, not an empty list. (The visits API is
# left out on purpose: it answers an enterprise with its own visits, for which it has its own
# page, /visits/mine/, rather than the officers' list.)
SAME_LIST = {
    "api-enterprise-list": "registry:enterprise-list",
    "api-inspector-list": "registry:inspector-list",
    "api-street-list": "registry:street-list",
    "api-department-list": "catalogue:department-list",
    "api-item-list": "catalogue:item-list",
    "api-action-list": "enforcement:action-list",
    "api-oversight-summary": "oversight:dashboard",
    "api-credit-change-list": "credit:change-list",
    "api-draw-list": "sampling:task-list",
}


@pytest.mark.parametrize("api, page", [pytest.param(a, p, id=a) for a, p in SAME_LIST.items()])
def test_an_api_list_lets_in_the_people_its_page_lets_in(world, api, page):
    by_name = {r.name: r for r in ROUTES}
    differ = [
        identity
        for identity in IDENTITIES
        if allows(user := world.users.get(identity) or AnonymousUser(), by_name[api].rule("GET"))
        != allows(user, by_name[page].rule("GET"))
    ]

    assert not differ, f"{api} and {page} differ for {differ}"


def test_every_endpoint_of_the_api_schema_is_in_the_matrix():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    in_matrix = {(_shape(r.route), m) for r in ROUTES for m in r.methods}
    listed = {
        (_shape(path), method.upper())
        for path, operations in schema["paths"].items()
        for method in operations
    }

    assert listed, "the schema lists no endpoint"
    assert listed <= in_matrix, sorted(listed - in_matrix)


def _shape(path: str) -> str:
    """A route or a schema path with its parameters blanked: api/visits/{}/check-in/."""
    path = re.sub(r"\(\?P<\w+>[^)]*\)|<[^>]+>|\{[^}]+\}", "{}", path)
    return path.replace("^", "").replace("$", "").lstrip("/")


def test_the_matrix_meets_every_outcome_for_every_scoped_identity(world):
    """The matrix means something: every scoped identity is, somewhere, refused by a rule,
    hidden from by its scope and served."""
    met = collections.defaultdict(set)
    for route in ROUTES:
        for identity in IDENTITIES:
            user = world.users.get(identity) or AnonymousUser()
            for method in route.methods:
                for target in targets_of(route, world):
                    met[identity].add(expected(route, method, user, identity, target))
    scoped = [i for i in IDENTITIES if i not in ("anonymous", "bureau")]

    assert {i: met[i] for i in scoped} == {i: {DENIED, HIDDEN, SERVED} for i in scoped}
    # A visitor is refused and served, and (since [portal]) hidden from on the public pages that
    # show only what is published: a draft consultation, a conflict not yet triaged.
    assert {DENIED, SERVED} <= met["anonymous"] <= {DENIED, HIDDEN, SERVED}
    assert met["bureau"] == {DENIED, SERVED}


def _log(path: str | None) -> None:
    """WURAO_AUTHZ_LOG=file: every answer, and the count of each outcome and status."""
    if not path:
        return
    counts = collections.Counter((outcome, a.status) for *_, outcome, a in ANSWERS)
    with open(path, "w", encoding="utf-8") as out:
        out.write(f"{len(ANSWERS)} requests\n")
        for (outcome, status), n in sorted(counts.items()):
            out.write(f"{outcome} {status}: {n}\n")
        for name, method, identity, target, outcome, a in ANSWERS:
            label = target.label if target else "-"
            refused = ",".join(sorted(set(a.refusals)))
            out.write(f"{name}\t{method}\t{identity}\t{label}\t{outcome}\t{a.status}\t{refused}\n")
