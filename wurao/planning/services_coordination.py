"""The street coordinator's work on proposed visits: move, split, merge, confirm; the
enterprise's request for another slot and its days; and the consolidated form's results
(一表通查). Who may do each is the policy's (wurao.accounts.policy.planning); why a day does
not fit is read in selectors_checks.day_problems."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from wurao.accounts.policy import require
from wurao.audit.services import audit_record
from wurao.enforcement import services as enforcement_services
from wurao.enforcement.choices import ActionKind, Finding
from wurao.outcomes import services_checks as outcomes_checks
from wurao.outcomes.choices import Hazard, RectificationStatus, Topic
from wurao.outcomes.models import FindingNotice, ItemCheck
from wurao.planning.choices import (
    RESULT_TO_CHECK,
    EntryStatus,
    ItemResult,
    JointVisitStatus,
    SlotKind,
    default_topic,
)
from wurao.planning.models import EnterpriseSlot, JointVisit, PlannedInspection
from wurao.planning.selectors import FormResult
from wurao.planning.selectors_checks import day_problems
from wurao.visits import services as visit_services


class JointVisitReplaced(Exception):
    """The proposed visit was taken away while the coordinator looked at it: a new schedule
    run replaced the month's proposals, or another coordinator merged it into another visit."""

    def __init__(self, visit: JointVisit) -> None:
        self.month = visit.month
        super().__init__(gettext("该入企已被新的排期替换或已并入另一次入企，请刷新后重试"))


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _lock(visit: JointVisit) -> JointVisit:
    try:
        return JointVisit.objects.select_for_update().select_related("enterprise").get(pk=visit.pk)
    except JointVisit.DoesNotExist:
        raise JointVisitReplaced(visit) from None


def _entries(visit: JointVisit) -> list[PlannedInspection]:
    return list(
        visit.inspections.select_related("plan__department").filter(status=EntryStatus.ACTIVE)
    )


def _must_be_proposed(visit: JointVisit) -> None:
    if visit.status != JointVisitStatus.PROPOSED:
        raise ValidationError(
            {
                "__all__": gettext("该入企为“%(status)s”，不能再调整")
                % {"status": visit.get_status_display()}
            }
        )


@transaction.atomic
def joint_visit_move(*, actor, visit: JointVisit, day: date) -> JointVisit:
    visit = _lock(visit)
    require(actor, "planning.joint_visit_coordinate", visit)
    _must_be_proposed(visit)
    entries = _entries(visit)
    problems = day_problems(entries, day, enterprise=visit.enterprise)
    if problems:
        raise ValidationError({"date": problems})
    before = visit.date
    visit.date = day
    visit.change_requested = False
    visit.save(update_fields=["date", "change_requested"])
    audit_record(
        actor=actor,
        verb="joint_visit.move",
        obj=visit,
        payload={"from": before.isoformat(), "to": day.isoformat()},
    )
    return visit


@transaction.atomic
def joint_visit_split(*, actor, visit: JointVisit, entries, day: date) -> JointVisit:
    """Take some inspections out of a proposed visit into a visit of their own on `day`."""
    visit = _lock(visit)
    require(actor, "planning.joint_visit_coordinate", visit)
    _must_be_proposed(visit)
    chosen = [e for e in _entries(visit) if e.pk in {x.pk for x in entries}]
    if not chosen or len(chosen) == len(_entries(visit)):
        raise ValidationError({"entries": gettext("请选择要分出的部分检查（不能是全部）")})
    problems = day_problems(chosen, day, enterprise=visit.enterprise)
    if problems:
        raise ValidationError({"date": problems})
    other = JointVisit.objects.create(
        run=visit.run, month=visit.month, enterprise=visit.enterprise, street=visit.street, date=day
    )
    PlannedInspection.objects.filter(pk__in=[e.pk for e in chosen]).update(joint_visit=other)
    audit_record(
        actor=actor,
        verb="joint_visit.split",
        obj=visit,
        payload={"new": other.pk, "entries": [e.pk for e in chosen], "date": day.isoformat()},
    )
    return other


