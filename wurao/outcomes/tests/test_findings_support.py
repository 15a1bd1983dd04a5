"""Builders the findings tests share: an inspection with items, its results and its notice,
made through the services as an officer would (no tests here)."""

import datetime

from django.utils import timezone

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.enforcement.choices import ActionKind, Origin
from wurao.enforcement.services import action_record
from wurao.outcomes.choices import CheckResult, Topic
from wurao.outcomes.services_checks import checks_record, notice_issue
from wurao.registry.tests.factories import InspectorFactory

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 60
PDF = b"%PDF-1.4\n" + b"\x00" * 60


def officer(department, username: str | None = None):
    extra = {"username": username} if username else {}
    return UserFactory(role=Role.INSPECTOR, department=department, **extra)


def inspection(department, enterprise, *, items: int = 2, day=None, origin=Origin.PLAN):
    """An inspection of `items` of the department's items at the enterprise, on `day`."""
    day = day or timezone.localdate()
    listed = [InspectionItemFactory(department=department) for _ in range(items)]
    return action_record(
        actor="test",
        enterprise=enterprise,
        department=department,
        day=day,
        kind=ActionKind.INSPECTION,
        origin=origin,
        items=listed,
        officers=InspectorFactory.create_batch(2, department=department),
    )


def findings(actor, action, *, hazards=(1,), compliant: int = 0):
    """The first len(hazards) items are findings with those hazard levels, the next
    `compliant` items compliant."""
    items = list(action.items.order_by("pk"))
    rows = [
        {
            "item": item,
            "result": CheckResult.FINDING,
            "description": f"问题{n}：安全出口堵塞",
            "hazard": hazard,
        }
        for n, (item, hazard) in enumerate(zip(items, hazards, strict=False), start=1)
    ]
    rows += [
        {"item": item, "result": CheckResult.COMPLIANT}
        for item in items[len(hazards) : len(hazards) + compliant]
    ]
    return checks_record(actor=actor, action=action, rows=rows)


def notice(actor, action, *, deadline=None, topic=Topic.FIRE, day=None, requirement="清理安全出口"):
    day = day or action.date
    deadline = deadline or day + datetime.timedelta(days=15)
    orders = {
        c.pk: {"requirement": requirement, "deadline": deadline, "topic": topic}
        for c in action.checks.filter(result=CheckResult.FINDING)
    }
    return notice_issue(actor=actor, action=action, orders=orders, day=day)


def rectified(
    department, enterprise, actor=None, *, hazard=1, day=None, deadline=None, topic=Topic.FIRE
):
    """One finding ordered put right: (action, rectification)."""
    actor = actor or officer(department)
    action = inspection(department, enterprise, items=1, day=day)
    findings(actor, action, hazards=(hazard,))
    issued = notice(actor, action, deadline=deadline, topic=topic)
    # ordered on the inspection's day, as if the platform had been in use then: a deadline
    # that passes afterwards makes it overdue
    issued.rectifications.update(created_at=_at(action.date))
    return action, issued.rectifications.get()


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(16)))
