"""Registering a visit (入企登记): the fields checked, the rules applied under the
enterprise's lock, the visit or the refusal recorded and audited, in one transaction.

The rules (rules.py) judge a registration; a refusal names each rule it breaks and the
origins that are exempt, and an override needs a reason and a second approver.
"""

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from wurao.accounts.policy import allows
from wurao.accounts.scope import Scope
from wurao.audit.services import audit_record, chain_lock_sql
from wurao.catalogue import selectors as catalogue_selectors
from wurao.common import rawsql
from wurao.registry import selectors as registry_selectors
from wurao.visits import rules as visit_rules
from wurao.visits import selectors, sql
from wurao.visits.choices import VisitKind, VisitOrigin, VisitPurpose, VisitStatus
from wurao.visits.models import Visit, VisitRefusal
from wurao.visits.services.client_requests import (
    CONFLICT,
    Answer,
    ClientCall,
    Replay,
    client_id_reused,
    client_request_check,
    client_request_keep,
    client_request_same_body,
)

# What each violation says in a refusal's answer (ViolationOutputSerializer).
VIOLATION_KEYS = ("rule", "label", "message", "visits", "joinable")


def actor_user(actor):
    """The user to store as who did it (none for the platform acting alone)."""
    return actor if getattr(actor, "pk", None) else None


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

    @property
    def answer(self) -> dict:
        """The refusal as the API answers it (RefusedOutputSerializer), kept for retries."""
        return {
            "detail": "登记未通过入企规则：" + "；".join(self.messages),
            "violations": [
                {k: found[k] for k in VIOLATION_KEYS}
                for found in (v.as_json() for v in self.violations)
            ],
            "exempt_origins": [
                {"origin": o.value, "label": str(o.label)}
                for o in VisitOrigin
                if o.label in self.exempt
            ],
        }


@dataclass(frozen=True)
class Registration:
    """What an officer (or the organisation of a non-enforcement visit) fills in. The
    enterprise, officers and items are the objects, or (from the API) their codes: the credit
    code, badge numbers and item codes, which visit_register finds inside its transaction."""

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
    if "items" not in errors and (refused := _offsite_only_error(reg, rules)):
        errors["items"] = refused
    officers = _officer_error(reg.officers, departments, day=reg.day, rules=rules)
    if officers:
        errors["officers"] = officers
    errors.update(_approval_errors(reg.approver, reg.approval_ref, reg.approved_on, today))
    return errors


def _offsite_only_error(reg: Registration, rules: visit_rules.VisitRules) -> str:
    """非举报不现场核查, at the items that bring it: not one of the rules a reason and a
    second approver may override, so it is a field error, with the way that remains."""
    breach = visit_rules.offsite_only(
        rules,
        visit_rules.Proposal(
            date=reg.day,
            origin=reg.origin,
            grade="U",  # the rule holds whatever the grade
            departments=frozenset(),
            items=frozenset(i.code for i in reg.items),
        ),
    )
    if breach is None:
        return ""
    listed = [i for i in reg.items if i.code in rules.offsite_only_items]
    return gettext(
        "【%(rule)s】检查事项 %(items)s 列为非举报不现场核查：只有投诉举报、转办移送、"
        "上级交办的检查可以现场检查，此规则不能申请突破。请改为非现场检查"
        "（调取在线监测数据、视频或企业报送材料，或远程视频检查）。"
    ) % {
        "rule": gettext(visit_rules.RULE_LABELS[visit_rules.RuleCode.OFFSITE_ONLY]),
        "items": "、".join(f"{i.code}（{i.name}）" for i in listed),
    }


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
        items=frozenset(i.code for i in reg.items),
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


