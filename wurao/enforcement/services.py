from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from wurao.audit.services import audit_record
from wurao.enforcement.choices import ActionKind, Origin
from wurao.enforcement.models import EnforcementAction


@transaction.atomic
def action_record(
    *,
    actor,
    enterprise,
    department,
    day: date,
    kind: ActionKind,
    origin: Origin,
    items=(),
    officers=(),
    joint_ref: str = "",
    summary: str = "",
    finding: str = "",
    severity: int | None = None,
    visit=None,
) -> EnforcementAction:
    """Record one enforcement action. Only items from the department's own published list
    may be cited (清单之外无事项) and only its own officers may act."""
    if not department.is_enforcement:
        raise ValidationError(
            {
                "department": gettext(
                    "“%(department)s”不是执法主体，不能录入执法行为，请录为非执法入企"
                )
                % {"department": department.name}
            }
        )
    foreign_items = [i.code for i in items if i.department_id != department.pk or not i.active]
    if foreign_items:
        raise ValidationError(
            {
                "items": gettext("检查事项 %(items)s 不在“%(department)s”公布的有效检查事项清单内")
                % {"items": "、".join(foreign_items), "department": department.name}
            }
        )
    foreign_officers = [o.badge_no for o in officers if o.department_id != department.pk]
    if foreign_officers:
        raise ValidationError(
            {
                "officers": gettext("执法人员 %(officers)s 不属于“%(department)s”")
                % {"officers": "、".join(foreign_officers), "department": department.name}
            }
        )
    action = EnforcementAction.objects.create(
        enterprise=enterprise,
        department=department,
        department_level=department.level,
        date=day,
        kind=kind,
        origin=origin,
        joint_ref=joint_ref,
        summary=summary,
        finding=finding,
        severity=severity,
        visit=visit,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    action.items.set(items)
    action.officers.set(officers)
    audit_record(
        actor=actor,
        verb="enforcement_action.record",
        obj=action,
        payload={
            "enterprise": enterprise.credit_code,
            "department": department.code,
            "date": day.isoformat(),
            "kind": kind,
            "origin": origin,
            "items": [i.code for i in items],
            "officers": [o.badge_no for o in officers],
            "finding": finding,
            "severity": severity,
            "visit": visit.code if visit else "",
        },
    )
    return action


@transaction.atomic
def action_correct(*, actor, action: EnforcementAction, finding: str, summary: str, reason: str):
    """Correct what an action found (a result entered wrongly), keeping what it said before
    and why it changed in the audit log; the record itself stays the same action."""
    if not reason.strip():
        raise ValidationError({"reason": gettext("请说明更正的理由")})
    action = EnforcementAction.objects.select_for_update().get(pk=action.pk)
    before = {"finding": action.finding, "summary": action.summary}
    action.finding, action.summary = finding, summary
    action.save(update_fields=["finding", "summary"])
    audit_record(
        actor=actor,
        verb="enforcement_action.correct",
        obj=action,
        payload={
            "before": before,
            "after": {"finding": finding, "summary": summary},
            "reason": reason.strip(),
        },
    )
    return action
