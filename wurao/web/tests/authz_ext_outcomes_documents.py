"""The authorisation matrix's records and routes of the outcome documents and duty records (see
authz_extensions.py).

Each scope k's department inspects its enterprise during its visit, finds a problem, issues a
notice and decides a penalty case on it. The documents are the department's, the bureau's and
the enterprise's (its own decided case, notice and inspection record); the duty records the
department's and the bureau's. No street has either."""

from __future__ import annotations

import datetime
from decimal import Decimal

from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.outcomes.choices import CaseKind, CaseStatus, CheckResult, Disposition, Topic
from wurao.outcomes.models import Case
from wurao.outcomes.services_checks import checks_record, notice_issue
from wurao.web.tests.authz_targets import _each_scope
from wurao.web.tests.authz_world import SCOPES, TODAY, mark

VISIBLE: dict = {
    "outcome_doc": dict(department="own", street="none", enterprise="own"),
    "outcome_duty": dict(department="own", street="none", enterprise="none"),
}


def _x(s, name):
    return s.extra[name]


def _doc(name: str, fmt: str, obj_of=None):
    return _each_scope(
        "outcome_doc",
        lambda w, s: (
            {"pk": _x(s, name).pk, "fmt": fmt},
            obj_of(_x(s, name)) if obj_of else _x(s, name),
        ),
    )


def _docs(name: str, obj_of=None):
    docx, pdf = _doc(name, "docx", obj_of), _doc(name, "pdf", obj_of)
    return lambda world: [*docx(world), *pdf(world)]


def _duty(name: str):
    return _each_scope("outcome_duty", lambda w, s: ({"pk": _x(s, name).pk}, _x(s, name)))


TARGETS: dict = {
    "outcome_docs:case-decision": _docs("doc_case"),
    # the rule is asked about the notice's action (its department and enterprise)
    "outcome_docs:notice-document": _docs("doc_notice", lambda notice: notice.action),
    "outcome_docs:action-record": _docs("doc_action"),
    "outcome_docs:duty-case": _duty("doc_case"),
    "outcome_docs:duty-case-pdf": _duty("doc_case"),
    "outcome_docs:duty-visit": _duty("doc_visit"),
    "outcome_docs:duty-visit-pdf": _duty("doc_visit"),
    "outcome_docs:duty-action": _duty("doc_action"),
    "outcome_docs:duty-action-pdf": _duty("doc_action"),
}

BODIES: dict = {}


def build(world) -> None:
    for k in SCOPES:
        s = world[k]
        admin = world.users[f"dept_admin_{k}"]
        action = EnforcementActionFactory(
            enterprise=s.enterprise, department=s.department, date=TODAY, visit=s.visit
        )
        action.items.set([s.item])
        action.officers.set(s.officers[:2])
        (check,) = checks_record(
            actor=admin,
            action=action,
            rows=[
                {
                    "item": s.item,
                    "result": CheckResult.FINDING,
                    "description": mark(k, "doc-finding"),
                }
            ],
        )
        notice = notice_issue(
            actor=admin,
            action=action,
            orders={
                check: {
                    "requirement": mark(k, "doc-requirement"),
                    "deadline": TODAY + datetime.timedelta(days=10),
                    "topic": Topic.WORK_SAFETY,
                }
            },
        )
        case = Case.objects.create(
            number=mark(k, "doc-case"),
            kind=CaseKind.PENALTY,
            enterprise=s.enterprise,
            department=s.department,
            opened_on=TODAY,
            facts=mark(k, "doc-facts"),
            legal_basis="《中华人民共和国安全生产法》第九十四条",
            reasoning="矩阵说理",
            disposition=Disposition.PENALTY,
            amount=Decimal("20000"),
            decided_on=TODAY,
            status=CaseStatus.DECIDED,
        )
        case.checks.add(check)
        s.extra.update(doc_case=case, doc_notice=notice, doc_action=action, doc_visit=s.visit)


def shown(world, k: int) -> dict:
    # The documents are files (not read for text); the duty pages name the case by number.
    return {}
