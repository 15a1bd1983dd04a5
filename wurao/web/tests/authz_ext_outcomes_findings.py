"""The authorisation matrix's records and routes of [outcomes] findings (see authz_extensions.py).

Each scope k's department inspected its enterprise (a finding with a photo, a general hazard),
issued the notice, and the enterprise reported with a photo; the department also made a
re-check (origin 整改复查) there. A third department, of no identity, ordered the same
enterprise something on the same topic: an open clash for the bureau. A rectification is its
department's, its street's, its enterprise's and the bureau's; the third department's is not
scope k's department's."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.enforcement.choices import ActionKind, Origin
from wurao.enforcement.services import action_record
from wurao.outcomes.choices import CheckResult, ClashStatus, Hazard, Topic
from wurao.outcomes.models import RequirementClash
from wurao.outcomes.services_checks import checks_record, notice_issue
from wurao.outcomes.services_findings import rectification_report
from wurao.registry.tests.factories import DepartmentFactory, InspectorFactory
from wurao.web.tests.authz_targets import Target, _each_scope
from wurao.web.tests.authz_world import SCOPES, TODAY, VALID_UNTIL, mark

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 60
DEADLINE_DAYS = 15

VISIBLE: dict = {
    # an inspection's item results: the action's own (department, street, enterprise)
    "fd_action": dict(department="own", street="own", enterprise="own"),
    "fd_rectification": dict(department="own", street="own", enterprise="own"),
    # another department's rectification at scope k's enterprise
    "fd_rectification_other": dict(department="none", street="own", enterprise="own"),
    # the bureau decides; a department sees the clashes naming its rectifications
    "fd_clash": dict(department="own", street="own", enterprise="none"),
}


def _x(s, name):
    return s.extra[name]


action = _each_scope("fd_action", lambda w, s: ({"pk": _x(s, "fd_action").pk}, _x(s, "fd_action")))
rectification = _each_scope(
    "fd_rectification", lambda w, s: ({"pk": _x(s, "fd_rect").pk}, _x(s, "fd_rect"))
)


def evidence(world) -> list[Target]:
    made = []
    for k in SCOPES:
        s = world[k]
        for name in ("fd_photo", "fd_report_file"):
            made.append(Target({"pk": _x(s, name).pk}, "fd_rectification", k, _x(s, name)))
    return made


TARGETS: dict = {
    "findings:action": action,
    "findings:action-checks": action,
    "findings:action-notice": action,
    "findings:rectification": rectification,
    "findings:rectification-reject": rectification,
    "findings:rectification-close": rectification,
    "findings:rectification-recheck": rectification,
    "findings:evidence": evidence,
    "findings:clash-decide": _each_scope(
        "fd_clash", lambda w, s: ({"pk": _x(s, "fd_clash").pk}, _x(s, "fd_clash"))
    ),
    "findings:mine-notice": _each_scope(
        "fd_rectification", lambda w, s: ({"pk": _x(s, "fd_rect").notice_id}, _x(s, "fd_rect"))
    ),
    "findings:mine-rectification": rectification,
    "findings:mine-report": rectification,
    "api-rectification-detail": rectification,
    "api-rectification-report": rectification,
    "api-rectification-close": rectification,
    "api-action-checks": action,
}


def _own(world, identity):
    k = int(identity.rsplit("_", 1)[1]) if identity[-1].isdigit() else 1
    return world[k]


BODIES: dict = {
    "findings:rectification-reject": lambda w, i, t: {"reason": "矩阵退回：材料不足"},
    "findings:rectification-close": lambda w, i, t: {"note": "矩阵书面核查"},
    "findings:rectification-recheck": lambda w, i, t: {
        "action": _x(_own(w, i), "fd_recheck").pk,
        "passed": "yes",
        "note": "矩阵复查",
    },
    "findings:mine-report": lambda w, i, t: {"text": "矩阵整改报告"},
    "findings:clash-decide": lambda w, i, t: {"decision": ClashStatus.DISMISSED, "text": "矩阵"},
    "api-rectification-report": lambda w, i, t: {"text": "矩阵整改报告"},
    "api-rectification-close": lambda w, i, t: {"how": "documentary", "note": "矩阵书面核查"},
}


def _inspection(department, enterprise, items, officers, origin=Origin.PLAN):
    return action_record(
        actor="test",
        enterprise=enterprise,
        department=department,
        day=TODAY,
        kind=ActionKind.INSPECTION,
        origin=origin,
        items=items,
        officers=officers,
    )


def _ordered(actor, inspected, *, description: str, requirement: str, photos=()):
    item = inspected.items.get()
    checks_record(
        actor=actor,
        action=inspected,
        rows=[
            {
                "item": item,
                "result": CheckResult.FINDING,
                "description": description,
                "hazard": Hazard.GENERAL,
                "photos": list(photos),
            }
        ],
    )
    check = inspected.checks.get()
    deadline = TODAY + datetime.timedelta(days=DEADLINE_DAYS)
    orders = {check.pk: {"requirement": requirement, "deadline": deadline, "topic": Topic.FIRE}}
    return notice_issue(actor=actor, action=inspected, orders=orders).rectifications.get()


def build(world) -> None:
    for k in SCOPES:
        s = world[k]
        inspector = world.users[f"inspector_{k}"]
        inspected = _inspection(s.department, s.enterprise, [s.item], s.officers[:2])
        rect = _ordered(
            inspector,
            inspected,
            description=mark(k, "fd-finding"),
            requirement=mark(k, "fd-requirement"),
            photos=[SimpleUploadedFile("a.jpg", JPEG)],
        )
        report = rectification_report(
            actor=world.users[f"enterprise_{k}"],
            rectification=rect,
            text=mark(k, "fd-report"),
            files=[SimpleUploadedFile("b.jpg", JPEG)],
        )
        s.extra["fd_action"] = inspected
        s.extra["fd_rect"] = rect
        s.extra["fd_photo"] = inspected.checks.get().evidence.get()
        s.extra["fd_report_file"] = report.files.get()
        s.extra["fd_recheck"] = _inspection(
            s.department, s.enterprise, [s.item], s.officers[:2], origin=Origin.RECHECK
        )
        # Another department orders the same enterprise something on the same topic: a clash.
        other = DepartmentFactory(name=f"区矩阵{k}冲突局", code=f"MXC{k}")
        theirs = _inspection(
            other,
            s.enterprise,
            [InspectionItemFactory(department=other, code=f"MXC{k}-001")],
            InspectorFactory.create_batch(2, department=other, certificate_valid_until=VALID_UNTIL),
        )
        _ordered(
            "test",
            theirs,
            description="另一部门发现的问题",
            requirement=mark(k, "fd-other-requirement"),
        )
        s.extra["fd_clash"] = RequirementClash.objects.get(
            enterprise=s.enterprise, topic=Topic.FIRE
        )


def shown(world, k: int) -> dict:
    return {
        mark(k, "fd-finding"): Target({}, "fd_rectification", k),
        mark(k, "fd-requirement"): Target({}, "fd_rectification", k),
        mark(k, "fd-report"): Target({}, "fd_rectification", k),
        mark(k, "fd-other-requirement"): Target({}, "fd_rectification_other", k),
    }