@transaction.atomic
def joint_visit_merge(*, actor, visit: JointVisit, other: JointVisit) -> JointVisit:
    """Bring another proposed visit of the same enterprise into this one, on this one's day."""
    visit, other = _lock(visit), _lock(other)
    require(actor, "planning.joint_visit_coordinate", visit)
    _must_be_proposed(visit)
    _must_be_proposed(other)
    if other.enterprise_id != visit.enterprise_id or other.pk == visit.pk:
        raise ValidationError({"other": gettext("只能合并同一企业的另一次入企")})
    moving = _entries(other)
    problems = day_problems(_entries(visit) + moving, visit.date, enterprise=visit.enterprise)
    if problems:
        raise ValidationError({"other": problems})
    PlannedInspection.objects.filter(pk__in=[e.pk for e in moving]).update(joint_visit=visit)
    other.delete()
    audit_record(
        actor=actor, verb="joint_visit.merge", obj=visit, payload={"merged": [e.pk for e in moving]}
    )
    return visit


@transaction.atomic
def joint_visit_confirm(*, actor, visit: JointVisit) -> JointVisit:
    """Confirm the visit: it is registered as one Visit with all its departments, checked by
    the visit rules; the enterprise sees it on the portal with its form."""
    visit = _lock(visit)
    require(actor, "planning.joint_visit_coordinate", visit)
    _must_be_proposed(visit)
    entries = _entries(visit)
    if not entries:
        raise ValidationError({"__all__": gettext("该入企没有待检查的计划")})
    problems = day_problems(entries, visit.date, enterprise=visit.enterprise)
    if problems:
        raise ValidationError({"date": problems})
    departments = list({e.plan.department_id: e.plan.department for e in entries}.values())
    items = [i for e in entries for i in e.items.select_related("department")]
    registered = visit_services.visit_register_joint(
        actor=actor,
        source_ref=f"joint:{visit.pk}",
        enterprise=visit.enterprise,
        departments=departments,
        items=items,
        day=visit.date,
        note="街道统筹的联合检查（一表通查）",
    )
    visit.status = JointVisitStatus.CONFIRMED
    visit.visit = registered
    visit.confirmed_by = _user(actor)
    visit.confirmed_at = timezone.now()
    visit.change_requested = False
    visit.save(
        update_fields=["status", "visit", "confirmed_by", "confirmed_at", "change_requested"]
    )
    audit_record(
        actor=actor,
        verb="joint_visit.confirm",
        obj=visit,
        payload={
            "visit": registered.code,
            "date": visit.date.isoformat(),
            "departments": [d.code for d in departments],
        },
    )
    return visit


@transaction.atomic
def joint_visit_request_change(
    *, actor, visit: JointVisit, dates: list[date], reason: str
) -> JointVisit:
    """The enterprise asks for another slot (two-way booking); the coordinator decides."""
    visit = _lock(visit)
    require(actor, "planning.joint_visit_request_change", visit)
    if visit.status != JointVisitStatus.PROPOSED:
        raise ValidationError({"__all__": gettext("入企已确认，如需改期请联系街道协调员")})
    if not reason.strip():
        raise ValidationError({"reason": gettext("请说明改期理由")})
    if not dates or any(d < timezone.localdate() for d in dates):
        raise ValidationError({"dates": gettext("请填写今天以后的建议日期")})
    visit.change_requested = True
    visit.change_dates = [d.isoformat() for d in sorted(set(dates))]
    visit.change_reason = reason.strip()
    visit.save(update_fields=["change_requested", "change_dates", "change_reason"])
    for d in dates:
        EnterpriseSlot.objects.update_or_create(
            enterprise=visit.enterprise,
            date=d,
            defaults={"kind": SlotKind.REQUESTED, "note": "改期建议"},
        )
    audit_record(
        actor=actor,
        verb="joint_visit.request_change",
        obj=visit,
        payload={"dates": visit.change_dates, "reason": visit.change_reason},
    )
    return visit


