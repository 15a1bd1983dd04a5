"""plan_entry_add takes a draw task of the department only ([hardening]): the plan page offers
the tasks the department leads or takes part in, and the service refuses any other a body
names, at the field, writing nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.planning import services
from wurao.planning.models import MonthlyPlan, PlannedInspection
from wurao.registry.tests.factories import DepartmentFactory, InspectorFactory
from wurao.sampling.choices import SizeMode
from wurao.sampling.services_draft import ParticipantSpec, draw_task_create

# Plans for January 2027 are filed ahead: written for a day before their deadline.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-12-07")]

MONTH = datetime.date(2027, 1, 1)


def _draw_task(department):
    """A draft draw task the department leads, alone."""
    admin = UserFactory(role=Role.DEPT_ADMIN, department=department)
    InspectorFactory.create_batch(2, department=department)
    return draw_task_create(
        actor=admin,
        title=f"{department.name}双随机抽查",
        lead_department=department,
        participants=[
            ParticipantSpec(
                department=department, items=[InspectionItemFactory(department=department)]
            )
        ],
        scope={},
        size_mode=SizeMode.TOTAL,
        size_value=Decimal(1),
        window_start=datetime.date(2027, 1, 4),
        window_end=datetime.date(2027, 1, 29),
    )


def _add(actor, department, enterprise, draw_task):
    return services.plan_entry_add(
        actor=actor,
        department=department,
        month=MONTH,
        enterprise=enterprise,
        items=[InspectionItemFactory(department=department)],
        earliest=datetime.date(2027, 1, 11),
        latest=datetime.date(2027, 1, 22),
        origin="random_task",
        draw_task=draw_task,
    )


def test_a_plan_entry_cannot_name_another_departments_draw_task(dept_admin, department, enterprise):
    # given a draw task of another department
    theirs = _draw_task(DepartmentFactory(name="区卫生健康局", code="WJ"))
    events = AuditEvent.objects.count()

    # when our admin plans an inspection of that task
    with pytest.raises(ValidationError) as refused:
        _add(dept_admin, department, enterprise, theirs)

    # then it is refused at the draw task, naming it, and nothing is written
    assert refused.value.message_dict == {
        "draw_task": [f"抽查任务 {theirs.code} 不是区应急管理局牵头或参与的任务"]
    }
    assert not MonthlyPlan.objects.exists() and not PlannedInspection.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_plan_entry_names_its_own_departments_draw_task(dept_admin, department, enterprise):
    ours = _draw_task(department)

    entry = _add(dept_admin, department, enterprise, ours)

    assert entry.draw_task == ours
