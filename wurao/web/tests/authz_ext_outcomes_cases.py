"""The authorisation matrix's records and routes of [outcomes] cases (see authz_extensions.py).

The district's exemption list (the bureau's) has an entry for each scope's two case items;
each department has a discretion standard, its own exemption list with an entry, and at its
enterprise an inspection with two findings: one is an exempted first offence (a decided case:
its enterprise, its department and the bureau see it), the other an open case (its department
and the bureau only). One observation period, the bureau's. Standards, lists and observation
periods are published rules: every officer and enterprise reads them."""

from __future__ import annotations

import datetime
from decimal import Decimal

from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.enforcement.choices import ActionKind, Origin
from wurao.enforcement.services import action_record
from wurao.outcomes import services_cases, services_exemptions
from wurao.outcomes.choices import (
    CaseKind,
    CheckResult,
    Disposition,
    ExemptionKind,
    Level,
    Sector,
)
from wurao.outcomes.services_checks import checks_record
from wurao.web.tests.authz_targets import Target, _each_scope
from wurao.web.tests.authz_world import SCOPES, TODAY, mark

VISIBLE: dict = {
    # decided: its enterprise, its department, the bureau
    "case": dict(department="own", street="none", enterprise="own"),
    # under investigation: its department and the bureau
    "case_open": dict(department="own", street="none", enterprise="none"),
}


def _x(s, name):
    return s.extra[name]


decided = _each_scope("case", lambda w, s: ({"pk": _x(s, "case_done").pk}, _x(s, "case_done")))
open_case = _each_scope(
    "case_open", lambda w, s: ({"pk": _x(s, "case_open").pk}, _x(s, "case_open"))
)


def case_any(world) -> list[Target]:
    return [*decided(world), *open_case(world)]


standard = _each_scope(
    "shared", lambda w, s: ({"pk": _x(s, "case_standard").pk}, _x(s, "case_standard"))
)


def exemption_lists(world) -> list[Target]:
    district = world.extra["case_district_list"]
    return [
        Target({"pk": district.pk}, "shared", None, district),
        *_each_scope("shared", lambda w, s: ({"pk": _x(s, "case_list").pk}, _x(s, "case_list")))(
            world
        ),
    ]


def exemption_entries(world) -> list[Target]:
    district = world.extra["case_district_list"]
    return [
        Target(
            {"pk": district.pk, "entry": world.extra["case_district_entry"].pk},
            "shared",
            None,
            district,
        ),
        *_each_scope(
            "shared",
            lambda w, s: (
                {"pk": _x(s, "case_list").pk, "entry": _x(s, "case_entry").pk},
                _x(s, "case_list"),
            ),
        )(world),
    ]


def observation(world) -> list[Target]:
    o = world.extra["case_observation"]
    return [Target({"pk": o.pk}, "shared", None, o)]


TARGETS: dict = {
    "cases:case-detail": case_any,
    "cases:case-notify": open_case,
    "cases:case-decide": open_case,
    "cases:case-close": decided,
    "cases:standard-detail": standard,
    "cases:standard-edit": standard,
    "cases:exemption-list-detail": exemption_lists,
    "cases:exemption-entry-new": exemption_lists,
    "cases:exemption-entry-edit": exemption_entries,
    "cases:observation-edit": observation,
    "api-case-detail": case_any,
    "api-case-decide": open_case,
    "api-discretion-standard-detail": standard,
    "api-exemption-entry-create": exemption_lists,
}


def _own(world, identity):
    k = int(identity.rsplit("_", 1)[1]) if identity[-1].isdigit() else 1
    return world[k]


def _decide_body(w, i, t):
    return {
        "disposition": Disposition.EXEMPTED,
        "minor_harm": "on",
        "corrected_on_spot": "on",
        "reasoning": "初次违法，危害轻微，当场改正",
        "decided_on": TODAY.isoformat(),
    }


def _api_decide_body(w, i, t):
    return {**_decide_body(w, i, t), "minor_harm": True, "corrected_on_spot": True}


def _entry_body(w, i, t):
    return {
        "kind": ExemptionKind.MINOR,
        "sector": Sector.MARKET,
        "violation": "矩阵新增免罚事项",
        "lookback_days": 365,
        "needs_minor_harm": "on",
    }


BANDS = [
    {
        "name": "轻微",
        "circumstances": "首次",
        "measure": "罚款",
        "min_amount": 0,
        "max_amount": 2000,
    },
    {
        "name": "严重",
        "circumstances": "拒不改正",
        "measure": "罚款",
        "min_amount": 2000,
        "max_amount": 50000,
    },
]

