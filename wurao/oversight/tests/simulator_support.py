"""A small year to simulate: one key enterprise visited far too often (the study's case in
miniature) and a few others visited once, in 2019."""

import datetime

from wurao.enforcement.choices import ActionKind, Finding, Origin
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.registry.choices import Level
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory
from wurao.visits.choices import VisitPurpose
from wurao.visits.tests.factories import NonEnforcementVisitFactory

YEAR = 2019


def small_year(street) -> dict:
    """The records of a small 2019; returns the over-visited enterprise and the departments."""
    departments = [
        DepartmentFactory(name=name, code=code, level=Level.DISTRICT)
        for name, code in [
            ("区市场监督管理局", "SCJG"),
            ("区生态环境局", "STHJ"),
            ("区住房和建设局", "ZJJ"),
        ]
    ]
    union = DepartmentFactory(
        name="福城街道总工会", code="FCGH", level=Level.STREET, is_enforcement=False
    )
    busy = EnterpriseFactory(name="龙华精密制造有限公司", street=street)
    # Planned inspections by three departments, each month of the first half: mergeable.
    for month in range(1, 7):
        for i, department in enumerate(departments):
            EnforcementActionFactory(
                enterprise=busy,
                department=department,
                date=datetime.date(YEAR, month, 3 + 7 * i),
                kind=ActionKind.INSPECTION,
                origin=Origin.PLAN,
                finding=Finding.CLEAN,
            )
    # A complaint that found a violation, and its penalty: never removed.
    EnforcementActionFactory(
        enterprise=busy,
        department=departments[0],
        date=datetime.date(YEAR, 8, 12),
        kind=ActionKind.INSPECTION,
        origin=Origin.COMPLAINT,
        finding=Finding.PROBLEMS,
    )
    EnforcementActionFactory(
        enterprise=busy,
        department=departments[0],
        date=datetime.date(YEAR, 9, 2),
        kind=ActionKind.PENALTY,
        origin=Origin.COMPLAINT,
    )
    # Non-enforcement visits: the union and research, twice a month.
    for month in range(1, 11):
        for day, purpose in ((5, VisitPurpose.UNION), (19, VisitPurpose.RESEARCH)):
            NonEnforcementVisitFactory(
                enterprise=busy,
                department=union,
                date=datetime.date(YEAR, month, day),
                purpose=purpose,
            )
    others = [EnterpriseFactory(street=street) for _ in range(4)]
    for n, enterprise in enumerate(others):
        EnforcementActionFactory(
            enterprise=enterprise,
            department=departments[n % 3],
            date=datetime.date(YEAR, 3 + n, 10),
            kind=ActionKind.INSPECTION,
            origin=Origin.RANDOM_DRAW,
            finding=Finding.PROBLEMS if n == 0 else Finding.CLEAN,
        )
    return {"busy": busy, "departments": departments, "others": others}
