"""Writes on the visit registry. Each is one atomic function that also records an audit event.

The rules (rules.py) judge a registration; a refusal names each rule it breaks and the
origins that are exempt, and an override needs a reason and a second approver.
"""

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext
from stdnum.cn import uscc

from wurao.accounts.choices import Role
from wurao.audit.services import audit_record, chain_lock_sql
from wurao.common import rawsql
from wurao.enforcement.choices import Finding, Origin
from wurao.enforcement.services import action_correct, action_record
from wurao.visits import rules as visit_rules
from wurao.visits import selectors
from wurao.visits.choices import (
    CheckInMethod,
    RatingTag,
    VisitKind,
    VisitOrigin,
    VisitPurpose,
    VisitStatus,
)
from wurao.visits.models import Visit, VisitRating, VisitRefusal, VisitRuleVersion


class VisitRefused(ValidationError):
    """The registration breaks the visit rules. `violations` name each rule; `exempt` lists
    the origins that would be allowed (as labels)."""

    def __init__(self, found: list[visit_rules.Violation], rules: visit_rules.VisitRules):
        self.violations = found
        self.exempt = [
            VisitOrigin(o).label for o in visit_rules.ORIGINS if o in rules.exempt_origins
        ]
        lines = [f"【{gettext(visit_rules.RULE_LABELS[v.rule])}】{v.message}" for v in found]
        super().__init__({"__all__": lines})


@dataclass(frozen=True)
class Registration:
    """What an officer (or the organisation of a non-enforcement visit) fills in."""

    enterprise: object
    kind: str
    department: object
    day: date
    origin: str = ""
    purpose: str = ""
    officers: tuple = ()
    items: tuple = ()
    note: str = ""
    approver: str = ""
    approval_ref: str = ""
    approved_on: date | None = None
    late_reason: str = ""
    override_reason: str = ""
    client_id: UUID | None = None


def _actor_user(actor):
    return actor if getattr(actor, "pk", None) else None


def _check_fields(reg: Registration, rules: visit_rules.VisitRules, today: date) -> dict:
    """Field errors, in Chinese, keyed by field: all of them at once."""
    errors: dict[str, str] = {}
    if reg.kind not in VisitKind.values:
        errors["kind"] = gettext("请选择入企类别（执法检查或非执法入企）")
        return errors
    if reg.day > today + timedelta(days=92):
        errors["day"] = gettext("只能登记 3 个月内的入企")
    elif reg.day < today:
        late = (today - reg.day).days
        if late > rules.late_registration_days:
            errors["day"] = gettext("入企日期已过 %(late)s 日，超过事后补登期限 %(limit)s 日") % {
                "late": late,
                "limit": rules.late_registration_days,
            }
        elif not reg.late_reason.strip():
            errors["late_reason"] = gettext("入企日期早于今天，属于事后补登，请说明紧急情况的理由")
    if reg.kind == VisitKind.NON_ENFORCEMENT:
        if reg.purpose not in VisitPurpose.values:
            errors["purpose"] = gettext("请选择来访事由类别")
        if not reg.note.strip():
            errors["note"] = gettext("请填写来访事由")
        return errors

    if reg.origin not in VisitOrigin.values:
        errors["origin"] = gettext("请选择检查来源")
    if not reg.department.is_enforcement:
        errors["department"] = gettext("“%(department)s”不是执法主体，其入企请登记为非执法入企") % {
            "department": reg.department.name
        }
    if not reg.items:
        errors["items"] = gettext("请从检查事项清单中选择本次检查的事项（清单之外无事项）")
    departments = {reg.department.pk} | {o.department_id for o in reg.officers}
    foreign = [i.code for i in reg.items if not i.active or i.department_id not in departments]
    if foreign:
        errors["items"] = gettext("检查事项 %(items)s 不在入企部门公布的有效检查事项清单内") % {
            "items": "、".join(foreign)
        }
    officers = _officer_error(reg.officers, departments, day=reg.day, rules=rules)
    if officers:
        errors["officers"] = officers
    errors.update(_approval_errors(reg.approver, reg.approval_ref, reg.approved_on, today))
    return errors