BODIES: dict = {
    "cases:case-new": lambda w, i, t: {},
    "cases:case-notify": lambda w, i, t: {"statement_offered_on": TODAY.isoformat()},
    "cases:case-decide": _decide_body,
    "cases:case-close": lambda w, i, t: {"closed_on": TODAY.isoformat()},
    "cases:exemption-entry-new": _entry_body,
    "cases:exemption-entry-edit": lambda w, i, t: {**_entry_body(w, i, t), "active": "on"},
    "cases:exemption-list-new": lambda w, i, t: {
        "level": Level.DISTRICT if i == "bureau" else Level.DEPARTMENT,
        "title": "矩阵清单",
        "published_on": TODAY.isoformat(),
    },
    "cases:observation-new": lambda w, i, t: {
        "name": "矩阵新业态",
        "industry_codes": "6572",
        "starts_on": TODAY.isoformat(),
        "ends_on": TODAY.isoformat(),
    },
    "cases:observation-edit": lambda w, i, t: {
        "name": "矩阵新业态",
        "industry_codes": "6572",
        "starts_on": TODAY.isoformat(),
        "ends_on": TODAY.isoformat(),
    },
    "cases:standard-new": lambda w, i, t: {
        "code": "MX-NEW-1",
        "violation": "矩阵违法行为",
        "legal_basis": "依据",
        "band_1_name": "轻微",
        "band_1_circumstances": "首次",
        "band_1_measure": "警告",
    },
    "api-case-list": lambda w, i, t: {
        "checks": [_x(_own(w, i), "case_check_open").pk],
        "kind": CaseKind.PENALTY,
        "facts": "矩阵立案",
        "opened_on": TODAY.isoformat(),
    },
    "api-case-decide": _api_decide_body,
    "api-discretion-standard-list": lambda w, i, t: {
        "code": "MX-API-1",
        "violation": "矩阵违法行为",
        "legal_basis": "依据",
        "bands": BANDS,
    },
    "api-exemption-entry-create": lambda w, i, t: {
        "kind": ExemptionKind.MINOR,
        "sector": Sector.MARKET,
        "violation": "矩阵新增免罚事项",
    },
    "api-observation-type-list": lambda w, i, t: {
        "name": "矩阵新业态",
        "industry_codes": ["6572"],
        "starts_on": TODAY.isoformat(),
        "ends_on": TODAY.isoformat(),
    },
}


def build(world) -> None:
    bureau = world.users["bureau"]
    district = services_exemptions.exemption_list_create(
        actor=bureau, level=Level.DISTRICT, title="矩阵区级免罚清单", published_on=TODAY
    )
    world.extra["case_district_list"] = district
    world.extra["case_observation"] = services_exemptions.observation_type_save(
        actor=bureau,
        name="矩阵观察期",
        industry_codes=["9999"],
        starts_on=TODAY,
        ends_on=TODAY + datetime.timedelta(days=30),
    )
    for k in SCOPES:
        s = world[k]
        admin, inspector = world.users[f"dept_admin_{k}"], world.users[f"inspector_{k}"]
        items = [
            InspectionItemFactory(department=s.department, code=f"MX{k}-CASE-{n}") for n in (1, 2)
        ]
        s.extra["case_standard"] = services_exemptions.standard_save(
            actor=admin,
            department=s.department,
            code=f"MX{k}-CL-1",
            violation="矩阵违法行为",
            legal_basis="依据",
            bands=[{**b, "min_amount": Decimal(b["min_amount"])} for b in BANDS],
        )
        for item in items:
            entry = services_exemptions.exemption_entry_save(
                actor=bureau,
                exemption_list=district,
                kind=ExemptionKind.FIRST_OFFENCE,
                sector=Sector.OTHER,
                violation=f"矩阵{k}首违不罚 {item.code}",
                item=item,
            )
            world.extra.setdefault("case_district_entry", entry)
        s.extra["case_list"] = services_exemptions.exemption_list_create(
            actor=admin,
            level=Level.DEPARTMENT,
            department=s.department,
            title=f"矩阵{k}部门免罚清单",
            published_on=TODAY,
        )
        s.extra["case_entry"] = services_exemptions.exemption_entry_save(
            actor=admin,
            exemption_list=s.extra["case_list"],
            kind=ExemptionKind.MINOR,
            sector=Sector.OTHER,
            violation=f"矩阵{k}轻微不罚",
        )
        action = action_record(
            actor=inspector,
            enterprise=s.enterprise,
            department=s.department,
            day=TODAY,
            kind=ActionKind.INSPECTION,
            origin=Origin.PLAN,
            items=items,
            officers=s.officers[:2],
        )
        done, pending = checks_record(
            actor=inspector,
            action=action,
            rows=[
                {"item": item, "result": CheckResult.FINDING, "description": f"矩阵{k}发现"}
                for item in items
            ],
        )
        case = services_cases.case_open(
            actor=inspector,
            checks=[done],
            kind=CaseKind.PENALTY,
            facts=mark(k, "case-decided-facts"),
            officers=s.officers[:2],
            opened_on=TODAY,
        )
        s.extra["case_done"] = services_cases.case_decide(
            actor=inspector,
            case=case,
            disposition=Disposition.EXEMPTED,
            reasoning="初次违法，危害轻微，当场改正",
            minor_harm=True,
            corrected_on_spot=True,
            decided_on=TODAY,
        )
        s.extra["case_check_open"] = pending
        s.extra["case_open"] = services_cases.case_open(
            actor=inspector,
            checks=[pending],
            kind=CaseKind.PENALTY,
            facts=mark(k, "case-open-facts"),
            officers=s.officers[:2],
            opened_on=TODAY,
        )


def shown(world, k: int) -> dict:
    return {
        mark(k, "case-decided-facts"): Target({}, "case", k),
        mark(k, "case-open-facts"): Target({}, "case_open", k),
    }
