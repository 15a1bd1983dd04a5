"""The demo's joint inspections ([joint]): next month planned and scheduled, 福城 coordinating
it, the joint visits of the last weeks with their forms, and the streets' park days.

The parts, in the order they run: wurao.demo.planning_build (plans, campaign, capacities,
lock, duplicates, the scheduler run), wurao.demo.planning_coordination (confirmations, a move,
the key enterprise's change request; the past visits' forms) and wurao.demo.planning_park_days.
"""

import datetime
from typing import Any

from django.utils import timezone

from wurao.demo.engine import District
from wurao.demo.planning_build import demo_plans_build, plans_counts
from wurao.demo.planning_cast import PlanningResult, PlanningScene, cast_choose
from wurao.demo.planning_coordination import (
    PAST_VISITS,
    demo_coordinate,
    demo_key_form,
    demo_past_forms,
)
from wurao.demo.planning_park_days import demo_park_days
from wurao.outcomes.choices import CheckResult
from wurao.outcomes.models import ItemCheck
from wurao.planning.choices import JointVisitStatus
from wurao.planning.models import JointVisit


def demo_planning(
    *, actor: Any, district: District, seed: int, today: datetime.date | None = None
) -> PlanningResult:
    """Call inside the demo's transaction, after the accounts, the draw tasks and today's visits."""
    scene = PlanningScene(actor, district.entities.key + 1, today or timezone.localdate())
    cast = cast_choose(scene, past_tags=[v.tags for v in PAST_VISITS])
    result = demo_plans_build(scene=scene, cast=cast, district=district, seed=seed)
    demo_coordinate(scene, cast.showcase, result)
    demo_past_forms(scene, cast.past, result)
    demo_key_form(scene, result)
    demo_park_days(scene, seed, result)
    result.counts |= plans_counts(scene.month) | joint_visit_counts(scene.month, scene.today)
    return result


def joint_visit_counts(month: datetime.date, today: datetime.date) -> dict[str, int]:
    visits = JointVisit.objects.filter(month=month)
    done = JointVisit.objects.filter(date__lt=today, status=JointVisitStatus.CONFIRMED)
    # The forms' lines are the item checks of the departments' actions on those visits.
    lines = ItemCheck.objects.filter(
        action__visit_id__in=JointVisit.objects.exclude(visit=None).values("visit_id")
    )
    return {
        "planning_forms_filled": done.count(),
        "planning_proposed": visits.filter(status=JointVisitStatus.PROPOSED).count(),
        "planning_confirmed": visits.filter(status=JointVisitStatus.CONFIRMED).count(),
        "planning_form_lines": lines.count(),
        "planning_form_fail_lines": lines.filter(result=CheckResult.FINDING).count(),
    }
