"""The draw services check the actor themselves ([hardening]), as the pages do: a department's
admin creates its own department's tasks, the lead department's admin runs them, each
department records its own results; anyone else is refused and nothing is written."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory, InspectorFactory
from wurao.sampling.choices import ResultCategory, SizeMode, TaskStatus
from wurao.sampling.models import DrawResult, DrawTask
from wurao.sampling.services import draw_task_close, draw_task_commit, draw_task_draw
from wurao.sampling.services_draft import ParticipantSpec, draw_task_create
from wurao.sampling.services_results import draw_result_record

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 12, 1), datetime.date(2026, 12, 31)


@pytest.fixture
def district(street, department):
    """Our department and a partner, with items, officers and enterprises for a joint task."""
    partner = DepartmentFactory(name="区卫生健康局", code="WJ")
    items = {}
    for d in (department, partner):
        items[d.pk] = [InspectionItemFactory(department=d)]
        InspectorFactory.create_batch(
            3, department=d, certificate_valid_until=datetime.date(2027, 6, 30)
        )
    EnterpriseFactory.create_batch(10, street=street)
    return department, partner, items


@pytest.fixture
def partner_admin(district):
    return UserFactory(role=Role.DEPT_ADMIN, department=district[1])


def _create(district, actor, *, lead=None):
    department, partner, items = district
    return draw_task_create(
        actor=actor,
        title="2026年12月联合双随机抽查",
        lead_department=lead or department,
        participants=[
            ParticipantSpec(department=d, items=items[d.pk]) for d in (department, partner)
        ],
        scope={},
        size_mode=SizeMode.TOTAL,
        size_value=Decimal(3),
        window_start=START,
        window_end=END,
    )


def _events() -> int:
    return AuditEvent.objects.filter(verb__startswith="draw_").count()


@pytest.mark.parametrize("who", ["partner_admin", "justice_user", "inspector_user"])
def test_only_a_departments_admin_creates_a_task_led_by_its_own_department(request, district, who):
    # given someone who is not the lead department's admin
    actor = (
        UserFactory(role=Role.INSPECTOR, department=district[0])
        if who == "inspector_user"
        else request.getfixturevalue(who)
    )

    # when they create a task led by our department, then it is refused and nothing is written
    with pytest.raises(PermissionDenied, match="牵头部门须为本部门"):
        _create(district, actor)
    assert not DrawTask.objects.exists() and _events() == 0


def test_a_partner_department_s_admin_cannot_commit_draw_or_close_the_task(
    district, dept_admin, partner_admin
):
    # given a joint task our department leads
    task = _create(district, dept_admin)
    events = _events()

    # when the partner's admin commits it, then the service refuses and the task stays a draft
    with pytest.raises(PermissionDenied, match="牵头部门的管理员"):
        draw_task_commit(actor=partner_admin, task=task)
    task.refresh_from_db()
    assert task.status == TaskStatus.DRAFT and not task.commitment

    # and, committed by our admin, neither drawing nor closing is the partner's
    task = draw_task_commit(actor=dept_admin, task=task)
    with pytest.raises(PermissionDenied):
        draw_task_draw(actor=partner_admin, task=task, external_entropy="1-2-3", observer="见证人")
    task.refresh_from_db()
    assert task.status == TaskStatus.COMMITTED and not task.selections.exists()
    task = draw_task_draw(actor=dept_admin, task=task, external_entropy="1-2-3", observer="见证人")
    with pytest.raises(PermissionDenied):
        draw_task_close(actor=partner_admin, task=task)
    assert _events() == events + 2  # our commit and our draw only


def test_a_department_cannot_record_the_partner_department_s_results(
    district, dept_admin, partner_admin
):
    # given a drawn joint task
    task = draw_task_commit(actor=dept_admin, task=_create(district, dept_admin))
    task = draw_task_draw(actor=dept_admin, task=task, external_entropy="4-5-6", observer="见证人")
    selection = task.selections.first()
    theirs = task.participants.get(department=district[1])
    events = _events()

    # when our admin records the partner's result, then it is refused and nothing is written
    with pytest.raises(PermissionDenied, match="只能录入本部门的抽查结果"):
        draw_result_record(
            actor=dept_admin,
            selection=selection,
            participant=theirs,
            category=ResultCategory.NO_PROBLEM,
            inspected_on=datetime.date(2026, 12, 10),
        )
    assert not DrawResult.objects.exists() and _events() == events

    # and the partner records its own
    draw_result_record(
        actor=partner_admin,
        selection=selection,
        participant=theirs,
        category=ResultCategory.NO_PROBLEM,
        inspected_on=datetime.date(2026, 12, 10),
    )
    assert DrawResult.objects.get().participant == theirs