def visit_register(*, actor, reg: Registration, call: ClientCall | None = None) -> Visit:
    """Register a visit before entering (or, urgently, after it, with a reason): the one
    path of the registration page and the API.

    A registration that breaks a rule is refused (`VisitRefused`) unless it carries an
    override reason: then it waits for a second approver and its code is not valid yet.
    The refusal is recorded in the transaction that judged it, with (for a `call` from the
    API) its answer, kept for retries (client_requests): one commit for all of it.
    With a client id, a retry returns the visit the first attempt created (without
    `registration`), or raises Replay with the first answer (a refusal), or a 409 for an id
    used otherwise or sent again with another body. A new visit carries `registration`: what
    it was registered from, with the objects found, so that its answer needs no query.

    The actor registers in the name of a department it may act for (visits.act_for: its own,
    or any for the bureau), with that department's officers and items (`_not_theirs_to_send`):
    the page offers no others, and the API's body may name no others either.
    """
    if not allows(actor, "visits.act_for", reg.department):
        raise PermissionDenied(
            gettext("只有“%(department)s”的人员可以以该部门的名义登记入企")
            % {"department": reg.department.name}
        )
    today = timezone.localdate()
    rules = selectors.rules_current(as_of=reg.day)
    by_codes = isinstance(reg.enterprise, str)
    if not by_codes:
        _raise_field_errors(actor, reg, rules, today)
    try:
        # One transaction from the look-up, which locks the enterprise, to the answer kept.
        # One registration at a time per enterprise: two at once must not both pass a cap,
        # and a retry waits for the first attempt and then finds its visit.
        with transaction.atomic():
            if by_codes:
                found = sql.registration_lookup(
                    user_id=getattr(actor, "pk", None),
                    client_id=reg.client_id,
                    credit_code=reg.enterprise,
                    badges=list(reg.officers),
                    item_codes=list(reg.items),
                )
                if call is not None and found.earlier_request_id:
                    client_request_check(call, registered=False)
                reg = _named(reg, found)
                _raise_field_errors(actor, reg, rules, today)
                locked = found.locked
            else:
                locked = sql.enterprise_lock(
                    enterprise_id=reg.enterprise.pk, client_id=reg.client_id
                )
            if locked.existing_visit_id:
                return _first_attempt(actor, locked.existing_visit_id, call)
            found = visit_check(reg=reg, rules=rules, standing=(locked.grade, locked.grade_effect))
            if not found or reg.override_reason.strip():
                visit = _visit_create(
                    actor=actor,
                    reg=reg,
                    found=found,
                    rules=rules,
                    today=today,
                    digest=call.digest if call is not None else "",
                )
                visit.registration = reg
                return visit
            _refusal_record(actor=actor, reg=reg, found=found, rules=rules)
            refused = VisitRefused(found, rules)
            if call is not None:
                # Read after the lock: a first attempt that committed meanwhile shows here.
                if Visit.objects.filter(client_id=reg.client_id).exists():
                    raise _RegisteredMeanwhile
                client_request_keep(call, Answer(CONFLICT, refused.answer))
    except (IntegrityError, _RegisteredMeanwhile):
        # A retry sent while the first attempt was still running waited for the
        # enterprise's lock, but its look-up had begun before the first one committed, so
        # it did not see that visit: the visit's unique client id stopped it, or the rules
        # refused it for that very visit (then the refusal was undone).
        visit = Visit.objects.filter(client_id=reg.client_id).first() if reg.client_id else None
        if visit is None:
            raise
        return _first_attempt(actor, visit.pk, call)
    raise refused


class _RegisteredMeanwhile(Exception):
    """A refused registration whose client id has a visit by now (see visit_register)."""


def _first_attempt(actor, visit_pk: int, call: ClientCall | None) -> Visit:
    """The visit an earlier attempt with the same client id registered: for a client's
    call, only this person's and only for the same body (otherwise a 409)."""
    visit = Visit.objects.get(pk=visit_pk)
    if call is not None:
        if visit.registered_by_id != getattr(actor, "pk", None):
            raise Replay(client_id_reused("register"))
        client_request_same_body(call, visit.client_digest)
    return visit


def _raise_field_errors(actor, reg: Registration, rules, today: date) -> None:
    errors = _check_fields(reg, rules, today)
    # Another department's officers are named as such (not as a department short of them);
    # an item that no department on the visit lists keeps the list's own message.
    foreign = _not_theirs_to_send(actor, reg)
    errors |= {k: v for k, v in foreign.items() if k == "officers" or k not in errors}
    if errors:
        raise ValidationError(errors)


