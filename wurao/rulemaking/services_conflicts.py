"""Writes of the conflict register (标准冲突): report, triage, coordinate, resolve, statements.

龙华区司法局 2022 调研报告 二.五: enterprises meet standards of different departments that ask
for different things (a pump-room fire door of grade 乙 in one code, 甲 in another) and have
no one to ask which governs; 三.五 proposes a register the justice bureau coordinates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wurao.accounts.policy import require
from wurao.audit.services import audit_record
from wurao.rulemaking.choices import ConflictEventKind, ConflictStatus, Governing
from wurao.rulemaking.models import Conflict, ConflictEvent, Requirement

# Where the bureau may move a registered conflict (reopening a resolved one is allowed: a
# new situation may show the resolution does not hold).
MOVES = {
    ConflictStatus.OPEN: {ConflictStatus.COORDINATING, ConflictStatus.RESOLVED},
    ConflictStatus.COORDINATING: {ConflictStatus.OPEN, ConflictStatus.RESOLVED},
    ConflictStatus.RESOLVED: {ConflictStatus.COORDINATING},
}


@dataclass(frozen=True)
class RequirementInput:
    text: str
    article: Any = None  # a standards.Article, or None with `source` saying where it is
    source: str = ""
    department: Any = None


def _person(actor):
    return None if isinstance(actor, str) else actor


def _event(conflict, actor, *, kind, status_from="", note="", department=None) -> ConflictEvent:
    return ConflictEvent.objects.create(
        conflict=conflict,
        kind=kind,
        actor=_person(actor),
        department=department,
        status_from=status_from,
        status_to=conflict.status if kind == ConflictEventKind.STATUS else "",
        note=note,
    )


@transaction.atomic
def conflict_report(
    *, actor: Any, topic: str, situation: str, requirements: list[RequirementInput]
) -> Conflict:
    """A report by an enterprise or an officer; it waits for the bureau's triage."""
    require(actor, "rulemaking.conflict_report")
    errors = {}
    if not topic.strip():
        errors["topic"] = "请填写冲突事项"
    if not situation.strip():
        errors["situation"] = "请说明涉及的企业或情形"
    if len(requirements) != 2:
        errors["requirements"] = "一项冲突须列明两项相互冲突的要求"
    for i, r in enumerate(requirements, start=1):
        if not r.text.strip():
            errors[f"text_{i}"] = "请引用或概述该要求的内容"
        if r.article is None and not r.source.strip():
            errors[f"source_{i}"] = "请选择条文，或写明出处（文件名称和条号）"
    if errors:
        raise ValidationError(errors)
    person = _person(actor)
    conflict = Conflict.objects.create(
        topic=topic.strip(),
        situation=situation.strip(),
        reported_by=person,
        enterprise_id=getattr(person, "enterprise_id", None),
        department_id=getattr(person, "department_id", None),
        street_id=getattr(person, "street_id", None),
    )
    for side, r in enumerate(requirements, start=1):
        Requirement.objects.create(
            conflict=conflict,
            side=side,
            article=r.article,
            source=r.source.strip(),
            text=r.text.strip(),
            department=r.department,
        )
    _event(conflict, actor, kind=ConflictEventKind.STATUS, note="提交报告")
    audit_record(
        actor=actor,
        verb="rulemaking.conflict_report",
        obj=conflict,
        payload={"articles": [r.article.pk for r in requirements if r.article]},
    )
    return conflict


@transaction.atomic
def conflict_triage(
    *, actor: Any, conflict: Conflict, accept: bool, coordinating_department=None, reason: str = ""
) -> Conflict:
    """The bureau accepts a report into the register (naming the coordinating department) or
    declines it with a reason the reporter sees."""
    require(actor, "rulemaking.conflict_triage", conflict)
    conflict = Conflict.objects.select_for_update().get(pk=conflict.pk)
    if conflict.status != ConflictStatus.REPORTED:
        raise ValidationError("该报告已处理，不能再次受理")
    if accept and coordinating_department is None:
        raise ValidationError({"coordinating_department": "受理时须指定协调部门"})
    if not accept and not reason.strip():
        raise ValidationError({"reason": "不予受理时须说明理由，报告人可见"})
    if accept:
        conflict.status = ConflictStatus.OPEN
        conflict.coordinating_department = coordinating_department
        conflict.accepted_at = timezone.now()
    else:
        conflict.status = ConflictStatus.DECLINED
        conflict.decline_reason = reason.strip()
    conflict.save()
    _event(
        conflict,
        actor,
        kind=ConflictEventKind.STATUS,
        status_from=ConflictStatus.REPORTED,
        note=reason.strip(),
    )
    audit_record(
        actor=actor,
        verb="rulemaking.conflict_triage",
        obj=conflict,
        payload={
            "accepted": accept,
            "coordinating_department": conflict.coordinating_department_id,
        },
    )
    return conflict


@transaction.atomic
def conflict_progress(
    *,
    actor: Any,
    conflict: Conflict,
    status: str,
    note: str = "",
    governing: str = "",
    resolution: str = "",
    coordinating_department=None,
) -> Conflict:
    """The bureau records coordination, and the resolution: which requirement governs and why,
    or the departments' joint interpretation."""
    require(actor, "rulemaking.conflict_triage", conflict)
    conflict = Conflict.objects.select_for_update().get(pk=conflict.pk)
    before = conflict.status
    if status != before and status not in MOVES.get(before, set()):
        raise ValidationError({"status": f"状态不能从“{conflict.get_status_display()}”改为该状态"})
    if status == ConflictStatus.RESOLVED:
        errors = {}
        if governing not in Governing.values:
            errors["governing"] = "解决时须说明以哪项要求为准，或为联合解释"
        if not resolution.strip():
            errors["resolution"] = "请写明理由或联合解释的内容"
        if errors:
            raise ValidationError(errors)
        conflict.governing = governing
        conflict.resolution = resolution.strip()
        conflict.resolved_at = timezone.now()
    elif status == before and not note.strip():
        raise ValidationError({"note": "请写明协调进展"})
    conflict.status = status
    if coordinating_department is not None:
        conflict.coordinating_department = coordinating_department
    conflict.save()
    _event(conflict, actor, kind=ConflictEventKind.STATUS, status_from=before, note=note.strip())
    audit_record(
        actor=actor,
        verb="rulemaking.conflict_progress",
        obj=conflict,
        payload={"from": before, "to": status, "governing": conflict.governing},
    )
    return conflict


@transaction.atomic
def conflict_statement(
    *, actor: Any, conflict: Conflict, text: str, department=None
) -> ConflictEvent:
    """A department concerned states its view; shown in the conflict's history. `department`
    names it only for the platform acting alone (the demo); a person states their own's."""
    require(actor, "rulemaking.conflict_statement", conflict)
    if conflict.status not in (ConflictStatus.OPEN, ConflictStatus.COORDINATING):
        raise ValidationError("只能对待协调或协调中的冲突发表意见")
    if not text.strip():
        raise ValidationError({"text": "请填写部门意见"})
    event = _event(
        conflict,
        actor,
        kind=ConflictEventKind.STATEMENT,
        note=text.strip(),
        department=getattr(_person(actor), "department", department),
    )
    audit_record(actor=actor, verb="rulemaking.conflict_statement", obj=conflict, payload={})
    return event