DEFAULT_RECTIFY_DAYS = 30  # a deadline the caller left out: the visit's day and this many


def _form_rows(actor, visit: JointVisit, department, results: list[dict]) -> tuple[dict, dict]:
    """The department's own items on the form and the results given for them, checked:
    every item once, a result for each, and for an item that fails what was found and what
    must be put right (not before the visit's day)."""
    if visit.status != JointVisitStatus.CONFIRMED or visit.visit is None:
        raise ValidationError({"__all__": gettext("入企确认后才能录入一表通查结果")})
    require(actor, "planning.form_results_record", department)
    own_items = {
        i.pk: i
        for e in _entries(visit)
        if e.plan.department_id == department.pk
        for i in e.items.all()
    }
    if not own_items:
        raise ValidationError(
            {
                "department": gettext("“%(department)s”没有参加本次入企")
                % {"department": department.name}
            }
        )
    errors: dict[str, str] = {}
    by_item = {}
    for row in results:
        item = own_items.get(getattr(row.get("item"), "pk", row.get("item")))
        if item is None:
            errors["results"] = gettext("只能录入本部门计划的检查事项")
            continue
        by_item[item.pk] = row
        names = {"item": item.name}
        result = row.get("result")
        if result not in ItemResult.values:
            errors[f"result_{item.pk}"] = gettext("请选择“%(item)s”的检查结果") % names
            continue
        failing = result == ItemResult.FAIL
        if failing and not (row.get("finding") or "").strip():
            errors[f"finding_{item.pk}"] = gettext("“%(item)s”不符合时须写明检查情况") % names
        if failing and not (row.get("rectification") or "").strip():
            errors[f"rectification_{item.pk}"] = gettext("“%(item)s”不符合时须写明整改要求") % names
        deadline = row.get("rectify_by")
        if failing and deadline and deadline < visit.date:
            errors[f"rectify_by_{item.pk}"] = gettext("整改期限不能早于检查日期 %(day)s") % {
                "day": visit.date.isoformat()
            }
        if row.get("topic") and row["topic"] not in Topic.values:
            errors[f"topic_{item.pk}"] = gettext("请选择“%(item)s”的整改领域") % names
        hazard = row.get("hazard") or Hazard.NONE
        if hazard not in Hazard.values:
            errors[f"hazard_{item.pk}"] = gettext("隐患等级只能是无、一般或重大")
        elif hazard and not failing:
            errors[f"hazard_{item.pk}"] = gettext("“%(item)s”未发现问题，不能登记隐患") % names
    missing = [i.name for pk, i in own_items.items() if pk not in by_item]
    if missing:
        errors["results"] = gettext("请录入全部检查事项的结果：%(items)s") % {
            "items": "、".join(missing)
        }
    if errors:
        raise ValidationError(errors)
    return own_items, by_item


def _entry_fields(row: dict, visit: JointVisit, department, now: FormResult | None = None):
    """A row as the form's line will read: result, finding, hazard, and for a failing item
    the rectification's requirement, deadline and topic. What the row leaves out keeps the
    line's current value (a correction), or takes the default (the visit's day plus
    DEFAULT_RECTIFY_DAYS; the department's usual topic)."""
    failing = row["result"] == ItemResult.FAIL
    fields = {
        "result": row["result"],
        "finding": (row.get("finding") or "").strip(),
        "hazard": int(row.get("hazard") or Hazard.NONE) if failing else Hazard.NONE,
        "rectification": "",
        "rectify_by": None,
        "topic": "",
    }
    if failing:
        ordered = now is not None and now.order is not None
        fields |= {
            "rectification": (row.get("rectification") or "").strip(),
            "rectify_by": row.get("rectify_by")
            or (now.rectify_by if ordered else None)
            or visit.date + timedelta(days=DEFAULT_RECTIFY_DAYS),
            "topic": row.get("topic") or (now.topic if ordered else default_topic(department)),
        }
        if "hazard" not in row and now is not None:
            fields["hazard"] = now.hazard
    return fields