def registration_errors(reg: Registration) -> dict:
    """What is wrong with the registration's fields, by field (the rules not yet applied)."""
    return _check_fields(reg, selectors.rules_current(as_of=reg.day), timezone.localdate())


def _officer_error(officers, departments, *, day: date, rules) -> str:
    """What is wrong with the officers sent: each must be on duty with a certificate valid on
    the day, and every department on site must send at least `min_officers`."""
    problems, fit = [], Counter()
    for o in officers:
        if not o.active:
            problems.append(
                gettext("%(name)s（%(badge)s）不在岗") % {"name": o.name, "badge": o.badge_no}
            )
        elif o.certificate_valid_until and o.certificate_valid_until < day:
            problems.append(
                gettext("%(name)s（%(badge)s）的执法证有效期至 %(until)s，早于入企日期 %(day)s")
                % {
                    "name": o.name,
                    "badge": o.badge_no,
                    "until": o.certificate_valid_until,
                    "day": day,
                }
            )
        else:
            fit[o.department_id] += 1
    if any(fit[d] < rules.min_officers for d in departments):
        problems.append(
            gettext("每个检查部门的执法人员不得少于 %(count)s 人") % {"count": rules.min_officers}
        )
    return gettext("；").join(problems)


def _approval_errors(approver: str, approval_ref: str, approved_on, today: date) -> dict:
    """行政检查审批: who approved, under which reference, on which day (not after today);
    each missing or wrong part at its own field."""
    errors = {}
    if not approver.strip():
        errors["approver"] = gettext("行政检查须经部门负责人审批：请填写审批人")
    if not approval_ref.strip():
        errors["approval_ref"] = gettext("请填写审批文号")
    if not approved_on:
        errors["approved_on"] = gettext("请填写审批日期")
    elif approved_on > today:
        errors["approved_on"] = gettext("审批日期 %(day)s 晚于今天：须先审批，再登记") % {
            "day": approved_on
        }
    return errors


def visit_check(
    *,
    reg: Registration,
    rules: visit_rules.VisitRules | None = None,
    exclude_pk: int | None = None,
    standing: tuple[str, dict | None] | None = None,
) -> list[visit_rules.Violation]:
    """The rules a proposed inspection would break (none for non-enforcement visits).
    `standing` is the enterprise's grade and its effect when the caller has read them."""
    if reg.kind != VisitKind.INSPECTION:
        return []
    rules = rules or selectors.rules_current(as_of=reg.day)
    grade, effect = standing or selectors.enterprise_grade(enterprise_id=reg.enterprise.pk)
    departments = {reg.department: None} | {o.department: None for o in reg.officers}
    proposal = visit_rules.Proposal(
        date=reg.day,
        origin=reg.origin,
        grade=grade,
        departments=frozenset(d.pk for d in departments),
        matters=frozenset((selectors.matter_key(i), i.department.level) for i in reg.items),
    )
    history = selectors.enterprise_history(
        enterprise_id=reg.enterprise.pk, around=reg.day, exclude_pk=exclude_pk
    )
    return visit_rules.violations(
        rules,
        proposal,
        history,
        limits=rules.grade_limits(grade, effect),
        department_names={d.pk: d.name for d in departments},
    )


