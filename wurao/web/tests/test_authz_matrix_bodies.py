"""The authorisation matrix, for what a write's body (or its URL's second record) names: each
write that names officers, items, draw tasks, campaigns, visits, selections or results is sent
twice by a department's admin and by an inspector of the other scope (or by the enterprises): once naming records of
the writer's own scope, which must be written (the body is valid, so the refusal below is about
the record and nothing else), and once naming the other scope's, which must be refused (400,
403 or 404 from the API; on a page, its form again or 403/404) with nothing written.

The world is authz_world.py's, built once for the module; every request is rolled back."""

import dataclasses
import uuid
from collections.abc import Callable

import pytest
from django.urls import reverse

from wurao.web.tests.authz_routes import ask, routes
from wurao.web.tests.authz_world import TODAY, World, world_committed

pytestmark = pytest.mark.django_db

ROUTES = {r.name: r for r in routes()}
WRITERS = ("dept_admin_1", "inspector_2")
APPROVAL = {"approver": "张科长", "approval_ref": "矩阵审〔2026〕9号"}


@pytest.fixture(scope="module", name="world")
def _world(django_db_setup, django_db_blocker, tmp_path_factory):
    with world_committed(django_db_blocker, tmp_path_factory.mktemp("authz-media")) as built:
        yield built


@dataclasses.dataclass(frozen=True)
class Case:
    """A write whose body names a record: `url(world, own)` the URL's kwargs (own is the
    writer's scope), `body(world, own, named)` a body naming records of scope `named`."""

    id: str
    route: str
    url: Callable[[World, int], dict | None]
    body: Callable[[World, int, int], dict]
    writers: tuple = WRITERS


def _client_id() -> str:
    return str(uuid.uuid4())


def _officers(w, own, named, *, of=slice(0, 2)) -> list:
    """The writer's own two officers, and two of the named scope's with them when it is another
    (two, so that the other department would have enough people on the visit)."""
    return [*w[own].officers[of], *(w[named].officers[of] if named != own else [])]


def _items(w, own, named) -> list:
    return [w[own].item, *([w[named].item] if named != own else [])]


def _registration(w, own, *, officers=None, items=None) -> dict:
    """The API's registration of a visit to an enterprise of the writer's street."""
    return {
        "client_id": _client_id(),
        "enterprise": w[own].others[0].credit_code,
        "kind": "inspection",
        "origin": "plan",
        "date": TODAY.isoformat(),
        "officers": [o.badge_no for o in _officers(w, own, officers or own)],
        "items": [i.code for i in _items(w, own, items or own)],
        "approved_on": TODAY.isoformat(),
        **APPROVAL,
    }


def _registration_form(w, own, *, enterprise, officers, items) -> dict:
    """The page's registration form (also the form a department joins a visit with)."""
    return {
        "kind": "inspection",
        "enterprise": enterprise.credit_code,
        "day": TODAY.isoformat(),
        "origin": "plan",
        "officers": [o.pk for o in _officers(w, own, officers)],
        "items": [i.pk for i in _items(w, own, items)],
        "approved_on": TODAY.isoformat(),
        "note": "",
        **APPROVAL,
    }


def _entry(w, own, *, items=None, draw_task=None, campaign=None) -> dict:
    """The page's plan entry for January, for an enterprise not yet in the plan."""
    body = {
        "month": "2027-01",
        "enterprise": w[own].others[0].credit_code,
        "items": [i.pk for i in _items(w, own, items or own)],
        "earliest": "2027-01-04",
        "latest": "2027-01-29",
        "hours": "2",
        "origin": "routine",
    }
    if draw_task:
        body.update(origin="random_task", draw_task=w[draw_task].draw_task.pk)
    if campaign:
        body.update(origin="campaign", campaign=w[campaign].published_campaign.pk)
    return body


def _other(k: int) -> int:
    return 3 - k