def _current(line: FormResult) -> dict:
    return {
        "result": line.result,
        "finding": line.finding,
        "hazard": line.hazard,
        "rectification": line.rectification,
        "rectify_by": line.rectify_by,
        "topic": line.topic,
    }


def _entry_json(fields: dict) -> dict:
    """A line for the audit log, as a reader of the log would want it."""
    out = {
        "result": str(ItemResult(fields["result"]).label),
        "finding": fields["finding"],
        "rectification": fields["rectification"],
        "rectify_by": fields["rectify_by"].isoformat() if fields["rectify_by"] else None,
    }
    if fields["topic"]:
        out["topic"] = fields["topic"]
    if fields["hazard"]:
        out["hazard"] = fields["hazard"]
    return out


def _form_finding(own_items: dict, fields: dict) -> tuple[str, str]:
    """What the department's enforcement action says the visit found."""
    failed = [own_items[pk].name for pk, f in fields.items() if f["result"] == ItemResult.FAIL]
    if failed:
        return Finding.PROBLEMS, "一表通查：不符合 " + "、".join(failed)
    return Finding.CLEAN, "一表通查：所查事项均符合"


def _check_row(pk: int, fields: dict, serious_risk: bool = False) -> dict:
    return {
        "item": pk,
        "result": RESULT_TO_CHECK[fields["result"]],
        "description": fields["finding"],
        "hazard": fields["hazard"],
        "serious_risk": serious_risk,
    }


def _order(fields: dict) -> dict:
    return {
        "requirement": fields["rectification"],
        "deadline": fields["rectify_by"],
        "topic": fields["topic"],
    }


def _in_form_terms(error: ValidationError, checks: dict[int, int]) -> ValidationError:
    """The outcomes services' refusals named by the form's fields and items: description is
    the form's finding, requirement its rectification, deadline its rectify_by, and a notice
    names item checks (`checks` maps a check's id to its item's)."""
    if not hasattr(error, "error_dict"):
        return error
    fields = {"description": "finding", "requirement": "rectification", "deadline": "rectify_by"}
    out: dict[str, list] = {}
    for key, texts in error.message_dict.items():
        field, _sep, pk = key.rpartition("_")
        if field in fields or field == "topic":
            item = (
                checks.get(int(pk), int(pk))
                if field in ("requirement", "deadline", "topic")
                else pk
            )
            key = f"{fields.get(field, field)}_{item}"
        out.setdefault(key, []).extend(texts)
    return ValidationError(out)


