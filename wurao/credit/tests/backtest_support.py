"""A small district history for the backtest page's tests: two years of inspections in which
the enterprises with penalties are the ones found in violation (so a table that deducts for
penalties points at risk), and the default table published as version 1."""

import datetime

from wurao.credit.points import DEFAULT_TABLE
from wurao.credit.points_json import table_to_dict
from wurao.credit.services_grading import points_table_publish
from wurao.enforcement.choices import ActionKind, Finding
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.registry.tests.factories import EnterpriseFactory

ENTERPRISES = 30
RISKY = 10  # the first ten: penalised, and found in violation at their inspections


def history_build(*, street, department, actor) -> list:
    """Thirty enterprises inspected once in 2019 and once in 2020; returns them."""
    points_table_publish(
        actor=actor, table=table_to_dict(DEFAULT_TABLE), effective_from=datetime.date(2018, 1, 1)
    )
    enterprises = [EnterpriseFactory(street=street) for _ in range(ENTERPRISES)]
    for i, enterprise in enumerate(enterprises):
        risky = i < RISKY
        if risky:
            for day in (datetime.date(2018, 6, 1), datetime.date(2019, 2, 1)):
                EnforcementActionFactory(
                    enterprise=enterprise,
                    department=department,
                    kind=ActionKind.PENALTY,
                    severity=2,
                    date=day,
                )
        for year in (2019, 2020):
            found = risky or i % 5 == 0
            EnforcementActionFactory(
                enterprise=enterprise,
                department=department,
                kind=ActionKind.INSPECTION,
                finding=Finding.PROBLEMS if found else Finding.CLEAN,
                date=datetime.date(year, 1 + i % 12, 3 + i % 20),
            )
    return enterprises
