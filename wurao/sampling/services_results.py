"""The departments' results of a drawn task: one per drawn enterprise and department, each
entered into the enterprise's file as an inspection (and a visit shared by a joint task)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wurao.accounts.policy import require
from wurao.audit.services import audit_record
from wurao.enforcement.choices import ActionKind, Finding, Origin
from wurao.enforcement.services import action_record
from wurao.sampling.choices import ResultCategory, TaskStatus
from wurao.sampling.models import DrawParticipant, DrawResult, DrawSelection, DrawTask
from wurao.sampling.services_draft import invalid_field
from wurao.visits.services import visit_record_planned


@transaction.atomic
def draw_result_record(
    *,
    actor,
    selection: DrawSelection,
    participant: DrawParticipant,
    category: str,
    inspected_on: datetime.date,
    note: str = "",
) -> DrawResult:
    """One department's result for one drawn enterprise, entered into the enterprise's file:
    the actor's own department's (sampling.result_record)."""
    require(actor, "sampling.result_record", participant)
    task = DrawTask.objects.select_for_update().get(pk=selection.task_id)
    if task.status not in (TaskStatus.DRAWN, TaskStatus.IN_PROGRESS):
        raise ValidationError(
            _("任务 %(code)s 为“%(status)s”，不能录入检查结果")
            % {"code": task.code, "status": task.get_status_display()}
        )
    if participant.task_id != task.pk:
        raise invalid_field("participant", _("该部门不参与此任务"))
    if category not in ResultCategory.values:
        raise invalid_field("category", _("请选择检查结果"))
    if category == ResultCategory.OTHER and not note.strip():
        raise invalid_field("note", _("检查结果为“其他”时请填写情况说明"))
    if not (task.window_start <= inspected_on <= task.window_end):
        raise invalid_field(
            "inspected_on",
            _("检查日期须在计划期 %(start)s 至 %(end)s 之内")
            % {"start": task.window_start, "end": task.window_end},
        )
    if DrawResult.objects.filter(selection=selection, participant=participant).exists():
        raise invalid_field(
            "selection",
            _("“%(department)s”已录入该企业的检查结果")
            % {"department": participant.department.name},
        )
    team = [
        m.inspector
        for m in selection.team.filter(participant=participant).select_related("inspector")
    ]
    joint_ref = (
        f"{task.code}/{selection.enterprise.credit_code}" if task.participants.count() > 1 else ""
    )
    items = list(participant.items.all())
    # One visit per drawn enterprise: a joint task's departments share it.
    visit = visit_record_planned(
        actor=actor,
        source_ref=f"draw:{task.code}/{selection.enterprise.credit_code}",
        enterprise=selection.enterprise,
        department=participant.department,
        day=inspected_on,
        origin=Origin.RANDOM_DRAW,
        officers=team,
        items=items,
        note=f"双随机抽查任务 {task.code}",
    )
    action = action_record(
        actor=actor,
        enterprise=selection.enterprise,
        department=participant.department,
        day=inspected_on,
        kind=ActionKind.INSPECTION,
        origin=Origin.RANDOM_DRAW,
        items=items,
        officers=team,
        joint_ref=joint_ref,
        visit=visit,
        summary=f"双随机抽查任务 {task.code}：{ResultCategory(category).label}。{note.strip()}".strip(),
        finding=Finding.CLEAN if category == ResultCategory.NO_PROBLEM else Finding.PROBLEMS,
    )
    result = DrawResult.objects.create(
        selection=selection,
        participant=participant,
        category=category,
        note=note.strip(),
        inspected_on=inspected_on,
        action=action,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    if task.status == TaskStatus.DRAWN:
        task.status = TaskStatus.IN_PROGRESS
        task.save(update_fields=["status"])
    audit_record(
        actor=actor,
        verb="draw_result.record",
        obj=result,
        payload={
            "task": task.code,
            "enterprise": selection.enterprise.credit_code,
            "department": participant.department.code,
            "category": category,
        },
    )
    return result
