"""The demo district keeps the one calendar: no draw result, park day, visit or enforcement
record on a public holiday."""

import datetime

import pytest

from wurao.demo.planning_park_days import _past_dates
from wurao.enforcement.models import EnforcementAction
from wurao.planning.models import ParkDay
from wurao.registry.workdays import is_working_day
from wurao.sampling.models import DrawResult
from wurao.visits.models import Visit

pytestmark = pytest.mark.django_db

THURSDAY = 3


def test_past_park_days_skip_the_week_whose_thursday_is_national_day():
    # given a street whose park day is Thursday, the demo built on Friday 9 October 2026
    # when the demo picks the last four park days
    days = _past_dates(datetime.date(2026, 10, 9), THURSDAY)

    # then Thursday 1 October (国庆) is not one of them
    assert days == [
        datetime.date(2026, 9, 10),
        datetime.date(2026, 9, 17),
        datetime.date(2026, 9, 24),
        datetime.date(2026, 10, 8),
    ]


def test_no_demo_draw_result_park_day_visit_or_record_falls_on_a_holiday(built_demo):
    # given the demo district (its draw windows cross 清明, 劳动节, 端午 and 国庆)
    inspected = set(DrawResult.objects.values_list("inspected_on", flat=True))
    park_days = set(ParkDay.objects.values_list("date", flat=True))
    visited = set(Visit.objects.values_list("date", flat=True))
    recorded = set(EnforcementAction.objects.values_list("date", flat=True))
    assert inspected and park_days and visited and recorded

    # then every one of those days is a working day
    days = inspected | park_days | visited | recorded
    assert sorted(d for d in days if not is_working_day(d)) == []
