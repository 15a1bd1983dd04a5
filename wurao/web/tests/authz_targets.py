"""The records the authorisation matrix's URLs and bodies name, and who may see them.

Each route with URL kwargs gets, from TARGETS, the world's records of each scope (and the joint
ones both departments take part in); a write gets, from BODIES, a body valid for the writer's
own scope. VISIBLE is the Scope's rule (wurao/accounts/scope.py) per kind of record: who sees a
record of scope k. unseen_marks lists the text that would show a record an identity may not
see, which no page it is served may contain.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.urls import reverse

from wurao.web.tests.authz_world import ANONYMOUS, SCOPES, TODAY, World, mark

if TYPE_CHECKING:
    from wurao.web.tests.authz_routes import Route

# ---------------------------------------------------------------- what a URL names

# Who sees a record of one scope, by the kind of record: for each side ("department",
# "street", "enterprise"), "all" of them, their "own" only, or "none". The bureau sees all.
VISIBLE = {
    "public": dict(department="all", street="all", enterprise="all"),
    "shared": dict(department="all", street="all", enterprise="all"),  # tables, templates
    "enterprise": dict(department="all", street="own", enterprise="own"),
    "item": dict(department="all", street="all", enterprise="all"),
    "action": dict(department="own", street="own", enterprise="own"),
    "visit": dict(department="own", street="own", enterprise="own"),
    # registered, not begun, at another enterprise of the street (none of the enterprises')
    "open_visit": dict(department="own", street="own", enterprise="none"),
    # joining is open to any department holding the code (进一次门，查多项事: the code came with
    # the refusal that offered it, and /v/<code>/ shows the same to anyone)
    "joinable_visit": dict(department="all", street="none", enterprise="none"),
    "draw_task": dict(department="own", street="none", enterprise="none"),
    "plan": dict(department="own", street="none", enterprise="none"),
    "joint_visit": dict(department="own", street="own", enterprise="own"),
    "slot": dict(department="none", street="none", enterprise="own"),
    "park_day": dict(department="none", street="own", enterprise="none"),
    # an objection or repair: its enterprise and the department it is addressed to
    "review": dict(department="own", street="none", enterprise="own"),
    "commitment": dict(department="own", street="own", enterprise="own"),
    "credit_record": dict(department="none", street="none", enterprise="own"),
    # a job the person started, kept in their session (the bureau started both)
    "schedule_job": dict(department="none", street="own", enterprise="none"),
    "bureau_session": dict(department="none", street="none", enterprise="none"),
}


@dataclasses.dataclass(frozen=True)
class Target:
    """The record a URL names: its URL kwargs, its kind, its scope (1, 2, or None for a
    record of no scope) and the object the route's rule is asked about."""

    kwargs: dict
    kind: str
    k: int | None = None
    obj: object = None
    # the scopes of the departments that take part besides scope k's (a joint visit)
    also_departments: tuple = ()
    # at an enterprise of scope k's street that is none of the identities'
    elsewhere: bool = False

    @property
    def label(self) -> str:
        if self.also_departments:
            return f"{self.kind} of scope {self.k}, with the departments of {self.also_departments}"
        return f"{self.kind} of scope {self.k}" if self.k else self.kind


def _each_scope(kind: str, fill: Callable) -> Callable[[World], list[Target]]:
    """One target per scope: fill(world, scoped) -> (kwargs, the rule's object)."""

    def targets(world: World) -> list[Target]:
        made = []
        for k in SCOPES:
            kwargs, obj = fill(world, world[k])
            made.append(Target(kwargs, kind, k, obj))
        return made

    return targets


def _one(kind: str, fill: Callable) -> Callable[[World], list[Target]]:
    return lambda world: [Target(fill(world), kind)]


