"""An enterprise's year against its caps (selectors.enterprise_counts), as its portal page
shows it on every load: the same figures, read in two statements over the visits."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wurao.registry.tests.factories import DepartmentFactory
from wurao.visits import rules as visit_rules
from wurao.visits.choices import VisitOrigin, VisitStatus
from wurao.visits.selectors import enterprise_counts, rules_current
from wurao.visits.services import visit_rules_publish
from wurao.visits.tests.factories import NonEnforcementVisitFactory, VisitFactory

pytestmark = pytest.mark.django_db


def _day(month: int, day: int) -> datetime.date:
    return datetime.date(timezone.localdate().year, month, day)


@pytest.fixture
def year_of_visits(enterprise, department):
    """This year: two inspections by one department (one on a complaint), one by another, a
    cancelled one, a union visit; and an inspection last year."""
    other = DepartmentFactory(name="区市场监督管理局")
    VisitFactory(enterprise=enterprise, department=department, date=_day(1, 5))
    VisitFactory(
        enterprise=enterprise, department=department, date=_day(1, 20), origin=VisitOrigin.COMPLAINT
    )
    VisitFactory(enterprise=enterprise, department=other, date=_day(2, 3))
    VisitFactory(
        enterprise=enterprise, department=other, date=_day(2, 4), status=VisitStatus.CANCELLED
    )
    NonEnforcementVisitFactory(enterprise=enterprise, date=_day(2, 1))
    VisitFactory(enterprise=enterprise, department=department, date=_day(1, 5).replace(year=2020))
    return enterprise


def test_the_year_is_counted_in_two_statements_over_the_visits(year_of_visits):
    # given the rules in force already read (they are kept by each process)
    rules_current()

    # when the portal asks for this year's counts
    with CaptureQueriesContext(connection) as queries:
        counts = enterprise_counts(enterprise_id=year_of_visits.pk, year=_day(1, 1).year)

    # then it gets the year's figures, from two statements over the visits
    assert (counts.inspections, counts.non_enforcement, counts.exempt_inspections) == (3, 1, 1)
    assert [(c.department, c.used) for c in counts.by_department] == [
        ("区应急管理局", 2),
        ("区市场监督管理局", 1),
    ]
    assert len([q for q in queries if 'FROM "visits_visit"' in q["sql"]]) == 2


def test_without_exempt_origins_nothing_is_exempt(year_of_visits, justice_user):
    # given rules that exempt no origin
    doc = {**visit_rules.DEFAULT_RULES_JSON, "exempt_origins": []}
    visit_rules_publish(actor=justice_user, doc=doc, effective_from=_day(1, 1), note="不再豁免")

    # when the portal counts the year, then no inspection is exempt
    counts = enterprise_counts(enterprise_id=year_of_visits.pk, year=_day(1, 1).year)
    assert (counts.inspections, counts.exempt_inspections) == (3, 0)
