"""The demo's past-dated records written by services at build time read as entered a few days
after the day they record, not on the build day (the department tab's timeliness)."""

import datetime

import pytest
from django.utils import timezone

from wurao.enforcement.models import EnforcementAction
from wurao.sampling.models import DrawResult

pytestmark = pytest.mark.django_db


def test_draw_results_and_joint_forms_were_entered_days_after_the_inspection(built_demo):
    # given every action after the history years (2019–2020, loaded in bulk) that the
    # scenarios dated more than two weeks back
    today = timezone.localdate()
    actions = EnforcementAction.objects.filter(
        date__gt=datetime.date(2020, 12, 31), date__lt=today - datetime.timedelta(days=14)
    )
    assert actions.exists()

    # then each was recorded within ten days of its date (a holiday may lie between), never
    # before it, and never in the future
    for action in actions:
        lag = (timezone.localtime(action.created_at).date() - action.date).days
        assert 0 <= lag <= 10, (action.origin, action.date, action.created_at)
        assert action.created_at <= timezone.now()
    # and a draw result's entry time is its action's
    for result in DrawResult.objects.select_related("action"):
        assert result.recorded_at == result.action.created_at
        assert 1 <= (timezone.localtime(result.recorded_at).date() - result.inspected_on).days <= 10