enterprise = _each_scope("enterprise", lambda w, s: ({"pk": s.enterprise.pk}, s.enterprise))
item = _each_scope("item", lambda w, s: ({"pk": s.item.pk}, s.item))
action = _each_scope("action", lambda w, s: ({"pk": s.action.pk}, s.action))
draw_task = _each_scope("draw_task", lambda w, s: ({"pk": s.draw_task.pk}, s.draw_task))
draw_public = _each_scope("public", lambda w, s: ({"code": s.draw_task.code}, s.draw_task))
visit = _each_scope("visit", lambda w, s: ({"code": s.visit.code}, s.visit))
_open_visits = _each_scope("open_visit", lambda w, s: ({"code": s.open_visit.code}, s.open_visit))


def open_visit(world: World) -> list[Target]:
    """Each scope's open visit, and the one both departments take part in (led by 1's)."""
    joint = world.joint_open_visit
    both = Target({"code": joint.code}, "open_visit", 1, joint, also_departments=(2,))
    return [*_open_visits(world), both]


visit_public = _each_scope("public", lambda w, s: ({"code": s.visit.code}, s.visit))
_joint_visits = _each_scope("joint_visit", lambda w, s: ({"pk": s.joint_visit.pk}, s.joint_visit))


def joint_visit(world: World) -> list[Target]:
    """Each street's joint visit, and the one both departments planned (in street 1)."""
    both = world.joint_planned
    shared = Target({"pk": both.pk}, "joint_visit", 1, both, also_departments=(2,), elsewhere=True)
    return [*_joint_visits(world), shared]


review = _each_scope(
    "review", lambda w, s: ({"kind": "objection", "pk": s.objection.pk}, s.objection)
)
park_day_public = _each_scope("public", lambda w, s: ({"code": s.park_day.code}, s.park_day))
department_public = _each_scope("public", lambda w, s: ({"code": s.department.code}, s.department))

