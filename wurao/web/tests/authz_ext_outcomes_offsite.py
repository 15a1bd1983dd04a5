"""The authorisation matrix's records and routes of off-site inspections (see
authz_extensions.py).

Each scope k's department records one off-site inspection of its scope's enterprise, with a
monitoring extract as evidence. It is the department's, the enterprise's street's and the
bureau's; the enterprise has no off-site pages (it sees the inspection in its file)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from wurao.enforcement.choices import OffsiteMethod, Origin
from wurao.outcomes.choices import EvidenceKind
from wurao.outcomes.services_offsite import offsite_record
from wurao.web.tests.authz_targets import Target, _each_scope
from wurao.web.tests.authz_world import SCOPES, TODAY, mark

CSV = "时间,读数\n2026-01-01 08:00,1.0\n".encode()

VISIBLE: dict = {
    "offsite": dict(department="own", street="own", enterprise="none"),
}


def _x(s, name):
    return s.extra[name]


TARGETS: dict = {
    "offsite:detail": _each_scope(
        "offsite", lambda w, s: ({"pk": _x(s, "offsite").pk}, _x(s, "offsite"))
    ),
    "offsite:evidence": _each_scope(
        "offsite",
        lambda w, s: (
            {"pk": _x(s, "offsite").pk, "evidence_pk": _x(s, "offsite_evidence").pk},
            _x(s, "offsite"),
        ),
    ),
}


def _own(world, identity):
    k = int(identity.rsplit("_", 1)[1]) if identity[-1].isdigit() else 1
    return world[k]


def _form(w, i, t) -> dict:
    s = _own(w, i)
    return {
        "credit_code": s.enterprise.credit_code,
        "day": TODAY.isoformat(),
        "method": OffsiteMethod.MONITORING,
        "origin": Origin.PLAN,
        "items": [s.item.pk],
        "officers": [o.pk for o in s.officers[:2]],
        "summary": "矩阵非现场检查",
        "evidence_kind": EvidenceKind.MONITORING,
        "evidence": SimpleUploadedFile("m.csv", CSV),
    }


BODIES: dict = {"offsite:new": _form}


def build(world) -> None:
    for k in SCOPES:
        s = world[k]
        action = offsite_record(
            actor=world.users[f"dept_admin_{k}"],
            enterprise=s.enterprise,
            department=s.department,
            day=TODAY,
            method=OffsiteMethod.MONITORING,
            origin=Origin.PLAN,
            items=[s.item],
            officers=s.officers[:2],
            summary=mark(k, "offsite-summary"),
            evidence=[{"kind": EvidenceKind.MONITORING, "file": SimpleUploadedFile("m.csv", CSV)}],
        )
        s.extra["offsite"] = action
        s.extra["offsite_evidence"] = action.evidence.get()


def shown(world, k: int) -> dict:
    return {mark(k, "offsite-summary"): Target({}, "offsite", k)}
