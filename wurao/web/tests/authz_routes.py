"""The authorisation matrix's machinery: every route of the URL configuration, the records its
URL names (filled from the world, authz_world.py), what each identity may see, the outcome the
policy module expects and the request that checks it.

The expected outcome is derived, never typed in per route:

1. the rule the route declares for the method (``@policy`` on a page, ``policy`` on an API
   view), asked without a record: if it refuses, the answer is a refusal (403; the login page
   for a visitor to a page, 401 or 403 for a visitor to the API) and nothing is written;
2. the record the URL names, out of the identity's scope: 404, and nothing written;
3. the same rule asked about the record: if it refuses, 403 and nothing written;
4. otherwise the route serves the identity: no 403, 404 or 5xx. A write may refuse an empty
   body (400, or the form again) and a route may not take the method (405). A 403 here is
   accepted only when a rule of the policy module refused during the request (the finer rule
   the view or its service requires, such as visits.register behind a visit's page): every
   refusal comes from the policy module.

What each identity may see is the Scope's rule (wurao/accounts/scope.py) written per kind of
record in VISIBLE: a department sees its own records, a street its area, an enterprise itself.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import uuid
from collections.abc import Callable
from http import HTTPStatus
from http.cookies import SimpleCookie
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from wurao.accounts.policy import allows, core, policy_of
from wurao.audit.models import AuditEvent
from wurao.web.tests.authz_world import ANONYMOUS, SCOPES, TODAY, World, mark

# Django's own back office: is_staff and model permissions, not the platform's roles.
EXEMPT_PREFIXES = ("admin/",)
PAGE_METHODS = ("GET", "POST")
API_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

DENIED, HIDDEN, SERVED = "denied", "hidden", "served"


# ---------------------------------------------------------------- the routes


@dataclasses.dataclass(frozen=True)
class Route:
    route: str  # as the URL configuration spells it, e.g. "draws/<int:pk>/commit/"
    name: str  # its reversible name, e.g. "sampling:task-commit"
    callback: Callable
    kwargs: tuple[str, ...]

    @property
    def view_class(self):
        return getattr(self.callback, "view_class", None) or getattr(self.callback, "cls", None)

    @property
    def is_api(self) -> bool:
        return self.view_class is not None and hasattr(self.view_class, "permission_classes")

    @property
    def methods(self) -> tuple[str, ...]:
        """A page is asked with GET and POST (whatever it accepts, it must refuse a stranger);
        an API view with the methods it defines."""
        if not self.is_api:
            return PAGE_METHODS
        return tuple(m for m in API_METHODS if hasattr(self.view_class, m.lower()))

    def rule(self, method: str) -> str | None:
        if self.view_class is not None:
            return policy_of(self.view_class, method)
        return getattr(self.callback, "policy", None)

    def __str__(self) -> str:
        return self.route


def _walk(resolver: URLResolver, prefix: str = "", namespace: tuple = ()):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = (*namespace, entry.namespace) if entry.namespace else namespace
            yield from _walk(entry, route, inner)
        elif isinstance(entry, URLPattern):
            name = ":".join((*namespace, entry.name)) if entry.name else ""
            yield Route(route, name, entry.callback, tuple(entry.pattern.regex.groupindex))


def routes() -> list[Route]:
    return [r for r in _walk(get_resolver()) if not r.route.startswith(EXEMPT_PREFIXES)]


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


def expected(route: Route, method: str, user, identity: str, target: Target | None) -> str:
    """What the policy module and the scope say this identity gets here."""
    rule = route.rule(method)
    if not allows(user, rule):
        return DENIED
    if not visible(identity, target):
        return HIDDEN
    if target is not None and target.obj is not None and not allows(user, rule, target.obj):
        return DENIED
    return SERVED


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


# ---------------------------------------------------------------- asking, and what was written


def _tables() -> list[str]:
    """Every table of the platform's models that the database has (the sessions aside: a
    sign-in is not a write the matrix is about)."""
    kept = {Session._meta.db_table}
    names = {
        m._meta.db_table
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    }
    return sorted((names & set(connection.introspection.table_names())) - kept)


_COUNT_SQL: str | None = None


def written_state() -> tuple:
    """The audit log's last seq and every table's row count, in one query."""
    global _COUNT_SQL
    if _COUNT_SQL is None:
        quote = connection.ops.quote_name
        counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in _tables())
        _COUNT_SQL = f"SELECT {counts}"
    with connection.cursor() as cursor:
        cursor.execute(_COUNT_SQL)
        counts = cursor.fetchone()
    last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    return (last, *counts)


@dataclasses.dataclass
class Answer:
    status: int
    location: str
    wrote: bool
    refusals: list[str]  # the policy rules that refused this person during the request
    error: str = ""
    text: str = ""  # the page or JSON the person read


class _RefusalSpy:
    """Records the rules that refused `user` while a request runs (the real rules answer):
    every check, through allows(), require(), @policy or the API's permission, asks the
    policy's one rule set. A template's question (the menu, `user|may:"..."`) decides what to
    show, never a refusal, and is left out."""

    def __init__(self, user):
        self.user, self.refused = user, []

    def __enter__(self):
        rules = core._RULES
        real = type(rules).test_rule.__get__(rules)

        def spying(name, user, obj=None, *args, **kwargs):
            answer = real(name, user, obj, *args, **kwargs)
            mine = getattr(user, "pk", None) == getattr(self.user, "pk", None)
            if not answer and mine and not _asked_by_a_template(sys._getframe(1)):
                self.refused.append(name)
            return answer

        rules.test_rule = spying
        return self

    def __exit__(self, *exc):
        del core._RULES.test_rule


_POLICY_DIR = str(Path(core.__file__).parent)


def _asked_by_a_template(frame) -> bool:
    """Whether the first caller outside the policy package is a template tag."""
    while frame is not None and frame.f_code.co_filename.startswith(_POLICY_DIR):
        frame = frame.f_back
    return frame is not None and f"{os.sep}templatetags{os.sep}" in frame.f_code.co_filename


def ask(client, route: Route, method: str, url: str, user, data=None) -> Answer:
    """One request, inside a savepoint that is rolled back: the world stays as built. Returns
    the status and whether anything was written (audit log or any table's row count)."""
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    with transaction.atomic():
        before = written_state()
        with _RefusalSpy(user) as spy:
            response = _send(client, route, method, url, data)
        error = ""
        if response.status_code >= 500 and getattr(response, "exc_info", None):
            error = repr(response.exc_info[1])
        try:
            wrote = written_state() != before
        except Exception as failure:  # a broken transaction after a failed request
            wrote, error = True, error or repr(failure)
        transaction.set_rollback(True)
    # Signing out or switching the language stays in this request.
    client.cookies = SimpleCookie(cookies)
    if response.streaming:
        # Read to the end, which closes the file: the test client's way, which keeps the
        # database connection (closing the response directly would close it, mid-transaction).
        b"".join(response.streaming_content)
    return Answer(
        status=response.status_code,
        location=response.get("Location", ""),
        wrote=wrote,
        refusals=spy.refused,
        error=error,
        text=_text(response),
    )


def _text(response) -> str:
    kind = response.get("Content-Type", "")
    if response.streaming or not kind.startswith(("text/", "application/json")):
        return ""
    return response.content.decode(response.charset or "utf-8", errors="replace")


def _send(client, route: Route, method: str, url: str, data):
    if route.is_api:
        if method == "GET":
            return client.get(url, data or {})
        return client.generic(
            method,
            url,
            data=_json(data or {}),
            content_type="application/json",
            HTTP_ACCEPT="application/json",
        )
    if method == "GET":
        return client.get(url, data or {})
    return client.post(url, data or {})


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)


