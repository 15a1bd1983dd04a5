"""The authorisation matrix's records and routes of the complaints app (see authz_extensions.py).

Each scope k has: a complaint its enterprise filed in its name against its department's officer
(accepted; only the bureau's office sees it, and the enterprise on its own list), a statement
request addressed to its department (that department's), and a whistleblowing report about its
enterprise assigned to its department (the bureau's; the department's on its assigned list),
with a reveal requested by the bureau. No department sees any complaint itself."""

from __future__ import annotations

from django.core.files.base import ContentFile

from wurao.complaints import services, services_whistle
from wurao.complaints.models import Complaint
from wurao.web.tests.authz_targets import _each_scope
from wurao.web.tests.authz_world import SCOPES, mark

VISIBLE: dict = {
    # the office's case: the bureau alone (never the department complained about)
    "complaint": dict(department="none", street="none", enterprise="none"),
    # the same case on its filer's own list
    "own_complaint": dict(department="none", street="none", enterprise="own"),
    "statement": dict(department="own", street="none", enterprise="none"),
    "whistle": dict(department="none", street="none", enterprise="none"),
    "whistle_assigned": dict(department="own", street="none", enterprise="none"),
}


def _x(s, name):
    return s.extra[name]


complaint = _each_scope(
    "complaint", lambda w, s: ({"pk": _x(s, "complaint").pk}, _x(s, "complaint"))
)
own_complaint = _each_scope(
    "own_complaint", lambda w, s: ({"pk": _x(s, "complaint").pk}, _x(s, "complaint"))
)
statement = _each_scope(
    "statement", lambda w, s: ({"pk": _x(s, "statement").pk}, _x(s, "statement"))
)
whistle = _each_scope("whistle", lambda w, s: ({"pk": _x(s, "report").pk}, _x(s, "report")))
whistle_assigned = _each_scope(
    "whistle_assigned", lambda w, s: ({"pk": _x(s, "report").pk}, _x(s, "report"))
)
reveal = _each_scope("whistle", lambda w, s: ({"pk": _x(s, "reveal").pk}, _x(s, "reveal")))

TARGETS: dict = {
    "complaints:office-detail": complaint,
    "complaints:office-accept": complaint,
    "complaints:office-statement": complaint,
    "complaints:office-answer": complaint,
    "complaints:office-reveal": complaint,
    "complaints:mine-detail": own_complaint,
    "complaints:statement-detail": statement,
    "complaints:whistle-office-detail": whistle,
    "complaints:whistle-office-assign": whistle,
    "complaints:whistle-office-conclude": whistle,
    "complaints:whistle-evidence": whistle,
    "complaints:whistle-reveal-request": whistle,
    "complaints:whistle-reveal-approve": reveal,
    "complaints:whistle-reveal-read": reveal,
    "complaints:whistle-assigned-detail": whistle_assigned,
}

BODIES: dict = {
    "complaints:new": lambda w, i, t: {
        "category": "attitude",
        "department": w[1].department.pk,
        "description": "矩阵投诉",
        "anonymous": "1",
    },
    "complaints:track": lambda w, i, t: {"receipt": "TS00000000", "secret": "X"},
    "complaints:track-rate": lambda w, i, t: {"rating": "5"},
    "complaints:office-accept": lambda w, i, t: {"decision": "accept"},
    "complaints:office-statement": lambda w, i, t: {
        "department": w[1].department.pk,
        "summary": "矩阵摘要",
    },
    "complaints:office-answer": lambda w, i, t: {"finding": "partly", "answer": "矩阵答复"},
    "complaints:office-reveal": lambda w, i, t: {"reason": "矩阵理由"},
    "complaints:mine-detail": lambda w, i, t: {"rating": "5"},
    "complaints:statement-detail": lambda w, i, t: {"answer": "矩阵说明"},
    "complaints:whistle-new": lambda w, i, t: {
        "enterprise": w[1].enterprise.credit_code,
        "risk_kind": "fire",
        "risk": "矩阵举报",
    },
    "complaints:whistle-track": lambda w, i, t: {"receipt": "JB00000000", "secret": "X"},
    "complaints:whistle-office-assign": lambda w, i, t: {"department": w[1].department.pk},
    "complaints:whistle-office-conclude": lambda w, i, t: {
        "substantiated": "1",
        "conclusion": "矩阵结论",
    },
    "complaints:whistle-reveal-request": lambda w, i, t: {"reason": "矩阵理由"},
    "complaints:whistle-assigned-detail": lambda w, i, t: {"text": "矩阵核查"},
}


def build(world) -> None:
    bureau = world.users["bureau"]
    for k in SCOPES:
        s = world[k]
        filed = services.complaint_file(
            category="attitude",
            description=mark(k, "complaint-text"),
            officer=s.officers[0],
            anonymous=False,
            name=mark(k, "complainant"),
            phone=f"1390000000{k}",
            enterprise=s.enterprise,
        )
        case = Complaint.objects.get(pk=filed.pk)
        s.extra["receipt"] = filed.receipt
        s.extra["complaint"] = services.complaint_accept(actor=bureau, complaint=case, accept=True)
        s.extra["statement"] = services.statement_request(
            actor=bureau,
            complaint=case,
            department=s.department,
            summary=mark(k, "statement"),
        )
        report = services_whistle.whistle_file(
            enterprise=s.enterprise,
            risk_kind="safety",
            risk=mark(k, "whistle"),
            name=mark(k, "whistleblower"),
            evidence=ContentFile(b"%PDF-1.4\n%matrix\n", name="evidence.pdf"),
        )
        report = services_whistle.whistle_assign(
            actor=bureau,
            report=services_whistle.WhistleReport.objects.get(pk=report.pk),
            department=s.department,
        )
        s.extra["report"] = report
        s.extra["reveal"] = services_whistle.whistle_reveal_request(
            actor=bureau, report=report, reason="矩阵"
        )


def shown(world, k: int) -> dict:
    from wurao.web.tests.authz_targets import Target

    return {
        mark(k, "complaint-text"): Target({}, "complaint", k),
        mark(k, "complainant"): Target({}, "complaint", k),
        world[k].extra["receipt"]: Target({}, "own_complaint", k),
        mark(k, "statement"): Target({}, "statement", k),
        mark(k, "whistleblower"): Target({}, "whistle", k),
    }
