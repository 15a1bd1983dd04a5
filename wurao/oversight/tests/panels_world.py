"""A small district whose figures on the 规则执行, 信用等级 and 部门比较 tabs were counted by
hand (the numbers in the tests that use it are worked out in the comments below).

Two streets, three departments (two district enforcement departments and a street office
that makes non-enforcement visits), five enterprises of grades A, C, D, D and none (U).

2020 contacts:
  应急 (safety): inspections of D1 (random draw, recorded the same day), D1 (plan, 2 days
                 later), C (plan, 10 days later); a penalty on D1 (1 day later)
  市场 (market): inspections of D2 (random draw, 3 days later) and A (plan, 20 days later)
  街道办 (office): two non-enforcement visits to A (a third, cancelled, does not count)
  and one 2019 inspection of A by safety, outside the period.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from wurao.credit.models import EnterpriseGrade, GradeChange, PointsTableVersion
from wurao.enforcement.choices import ActionKind, Origin
from wurao.enforcement.models import EnforcementAction
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.registry.choices import Level
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory, StreetFactory
from wurao.visits.choices import VisitOrigin, VisitStatus
from wurao.visits.models import VisitRefusal
from wurao.visits.tests.factories import NonEnforcementVisitFactory, VisitFactory


@dataclass
class PanelWorld:
    street: object
    other_street: object
    safety: object
    market: object
    office: object
    a: object
    c: object
    d1: object
    d2: object
    u: object


def _recorded(action, days: int) -> None:
    """The action recorded `days` days after it took place (at 10:00 Beijing time)."""
    moment = datetime.datetime.combine(
        action.date + datetime.timedelta(days=days),
        datetime.time(10, 0),
        tzinfo=timezone.get_current_timezone(),
    )
    EnforcementAction.objects.filter(pk=action.pk).update(created_at=moment)


def _violation(rule: str, label: str) -> dict:
    return {"rule": rule, "label": label, "message": f"{label}的说明", "visits": [], "joinable": ""}


def build(*, street, department) -> PanelWorld:
    other_street = StreetFactory(name="观澜街道", code="440309006")
    safety = department  # 区应急管理局 (the conftest's department)
    market = DepartmentFactory(name="区市场监督管理局", code="SJ")
    office = DepartmentFactory(
        name="福城街道办事处", code="FCB", level=Level.STREET, is_enforcement=False
    )
    a = EnterpriseFactory(name="甲级企业", street=street)
    c = EnterpriseFactory(name="丙级企业", street=street)
    d1 = EnterpriseFactory(name="丁级企业一", street=street)
    d2 = EnterpriseFactory(name="丁级企业二", street=other_street)
    u = EnterpriseFactory(name="未评级企业", street=other_street)

    table = PointsTableVersion.objects.create(
        version=1, effective_from=datetime.date(2019, 1, 1), table={}
    )
    now = timezone.now()
    for enterprise, grade in ((a, "A"), (c, "C"), (d1, "D"), (d2, "D")):
        EnterpriseGrade.objects.create(
            enterprise=enterprise,
            grade=grade,
            score=80,
            table_version=table,
            as_of=datetime.date(2020, 1, 1),
            computed_at=now,
        )
    for enterprise, previous, grade, day in (
        (d1, "B", "D", datetime.date(2020, 3, 1)),  # down
        (a, "", "A", datetime.date(2020, 1, 15)),  # first graded
        (c, "D", "C", datetime.date(2020, 5, 1)),  # up
        (d2, "C", "D", datetime.date(2019, 6, 1)),  # outside the period
    ):
        GradeChange.objects.create(
            enterprise=enterprise,
            previous_grade=previous,
            grade=grade,
            score=70,
            table_version=table,
            as_of=day,
        )

    def act(department, enterprise, month, kind=ActionKind.INSPECTION, origin=Origin.PLAN, lag=0):
        action = EnforcementActionFactory(
            department=department,
            enterprise=enterprise,
            date=datetime.date(2020, month, 10),
            kind=kind,
            origin=origin,
        )
        _recorded(action, lag)
        return action

    act(safety, d1, 3, origin=Origin.RANDOM_DRAW, lag=0)
    act(safety, d1, 4, lag=2)
    act(safety, c, 5, lag=10)
    act(safety, d1, 6, kind=ActionKind.PENALTY, lag=1)
    act(market, d2, 3, origin=Origin.RANDOM_DRAW, lag=3)
    act(market, a, 7, lag=20)
    old = EnforcementActionFactory(department=safety, enterprise=a, date=datetime.date(2019, 5, 1))
    _recorded(old, 0)
    for day in (2, 9):
        NonEnforcementVisitFactory(
            enterprise=a, department=office, date=datetime.date(2020, 8, day)
        )
    NonEnforcementVisitFactory(
        enterprise=a,
        department=office,
        date=datetime.date(2020, 8, 20),
        status=VisitStatus.CANCELLED,
    )

    cap = _violation("department_cap", "本部门年度检查上限")
    quiet = _violation("quiet_period", "联合检查后的安静期")
    total = _violation("total_cap", "年度检查总上限")
    for dept, enterprise, day, violations in (
        (safety, d1, datetime.date(2020, 2, 3), [cap, quiet]),
        (market, a, datetime.date(2020, 2, 20), [total]),
        (safety, c, datetime.date(2020, 4, 2), [cap]),
        (safety, c, datetime.date(2019, 4, 2), [cap]),  # outside the period
    ):
        VisitRefusal.objects.create(
            enterprise=enterprise,
            department=dept,
            date=day,
            origin=VisitOrigin.PLAN,
            violations=violations,
            rule_version=0,
        )
    return PanelWorld(street, other_street, safety, market, office, a, c, d1, d2, u)


def overrides(world: PanelWorld, approver) -> dict:
    """Three overrides in 2020: pending (safety, D1), approved within a day (safety, C) and
    rejected after five days (market, A)."""
    cap = [_violation("department_cap", "本部门年度检查上限")]
    pending = VisitFactory(
        enterprise=world.d1,
        department=world.safety,
        date=datetime.date(2020, 9, 1),
        status=VisitStatus.PENDING_OVERRIDE,
        violations=cap,
        override_reason="举报称夜间违规生产",
    )
    approved = VisitFactory(
        enterprise=world.c,
        department=world.safety,
        date=datetime.date(2020, 9, 15),
        status=VisitStatus.COMPLETED,
        violations=cap,
        override_reason="上级交办的专项核查",
        override_approved_by=approver,
    )
    rejected = VisitFactory(
        enterprise=world.a,
        department=world.market,
        date=datetime.date(2020, 10, 1),
        status=VisitStatus.REJECTED,
        violations=cap,
        override_reason="例行检查",
        override_approved_by=approver,
        cancel_reason="理由不足，请并入联合检查",
    )
    registered = datetime.datetime(2020, 8, 25, 9, 0, tzinfo=datetime.UTC)
    for visit, days in ((pending, None), (approved, 1), (rejected, 5)):
        decided = registered + datetime.timedelta(days=days) if days is not None else None
        type(visit).objects.filter(pk=visit.pk).update(
            registered_at=registered, override_decided_at=decided
        )
    return {"pending": pending, "approved": approved, "rejected": rejected}
