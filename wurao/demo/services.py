"""Load the generated demo district into the database, or clear it.

The demo writes straight into the registry, catalogue and enforcement tables in
bulk: going through the per-record services would write half a million audit
events and take an hour. Instead the whole build is one transaction and one
audit event (verb "demo.build") that records the scale, the seed and the counts.
The few draw tasks of 2026 (wurao.demo.draws) are the exception: they go through
the sampling services, so their audit events and published bundles are genuine; so do
the credit grading's points table, its handful of objections and repairs and the regrade
(wurao.demo.credit_build), while its alerts, awards and commitments are bulk rows. Likewise
the history's visits are bulk rows (wurao.demo.visits_load), while the visit rules and the
visits of the last days and the days ahead go through the visit services
(wurao.demo.visits_now). Next month's inspection plans are mostly bulk rows too, while the
campaign, capacities, scripted plans, lock, duplicate check, scheduler run, the street's
confirmations, the forms' results and the park days' settings and commitments go through the
planning services (wurao.demo.planning_month).
"""

import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from wurao.accounts.choices import Role
from wurao.accounts.services import user_create
from wurao.audit.services import audit_record
from wurao.catalogue.choices import ItemKind
from wurao.catalogue.models import InspectionItem
from wurao.demo import data
from wurao.demo.credit_build import demo_credit_build, demo_grades_refresh
from wurao.demo.draws import demo_draws_build
from wurao.demo.engine import District, district_generate
from wurao.demo.entities import INDUSTRIES, KIND_CODES, SIZE_CODES, TAG_CODES
from wurao.demo.history import ACTION_KINDS, FINDINGS, ORIGIN_CODES
from wurao.demo.loader import (
    ProgressFactory,
    bulk_insert,
    columns_of,
    datetime_text,
    insert_triggers_suspended,
    reset_sequences,
    silent_progress,
    tune_for_bulk_load,
)
from wurao.demo.outcomes_build import demo_outcomes_build
from wurao.demo.planning_cast import PlanningResult
from wurao.demo.planning_month import demo_planning
from wurao.demo.portal_bookings import demo_bookings_build
from wurao.demo.portal_complaints import demo_complaints_build
from wurao.demo.portal_rulemaking import demo_rulemaking_build
from wurao.demo.portal_selfcheck import demo_selfcheck_build
from wurao.demo.portal_standards import demo_standards_build
from wurao.demo.services_reset import DemoError, demo_existing_counts, demo_models, through_model
from wurao.demo.visits_load import history_visits_load
from wurao.demo.visits_now import (
    NowResult,
    alerts_count,
    demo_rules_publish,
    demo_visits_now,
    visits_counts,
)
from wurao.demo.visits_year import SPARE_CODES
from wurao.enforcement.models import EnforcementAction
from wurao.registry.choices import EnterpriseStatus
from wurao.registry.models import (
    Community,
    Department,
    Enterprise,
    Inspector,
    Park,
    RiskTag,
    Street,
)


@dataclass
class DemoResult:
    scale: float
    seed: int
    seconds: float
    counts: dict[str, int]
    accounts: list[dict[str, str]] = field(default_factory=list)
    key_enterprise: dict[str, str] = field(default_factory=dict)
    draws: list[dict[str, Any]] = field(default_factory=list)
    grades: dict[str, Any] = field(default_factory=dict)  # as of the build's day
    grades_history: dict[str, Any] = field(default_factory=dict)  # as of 2020-12-31
    reviews: list[dict[str, Any]] = field(default_factory=list)
    visits: NowResult | None = None
    planning: PlanningResult | None = None
    # Parts a small district cannot hold as the demo specifies them, and what was done instead.
    notes: list[str] = field(default_factory=list)
    password: str = data.DEMO_PASSWORD


def _load_places(d: District) -> None:
    Street.objects.bulk_create(
        [Street(id=i + 1, code=s.code, name=s.name) for i, s in enumerate(d.streets)]
    )
    Community.objects.bulk_create(
        [
            Community(id=i + 1, street_id=c.street + 1, code=c.code, name=c.name)
            for i, c in enumerate(d.communities)
        ]
    )
    Park.objects.bulk_create(
        [
            Park(id=i + 1, street_id=p.street + 1, code=p.code, name=p.name)
            for i, p in enumerate(d.parks)
        ]
    )


