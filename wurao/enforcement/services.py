from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from wurao.audit.services import audit_record
from wurao.enforcement.choices import ActionKind, Mode, OffsiteMethod, Origin
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
    mode: Mode = Mode.ON_SITE,
    offsite_method: OffsiteMethod | str = "",
) -> EnforcementAction:
    """Record one enforcement action. Only items from the department's own published list
    may be cited (清单之外无事项) and only its own officers may act.

    An off-site inspection (非现场检查, `mode` off_site) is an inspection without a visit: it
    names how it was done (`offsite_method`) and no visit, and counts as an inspection, never
    as a visit."""
    _mode_check(kind=kind, visit=visit, mode=mode, offsite_method=offsite_method)
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
        mode=mode,
        offsite_method=offsite_method if mode == Mode.OFF_SITE else "",
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
            "mode": mode,
            "offsite_method": offsite_method if mode == Mode.OFF_SITE else "",
        },
    )
    return action


def _mode_check(*, kind, visit, mode, offsite_method) -> None:
    if mode not in Mode.values:
        raise ValidationError({"mode": gettext("检查方式只能是现场检查或非现场检查")})
    if mode == Mode.ON_SITE:
        if offsite_method:
            raise ValidationError({"offsite_method": gettext("现场检查不填写非现场检查手段")})
        return
    errors = {}
    if kind != ActionKind.INSPECTION:
        errors["kind"] = gettext("非现场检查只能是行政检查")
    if visit is not None:
        errors["visit"] = gettext("非现场检查没有入企登记：执法人员未进入企业")
    if offsite_method not in OffsiteMethod.values:
        errors["offsite_method"] = gettext(
            "请选择非现场检查手段（在线监测数据、视频监控、企业报送材料或远程视频检查）"
        )
    if errors:
        raise ValidationError(errors)


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