def visit_register(
    *, actor, reg: Registration, locked: selectors.Locked | None = None, on_refusal=None
) -> Visit:
    """Register a visit before entering (or, urgently, after it, with a reason).

    A registration that breaks a rule is refused (`VisitRefused`) unless it carries an
    override reason: then it waits for a second approver and its code is not valid yet.
    The refusal is recorded; `on_refusal(refused)` is called in the same transaction (the
    API keeps its answer for retries there: one commit for all of it).
    With a client id, a retry returns the visit the first attempt created.
    `locked`: the caller's transaction already holds the enterprise's lock and read this
    with it (selectors.registration_lookup); otherwise the lock is taken here.
    """
    today = timezone.localdate()
    rules = selectors.rules_current(as_of=reg.day)
    errors = _check_fields(reg, rules, today)
    if errors:
        raise ValidationError(errors)
    # Within a caller's transaction, no savepoint: nothing here is meant to be undone alone.
    with transaction.atomic(savepoint=False):
        # One registration at a time per enterprise: two at once must not both pass a cap,
        # and a retry waits for the first attempt and then finds its visit.
        locked = locked or selectors.enterprise_lock(
            enterprise_id=reg.enterprise.pk, client_id=reg.client_id
        )
        if locked.existing_visit_id:
            return Visit.objects.get(pk=locked.existing_visit_id)
        found = visit_check(reg=reg, rules=rules, standing=(locked.grade, locked.grade_effect))
        if not found or reg.override_reason.strip():
            return _visit_create(actor=actor, reg=reg, found=found, rules=rules, today=today)
        _refusal_record(actor=actor, reg=reg, found=found, rules=rules)
        refused = VisitRefused(found, rules)
        if on_refusal is not None:
            on_refusal(refused)
    raise refused


def _refusal_record(*, actor, reg: Registration, found, rules) -> None:
    """Inside visit_register's transaction, which judged it (one commit for the refusal)."""
    lock = chain_lock_sql()  # taken with the insert: one round trip fewer (see _visit_insert)
    refusal = VisitRefusal(
        enterprise=reg.enterprise,
        department=reg.department,
        date=reg.day,
        origin=reg.origin,
        violations=[v.as_json() for v in found],
        rule_version=rules.version,
        registered_by=_actor_user(actor),
    )
    rawsql.insert(refusal, also=lock)
    audit_record(
        chain_locked=lock is not None,
        actor=actor,
        verb="visit.refuse",
        obj=refusal,
        payload={
            "enterprise": reg.enterprise.credit_code,
            "department": reg.department.code,
            "date": reg.day.isoformat(),
            "origin": reg.origin,
            "rules": [str(v.rule) for v in found],
        },
    )


def _visit_create(*, actor, reg: Registration, found, rules, today: date) -> Visit:
    """Inside visit_register's transaction, with the enterprise locked."""
    if found:
        status = VisitStatus.PENDING_OVERRIDE
    elif reg.day < today:
        status = VisitStatus.COMPLETED  # registered after the fact: it has happened
    else:
        status = VisitStatus.REGISTERED
    visit = Visit(
        client_id=reg.client_id,
        enterprise=reg.enterprise,
        kind=reg.kind,
        origin=reg.origin if reg.kind == VisitKind.INSPECTION else "",
        purpose=reg.purpose if reg.kind == VisitKind.NON_ENFORCEMENT else "",
        department=reg.department,
        date=reg.day,
        note=reg.note.strip(),
        approver=reg.approver.strip(),
        approval_ref=reg.approval_ref.strip(),
        approved_on=reg.approved_on,
        status=status,
        after_the_fact=reg.day < today,
        late_reason=reg.late_reason.strip() if reg.day < today else "",
        rule_version=rules.version,
        violations=[v.as_json() for v in found],
        override_reason=reg.override_reason.strip() if found else "",
        registered_by=_actor_user(actor),
    )
    departments = {reg.department} | {o.department for o in reg.officers}
    chain_locked = _visit_insert(
        visit, departments=departments, officers=reg.officers, items=reg.items
    )
    audit_record(
        chain_locked=chain_locked,
        actor=actor,
        verb="visit.override_request" if found else "visit.register",
        obj=visit,
        payload={
            "code": visit.code,
            "enterprise": reg.enterprise.credit_code,
            "kind": reg.kind,
            "origin": visit.origin,
            "purpose": visit.purpose,
            "date": reg.day.isoformat(),
            "departments": sorted(d.code for d in departments),
            "officers": sorted(o.badge_no for o in reg.officers),
            "items": sorted(i.code for i in reg.items),
            "after_the_fact": visit.after_the_fact,
            "violations": [str(v.rule) for v in found],
            "override_reason": visit.override_reason,
        },
    )
    return visit


