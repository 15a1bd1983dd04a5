"""The grading entry: a completed self-inspection counts as the points table says (+1 for 365
days, at most +1); an incomplete one, and the problems it found, never count."""

import datetime

import pytest
from django.utils import timezone

from wurao.credit.models import EnterpriseGrade, PointsTableVersion
from wurao.credit.points import DEFAULT_TABLE, SELF_INSPECTION_RULE
from wurao.credit.points_catalogue import Indicator
from wurao.credit.points_json import table_to_dict
from wurao.credit.selectors_grading import enterprise_breakdown, table_of
from wurao.credit.services_grading import (
    grades_recompute,
    points_table_add_self_inspection,
    points_table_ensure_default,
    points_table_publish,
)
from wurao.registry.tests.factories import EnterpriseFactory
from wurao.selfcheck.tests.factories import inspection_completed, inspection_started, items_for

pytestmark = pytest.mark.django_db

ENTRY = Indicator.SELF_INSPECTION_COMPLETED.value


def _score(enterprise_id: int) -> float:
    return EnterpriseGrade.objects.get(enterprise_id=enterprise_id).score


def test_the_default_table_scores_a_completion_once_a_year():
    rule = DEFAULT_TABLE.rule(Indicator.SELF_INSPECTION_COMPLETED)
    assert (rule.points, rule.window_days, rule.cap) == (1, 365, 1)


def test_a_completed_self_inspection_raises_the_score_and_is_a_reason(
    enterprise_user, justice_user, department
):
    # given an enterprise with a completed self-inspection (a problem found in it), and a peer
    items_for(department, 2)
    peer = EnterpriseFactory(street=enterprise_user.enterprise.street)
    inspection_completed(enterprise_user, problem=True)
    # when the bureau regrades
    grades_recompute(actor=justice_user)
    # then it scores the table's points above its peer, and the reason says why
    points = table_of(points_table_ensure_default(actor=justice_user)).rule(ENTRY).points
    assert _score(enterprise_user.enterprise_id) == _score(peer.pk) + points
    rows = enterprise_breakdown(enterprise_id=enterprise_user.enterprise_id)["rows"]
    mine = [r for r in rows if r["indicator"] == ENTRY]
    assert len(mine) == 1 and "完成企业自查" in mine[0]["reason_zh"]
    assert mine[0]["source"] == "self_inspection"
    # and the problem it found is nowhere a deduction
    assert not [r for r in rows if r["points"] < 0 and r["date"] is not None]


def test_an_incomplete_self_inspection_does_not_count(enterprise_user, justice_user, department):
    items_for(department, 2)
    peer = EnterpriseFactory(street=enterprise_user.enterprise.street)
    inspection_started(enterprise_user)
    grades_recompute(actor=justice_user)
    assert _score(enterprise_user.enterprise_id) == _score(peer.pk)


def test_two_completions_in_a_year_count_once(enterprise_user, justice_user, department):
    points_table_ensure_default(actor=justice_user)
    items_for(department, 1)
    today = timezone.localdate()
    inspection_completed(enterprise_user, on=today - datetime.timedelta(days=100))
    inspection_completed(enterprise_user, on=today)
    rows = enterprise_breakdown(enterprise_id=enterprise_user.enterprise_id)["rows"]
    assert sum(r["points"] for r in rows if r["indicator"] == ENTRY) == 1


def test_a_completion_older_than_the_window_no_longer_counts(
    enterprise_user, justice_user, department
):
    points_table_ensure_default(actor=justice_user)
    items_for(department, 1)
    inspection_completed(enterprise_user, on=timezone.localdate() - datetime.timedelta(days=400))
    explained = enterprise_breakdown(enterprise_id=enterprise_user.enterprise_id)
    assert explained["version"] is not None  # scored, under a table that has the entry
    assert not [r for r in explained["rows"] if r["indicator"] == ENTRY]


def test_a_table_without_the_entry_gets_a_new_version_with_it(justice_user):
    # given a district whose published table predates self-inspection
    old = table_to_dict(DEFAULT_TABLE)
    old["indicators"] = [i for i in old["indicators"] if i["indicator"] != ENTRY]
    points_table_publish(actor=justice_user, table=old, effective_from=DEFAULT_TABLE.effective_from)
    # when the entry is added
    today = timezone.localdate()
    added = points_table_add_self_inspection(actor=justice_user, effective_from=today)
    # then a new version carries it, and a second call changes nothing
    assert added.version == 2 and added.effective_from == today
    assert table_of(added).rule(ENTRY) == SELF_INSPECTION_RULE
    assert points_table_add_self_inspection(actor=justice_user, effective_from=today) is None
    assert PointsTableVersion.objects.count() == 2