def _load_organisations(d: District) -> None:
    Department.objects.bulk_create(
        [
            Department(
                id=i + 1,
                code=o.code,
                name=o.name,
                level=o.level,
                street_id=o.street + 1 if o.street >= 0 else None,
                is_enforcement=o.is_enforcement,
            )
            for i, o in enumerate(d.organisations)
        ]
    )
    ins = d.inspectors
    Inspector.objects.bulk_create(
        [
            Inspector(
                id=i + 1,
                badge_no=ins.badge_no[i],
                name=ins.name[i],
                department_id=int(ins.department[i]) + 1,
                expertise=ins.expertise[i],
                certificate_valid_until=ins.valid_until[i].item(),
            )
            for i in range(len(ins.badge_no))
        ],
        batch_size=1000,
    )
    RiskTag.objects.bulk_create(
        [
            RiskTag(id=i + 1, code=code, name=name, description=desc)
            for i, (code, name, desc) in enumerate(d.risk_tags)
        ]
    )
    InspectionItem.objects.bulk_create(
        [
            InspectionItem(
                id=i + 1,
                department_id=dept + 1,
                code=code,
                name=item.name,
                law=item.law,
                article=item.article,
                check_points=item.check_points,
                applicable_industries=list(item.sections),
                kind=ItemKind.KEY if item.key else ItemKind.GENERAL,
            )
            for i, (dept, code, item) in enumerate(d.items)
        ]
    )
    through = through_model(InspectionItem, "applicable_tags")
    through.objects.bulk_create(
        [
            through(inspectionitem_id=i + 1, risktag_id=TAG_CODES.index(tag) + 1)
            for i, (_, _, item) in enumerate(d.items)
            for tag in item.tags
        ]
    )


def _load_entities(d: District, progress: ProgressFactory) -> None:
    e = d.entities
    fields = [
        "id", "credit_code", "name", "kind", "address", "division", "street", "community", "park",
        "industry_section", "industry_code", "above_scale", "four_above", "size_class", "established",
        "status", "employees",
    ]  # fmt: skip
    industry_code = np.array([ind.code for ind in INDUSTRIES])[e.industry].tolist()
    kind = np.array(KIND_CODES)[e.kind].tolist()
    size = np.array(SIZE_CODES)[e.size].tolist()
    established = e.established.astype(str).tolist()
    park = e.park.tolist()
    rows = zip(
        range(1, len(e) + 1),
        e.credit_code,
        e.name,
        kind,
        e.address,
        [data.DIVISION] * len(e),
        (e.street + 1).tolist(),
        (e.community + 1).tolist(),
        [p + 1 if p >= 0 else None for p in park],
        e.section.tolist(),
        industry_code,
        e.above_scale.tolist(),
        e.four_above.tolist(),
        size,
        established,
        [EnterpriseStatus.ACTIVE.value] * len(e),
        e.employees.tolist(),
        strict=True,
    )
    bulk_insert(
        Enterprise._meta.db_table,
        columns_of(Enterprise, fields),
        rows,
        total=len(e),
        desc="商事主体",
        progress=progress,
    )
    entity, tag = np.nonzero(e.tags)
    _insert_pairs(Enterprise, "risk_tags", entity + 1, tag + 1, "风险标签", progress)


def _insert_pairs(
    model: type[Model],
    name: str,
    left: np.ndarray,
    right: np.ndarray,
    desc: str,
    progress: ProgressFactory,
) -> None:
    m2m = model._meta.get_field(name)
    rows = zip(left.tolist(), right.tolist(), strict=True)
    columns = [m2m.m2m_column_name(), m2m.m2m_reverse_name()]
    bulk_insert(m2m.m2m_db_table(), columns, rows, total=len(left), desc=desc, progress=progress)


def _load_history(d: District, progress: ProgressFactory, *, spare_codes: int) -> list[str]:
    """The 2020 actions and the key enterprise's 2019, each inspection on its visit; returns
    `spare_codes` visit codes for the visits written later."""
    visit_ids, codes = history_visits_load(d, progress, spare_codes=spare_codes)
    a = d.actions
    levels = [o.level for o in d.organisations]
    days = a.date.astype(str).tolist()
    # Recorded the evening of the day it happened (18:00 in Shenzhen, 10:00 UTC).
    created = [datetime_text(day, "10:00:00") for day in days]
    fields = [
        "id", "enterprise", "department", "department_level", "date", "kind", "origin", "joint_ref", "summary",
        "finding", "severity", "created_at", "visit",
    ]  # fmt: skip
    rows = zip(
        range(1, len(a) + 1),
        (a.enterprise + 1).tolist(),
        (a.department + 1).tolist(),
        [levels[i] for i in a.department.tolist()],
        days,
        np.array(ACTION_KINDS)[a.kind].tolist(),
        np.array(ORIGIN_CODES)[a.origin].tolist(),
        a.joint_ref,
        a.summary,
        np.array(FINDINGS)[a.finding].tolist(),
        [s or None for s in a.severity.tolist()],
        created,
        visit_ids,
        strict=True,
    )
    table = EnforcementAction._meta.db_table
    bulk_insert(
        table,
        columns_of(EnforcementAction, fields),
        rows,
        total=len(a),
        desc="执法行为",
        progress=progress,
    )
    _insert_pairs(
        EnforcementAction, "items", a.items[:, 0] + 1, a.items[:, 1] + 1, "引用检查事项", progress
    )
    _insert_pairs(
        EnforcementAction,
        "officers",
        a.officers[:, 0] + 1,
        a.officers[:, 1] + 1,
        "执法人员",
        progress,
    )
    return codes


