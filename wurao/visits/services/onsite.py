"""Writes on a registered visit: another department joins it or names its officers,
the officers check in and out, each department records (or corrects) its results, and a
visit not begun is cancelled. Each is atomic, locks the visit and records an audit event."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from stdnum.cn import uscc

from wurao.accounts.policy import allows, require
from wurao.audit.services import audit_record
from wurao.enforcement.choices import Finding, Origin
from wurao.enforcement.services import action_correct, action_record
from wurao.outcomes.choices import CheckResult
from wurao.outcomes.models import ItemCheck
from wurao.outcomes.services_checks import checks_record
from wurao.visits import selectors
from wurao.visits.choices import CheckInMethod, VisitKind, VisitStatus
from wurao.visits.models import Visit
from wurao.visits.services.registration import (
    Registration,
    _approval_errors,
    _check_fields,
    _officer_error,
)


def _lock(visit: Visit) -> Visit:
    return Visit.objects.select_for_update().get(pk=visit.pk)


def _acts_for(actor, department) -> bool:
    """The actor may act in the name of the department: its own people, or the bureau."""
    return allows(actor, "visits.act_for", department)


def _must_take_part(actor, visit: Visit) -> None:
    require(actor, "visits.act_on", visit)


def _not_the_departments(department, *, officers=(), items=()) -> dict:
    """Officers and items a body names that are not the department's, by field: a department
    acts with its own people and inspects from its own list (清单之外无事项)."""
    errors = {}
    if foreign := [
        f"{o.name}（{o.badge_no}）" for o in officers if o.department_id != department.pk
    ]:
        errors["officers"] = gettext("%(officers)s 不是%(department)s的执法人员") % {
            "officers": "、".join(foreign),
            "department": department.name,
        }
    if foreign := [i.code for i in items if i.department_id != department.pk]:
        errors["items"] = gettext("检查事项 %(items)s 不在%(department)s的检查事项清单内") % {
            "items": "、".join(foreign),
            "department": department.name,
        }
    return errors


@transaction.atomic
def visit_join(*, actor, visit: Visit, department, officers=(), items=()) -> Visit:
    """Another department (often another level) joins a visit not carried out yet, instead of
    coming again: 进一次门，查多项事."""
    if not _acts_for(actor, department):
        raise PermissionDenied(
            gettext("只有“%(department)s”的人员可以代表该部门加入入企")
            % {"department": department.name}
        )
    visit = _lock(visit)
    if visit.status != VisitStatus.REGISTERED or visit.kind != VisitKind.INSPECTION:
        raise ValidationError({"__all__": gettext("只能加入尚未开始的执法检查")})
    if visit.date < timezone.localdate():
        raise ValidationError(
            {"__all__": gettext("该入企登记的日期 %(day)s 已过，不能再加入") % {"day": visit.date}}
        )
    rules = selectors.rules_current(as_of=visit.date)
    reg = Registration(
        enterprise=visit.enterprise,
        kind=VisitKind.INSPECTION,
        department=department,
        day=visit.date,
        origin=visit.origin,
        officers=tuple(officers),
        items=tuple(items),
        approver=visit.approver,
        approval_ref=visit.approval_ref,
        approved_on=visit.approved_on,
    )
    errors = _check_fields(reg, rules, min(visit.date, timezone.localdate()))
    errors.pop("approver", None)
    errors.update(_not_the_departments(department, officers=reg.officers, items=reg.items))
    if errors:
        raise ValidationError(errors)
    visit.departments.add(department)
    visit.officers.add(*officers)
    visit.items.add(*items)
    audit_record(
        actor=actor,
        verb="visit.join",
        obj=visit,
        payload={
            "code": visit.code,
            "department": department.code,
            "officers": sorted(o.badge_no for o in officers),
            "items": sorted(i.code for i in items),
        },
    )
    return visit


@transaction.atomic
def visit_staff(
    *, actor, visit: Visit, department, officers, approver="", approval_ref="", approved_on=None
) -> Visit:
    """A department on an inspection not carried out yet names its officers (replacing any it
    named before); the lead department also records the approval, or amends it. This is how a
    joint visit the street confirmed from the plans gets ready for check-in."""
    if not _acts_for(actor, department):
        raise PermissionDenied(
            gettext("只有“%(department)s”的人员可以为该部门指派执法人员")
            % {"department": department.name}
        )
    visit = _lock(visit)
    today = timezone.localdate()
    if visit.status != VisitStatus.REGISTERED or visit.kind != VisitKind.INSPECTION:
        raise ValidationError({"__all__": gettext("只能为尚未开始的执法检查指派执法人员")})
    if visit.date < today:
        raise ValidationError(
            {"__all__": gettext("该入企登记的日期 %(day)s 已过，不能再指派") % {"day": visit.date}}
        )
    if not visit.departments.filter(pk=department.pk).exists():
        raise ValidationError(
            {
                "__all__": gettext("%(department)s不是本次入企的入企单位")
                % {"department": department.name}
            }
        )
    officers = list(officers)
    rules = selectors.rules_current(as_of=visit.date)
    errors = _not_the_departments(department, officers=officers)
    if not errors:
        problem = _officer_error(officers, {department.pk}, day=visit.date, rules=rules)
        if problem:
            errors["officers"] = problem
    # The lead department's approval is the visit's: it may fill it in, or amend it.
    approving = department.pk == visit.department_id
    if approving:
        errors.update(_approval_errors(approver, approval_ref, approved_on, today))
    elif approver or approval_ref or approved_on:
        errors["approver"] = gettext("审批由牵头单位%(department)s填写") % {
            "department": visit.department.name
        }
    if errors:
        raise ValidationError(errors)
    visit.officers.remove(*visit.officers.filter(department=department))
    visit.officers.add(*officers)
    payload = {
        "code": visit.code,
        "department": department.code,
        "officers": sorted(o.badge_no for o in officers),
    }
    if approving:
        visit.approver, visit.approval_ref, visit.approved_on = approver, approval_ref, approved_on
        visit.save(update_fields=["approver", "approval_ref", "approved_on"])
        payload |= {
            "approver": approver,
            "approval_ref": approval_ref,
            "approved_on": approved_on.isoformat(),
        }
    audit_record(actor=actor, verb="visit.staff", obj=visit, payload=payload)
    return visit


# The characters of GB 32100 (no I, O, S, V, Z), 18 of them standing alone.
_CREDIT_CODE_IN_TEXT = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NP-RTUW-Y]{18}(?![0-9A-Z])")


def credit_code_read(scanned: str) -> str:
    """The credit code in what was scanned or typed: the code itself, the enterprise's code on
    the portal, or a licence QR's address that carries it (the first valid code in the text).
    Without one, the last part of the text, for the refusal to show what was read."""
    text = (scanned or "").strip().upper()
    for candidate in _CREDIT_CODE_IN_TEXT.findall(text):
        if uscc.is_valid(candidate):
            return candidate
    return text.rstrip("/").rsplit("/", 1)[-1]


@transaction.atomic
def visit_check_in(*, actor, visit: Visit, method: str, scanned: str) -> Visit:
    """On arrival: the officer scans the enterprise's code or types its credit code; it must
    be the enterprise the visit was registered for, on the registered day."""
    visit = _lock(visit)
    _must_take_part(actor, visit)
    if method not in CheckInMethod.values:
        raise ValidationError({"method": gettext("签到方式无效")})
    if visit.status != VisitStatus.REGISTERED:
        raise ValidationError(
            {
                "__all__": gettext("该入企当前为“%(status)s”，不能签到")
                % {"status": visit.get_status_display()}
            }
        )
    if visit.date != timezone.localdate():
        raise ValidationError(
            {"__all__": gettext("该入企登记的日期是 %(day)s，只能在当天签到") % {"day": visit.date}}
        )
    missing = selectors.visit_unready(visit)
    if missing:
        raise ValidationError(
            {"__all__": [gettext("签到前须备齐：%(missing)s") % {"missing": m} for m in missing]}
        )
    scanned_code = credit_code_read(scanned)
    if not uscc.is_valid(scanned_code):
        shown = (scanned or "").strip()[:60]
        raise ValidationError(
            {
                "scanned": gettext(
                    "“%(shown)s”中没有有效的统一社会信用代码：请扫描企业出示的企业码，"
                    "或输入营业执照上的 18 位信用代码"
                )
                % {"shown": shown}
            }
        )
    if scanned_code != visit.enterprise.credit_code:
        raise ValidationError(
            {
                "scanned": gettext("扫描或输入的信用代码“%(code)s”不是登记的企业（%(enterprise)s）")
                % {"code": scanned_code, "enterprise": visit.enterprise.name}
            }
        )
    visit.status = VisitStatus.IN_PROGRESS
    visit.checked_in_at = timezone.now()
    visit.check_in_method = method
    visit.save(update_fields=["status", "checked_in_at", "check_in_method"])
    audit_record(
        actor=actor,
        verb="visit.check_in",
        obj=visit,
        payload={"code": visit.code, "method": method},
    )
    return visit


@transaction.atomic
def visit_check_out(*, actor, visit: Visit) -> Visit:
    visit = _lock(visit)
    _must_take_part(actor, visit)
    if visit.status != VisitStatus.IN_PROGRESS:
        raise ValidationError({"__all__": gettext("只有已签到的入企才能签退")})
    visit.status = VisitStatus.COMPLETED
    visit.checked_out_at = timezone.now()
    visit.save(update_fields=["status", "checked_out_at"])
    audit_record(actor=actor, verb="visit.check_out", obj=visit, payload={"code": visit.code})
    return visit


@transaction.atomic
def visit_result_record(
    *,
    actor,
    visit: Visit,
    department,
    kind: str,
    items=(),
    officers=(),
    finding: str = "",
    summary: str = "",
    severity: int | None = None,
    checks: list[dict] | None = None,
):
    """What one department found during the visit: an EnforcementAction in the enterprise's
    file, linked to the visit (a joint visit still counts once). With `checks`, the result of
    each inspected item too (outcomes.services_checks.checks_record's rows); without, the
    officer records them item by item on the action's outcomes page next."""
    if not _acts_for(actor, department):
        raise PermissionDenied(
            gettext("只有“%(department)s”的人员可以录入该部门的检查结果")
            % {"department": department.name}
        )
    # The items and officers the body names: the department's own, or none (then its own on
    # the visit). Refused here, by field, before anything is locked or written.
    if errors := _not_the_departments(department, officers=officers, items=items):
        raise ValidationError(errors)
    visit = _lock(visit)
    if visit.kind != VisitKind.INSPECTION:
        raise ValidationError({"__all__": gettext("非执法入企没有检查结果")})
    if visit.status not in (VisitStatus.IN_PROGRESS, VisitStatus.COMPLETED):
        raise ValidationError({"__all__": gettext("签到后才能录入检查结果")})
    if not visit.departments.filter(pk=department.pk).exists():
        raise ValidationError(
            {
                "department": gettext("“%(department)s”没有参加本次入企")
                % {"department": department.name}
            }
        )
    # One result of each kind per department: a penalty may follow the inspection on the same
    # visit, a second, different inspection result may not (it would contradict the first).
    earlier = visit.actions.filter(department=department, kind=kind).first()
    if earlier is not None:
        raise ValidationError(
            {
                "kind": gettext(
                    "%(department)s已录入本次入企的%(kind)s结果（%(finding)s），"
                    "不能再录一次；录错的请更正该执法记录"
                )
                % {
                    "department": department.name,
                    "kind": earlier.get_kind_display(),
                    "finding": earlier.get_finding_display() or gettext("已录入"),
                }
            }
        )
    origin = visit.origin if visit.origin in Origin.values else Origin.OTHER
    action = action_record(
        actor=actor,
        enterprise=visit.enterprise,
        department=department,
        day=visit.date,
        kind=kind,
        origin=origin,
        items=items or [i for i in visit.items.all() if i.department_id == department.pk],
        officers=officers or [o for o in visit.officers.all() if o.department_id == department.pk],
        finding=finding,
        summary=summary,
        severity=severity,
        visit=visit,
    )
    if checks:
        checks_record(actor=actor, action=action, rows=checks)
    return action


@transaction.atomic
def visit_result_correct(*, actor, visit: Visit, action, finding: str, summary: str, reason: str):
    """A department corrects the result it entered on the visit, with a reason: the action
    stays one record, the audit log keeps what it said before."""
    if action.visit_id != visit.pk:
        raise ValidationError({"__all__": gettext("该执法记录不属于本次入企")})
    if not _acts_for(actor, action.department):
        raise PermissionDenied(
            gettext("只有“%(department)s”的人员可以更正该部门的检查结果")
            % {"department": action.department.name}
        )
    if finding == Finding.PROBLEMS and not summary.strip():
        raise ValidationError({"summary": gettext("发现问题时请写明问题摘要")})
    wanting = ItemCheck.objects.filter(action=action, result=CheckResult.FINDING).count()
    if finding == Finding.CLEAN and wanting:
        # The items' results say otherwise: they are corrected item by item, with the reason.
        raise ValidationError(
            {
                "finding": gettext(
                    "本次检查有 %(n)s 个事项发现问题，请先在逐项检查结果中更正，再改为未发现问题"
                )
                % {"n": wanting}
            }
        )
    if (finding, summary.strip()) == (action.finding, action.summary):
        raise ValidationError({"__all__": gettext("结果和摘要都没有改动，无需更正")})
    return action_correct(
        actor=actor, action=action, finding=finding, summary=summary.strip(), reason=reason
    )


@transaction.atomic
def visit_cancel(*, actor, visit: Visit, reason: str) -> Visit:
    """Cancel a visit not begun, with a reason. A joint visit is the lead department's to
    cancel (or the justice bureau's): another department on it cannot call it off for all."""
    visit = _lock(visit)
    _must_take_part(actor, visit)
    if visit.departments.count() > 1 and not _acts_for(actor, visit.department):
        raise PermissionDenied(
            gettext("联合检查只能由牵头单位%(department)s撤销")
            % {"department": visit.department.name}
        )
    if visit.status not in (VisitStatus.REGISTERED, VisitStatus.PENDING_OVERRIDE):
        raise ValidationError({"__all__": gettext("只能撤销尚未开始的入企登记")})
    if not reason.strip():
        raise ValidationError({"reason": gettext("请说明撤销理由")})
    visit.status = VisitStatus.CANCELLED
    visit.cancel_reason = reason.strip()
    visit.save(update_fields=["status", "cancel_reason"])
    audit_record(
        actor=actor,
        verb="visit.cancel",
        obj=visit,
        payload={"code": visit.code, "reason": reason.strip()},
    )
    return visit