def _visit_insert(visit: Visit, **links) -> bool:
    """Save a new visit with its departments, officers and items, in SQL: every registration
    does it, and the ORM took longer to build these statements than the database to run
    them (a new visit has no links, so `.set()`'s look-ups are not needed either). On
    PostgreSQL one statement writes all four tables (each link table in a data-modifying
    WITH, with the ids as an array) and takes the audit chain's lock for the event that
    follows (True: taken); on SQLite, in-process, one statement a table."""
    quote = connection.ops.quote_name
    sql, params = rawsql.insert_statement(visit)
    tables = []
    for name, objects in links.items():
        field = Visit._meta.get_field(name)
        table = quote(field.m2m_db_table())
        columns = f"{quote(field.m2m_column_name())}, {quote(field.m2m_reverse_name())}"
        tables.append((f"{table} ({columns})", sorted({o.pk for o in objects})))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            writes = [f"visit AS ({sql})"] + [
                f"link{n} AS (INSERT INTO {target} SELECT visit.id, unnest(%s::bigint[]) FROM visit)"
                for n, (target, _) in enumerate(tables)
            ]
            lock, lock_params = chain_lock_sql()
            cursor.execute(
                f"WITH {', '.join(writes)} SELECT id, {lock} FROM visit",
                params + [pks for _, pks in tables] + lock_params,
            )
            rawsql.inserted(visit, cursor.fetchone()[0])
            return True
        cursor.execute(sql, params)
        rawsql.inserted(visit, cursor.fetchone()[0])
        for target, pks in tables:
            if pks:
                cursor.execute(
                    f"INSERT INTO {target} VALUES " + ", ".join(["(%s, %s)"] * len(pks)),
                    [value for pk in pks for value in (visit.pk, pk)],
                )
    return False


def _may_decide_override(actor, visit: Visit) -> bool:
    if actor.is_superuser or actor.role == Role.JUSTICE:
        return True
    return actor.role == Role.DEPT_ADMIN and actor.department_id == visit.department_id


