"""The grading feed: an open hazard counts (−3 × its level) while it is open on the grading
day and stops once its rectification is closed; an overdue rectification counts (−5, fading
over 730 days) from its overdue day and persists after it closes. Both show in the grade's
breakdown with a reason, pointing back at their record."""

import datetime

import pytest
from django.utils import timezone

from wurao.credit.points_catalogue import Indicator
from wurao.credit.selectors_grading import enterprise_breakdown
from wurao.credit.services_grading import points_table_ensure_default
from wurao.enforcement.choices import Origin
from wurao.outcomes.services_findings import (
    rectification_recheck,
    rectifications_flag_overdue,
)
from wurao.outcomes.tests.test_findings_support import findings, inspection, officer, rectified

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
HAZARD = Indicator.HAZARD_OPEN.value
OVERDUE = Indicator.RECTIFICATION_OVERDUE.value


def _rows(enterprise, as_of, indicator):
    rows = enterprise_breakdown(enterprise_id=enterprise.pk, as_of=as_of)["rows"]
    return [r for r in rows if r["indicator"] == indicator]


@pytest.fixture(autouse=True)
def _table(justice_user):
    points_table_ensure_default(actor=justice_user)


def test_an_open_major_hazard_shows_in_the_breakdown(department, enterprise):
    today = timezone.localdate()
    action, rectification = rectified(department, enterprise, hazard=3, day=today - 3 * DAY)
    rows = _rows(enterprise, today, HAZARD)
    assert len(rows) == 1
    assert rows[0]["points"] == pytest.approx(-9)  # −3 × 重大隐患 (3)
    assert "重大隐患" in rows[0]["reason_zh"]
    assert (rows[0]["source"], rows[0]["source_id"]) == ("hazard", rectification.item_check_id)
    assert rows[0]["date"] == action.date


def test_a_hazard_without_a_notice_counts_and_one_without_a_hazard_does_not(department, enterprise):
    actor = officer(department)
    action = inspection(department, enterprise, items=2)
    findings(actor, action, hazards=(1, 0))
    rows = _rows(enterprise, timezone.localdate(), HAZARD)
    assert [r["points"] for r in rows] == [pytest.approx(-3)]


def test_a_hazard_stops_counting_once_closed_but_counted_before(department, enterprise):
    today = timezone.localdate()
    actor = officer(department)
    _, rectification = rectified(department, enterprise, actor, hazard=1, day=today - 10 * DAY)
    visit = inspection(department, enterprise, items=1, day=today - 2 * DAY, origin=Origin.RECHECK)
    rectification_recheck(
        actor=actor, rectification=rectification, action=visit, passed=True, note="已整改"
    )
    assert _rows(enterprise, today, HAZARD) == []
    # graded as of a day before the re-check, it was still open then
    assert len(_rows(enterprise, today - 3 * DAY, HAZARD)) == 1
    # and before the inspection it did not exist yet
    assert _rows(enterprise, today - 11 * DAY, HAZARD) == []


def test_an_overdue_rectification_counts_from_its_overdue_day_and_persists_after_closing(
    department, enterprise
):
    today = timezone.localdate()
    actor = officer(department)
    _, rectification = rectified(
        department, enterprise, actor, hazard=0, day=today - 30 * DAY, deadline=today - 10 * DAY
    )
    rectifications_flag_overdue(today=today)
    rectification.refresh_from_db()
    assert rectification.overdue_on == today - 9 * DAY

    # not yet a record the day before it became overdue; one from that day on
    assert _rows(enterprise, today - 10 * DAY, OVERDUE) == []
    rows = _rows(enterprise, today, OVERDUE)
    assert len(rows) == 1 and rows[0]["points"] < 0 and "逾期未整改" in rows[0]["reason_zh"]
    assert (rows[0]["source"], rows[0]["source_id"]) == ("rectification", rectification.pk)

    # closing it later does not remove the overdue record (the points table keeps it 730 days)
    visit = inspection(department, enterprise, items=1, day=today, origin=Origin.RECHECK)
    rectification_recheck(
        actor=actor, rectification=rectification, action=visit, passed=True, note=""
    )
    assert len(_rows(enterprise, today, OVERDUE)) == 1
    assert _rows(enterprise, today + 731 * DAY, OVERDUE) == []
