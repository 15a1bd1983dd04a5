"""The street coordinator's work on proposed visits: move, split, merge, confirm; the
enterprise's request for another slot and its days; and the consolidated form's results
(一表通查). Who may do each is the policy's (wurao.accounts.policy.planning); why a day does
not fit is read in selectors_checks.day_problems."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from wurao.accounts.policy import require
from wurao.audit.services import audit_record
from wurao.enforcement import services as enforcement_services
from wurao.enforcement.choices import ActionKind, Finding
from wurao.planning.choices import EntryStatus, ItemResult, JointVisitStatus, SlotKind
from wurao.planning.models import (
    EnterpriseSlot,
    FormEntry,
    JointVisit,
    PlannedInspection,
)
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


def _form_rows(actor, visit: JointVisit, department, results: list[dict]) -> tuple[dict, dict]:
    """The department's own items on the form and the results given for them, checked:
    every item once, a result for each, and what must be put right where an item fails."""
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
        if row.get("result") not in ItemResult.values:
            errors[f"result_{item.pk}"] = gettext("请选择“%(item)s”的检查结果") % {
                "item": item.name
            }
        elif row["result"] == ItemResult.FAIL and not (row.get("rectification") or "").strip():
            errors[f"rectification_{item.pk}"] = gettext("“%(item)s”不符合时须写明整改要求") % {
                "item": item.name
            }
        by_item[item.pk] = row
    missing = [i.name for pk, i in own_items.items() if pk not in by_item]
    if missing:
        errors["results"] = gettext("请录入全部检查事项的结果：%(items)s") % {
            "items": "、".join(missing)
        }
    if errors:
        raise ValidationError(errors)
    return own_items, by_item


def _entry_fields(row: dict) -> dict:
    return {
        "result": row["result"],
        "finding": (row.get("finding") or "").strip(),
        "rectification": (row.get("rectification") or "").strip(),
        "rectify_by": row.get("rectify_by"),
    }


def _entry_json(entry: FormEntry) -> dict:
    return {
        "result": entry.get_result_display(),
        "finding": entry.finding,
        "rectification": entry.rectification,
        "rectify_by": entry.rectify_by.isoformat() if entry.rectify_by else None,
    }


def _form_finding(own_items: dict, by_item: dict) -> tuple[str, str]:
    """What the department's enforcement action says the visit found."""
    failed = [own_items[pk].name for pk, row in by_item.items() if row["result"] == ItemResult.FAIL]
    if failed:
        return Finding.PROBLEMS, "一表通查：不符合 " + "、".join(failed)
    return Finding.CLEAN, "一表通查：所查事项均符合"


@transaction.atomic
def form_results_record(*, actor, visit: JointVisit, department, results: list[dict]):
    """One department's lines of the consolidated form — per item: result, finding,
    rectification and deadline — and its enforcement action in the enterprise's file."""
    visit = _lock(visit)
    own_items, by_item = _form_rows(actor, visit, department, results)
    if FormEntry.objects.filter(joint_visit=visit, item_id__in=own_items).exists():
        # Its action is already in the enterprise's file: a second entry would count twice.
        raise ValidationError(
            {
                "__all__": gettext("“%(department)s”已录入本次一表通查结果；如有错误，请更正")
                % {"department": department.name}
            }
        )
    FormEntry.objects.bulk_create(
        FormEntry(joint_visit=visit, item_id=pk, recorded_by=_user(actor), **_entry_fields(row))
        for pk, row in by_item.items()
    )
    finding, summary = _form_finding(own_items, by_item)
    action = visit_services.visit_result_record(
        actor=actor,
        visit=visit.visit,
        department=department,
        kind=ActionKind.INSPECTION,
        items=list(own_items.values()),
        finding=finding,
        summary=summary,
    )
    audit_record(
        actor=actor,
        verb="joint_form.record",
        obj=visit,
        payload={
            "department": department.code,
            "results": {str(k): v["result"] for k, v in by_item.items()},
        },
    )
    return action


@transaction.atomic
def form_results_correct(
    *, actor, visit: JointVisit, department, results: list[dict], reason: str
) -> list[FormEntry]:
    """Correct a department's results entered wrongly, with the reason: its lines change,
    and so does what its enforcement action found; the visit still counts once. The audit
    event keeps the lines as they were."""
    visit = _lock(visit)
    own_items, by_item = _form_rows(actor, visit, department, results)
    entries = {
        e.item_id: e for e in FormEntry.objects.filter(joint_visit=visit, item_id__in=own_items)
    }
    if len(entries) < len(own_items):
        raise ValidationError(
            {
                "__all__": gettext("“%(department)s”尚未录入结果，请直接录入")
                % {"department": department.name}
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": gettext("请说明更正的理由，如“误将第 2 项选为不符合”")})
    changed = {
        pk: fields
        for pk, row in by_item.items()
        if (fields := _entry_fields(row)) != {f: getattr(entries[pk], f) for f in fields}
    }
    if not changed:
        raise ValidationError({"__all__": gettext("与已录入的结果相同，没有需要更正的内容")})
    before = {str(pk): _entry_json(entries[pk]) for pk in changed}
    now = timezone.now()
    for pk, fields in changed.items():
        entry = entries[pk]
        for name, value in fields.items():
            setattr(entry, name, value)
        entry.corrected_at, entry.correction_reason = now, reason.strip()
        entry.recorded_by = _user(actor)
        entry.save()
    action = visit.visit.actions.filter(department=department).order_by("pk").first()
    finding, summary = _form_finding(own_items, by_item)
    if action is not None and (action.finding, action.summary) != (finding, summary):
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
            "before": before,
            "after": {str(pk): _entry_json(entries[pk]) for pk in changed},
            "reason": reason.strip(),
        },
    )
    return [entries[pk] for pk in changed]


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