# Route name -> the records its URL may name. A route with URL kwargs missing here fails the
# matrix: add it, with a record of each scope when its records have one.
TARGETS: dict[str, Callable[[World], list[Target]]] = {
    "dossier:enterprise-detail": enterprise,
    "credit:enterprise-detail": enterprise,
    "api-enterprise-detail": enterprise,
    "api-enterprise-timeline": enterprise,
    "api-credit-enterprise-grade": enterprise,
    "catalogue:item-detail": item,
    "api-item-detail": item,
    "enforcement:action-detail": action,
    "api-action-detail": action,
    "imports:job": _one("shared", lambda w: {"pk": w.import_job.pk}),
    "imports:report": _one("bureau_session", lambda w: {"sha256": w.upload_sha256}),
    "imports:template": _one("shared", lambda w: {"target": "enterprises", "fmt": "csv"}),
    "sampling:task-detail": draw_task,
    "sampling:task-commit": draw_task,
    "sampling:task-draw": draw_task,
    "sampling:task-close": draw_task,
    "sampling:result-record": _each_scope(
        "draw_task",
        lambda w, s: ({"pk": s.draw_task.pk, "selection_pk": s.selection.pk}, s.draw_task),
    ),
    "api-draw-detail": draw_task,
    "sampling_public:task-detail": draw_public,
    "sampling_public:task-bundle": draw_public,
    "sampling_public:task-verify": draw_public,
    "api-public-draw-bundle": draw_public,
    "credit:request-new": _each_scope(
        "credit_record",
        lambda w, s: (
            {"source": "action", "record_id": s.action.pk, "kind": "objection"},
            s.action,
        ),
    ),
    "credit:review-detail": review,
    "credit:review-decide": review,
    "credit:review-evidence": review,
    "credit:commitment-decide": _each_scope(
        "commitment", lambda w, s: ({"pk": s.commitment.pk}, s.commitment)
    ),
    "credit:table-detail": _one("shared", lambda w: {"version": w.table_version}),
    "credit:table-draft": _one("shared", lambda w: {"pk": w.table_draft}),
    "visits:detail": open_visit,
    "visits:join": _each_scope(
        "joinable_visit", lambda w, s: ({"code": s.open_visit.code}, s.open_visit)
    ),
    "visits:staff": open_visit,
    "visits:check-in": open_visit,
    "visits:check-out": visit,
    "visits:result": visit,
    "visits:result-correct": _each_scope(
        "visit", lambda w, s: ({"code": s.visit.code, "pk": s.visit_action.pk}, s.visit)
    ),
    "visits:cancel": open_visit,
    "visits:override-decide": open_visit,
    "api-visit-detail": open_visit,
    "api-visit-officers": open_visit,
    "api-visit-check-in": open_visit,
    "api-visit-check-out": visit,
    "api-visit-results": visit,
    "api-visit-cancel": open_visit,
    "visits_public:code-check": visit_public,
    "visits_public:code-qr": visit_public,
    "api-public-visit": visit_public,
    "planning_plans:entry-withdraw": _each_scope(
        "plan", lambda w, s: ({"pk": s.plan_entry.pk}, s.plan_entry.plan)
    ),
    "planning_plans:import-template": _one("shared", lambda w: {"fmt": "csv"}),
    "planning_plans:campaign-publish": _each_scope(
        "plan", lambda w, s: ({"pk": s.campaign.pk}, s.campaign)
    ),
    "planning_coordination:schedule-job": _each_scope(
        "schedule_job", lambda w, s: ({"task_id": s.schedule_job}, s.street)
    ),
    "planning_coordination:visit": joint_visit,
    "planning_coordination:visit-move": joint_visit,
    "planning_coordination:visit-split": joint_visit,
    "planning_coordination:visit-merge": joint_visit,
    "planning_coordination:visit-confirm": joint_visit,
    "planning_coordination:portal-change": joint_visit,
    "planning_coordination:slot-delete": _each_scope(
        "slot", lambda w, s: ({"pk": s.slot.pk}, s.slot)
    ),
    "planning_forms:form": joint_visit,
    "planning_forms:form-results": joint_visit,
    "planning_forms:form-results-correct": joint_visit,
    "planning_forms:form-pdf": joint_visit,
    "planning_forms:form-xlsx": joint_visit,
    "planning_forms:park-day-detail": _each_scope(
        "park_day", lambda w, s: ({"pk": s.park_day.pk}, s.park_day)
    ),
    "planning_public:park-day": park_day_public,
    "planning_public:park-day-inputs": park_day_public,
    "disclosure:items": department_public,
    "disclosure:department-inspectors": department_public,
}


def targets_of(route: Route, world: World) -> list[Target | None]:
    """The records a route's URL names, or [None] for a URL that names none."""
    if not route.kwargs:
        return [None]
    fill = TARGETS.get(route.name)
    if fill is None:
        raise LookupError(
            f"{route} names {', '.join(route.kwargs)}: add it to TARGETS in authz_routes.py "
            "with a record of each scope"
        )
    return fill(world)


def url_of(route: Route, target: Target | None) -> str:
    return reverse(route.name, kwargs=target.kwargs if target else None)


# ---------------------------------------------------------------- what a write sends

# A write sends a body valid for the identity's own scope, so that it reaches the record the
# URL names (an API validates the body before it looks the record up) and an allowed write
# really writes. Routes not listed send an empty body: their refusal or their form's errors.


def _own(world: World, identity: str):
    return world[side_of(identity)[1] or 1]


def _client_id() -> str:
    return str(uuid.uuid4())


def _registration_body(world, identity, target) -> dict:
    own = _own(world, identity)
    return {
        "client_id": _client_id(),
        "enterprise": own.enterprise.credit_code,
        "kind": "inspection",
        "origin": "plan",
        "date": TODAY.isoformat(),
        "officers": [o.badge_no for o in own.officers[:2]],
        "items": [own.item.code],
        "approver": "张科长",
        "approval_ref": "矩阵审〔2026〕9号",
        "approved_on": TODAY.isoformat(),
    }