@transaction.atomic
def visit_override_decide(*, actor, visit: Visit, approve: bool, note: str = "") -> Visit:
    """The second approver's decision on a registration that breaks a rule."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.status != VisitStatus.PENDING_OVERRIDE:
        raise ValidationError(
            {
                "__all__": gettext("该入企登记当前为“%(status)s”，无需审批")
                % {"status": visit.get_status_display()}
            }
        )
    if not _may_decide_override(actor, visit):
        raise PermissionDenied(gettext("只有牵头部门的管理员或司法局可以审批突破规则的入企"))
    if visit.registered_by_id == actor.pk:
        raise ValidationError({"__all__": gettext("突破规则须由登记人以外的第二人审批")})
    if not approve and not note.strip():
        raise ValidationError({"note": gettext("不批准时请说明理由")})
    visit.status = VisitStatus.REGISTERED if approve else VisitStatus.REJECTED
    if approve and visit.date < timezone.localdate():
        visit.status = VisitStatus.COMPLETED
    visit.override_approved_by = actor
    visit.override_decided_at = timezone.now()
    if not approve:
        visit.cancel_reason = note.strip()
    visit.save(
        update_fields=["status", "override_approved_by", "override_decided_at", "cancel_reason"]
    )
    audit_record(
        actor=actor,
        verb="visit.override_approve" if approve else "visit.override_reject",
        obj=visit,
        payload={
            "code": visit.code,
            "note": note.strip(),
            "rules": [v["rule"] for v in visit.violations],
        },
    )
    return visit


def _lock(visit: Visit) -> Visit:
    return Visit.objects.select_for_update().get(pk=visit.pk)


def _acts_for(actor, department) -> bool:
    """The actor may act in the name of the department: its own people, or the bureau."""
    if actor.is_superuser or actor.role == Role.JUSTICE:
        return True
    return actor.role in (Role.DEPT_ADMIN, Role.INSPECTOR) and actor.department_id == department.pk


def _must_take_part(actor, visit: Visit) -> None:
    if actor.is_superuser or actor.role == Role.JUSTICE:
        return
    if actor.department_id and visit.departments.filter(pk=actor.department_id).exists():
        return
    raise PermissionDenied(gettext("只有参加本次入企的部门可以操作"))


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
    errors = {}
    foreign = [f"{o.name}（{o.badge_no}）" for o in officers if o.department_id != department.pk]
    if foreign:
        errors["officers"] = gettext("%(officers)s 不是%(department)s的执法人员") % {
            "officers": "、".join(foreign),
            "department": department.name,
        }
    else:
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
):
    """What one department found during the visit: an EnforcementAction in the enterprise's
    file, linked to the visit (a joint visit still counts once)."""
    if not _acts_for(actor, department):
        raise PermissionDenied(
            gettext("只有“%(department)s”的人员可以录入该部门的检查结果")
            % {"department": department.name}
        )
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
    return action_record(
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


@transaction.atomic
def visit_rate(*, actor, visit: Visit, score: int, tags=(), comment: str = "") -> VisitRating:
    """The enterprise rates a finished visit, once. No user is stored with the rating."""
    visit = _lock(visit)  # the caller's copy may predate the check-out
    if actor.role != Role.ENTERPRISE or actor.enterprise_id != visit.enterprise_id:
        raise PermissionDenied(gettext("只有被检查企业可以评价本次入企"))
    if visit.status != VisitStatus.COMPLETED:
        raise ValidationError({"__all__": gettext("入企结束后才能评价")})
    days = settings.VISIT_RATING_DAYS
    if visit.date < timezone.localdate() - timedelta(days=days):
        raise ValidationError(
            {
                "__all__": gettext("只能评价 %(days)s 日内结束的入企（本次入企是 %(day)s）")
                % {"days": days, "day": visit.date}
            }
        )
    if not (isinstance(score, int) and not isinstance(score, bool) and 1 <= score <= 5):
        raise ValidationError({"score": gettext("评分须为 1 到 5 分")})
    if isinstance(tags, str):
        tags = [tags]
    unknown = [str(t) for t in tags if t not in RatingTag.values]
    if unknown:
        raise ValidationError(
            {"tags": gettext("未知的评价标签：%(tags)s") % {"tags": "、".join(unknown)}}
        )
    if VisitRating.objects.filter(visit=visit).exists():
        raise ValidationError({"__all__": gettext("已评价过本次入企")})
    rating = VisitRating.objects.create(
        visit=visit,
        score=score,
        tags=sorted(set(tags)),
        comment=comment.strip()[:1000],
        rated_on=timezone.localdate(),
    )
    # The audit log keeps that a rating was made, not what it says.
    audit_record(actor=actor, verb="visit.rate", obj=rating, payload={"code": visit.code})
    return rating


@transaction.atomic
def visit_rules_publish(
    *, actor, doc: dict, effective_from: date, note: str = ""
) -> VisitRuleVersion:
    """A new version of the rules; it judges registrations from its effective date on."""
    if actor.role != Role.JUSTICE and not actor.is_superuser:
        raise PermissionDenied(gettext("入企规则由司法局制定"))
    latest = VisitRuleVersion.objects.select_for_update().order_by("-version").first()
    number = (latest.version if latest else 0) + 1
    try:
        visit_rules.rules_from_json(doc, version=number, effective_from=effective_from)
    except visit_rules.RulesError as e:
        raise ValidationError({path: message for path, message in e.problems}) from e
    if latest and effective_from < latest.effective_from:
        raise ValidationError(
            {
                "effective_from": gettext("生效日期不能早于第 %(version)s 版（%(day)s）")
                % {"version": latest.version, "day": latest.effective_from}
            }
        )
    if not note.strip():
        raise ValidationError({"note": gettext("请填写修订说明")})
    selectors.rules_cache_clear()
    row = VisitRuleVersion.objects.create(
        version=number,
        effective_from=effective_from,
        rules=doc,
        note=note.strip(),
        created_by=_actor_user(actor),
    )
    audit_record(
        actor=actor,
        verb="visit_rules.publish",
        obj=row,
        payload={"version": number, "effective_from": effective_from.isoformat(), "rules": doc},
    )
    return row


@transaction.atomic
def visit_record_planned(
    *,
    actor,
    source_ref: str,
    enterprise,
    department,
    day: date,
    origin: str,
    officers=(),
    items=(),
    note: str = "",
) -> Visit:
    """The visit on which a platform-planned inspection (a random-draw task, a scheduled joint
    visit) was carried out, found by its source or recorded now: every department reporting
    on the same source joins the same visit, so a joint inspection counts once."""
    visit = Visit.objects.select_for_update().filter(source_ref=source_ref).first()
    created = visit is None
    if created:
        visit = Visit.objects.create(
            source_ref=source_ref,
            enterprise=enterprise,
            kind=VisitKind.INSPECTION,
            origin=origin,
            department=department,
            date=day,
            note=note,
            status=VisitStatus.COMPLETED,
            rule_version=selectors.rules_current(as_of=day).version,
            registered_by=_actor_user(actor),
        )
    elif visit.enterprise_id != enterprise.pk:
        raise ValidationError(
            {
                "source_ref": gettext("来源 %(source)s 已登记为另一企业的入企")
                % {"source": source_ref}
            }
        )
    visit.departments.add(department)
    visit.officers.add(*officers)
    visit.items.add(*items)
    audit_record(
        actor=actor,
        verb="visit.record_planned" if created else "visit.join",
        obj=visit,
        payload={
            "code": visit.code,
            "source": source_ref,
            "enterprise": enterprise.credit_code,
            "department": department.code,
            "date": day.isoformat(),
            "officers": sorted(o.badge_no for o in officers),
            "items": sorted(i.code for i in items),
        },
    )
    return visit


def visit_register_joint(
    *, actor, source_ref: str, enterprise, departments, items, day: date, note: str = ""
) -> Visit:
    """Register a joint visit the street coordinator confirmed from the plans: one Visit with
    every department on it, judged by the same rules as any inspection (the visit counts once
    toward each department's cap). Officers join later, each department its own."""
    departments = list(departments)
    rules = selectors.rules_current(as_of=day)
    grade, limits = selectors.enterprise_limits(enterprise_id=enterprise.pk, rules=rules)
    proposal = visit_rules.Proposal(
        date=day,
        origin=VisitOrigin.JOINT,
        grade=grade,
        departments=frozenset(d.pk for d in departments),
        matters=frozenset((selectors.matter_key(i), i.department.level) for i in items),
    )
    history = selectors.enterprise_history(enterprise_id=enterprise.pk, around=day)
    found = visit_rules.violations(
        rules,
        proposal,
        history,
        limits=limits,
        department_names={d.pk: d.name for d in departments},
    )
    if found:
        raise VisitRefused(found, rules)
    with transaction.atomic():
        visit = Visit.objects.create(
            source_ref=source_ref,
            enterprise=enterprise,
            kind=VisitKind.INSPECTION,
            origin=VisitOrigin.JOINT,
            department=departments[0],
            date=day,
            note=note,
            status=VisitStatus.REGISTERED,
            rule_version=rules.version,
            registered_by=_actor_user(actor),
        )
        visit.departments.set(departments)
        visit.items.set(items)
        audit_record(
            actor=actor,
            verb="visit.register_joint",
            obj=visit,
            payload={
                "code": visit.code,
                "source": source_ref,
                "enterprise": enterprise.credit_code,
                "date": day.isoformat(),
                "departments": sorted(d.code for d in departments),
                "items": sorted(i.code for i in items),
            },
        )
    return visit