def _inspection(visit: JointVisit, department):
    return (
        visit.visit.actions.filter(department=department, kind=ActionKind.INSPECTION)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def form_results_record(*, actor, visit: JointVisit, department, results: list[dict]):
    """One department's lines of the consolidated form — per item: result, finding, hazard;
    for a failing item the rectification's requirement, deadline and topic — recorded as
    every inspection records them: its enforcement action in the enterprise's file (the
    joint visit still counts once), an item check per item, and all its findings told to the
    enterprise at once with what each must have put right (一次性告知)."""
    visit = _lock(visit)
    own_items, by_item = _form_rows(actor, visit, department, results)
    if _inspection(visit, department) is not None:
        # Its action is already in the enterprise's file: a second entry would count twice.
        raise ValidationError(
            {
                "__all__": gettext("“%(department)s”已录入本次一表通查结果；如有错误，请更正")
                % {"department": department.name}
            }
        )
    fields = {pk: _entry_fields(row, visit, department) for pk, row in by_item.items()}
    finding, summary = _form_finding(own_items, fields)
    checks: dict[int, ItemCheck] = {}
    try:
        action = visit_services.visit_result_record(
            actor=actor,
            visit=visit.visit,
            department=department,
            kind=ActionKind.INSPECTION,
            items=list(own_items.values()),
            finding=finding,
            summary=summary,
            checks=[_check_row(pk, f) for pk, f in fields.items()],
        )
        checks = {c.item_id: c for c in ItemCheck.objects.filter(action=action)}
        orders = {
            checks[pk]: _order(f) for pk, f in fields.items() if f["result"] == ItemResult.FAIL
        }
        if orders:
            outcomes_checks.notice_issue(actor=actor, action=action, orders=orders)
    except ValidationError as error:
        raise _in_form_terms(error, {c.pk: pk for pk, c in checks.items()}) from None
    audit_record(
        actor=actor,
        verb="joint_form.record",
        obj=visit,
        payload={
            "department": department.code,
            "action": action.pk,
            "results": {str(k): f["result"] for k, f in fields.items()},
        },
    )
    return action


def _withdraw(check: ItemCheck, name: str) -> str:
    """Take back the rectification of a finding corrected away: only while the enterprise
    has neither reported on it nor been re-checked. The notice stays (it was issued)."""
    order = check.rectification
    if order.status != RectificationStatus.ORDERED or order.recheck_id or order.reports.exists():
        raise ValidationError(
            {
                f"result_{check.item_id}": gettext(
                    "“%(item)s”的整改企业已报告或已复查，不能再改为未发现问题"
                )
                % {"item": name}
            }
        )
    number = order.notice.number
    order.delete()
    return number


def _amend(check: ItemCheck, fields: dict, name: str) -> None:
    """A rectification's requirement, deadline or topic entered wrongly, while the
    enterprise has not reported on it yet."""
    order = check.rectification
    wanted = _order(fields)
    if all(getattr(order, k) == v for k, v in wanted.items()):
        return
    if order.status != RectificationStatus.ORDERED or order.reports.exists():
        raise ValidationError(
            {
                f"rectification_{check.item_id}": gettext(
                    "“%(item)s”的整改企业已报告或已完成，整改要求和期限不能再改"
                )
                % {"item": name}
            }
        )
    for k, v in wanted.items():
        setattr(order, k, v)
    order.save(update_fields=list(wanted))


@transaction.atomic
def form_results_correct(
    *, actor, visit: JointVisit, department, results: list[dict], reason: str
) -> list[ItemCheck]:
    """Correct a department's results entered wrongly, with the reason: its item checks
    change (outcomes.checks_correct), and so does what its enforcement action found; the
    visit still counts once. A finding that becomes one orders its rectification (on the
    action's notice if one was issued); a finding corrected away takes its rectification back
    while the enterprise has not reported on it; the notice stays. The audit event keeps the
    lines as they were."""
    visit = _lock(visit)
    own_items, by_item = _form_rows(actor, visit, department, results)
    action = _inspection(visit, department)
    checks = (
        {
            c.item_id: c
            for c in ItemCheck.objects.select_for_update(of=("self",))
            .filter(action=action, item_id__in=own_items)
            .select_related("item")
        }
        if action is not None
        else {}
    )
    if len(checks) < len(own_items):
        raise ValidationError(
            {
                "__all__": gettext("“%(department)s”尚未录入结果，请直接录入")
                % {"department": department.name}
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": gettext("请说明更正的理由，如“误将第 2 项选为不符合”")})
    lines = {pk: FormResult.of(c) for pk, c in checks.items()}
    changed = {
        pk: fields
        for pk, row in by_item.items()
        if (fields := _entry_fields(row, visit, department, lines[pk])) != _current(lines[pk])
    }
    if not changed:
        raise ValidationError({"__all__": gettext("与已录入的结果相同，没有需要更正的内容")})
    withdrawn, ordered = {}, {}
    try:
        for pk, fields in changed.items():
            check, name = checks[pk], own_items[pk].name
            has_order = lines[pk].order is not None
            if has_order and fields["result"] != ItemResult.FAIL:
                withdrawn[own_items[pk].code] = _withdraw(check, name)
            elif has_order:
                _amend(check, fields, name)
        corrected = outcomes_checks.checks_correct(
            actor=actor,
            action=action,
            rows=[_check_row(pk, f, checks[pk].serious_risk) for pk, f in changed.items()],
            reason=reason,
        )
        new_orders = {
            checks[pk]: _order(f)
            for pk, f in changed.items()
            if f["result"] == ItemResult.FAIL and lines[pk].order is None
        }
        notice = FindingNotice.objects.filter(action=action).first()
        if new_orders and notice is None:
            notice = outcomes_checks.notice_issue(actor=actor, action=action, orders=new_orders)
        elif new_orders:
            # The notice was issued: the new finding joins it (still one notice a visit).
            outcomes_checks.notice_extend(actor=actor, notice=notice, orders=new_orders)
        ordered = {check.item.code: notice.number for check in new_orders}
    except ValidationError as error:
        raise _in_form_terms(error, {c.pk: pk for pk, c in checks.items()}) from None
    finding, summary = _form_finding(
        own_items, {pk: changed.get(pk) or _current(lines[pk]) for pk in own_items}
    )
    if (action.finding, action.summary) != (finding, summary):
        enforcement_services.action_correct(
            actor=actor, action=action, finding=finding, summary=summary, reason=reason
        )
    audit_record(
        actor=actor,
        verb="joint_form.correct",
        obj=visit,
        payload={
            "department": department.code,
            "items": sorted(own_items[pk].code for pk in changed),
            "before": {str(pk): _entry_json(_current(lines[pk])) for pk in changed},
            "after": {str(pk): _entry_json(f) for pk, f in changed.items()},
            "reason": reason.strip(),
            **({"withdrawn": withdrawn} if withdrawn else {}),
            **({"ordered": ordered} if ordered else {}),
        },
    )
    return corrected


# ---------------------------------------------------------------- the enterprise's days

SLOT_HORIZON_DAYS = 366


@transaction.atomic
def slot_set(*, actor, enterprise, day: date, kind: str, note: str = "") -> EnterpriseSlot:
    """The enterprise declares a day it cannot receive inspectors, or would like them to come
    (two-way booking); the scheduler keeps to it when it plans the month."""
    require(actor, "planning.slot_declare", enterprise)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if day is None or day <= today:
        errors["date"] = gettext("只能申报明天及以后的日期")
    elif (day - today).days > SLOT_HORIZON_DAYS:
        errors["date"] = gettext("只能申报一年以内的日期")
    if kind not in SlotKind.values:
        errors["kind"] = gettext("请选择“不便接受检查”或“希望安排检查”")
    if not errors and kind == SlotKind.BLACKOUT:
        confirmed = JointVisit.objects.filter(
            enterprise=enterprise, date=day, status=JointVisitStatus.CONFIRMED
        ).exists()
        if confirmed:
            errors["date"] = gettext("%(day)s 已确认联合检查；如需改期，请联系街道协调员") % {
                "day": day
            }
    if errors:
        raise ValidationError(errors)
    slot, _ = EnterpriseSlot.objects.update_or_create(
        enterprise=enterprise, date=day, defaults={"kind": kind, "note": (note or "").strip()[:200]}
    )
    audit_record(
        actor=actor,
        verb="planning.slot_set",
        obj=slot,
        payload={"enterprise": enterprise.credit_code, "date": day.isoformat(), "kind": kind},
    )
    return slot


@transaction.atomic
def slot_delete(*, actor, slot: EnterpriseSlot) -> None:
    require(actor, "planning.slot_declare", slot.enterprise)
    if slot.date <= timezone.localdate():
        raise ValidationError({"date": gettext("已经过去或就在今天的日期不能撤回")})
    audit_record(
        actor=actor,
        verb="planning.slot_delete",
        obj=slot,
        payload={
            "enterprise": slot.enterprise.credit_code,
            "date": slot.date.isoformat(),
            "kind": slot.kind,
        },
    )
    slot.delete()