BODIES: dict[str, Callable[[World, str, Target | None], dict]] = {
    "api-visit-list": _registration_body,
    "api-visit-officers": lambda w, i, t: {
        "client_id": _client_id(),
        "officers": [o.badge_no for o in _own(w, i).officers[:2]],
        "approver": "张科长",
        "approval_ref": "矩阵审〔2026〕9号",
        "approved_on": TODAY.isoformat(),
    },
    "api-visit-check-in": lambda w, i, t: {
        "client_id": _client_id(),
        "method": "credit_code",
        "scanned": t.obj.enterprise.credit_code,
    },
    "api-visit-check-out": lambda w, i, t: {"client_id": _client_id()},
    "api-visit-results": lambda w, i, t: {
        "client_id": _client_id(),
        "kind": "penalty",  # the inspection's result is recorded already
        "summary": "责令限期改正并处罚款",
    },
    "api-visit-cancel": lambda w, i, t: {"client_id": _client_id(), "reason": "企业停产"},
    # the enterprise rates one of its visits by its code
    "visits_supervision:portal": lambda w, i, t: {"code": _own(w, i).done_visit.code, "score": "5"},
}


# The capabilities added later declare their records, routes and bodies in modules of their own
# (authz_extensions.EXTENSIONS), so that each is kept beside the others without one long file.
from wurao.web.tests.authz_extensions import EXTENSIONS  # noqa: E402

for _extension in EXTENSIONS:
    VISIBLE.update(_extension.VISIBLE)
    TARGETS.update(_extension.TARGETS)
    BODIES.update(_extension.BODIES)


def body_of(route: Route, method: str, world: World, identity: str, target) -> dict:
    if method in ("GET", "DELETE") or route.name not in BODIES:
        return {}
    return BODIES[route.name](world, identity, target)


# ---------------------------------------------------------------- identities and scope


def side_of(identity: str) -> tuple[str | None, int | None]:
    """("department" | "street" | "enterprise" | "bureau" | None, its scope)."""
    if identity == ANONYMOUS:
        return None, None
    if identity == "bureau":
        return "bureau", None
    role, k = identity.rsplit("_", 1)
    side = {"dept_admin": "department", "inspector": "department"}.get(role, role)
    return side, int(k)


def visible(identity: str, target: Target | None) -> bool:
    if target is None:
        return True
    side, k = side_of(identity)
    seen = VISIBLE[target.kind]
    if target.kind == "public":
        return True
    if side is None:
        return False
    if side == "bureau":
        return True
    owners = {target.k}
    if side == "department":
        owners |= set(target.also_departments)
    elif side == "enterprise" and target.elsewhere:
        owners = set()
    return seen[side] == "all" or (seen[side] == "own" and k in owners)


def unseen_marks(world: World, identity: str) -> dict[str, str]:
    """What of the other scope this identity may not see, as text that would show it (text ->
    what it is): the codes of visits, the words written into penalties, objections and a
    campaign not yet published, and the enterprise's name and credit code. None of it may
    appear on a page or in an answer the identity is served, unless the URL names it or the
    page is public."""
    side, _ = side_of(identity)
    if side in (None, "bureau"):
        return {}
    unseen = {}
    for k in SCOPES:
        s = world[k]
        shown = {
            s.visit.code: Target({}, "visit", k),
            s.open_visit.code: Target({}, "open_visit", k),
            mark(k, "penalty"): Target({}, "action", k),
            mark(k, "objection"): Target({}, "review", k),
            f"{mark(k, 'campaign')}1": Target({}, "plan", k),
            s.enterprise.name: Target({}, "enterprise", k),
            s.enterprise.credit_code: Target({}, "enterprise", k),
        }
        for extension in EXTENSIONS:
            shown |= extension.shown(world, k)
        unseen |= {text: t.label for text, t in shown.items() if not visible(identity, t)}
    return unseen


def naming_query(world: World, identity: str) -> dict:
    """Query parameters naming the other scope's enterprise, department and street."""
    other = world[3 - (side_of(identity)[1] or 1)]
    return {
        "enterprise": other.enterprise.pk,
        "department": other.department.pk,
        "street": other.street.pk,
    }
