"""An enterprise's explained grade is cached (selectors_grading.enterprise_breakdown) and
read again as soon as a record it is made from changes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.credit.services_grading import grades_recompute
from wurao.enforcement.choices import ActionKind, Origin
from wurao.enforcement.services import action_record
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory

AS_OF = datetime.date(2026, 11, 27)


@pytest.mark.django_db(transaction=True)
def test_the_breakdown_is_computed_once_then_again_after_a_new_record():
    # given an enterprise graded on two penalties, whose grade the bureau reads three times
    justice = UserFactory(role=Role.JUSTICE)
    department = DepartmentFactory(name="区应急管理局")
    enterprise = EnterpriseFactory()
    for day in (datetime.date(2026, 3, 2), datetime.date(2026, 6, 9)):
        EnforcementActionFactory(
            enterprise=enterprise, department=department, kind=ActionKind.PENALTY, date=day
        )
    grades_recompute(actor=justice, as_of=AS_OF)
    client = APIClient()
    client.force_authenticate(justice)
    url = f"/api/credit/enterprises/{enterprise.pk}/grade/"
    first = [client.get(url).json() for _ in range(2)]

    # when it reads it once more, then no record is read again
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url).json()
    assert again == first[0] == first[1]
    assert not [q for q in queries if 'FROM "enforcement_enforcementaction"' in q["sql"]]

    # when a department records a third penalty before the grade's date
    action_record(
        actor=justice,
        enterprise=enterprise,
        department=department,
        day=datetime.date(2026, 9, 1),
        kind=ActionKind.PENALTY,
        origin=Origin.COMPLAINT,
    )

    # then the next reading lists it among the reasons
    after = client.get(url).json()
    assert len(after["rows"]) == len(again["rows"]) + 1
    assert "2026-09-01" in [row["date"] for row in after["rows"]]
