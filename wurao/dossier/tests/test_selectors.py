"""The enterprise's file: every record about one enterprise, as far as the reader may see it."""

import datetime

import pytest

from wurao.accounts.scope import scope_for
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.dossier import selectors
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.visits.choices import VisitStatus as S
from wurao.visits.models import VisitRating
from wurao.visits.tests.factories import NonEnforcementVisitFactory, VisitFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 5, 12)


def test_the_timeline_shows_the_visit_code_on_actions_and_lists_other_visits(
    enterprise, department, enterprise_user, dept_admin
):
    item = InspectionItemFactory(department=department, name="危险化学品储存检查")
    inspected = VisitFactory(enterprise=enterprise, department=department, date=DAY, items=[item])
    action = EnforcementActionFactory(
        enterprise=enterprise, department=department, date=DAY, visit=inspected
    )
    action.items.set([item])
    VisitRating.objects.create(visit=inspected, score=4, rated_on=DAY)
    union = NonEnforcementVisitFactory(
        enterprise=enterprise, date=DAY - datetime.timedelta(days=3), note="职工之家走访"
    )
    upcoming = VisitFactory(
        enterprise=enterprise,
        department=department,
        date=DAY + datetime.timedelta(days=7),
        status=S.REGISTERED,
    )
    VisitFactory(enterprise=enterprise, department=department, status=S.CANCELLED, date=DAY)

    entries = selectors.enterprise_timeline(
        scope=scope_for(enterprise_user), enterprise_id=enterprise.pk
    )

    assert [e.visit_code for e in entries] == [upcoming.code, inspected.code, union.code]
    planned, done, other = entries
    assert "已登记" in planned.label and planned.is_enforcement
    assert done.pk == action.pk and done.detail == "危险化学品储存检查"
    assert done.visit_origin == "计划检查" and done.rating == 4
    assert not other.is_enforcement and other.visit_origin == "工会"
    assert other.detail == "职工之家走访" and other.organisation == union.department.name
    # a department sees the same file without the enterprise's rating
    seen_by_department = selectors.enterprise_timeline(
        scope=scope_for(dept_admin), enterprise_id=enterprise.pk
    )
    assert [e.rating for e in seen_by_department if e.visit_code == inspected.code] == [None]