def _account_inspector(department: Department) -> Inspector | None:
    """The inspector account's officer: one whose certificate runs for a year yet, so the
    account can register visits through the demo's days ahead."""
    officers = Inspector.objects.filter(department=department).order_by("pk")
    valid = officers.filter(
        active=True, certificate_valid_until__gte=timezone.localdate() + timedelta(days=365)
    )
    return valid.first() or officers.first()


def _create_accounts(d: District, actor: Any) -> list[dict[str, str]]:
    departments = {o.code: i + 1 for i, o in enumerate(d.organisations)}
    streets = {s.name: i + 1 for i, s in enumerate(d.streets)}
    key = Enterprise.objects.get(pk=d.entities.key + 1)
    accounts = []
    for username, role, display, anchor in data.DEMO_ACCOUNTS:
        kind, _, value = anchor.partition(":")
        department = Department.objects.get(pk=departments[value]) if kind == "department" else None
        street = Street.objects.get(pk=streets[f"{value}街道"]) if kind == "street" else None
        enterprise = key if kind == "key_enterprise" else None
        user_create(
            actor=actor,
            username=username,
            password=data.DEMO_PASSWORD,
            role=Role(role),
            display_name=display,
            department=department,
            street=street,
            enterprise=enterprise,
            inspector=_account_inspector(department) if role == Role.INSPECTOR else None,
            # The justice bureau's demo account runs the Django admin too.
            is_superuser=role == Role.JUSTICE,
            # Shared demo accounts with a published password: no second factor to set up
            # where a demo runs with WURAO_REQUIRE_2FA on ([hardening] login).
            two_factor_exempt=True,
        )
        anchored = department or street or enterprise
        accounts.append(
            {
                "username": username,
                "role": Role(role).label,
                "name": display,
                "anchor": str(anchored) if anchored else "全区",
            }
        )
    return accounts


@transaction.atomic
def demo_build(
    *, actor: Any, scale: float, seed: int, progress: ProgressFactory = silent_progress
) -> DemoResult:
    """Generate the demo district and load it into an empty database, in one transaction."""
    if scale <= 0:
        raise DemoError(f"比例须为正数，实为 {scale}")
    existing = {k: n for k, n in demo_existing_counts().items() if n}
    if existing:
        listed = "、".join(f"{k} {n}" for k, n in existing.items())
        raise DemoError(
            f"数据库中已有数据（{listed}），演示数据只能装入空库；如确要覆盖，请先重置（--reset）。"
        )
    started = time.monotonic()
    district = district_generate(scale=scale, seed=seed)
    tune_for_bulk_load()
    with insert_triggers_suspended():
        _load_places(district)
        _load_organisations(district)
        _load_entities(district, progress)
        spare_codes = _load_history(district, progress, spare_codes=SPARE_CODES)
    reset_sequences([m for m in demo_models() if not m._meta.auto_created])
    accounts = _create_accounts(district, actor)
    # Grades first: the draws' strata are the enterprises' credit grades.
    credit = demo_credit_build(actor=actor, district=district, seed=seed, progress=progress)
    # The visit rules before the draws: their visits are judged by version 1 too.
    demo_rules_publish(actor=actor)
    draws = demo_draws_build(actor=actor, seed=seed)
    visits = demo_visits_now(actor=actor, key_id=district.entities.key + 1, codes=spare_codes)
    planning = demo_planning(actor=actor, district=district, seed=seed)
    # The enterprise's side (issue [portal]): the library first (conflicts, consultations and
    # self-inspection checklists cite its articles); self-inspections before the grades.
    portal = {}
    for build in (
        demo_standards_build,
        demo_rulemaking_build,
        demo_bookings_build,
        demo_selfcheck_build,
        demo_complaints_build,
    ):
        portal |= build(actor=actor, seed=seed)
    # What this year's inspections produced (issue [outcomes]): before the grades, as open
    # hazards and overdue rectifications count in them.
    portal |= demo_outcomes_build(actor=actor, seed=seed)
    credit.grades = demo_grades_refresh(actor=actor)
    # The joint visits count in the year's alerts too.
    visits.alerts = alerts_count(visits.today)
    counts = (
        district.counts()
        | district.credit.counts()
        | {"accounts": len(accounts)}
        | credit.counts()
        | draws.counts()
        | visits.counts
        | visits_counts()
        | planning.counts
        | portal
    )
    audit_record(
        actor=actor,
        verb="demo.build",
        object_type="demo",
        payload={"scale": scale, "seed": seed, "counts": counts, "source": data.STUDY_SOURCE},
    )
    e = district.entities
    return DemoResult(
        scale=scale,
        seed=seed,
        seconds=time.monotonic() - started,
        counts=counts,
        accounts=accounts,
        draws=draws.tasks,
        grades=credit.grades,
        grades_history=credit.grades_history,
        reviews=credit.reviews,
        visits=visits,
        planning=planning,
        notes=draws.notes,
        key_enterprise={"name": e.name[e.key], "credit_code": e.credit_code[e.key]},
    )
