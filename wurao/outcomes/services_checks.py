"""Recording what an inspection showed, item by item, and telling the enterprise all its
findings at once with what each must have put right (一次性告知, 责令改正).

The one way in for single visits, the joint visit's 一表通查 form and off-site inspections:
each records its enforcement action first (enforcement.services.action_record), then its
items' results here, then — where it found something to put right — one notice."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from wurao.audit.services import audit_record
from wurao.enforcement.choices import Finding
from wurao.enforcement.models import EnforcementAction
from wurao.outcomes.choices import CheckResult, EvidenceKind, Hazard, RectificationStatus, Topic
from wurao.outcomes.models import Evidence, FindingNotice, ItemCheck, Rectification
from wurao.outcomes.services_findings import clashes_flag
from wurao.selfcheck.services import PHOTOS_PER_ENTRY, photo_check


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _finding_flag(action: EnforcementAction) -> str:
    """The action's finding flag as its items' results say: problems as soon as one item is a
    finding, clean once every checked item is compliant; as it was while nothing is checked
    (an action recorded with a flag alone, before item results existed, keeps it)."""
    results = set(ItemCheck.objects.filter(action=action).values_list("result", flat=True))
    if CheckResult.FINDING in results:
        flag = Finding.PROBLEMS
    elif CheckResult.COMPLIANT in results:
        flag = Finding.CLEAN
    else:
        return action.finding
    if flag != action.finding:
        # The figures and the grading read the flag: it follows the items, in this transaction.
        EnforcementAction.objects.filter(pk=action.pk).update(finding=flag)
        action.finding = flag
    return flag


def _photos_checked(by_item: dict[int, dict]) -> None:
    errors: dict[str, list[str]] = {}
    for pk, row in by_item.items():
        photos = list(row.get("photos") or ())
        if len(photos) > PHOTOS_PER_ENTRY:
            errors[f"photos_{pk}"] = [
                gettext("每个事项最多上传 %(n)s 张照片") % {"n": PHOTOS_PER_ENTRY}
            ]
            continue
        for photo in photos:
            try:
                photo_check(photo)
            except ValidationError as error:
                errors.setdefault(f"photos_{pk}", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)


def _photos_save(actor, check: ItemCheck, photos) -> list[str]:
    saved = []
    for photo in photos or ():
        name = (photo.name or "photo").rsplit("/", 1)[-1][:200]
        Evidence.objects.create(
            action_id=check.action_id,
            item_check=check,
            kind=EvidenceKind.PHOTO,
            file=photo,
            name=name,
            uploaded_by=_user(actor),
        )
        saved.append(name)
    return saved


def _rows_checked(action: EnforcementAction, rows: list[dict]) -> dict[int, dict]:
    """The rows by item id, refused together where an item is not the action's, repeats, has
    no result, or is a finding without a description."""
    own = {i.pk: i for i in action.items.all()}
    errors: dict[str, str] = {}
    by_item: dict[int, dict] = {}
    for row in rows:
        pk = getattr(row.get("item"), "pk", row.get("item"))
        item = own.get(pk)
        if item is None:
            errors["items"] = gettext("只能录入本次检查所列的检查事项")
            continue
        if pk in by_item:
            errors[f"result_{pk}"] = gettext("“%(item)s”重复录入") % {"item": item.name}
            continue
        result = row.get("result")
        if result not in CheckResult.values:
            errors[f"result_{pk}"] = gettext("请选择“%(item)s”的检查结果") % {"item": item.name}
        elif result == CheckResult.FINDING and not (row.get("description") or "").strip():
            errors[f"description_{pk}"] = gettext("“%(item)s”发现问题时须写明检查情况") % {
                "item": item.name
            }
        hazard = row.get("hazard", Hazard.NONE) or Hazard.NONE
        if hazard not in Hazard.values:
            errors[f"hazard_{pk}"] = gettext("隐患等级只能是无、一般或重大")
        elif hazard and result != CheckResult.FINDING:
            errors[f"hazard_{pk}"] = gettext("“%(item)s”未发现问题，不能登记隐患") % {
                "item": item.name
            }
        by_item[pk] = {**row, "item": item, "hazard": hazard}
    if errors:
        raise ValidationError(errors)
    return by_item


@transaction.atomic
def checks_record(*, actor, action: EnforcementAction, rows: list[dict]) -> list[ItemCheck]:
    """Each row: item (or its id), result (CheckResult), description, hazard (Hazard),
    serious_risk, and optionally photos (JPG, PNG or WebP, by content, at most 8 MB each).
    Items already recorded for the action are refused (correct them instead). The action's
    finding flag follows: problems if any item is a finding, clean if all checked are
    compliant."""
    by_item = _rows_checked(action, rows)
    _photos_checked(by_item)
    already = set(
        ItemCheck.objects.filter(action=action, item_id__in=by_item).values_list(
            "item_id", flat=True
        )
    )
    if already:
        raise ValidationError({"items": gettext("已录入过结果的事项不能重复录入，如有错误请更正")})
    checks = [
        ItemCheck.objects.create(
            action=action,
            item=row["item"],
            result=row["result"],
            description=(row.get("description") or "").strip(),
            hazard=row["hazard"],
            serious_risk=bool(row.get("serious_risk")),
            recorded_by=_user(actor),
        )
        for row in by_item.values()
    ]
    photos = {
        check.item.code: _photos_save(actor, check, by_item[check.item_id].get("photos"))
        for check in checks
    }
    flag = _finding_flag(action)
    audit_record(
        actor=actor,
        verb="outcomes.checks_record",
        obj=action,
        payload={
            "results": {row["item"].code: row["result"] for row in by_item.values()},
            "hazards": {r["item"].code: r["hazard"] for r in by_item.values() if r["hazard"]},
            "photos": {code: names for code, names in photos.items() if names},
            "finding": flag,
        },
    )
    return checks


@transaction.atomic
def checks_correct(
    *, actor, action: EnforcementAction, rows: list[dict], reason: str
) -> list[ItemCheck]:
    """Correct items' results entered wrongly, with the reason; the audit event keeps what
    they said before. A finding that already has a rectification keeps it."""
    if not reason.strip():
        raise ValidationError({"reason": gettext("请说明更正的理由")})
    by_item = _rows_checked(action, rows)
    _photos_checked(by_item)
    current = {
        c.item_id: c
        for c in ItemCheck.objects.select_for_update().filter(action=action, item_id__in=by_item)
    }
    before, changed = {}, []
    now = timezone.now()
    for pk, row in by_item.items():
        check = current.get(pk)
        if check is None:
            raise ValidationError(
                {f"result_{pk}": gettext("“%(item)s”还没有录入结果") % {"item": row["item"].name}}
            )
        if row["result"] != CheckResult.FINDING and hasattr(check, "rectification"):
            raise ValidationError(
                {
                    f"result_{pk}": gettext("“%(item)s”已下达整改，不能改为未发现问题")
                    % {"item": row["item"].name}
                }
            )
        before[row["item"].code] = [check.result, check.description, check.hazard]
        check.result = row["result"]
        check.description = (row.get("description") or "").strip()
        check.hazard = row["hazard"]
        check.serious_risk = bool(row.get("serious_risk"))
        check.corrected_at, check.correction_reason = now, reason.strip()
        check.save()
        changed.append(check)
    photos = {
        c.item.code: _photos_save(actor, c, by_item[c.item_id].get("photos")) for c in changed
    }
    flag = _finding_flag(action)
    audit_record(
        actor=actor,
        verb="outcomes.checks_correct",
        obj=action,
        payload={
            "before": before,
            "after": {c.item.code: [c.result, c.description, c.hazard] for c in changed},
            "reason": reason.strip(),
            "photos": {code: names for code, names in photos.items() if names},
            "finding": flag,
        },
    )
    return changed


def notice_number(action: EnforcementAction, day: date) -> str:
    """责令改正通知书 number: the department's code, the year and the action's id."""
    return f"{action.department.code}-责改〔{day.year}〕{action.pk}号"


def _orders_checked(findings: dict[int, ItemCheck], orders: dict, day: date) -> dict[int, dict]:
    """The orders by ItemCheck id, refused together where one names no finding of `findings`,
    a finding has none, or a requirement, deadline (not before `day`) or topic is missing."""
    wanted = {getattr(k, "pk", k): v for k, v in orders.items()}
    errors: dict[str, str] = {}
    if wanted.keys() - findings.keys():
        errors["orders"] = gettext("只能对本次检查发现的问题下达整改")
    for pk, check in findings.items():
        order = wanted.get(pk)
        name = check.item.name
        if order is None:
            errors[f"requirement_{pk}"] = gettext(
                "“%(item)s”发现的问题须一并告知并写明整改要求"
            ) % {"item": name}
            continue
        if not (order.get("requirement") or "").strip():
            errors[f"requirement_{pk}"] = gettext("请写明“%(item)s”的整改要求") % {"item": name}
        deadline = order.get("deadline")
        if not isinstance(deadline, date):
            errors[f"deadline_{pk}"] = gettext("请填写“%(item)s”的整改期限") % {"item": name}
        elif deadline < day:
            errors[f"deadline_{pk}"] = gettext("整改期限不能早于告知日期 %(day)s") % {
                "day": day.isoformat()
            }
        if order.get("topic") not in Topic.values:
            errors[f"topic_{pk}"] = gettext("请选择“%(item)s”的整改领域") % {"item": name}
    if errors:
        raise ValidationError(errors)
    return wanted


@transaction.atomic
def notice_issue(
    *, actor, action: EnforcementAction, orders: dict, day: date | None = None
) -> FindingNotice:
    """Tell the enterprise every finding of the action at once, each with its rectification.

    `orders` maps an ItemCheck (or its id) to {"requirement", "deadline", "topic"}. Every
    finding of the action must be in it: a notice that leaves one out would not be 一次性告知.
    """
    day = day or action.date
    findings = {
        c.pk: c
        for c in ItemCheck.objects.filter(action=action, result=CheckResult.FINDING).select_related(
            "item"
        )
    }
    if not findings:
        raise ValidationError({"__all__": gettext("本次检查没有发现问题，无需告知整改")})
    if FindingNotice.objects.filter(action=action).exists():
        raise ValidationError({"__all__": gettext("本次检查的问题已经告知，不能重复告知")})
    wanted = _orders_checked(findings, orders, day)
    notice = FindingNotice.objects.create(
        action=action, number=notice_number(action, day), issued_on=day, issued_by=_user(actor)
    )
    rectifications = Rectification.objects.bulk_create(
        Rectification(
            item_check=check,
            notice=notice,
            enterprise_id=action.enterprise_id,
            department_id=action.department_id,
            topic=wanted[pk]["topic"],
            requirement=wanted[pk]["requirement"].strip(),
            deadline=wanted[pk]["deadline"],
            status=RectificationStatus.ORDERED,
        )
        for pk, check in findings.items()
    )
    audit_record(
        actor=actor,
        verb="outcomes.notice_issue",
        obj=notice,
        payload={
            "action": action.pk,
            "enterprise": action.enterprise.credit_code,
            "rectifications": {
                check.item.code: wanted[pk]["deadline"].isoformat()
                for pk, check in findings.items()
            },
        },
    )
    # Another department may already ask something of the same enterprise on the same topic.
    clashes_flag(
        actor=actor, enterprise=action.enterprise, topics={r.topic for r in rectifications}
    )
    return notice


@transaction.atomic
def notice_extend(*, actor, notice: FindingNotice, orders: dict) -> list[Rectification]:
    """Findings of the notice's action that became findings after it was issued (a result
    corrected on the 一表通查 form) join it, each with its rectification: still one notice an
    inspection. `orders` as for notice_issue, for exactly those findings."""
    action = notice.action
    findings = {
        c.pk: c
        for c in ItemCheck.objects.filter(
            action=action, result=CheckResult.FINDING, rectification__isnull=True
        ).select_related("item")
    }
    wanted = _orders_checked(findings, orders, notice.issued_on)
    rectifications = Rectification.objects.bulk_create(
        Rectification(
            item_check=check,
            notice=notice,
            enterprise_id=action.enterprise_id,
            department_id=action.department_id,
            topic=wanted[pk]["topic"],
            requirement=wanted[pk]["requirement"].strip(),
            deadline=wanted[pk]["deadline"],
            status=RectificationStatus.ORDERED,
        )
        for pk, check in findings.items()
    )
    audit_record(
        actor=actor,
        verb="outcomes.notice_extend",
        obj=notice,
        payload={
            "action": action.pk,
            "rectifications": {
                check.item.code: wanted[pk]["deadline"].isoformat()
                for pk, check in findings.items()
            },
        },
    )
    clashes_flag(
        actor=actor, enterprise=action.enterprise, topics={r.topic for r in rectifications}
    )
    return rectifications