CASES = [
    # ---- the API
    Case(
        "api-register-officers",
        "api-visit-list",
        lambda w, own: None,
        lambda w, own, named: _registration(w, own, officers=named),
    ),
    Case(
        "api-register-items",
        "api-visit-list",
        lambda w, own: None,
        lambda w, own, named: _registration(w, own, items=named),
    ),
    Case(
        "api-officers-officers",
        "api-visit-officers",
        lambda w, own: {"code": w[own].open_visit.code},
        lambda w, own, named: {
            "client_id": _client_id(),
            "officers": [o.badge_no for o in _officers(w, own, named, of=slice(2, 4))],
            "approved_on": TODAY.isoformat(),
            **APPROVAL,
        },
    ),
    Case(
        "api-results-items",
        "api-visit-results",
        lambda w, own: {"code": w[own].visit.code},
        lambda w, own, named: {
            "client_id": _client_id(),
            "kind": "penalty",
            "summary": "责令限期改正",
            "items": [i.code for i in _items(w, own, named)],
        },
    ),
    Case(
        "api-results-officers",
        "api-visit-results",
        lambda w, own: {"code": w[own].visit.code},
        lambda w, own, named: {
            "client_id": _client_id(),
            "kind": "penalty",
            "summary": "责令限期改正",
            "officers": [o.badge_no for o in _officers(w, own, named)],
        },
    ),
    Case(
        "api-check-in-enterprise",
        "api-visit-check-in",
        lambda w, own: {"code": w[own].open_visit.code},
        lambda w, own, named: {
            "client_id": _client_id(),
            "method": "credit_code",
            # the open visit is to the writer's street's neighbour; the other's neighbour is not it
            "scanned": w[named].neighbour.credit_code,
        },
    ),
    # ---- the pages
    Case(
        "page-register-officers",
        "visits:new",
        lambda w, own: None,
        lambda w, own, named: _registration_form(
            w, own, enterprise=w[own].others[0], officers=named, items=own
        ),
    ),
    Case(
        "page-register-items",
        "visits:new",
        lambda w, own: None,
        lambda w, own, named: _registration_form(
            w, own, enterprise=w[own].others[0], officers=own, items=named
        ),
    ),
    # joining the other department's open visit, with one's own people and items (or not)
    Case(
        "page-join-officers",
        "visits:join",
        lambda w, own: {"code": w[_other(own)].open_visit.code},
        lambda w, own, named: _registration_form(
            w, own, enterprise=w[_other(own)].neighbour, officers=named, items=own
        ),
    ),
    Case(
        "page-join-items",
        "visits:join",
        lambda w, own: {"code": w[_other(own)].open_visit.code},
        lambda w, own, named: _registration_form(
            w, own, enterprise=w[_other(own)].neighbour, officers=own, items=named
        ),
    ),
    Case(
        "page-staff-officers",
        "visits:staff",
        lambda w, own: {"code": w[own].open_visit.code},
        lambda w, own, named: {
            "officers": [o.pk for o in _officers(w, own, named, of=slice(2, 4))],
            "approved_on": TODAY.isoformat(),
            **APPROVAL,
        },
    ),
    Case(
        "page-result-correct-action",
        "visits:result-correct",
        lambda w, own: {"code": w[own].visit.code, "pk": w[own].visit_action.pk},
        lambda w, own, named: {
            f"a{w[own].visit_action.pk}-finding": "problems",
            f"a{w[own].visit_action.pk}-summary": "发现隐患",
            f"a{w[own].visit_action.pk}-reason": "录错了",
        },
    ),
    Case(
        "page-plan-entry-items",
        "planning_plans:entry-add",
        lambda w, own: None,
        lambda w, own, named: _entry(w, own, items=named),
    ),
    Case(
        "page-plan-entry-draw-task",
        "planning_plans:entry-add",
        lambda w, own: None,
        lambda w, own, named: _entry(w, own, draw_task=named),
    ),
    Case(
        "page-plan-entry-campaign",
        "planning_plans:entry-add",
        lambda w, own: None,
        lambda w, own, named: _entry(w, own, campaign=named),
    ),
    Case(
        "page-rate-visit",
        "visits_supervision:portal",
        lambda w, own: None,
        lambda w, own, named: {"code": w[named].done_visit.code, "score": "5"},
        writers=("enterprise_1", "enterprise_2"),
    ),
    Case(
        "page-draw-result-selection",
        "sampling:result-record",
        lambda w, own: None,  # the URL itself names the selection: see _url_of
        lambda w, own, named: {"category": "no_problem", "inspected_on": TODAY.isoformat()},
    ),
]

# The second record named in the URL rather than in the body: own task, named selection;
# own visit, named result.
URL_NAMED = {
    "page-draw-result-selection": lambda w, own, named: {
        "pk": w[own].draw_task.pk,
        "selection_pk": w[named].selection.pk,
    },
    "page-result-correct-action": lambda w, own, named: {
        "code": w[own].visit.code,
        "pk": w[named].visit_action.pk,
    },
}


def _params():
    for case in CASES:
        for writer in case.writers:
            yield pytest.param(case, writer, id=f"{case.id}-{writer}")


@pytest.mark.parametrize("case, writer", list(_params()))
def test_a_write_naming_another_scopes_record_is_refused_and_writes_nothing(world, case, writer):
    route = ROUTES[case.route]
    own = int(writer.rsplit("_", 1)[1])
    user, client = world.users[writer], world.clients[writer]

    def url(named: int) -> str:
        kwargs = URL_NAMED[case.id](world, own, named) if case.id in URL_NAMED else None
        return reverse(case.route, kwargs=kwargs or case.url(world, own))

    # given a body naming the writer's own records, which is written
    control = ask(client, route, "POST", url(own), user, case.body(world, own, own))
    assert control.wrote and control.status < 400, (
        f"the control write was not made ({control.status}): the case's body is not valid"
        f"\n{control.text[:2000]}"
    )

    # when the same write names the other scope's record instead
    other = _other(own)
    answer = ask(client, route, "POST", url(other), user, case.body(world, own, other))

    # then it is refused and nothing is written
    refusals = (400, 403, 404) if route.is_api else (200, 400, 403, 404)
    assert answer.status in refusals, f"{answer.status} {answer.location}"
    assert not answer.wrote, f"written ({answer.status})"