# ---------------------------------------------------------------- judging an answer


def login_url() -> str:
    return resolve_url(settings.LOGIN_URL)


def problem(route: Route, outcome: str, identity: str, answer: Answer) -> str:
    """What is wrong with the answer, or "" when it is what the policy expects."""
    status = answer.status
    if status >= 500:
        return f"server error {status} {answer.error}"
    if status == HTTPStatus.METHOD_NOT_ALLOWED:
        return "wrote despite 405" if answer.wrote else ""
    if outcome == DENIED:
        if identity == ANONYMOUS and not route.is_api:
            refused = status == 302 and answer.location.startswith(login_url())
            want = "a redirect to the login page"
        elif identity == ANONYMOUS:
            refused, want = status in (401, 403), "401 or 403"
        else:
            refused, want = status == 403, "403"
        if not refused:
            return f"the rule refuses: expected {want}, got {status} {answer.location}".strip()
        return "the rule refuses, yet something was written" if answer.wrote else ""
    if outcome == HIDDEN:
        if status != 404:
            return f"out of scope: expected 404, got {status} {answer.location}".strip()
        return "out of scope, yet something was written" if answer.wrote else ""
    if status == 404:
        return "in scope and allowed, yet 404"
    if status == 403 and not answer.refusals:
        return "allowed by the declared rule, yet 403 with no policy rule refusing"
    return ""