def _not_theirs_to_send(actor, reg: Registration) -> dict:
    """Officers and items of a department the actor may not act for (visits.act_for), by
    field. A department's people register with their own officers and their own list, as the
    registration page offers: another department comes by joining the visit or naming its
    officers on it, never by being named in this one's body (it would count against that
    department's cap and start its quiet period). The bureau, or the platform, may register a
    joint inspection. The department itself has been checked (visit_register)."""
    allowed = {reg.department.pk: True}

    def sendable(obj) -> bool:
        if obj.department_id not in allowed:
            allowed[obj.department_id] = allows(actor, "visits.act_for", obj.department)
        return allowed[obj.department_id]

    errors = {}
    if officers := [f"{o.name}（{o.badge_no}）" for o in reg.officers if not sendable(o)]:
        errors["officers"] = gettext(
            "执法人员 %(officers)s 不属于本部门（%(department)s）：只能选派本部门的执法人员；"
            "其他部门请加入本次入企，指派各自的执法人员"
        ) % {"officers": "、".join(officers), "department": reg.department.name}
    if items := [i.code for i in reg.items if not sendable(i)]:
        errors["items"] = gettext(
            "检查事项 %(items)s 不在本部门（%(department)s）的检查事项清单内：只能检查本部门清单内的事项"
        ) % {"items": "、".join(items), "department": reg.department.name}
    return errors


def _named(reg: Registration, found: sql.RegistrationLookup) -> Registration:
    """The registration with the enterprise, officers and items its codes name."""
    errors: dict[str, list[str]] = {}
    if found.enterprise is None:
        errors["enterprise"] = [f"统一社会信用代码 {reg.enterprise} 不在企业库中"]
    officers = officers_named(list(reg.officers), errors, found.officers)
    items = items_named(list(reg.items), errors, found.items)
    if errors:
        raise ValidationError(errors)
    return replace(reg, enterprise=found.enterprise, officers=officers, items=items)


def officers_named(badges: list[str], errors: dict, found: dict | None = None) -> tuple:
    """Officers in the order given, in one query (none when `found` has them by badge). Any
    department's: a joint visit lists the other departments' officers too, and badges are
    public (an enterprise looks them up)."""
    if found is None:
        found = {
            o.badge_no: o
            for o in registry_selectors.inspector_list(scope=Scope(sees_all=True))
            .filter(badge_no__in=badges)
            .order_by()
        }
    if unknown := [b for b in badges if b not in found]:
        errors["officers"] = [f"执法证号 {'、'.join(unknown)} 不在执法人员库中"]
    return tuple(found[b] for b in badges if b in found)


def items_named(codes: list[str], errors: dict, found: dict | None = None) -> tuple:
    """Catalogue items in the order given, in one query (none when `found` has them by code);
    withdrawn ones too, so that the checks can say they are no longer on the list."""
    if found is None:
        found = {
            i.code: i
            for i in catalogue_selectors.item_list(filters={"active_only": False})
            .prefetch_related(None)
            .filter(code__in=codes)
            .order_by()
        }
    if unknown := [c for c in codes if c not in found]:
        errors["items"] = [
            f"检查事项编码 {'、'.join(unknown)} 不在检查事项清单中（清单之外无事项）"
        ]
    return tuple(found[c] for c in codes if c in found)


def _refusal_record(*, actor, reg: Registration, found, rules) -> None:
    """Inside visit_register's transaction, which judged it (one commit for the refusal)."""
    lock = chain_lock_sql()  # taken with the insert: one round trip fewer (see sql.visit_insert)
    refusal = VisitRefusal(
        enterprise=reg.enterprise,
        department=reg.department,
        date=reg.day,
        origin=reg.origin,
        violations=[v.as_json() for v in found],
        rule_version=rules.version,
        registered_by=actor_user(actor),
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


def _visit_create(*, actor, reg: Registration, found, rules, today: date, digest: str) -> Visit:
    """Inside visit_register's transaction, with the enterprise locked; `digest`: the
    client's request body's fingerprint, which a retry must match."""
    if found:
        status = VisitStatus.PENDING_OVERRIDE
    elif reg.day < today:
        status = VisitStatus.COMPLETED  # registered after the fact: it has happened
    else:
        status = VisitStatus.REGISTERED
    visit = Visit(
        client_id=reg.client_id,
        client_digest=digest,
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
        registered_by=actor_user(actor),
    )
    departments = {reg.department} | {o.department for o in reg.officers}
    chain_locked = sql.visit_insert(
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
