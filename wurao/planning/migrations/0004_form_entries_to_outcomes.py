"""The 一表通查 form's lines become the one record every inspection keeps (outcomes):
each FormEntry becomes an ItemCheck of its department's enforcement action on the joint
visit, and a failing line with something to put right becomes a Rectification on the
action's FindingNotice (责令改正通知书). Then FormEntry goes.

Everything is computed here from the historical models: this migration must not import
application code that may change after it (the notice number follows
wurao.outcomes.services_checks.notice_number as it was when it was written).

The reverse rebuilds FormEntry from the joint visits' item checks and leaves the outcomes
records where they are (they may have been reported on, re-checked or penalised since); the
forward run skips what is already there, so forward → back → forward ends where it began.
"""

import datetime

from django.conf import settings
from django.db import migrations
from django.db.models import F

RESULT_TO_CHECK = {"pass": "compliant", "fail": "finding", "not_checked": "not_checked"}
CHECK_TO_RESULT = {v: k for k, v in RESULT_TO_CHECK.items()}
DEFAULT_DEADLINE_DAYS = 30


def _notice_number(action) -> str:
    """As wurao.outcomes.services_checks.notice_number: department code, year, action id."""
    return f"{action.department.code}-责改〔{action.date.year}〕{action.pk}号"


def _action_for(EnforcementAction, cache: dict, visit_id: int, department_id: int):
    """The department's enforcement action on the visit: its inspection, else its first."""
    key = (visit_id, department_id)
    if key not in cache:
        actions = list(
            EnforcementAction.objects.filter(visit_id=visit_id, department_id=department_id)
            .select_related("department")
            .order_by("pk")
        )
        inspections = [a for a in actions if a.kind == "inspection"]
        cache[key] = (inspections or actions or [None])[0]
    return cache[key]


def forward(apps, schema_editor):
    FormEntry = apps.get_model("planning", "FormEntry")
    EnforcementAction = apps.get_model("enforcement", "EnforcementAction")
    ItemCheck = apps.get_model("outcomes", "ItemCheck")
    FindingNotice = apps.get_model("outcomes", "FindingNotice")
    Rectification = apps.get_model("outcomes", "Rectification")

    actions: dict = {}
    unmatched: list[int] = []
    moved = notices = orders = 0
    entries = FormEntry.objects.select_related("joint_visit", "item").order_by("pk")
    for entry in entries.iterator(chunk_size=500):
        visit_id = entry.joint_visit.visit_id
        action = (
            _action_for(EnforcementAction, actions, visit_id, entry.item.department_id)
            if visit_id
            else None
        )
        if action is None:
            unmatched.append(entry.pk)
            continue
        result = RESULT_TO_CHECK.get(entry.result, "not_checked")
        check = ItemCheck.objects.filter(action_id=action.pk, item_id=entry.item_id).first()
        if check is None:
            check = ItemCheck.objects.create(
                action_id=action.pk,
                item_id=entry.item_id,
                result=result,
                description=entry.finding,
                hazard=0,
                serious_risk=False,
                recorded_by_id=entry.recorded_by_id,
                corrected_at=entry.corrected_at,
                correction_reason=entry.correction_reason,
            )
            # The line has no time of its own: it was written with its action.
            ItemCheck.objects.filter(pk=check.pk).update(recorded_at=action.created_at)
            moved += 1
        if result != "finding" or not entry.rectification.strip():
            continue
        if Rectification.objects.filter(item_check_id=check.pk).exists():
            continue
        notice = FindingNotice.objects.filter(action_id=action.pk).first()
        if notice is None:
            notice = FindingNotice.objects.create(
                action_id=action.pk,
                number=_notice_number(action),
                issued_on=action.date,
                issued_by_id=entry.recorded_by_id,
            )
            notices += 1
        rectification = Rectification.objects.create(
            item_check_id=check.pk,
            notice_id=notice.pk,
            enterprise_id=action.enterprise_id,
            department_id=action.department_id,
            topic="other",
            requirement=entry.rectification.strip(),
            deadline=entry.rectify_by
            or action.date + datetime.timedelta(days=DEFAULT_DEADLINE_DAYS),
            status="ordered",
        )
        Rectification.objects.filter(pk=rectification.pk).update(created_at=action.created_at)
        orders += 1
    if unmatched:
        # Services always recorded the action with the lines; a line without one can only
        # come from data written by hand. Say which, since the lines themselves go next.
        print(
            f"\n  planning 0004: {len(unmatched)} form entries had no enforcement action "
            f"and were not moved (ids {', '.join(map(str, unmatched[:50]))}"
            f"{' …' if len(unmatched) > 50 else ''})"
        )
    if moved:
        print(f"\n  planning 0004: {moved} item checks, {notices} notices, {orders} rectifications")


def backward(apps, schema_editor):
    FormEntry = apps.get_model("planning", "FormEntry")
    JointVisit = apps.get_model("planning", "JointVisit")
    ItemCheck = apps.get_model("outcomes", "ItemCheck")
    Rectification = apps.get_model("outcomes", "Rectification")

    joint_by_visit = dict(
        JointVisit.objects.exclude(visit=None).values_list("visit_id", "pk")
    )
    if not joint_by_visit:
        return
    orders = {
        r.item_check_id: r
        for r in Rectification.objects.filter(item_check__action__visit_id__in=joint_by_visit)
    }
    seen = set()
    rows = []
    checks = (
        ItemCheck.objects.filter(action__visit_id__in=joint_by_visit)
        .annotate(visit_id=F("action__visit_id"))
        .order_by("action_id", "item_id")
    )
    for check in checks.iterator(chunk_size=500):
        joint_id = joint_by_visit[check.visit_id]
        if (joint_id, check.item_id) in seen:
            continue  # the form holds one line an item
        seen.add((joint_id, check.item_id))
        order = orders.get(check.pk)
        rows.append(
            FormEntry(
                joint_visit_id=joint_id,
                item_id=check.item_id,
                result=CHECK_TO_RESULT.get(check.result, "not_checked"),
                finding=check.description,
                rectification=order.requirement if order else "",
                rectify_by=order.deadline if order else None,
                corrected_at=check.corrected_at,
                correction_reason=check.correction_reason,
                recorded_by_id=check.recorded_by_id,
            )
        )
    FormEntry.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0003_form_entry_correction"),
        ("outcomes", "0001_initial"),
        ("enforcement", "0006_offsite_mode"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(forward, backward, elidable=False),
        migrations.DeleteModel(name="FormEntry"),
    ]
