"""The demo builds at any scale down to 0.001 and any seed: a small district degrades
gracefully (a widened scope, a part left out and said so) instead of stopping."""

import pytest

from wurao.accounts.scope import Scope
from wurao.audit.selectors import audit_chain_first_broken
from wurao.credit.models import EnterpriseGrade
from wurao.demo import data
from wurao.demo.allocation import plan_counts
from wurao.demo.draws import DEMO_DRAWS
from wurao.demo.services import demo_build
from wurao.oversight.selectors import oversight_summary
from wurao.registry.models import Enterprise
from wurao.sampling.choices import TaskStatus
from wurao.sampling.models import DrawTask
from wurao.visits.models import Visit

pytestmark = pytest.mark.django_db

# 0.002 / 8 is the build the issue saw stop on a draw task of size 0.
SMALL_BUILDS = [(0.002, 8), (0.001, 1), (0.001, 2), (0.001, 7), (0.002, 3), (0.005, 4)]


@pytest.mark.parametrize(("scale", "seed"), SMALL_BUILDS)
def test_demo_builds_a_small_district_for_any_seed(scale, seed):
    # given an empty database
    # when the demo is built at a small scale
    result = demo_build(actor="test", scale=scale, seed=seed)

    # then the study's 2020 figures are there, scaled
    summary = oversight_summary(scope=Scope(sees_all=True), year=2020)
    assert summary["by_kind"] == plan_counts(scale).by_kind
    assert Enterprise.objects.count() == plan_counts(scale).entities
    # every enterprise is graded
    assert EnterpriseGrade.objects.count() == Enterprise.objects.count()
    # each draw task either exists with at least one enterprise drawn, or the summary says why not
    made = DrawTask.objects.count()
    skipped = [note for note in result.notes if "未生成该任务" in note]
    assert made + len(skipped) == len(DEMO_DRAWS)
    drawn = DrawTask.objects.exclude(status__in=[TaskStatus.DRAFT, TaskStatus.COMMITTED])
    assert all(task.selections.exists() for task in drawn)
    # the key enterprise and today's scenarios are there
    assert Visit.objects.filter(enterprise__name=data.KEY_ENTERPRISE_NAME).exists()
    assert result.visits is not None and result.visits.key_code
    assert result.planning is not None and result.planning.counts["planning_entries"] > 0
    assert audit_chain_first_broken() is None
