"""The duty record (尽职记录): every procedural step of a case, a visit or an enforcement action
as the audit chain holds it — who, in which role, when, what — with the chain's verification
of those steps, so an officer can show what was done when accountability is reviewed
(尽职免责).

The steps are the events whose object is the record itself or a record that belongs to it
(case → its findings' actions and visits, the decided action, notices, rectifications,
reports, evidence, documents generated; visit → its actions and theirs…). Reads are not
steps and are left out (verbs "read.*"), except the generation of a document.

Verification, without reading the whole log on a page view (the nightly job and
`wurao audit_verify` check all of it):

- each event's stored hash is recomputed from its content (engine.event_hash);
- each event chains to the one before it (its prev_hash is that event's hash) and the one
  after it chains to it, so an event changed and re-hashed alone shows too;
- the newest signed anchor at or after the last step: its signature verified with the keys
  configured outside the database, and the event it signed still has the signed hash;
- when the stretch from the first step to that anchor (or to the event after the last step,
  with no anchor) is at most SPAN_LIMIT events, every event of it is checked the same way,
  so the anchor vouches for the steps; a longer stretch is checked around each step.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wurao.accounts.scope import Scope
from wurao.audit.engine import GENESIS, ChainFault, Fault, event_hash
from wurao.audit.keys import trusted_public_keys
from wurao.audit.models import AuditAnchor, AuditEvent
from wurao.audit.signing import anchor_message, signature_valid
from wurao.audit.verification import fault_reason
from wurao.enforcement.models import EnforcementAction
from wurao.outcomes.models import (
    Case,
    Evidence,
    FindingNotice,
    ItemCheck,
    Rectification,
    RectificationReport,
)

# A visit's model, through the enforcement action's link to it: visits sits above outcomes.
Visit = EnforcementAction._meta.get_field("visit").related_model

SPAN_LIMIT = 50_000
DOCUMENT_VERB = "outcomes.document_generate"
DUTY_READ_VERB = "read.duty_record"

# What each verb did, in plain Chinese. A verb missing here shows as itself.
VERBS = {
    "visit.register": gettext_lazy("登记入企"),
    "visit.override_request": gettext_lazy("申请突破入企规则"),
    "visit.override_approve": gettext_lazy("批准突破入企规则"),
    "visit.override_reject": gettext_lazy("驳回突破入企规则的申请"),
    "visit.refuse": gettext_lazy("入企登记被规则拒绝"),
    "visit.record_planned": gettext_lazy("登记计划内入企"),
    "visit.join": gettext_lazy("加入入企"),
    "visit.register_joint": gettext_lazy("登记联合入企"),
    "visit.staff": gettext_lazy("调整入企执法人员"),
    "visit.check_in": gettext_lazy("入企签到"),
    "visit.check_out": gettext_lazy("签退离企"),
    "visit.cancel": gettext_lazy("撤销入企登记"),
    "visit.rate": gettext_lazy("企业评价入企"),
    "enforcement_action.record": gettext_lazy("记录执法行为"),
    "enforcement_action.correct": gettext_lazy("更正执法行为"),
    "joint_form.record": gettext_lazy("录入一表通查检查结果"),
    "joint_form.correct": gettext_lazy("更正一表通查检查结果"),
    "outcomes.checks_record": gettext_lazy("逐项录入检查结果"),
    "outcomes.checks_correct": gettext_lazy("更正检查结果"),
    "outcomes.notice_issue": gettext_lazy("一次性告知问题，下达责令改正通知书"),
    "outcomes.notice_extend": gettext_lazy("更正后新发现的问题补入责令改正通知书"),
    "outcomes.offsite_evidence": gettext_lazy("登记非现场检查的证据材料"),
    "outcomes.rectification_report": gettext_lazy("企业报告整改情况"),
    "outcomes.notice_seen": gettext_lazy("企业查阅责令改正通知书"),
    "outcomes.report_reject": gettext_lazy("退回整改报告"),
    "outcomes.rectification_close": gettext_lazy("核查确认整改完成"),
    "outcomes.rectification_recheck": gettext_lazy("整改复查"),
    "outcomes.rectification_overdue": gettext_lazy("整改逾期"),
    "outcomes.case_open": gettext_lazy("立案"),
    "outcomes.case_notify": gettext_lazy("告知陈述、申辩和听证权利"),
    "outcomes.case_decide": gettext_lazy("作出决定"),
    "outcomes.case_exemption_override": gettext_lazy(
        "作出处罚决定（不采纳免罚建议，书面说明理由）"
    ),
    "outcomes.case_observation_override": gettext_lazy(
        "作出处罚决定（观察期内不采纳柔性措施建议，书面说明理由）"
    ),
    "outcomes.case_close": gettext_lazy("结案"),
    DOCUMENT_VERB: gettext_lazy("生成文书"),
}

OBJECTS = {
    "outcomes.case": gettext_lazy("案件"),
    "enforcement.enforcementaction": gettext_lazy("执法行为"),
    "visits.visit": gettext_lazy("入企登记"),
    "outcomes.findingnotice": gettext_lazy("责令改正通知书"),
    "outcomes.rectification": gettext_lazy("整改"),
    "outcomes.rectificationreport": gettext_lazy("整改报告"),
    "outcomes.itemcheck": gettext_lazy("检查事项结果"),
    "outcomes.evidence": gettext_lazy("证据材料"),
}


def _label(model) -> str:
    return model._meta.label_lower


# ---------------------------------------------------------------- which records, in scope


def _scoped(qs, scope: Scope, inspector_id: int | None, *, departments: str = ""):
    """The department of the record (for a visit, any department on it), the bureau, and an
    officer named on it. Streets and enterprises never."""
    if scope.sees_all:
        return qs
    allowed = Q(pk__in=[])
    if scope.department_id:
        allowed |= Q(department_id=scope.department_id)
        if departments:
            allowed |= Q(**{departments: scope.department_id})
    if inspector_id and (scope.department_id or scope.sees_all):
        allowed |= Q(officers__id=inspector_id)
    return qs.filter(allowed).distinct()


def duty_case_get(*, scope: Scope, inspector_id: int | None, pk: int) -> Case:
    qs = Case.objects.select_related("enterprise", "department")
    return _scoped(qs, scope, inspector_id).get(pk=pk)


def duty_visit_get(*, scope: Scope, inspector_id: int | None, pk: int):
    qs = Visit.objects.select_related("enterprise", "department")
    return _scoped(qs, scope, inspector_id, departments="departments__id").get(pk=pk)


def duty_action_get(*, scope: Scope, inspector_id: int | None, pk: int) -> EnforcementAction:
    qs = EnforcementAction.objects.select_related("enterprise", "department", "visit")
    return _scoped(qs, scope, inspector_id).get(pk=pk)


# ---------------------------------------------------------------- the records a step may name


@dataclasses.dataclass
class Related:
    """Object type -> {object id (as the log stores it): what to call it}."""

    names: dict = dataclasses.field(default_factory=lambda: defaultdict(dict))

    def add(self, model, pk, name: str = "") -> None:
        self.names[_label(model)][str(pk)] = name or f"#{pk}"

    def query(self) -> Q:
        q = Q(pk__in=[])
        for object_type, ids in self.names.items():
            q |= Q(object_type=object_type, object_id__in=list(ids))
        return q

    def name(self, object_type: str, object_id: str) -> str:
        kind = OBJECTS.get(object_type, object_type)
        return f"{kind} {self.names.get(object_type, {}).get(object_id, '#' + object_id)}"


def _add_actions(related: Related, action_ids: set[int]) -> None:
    """The actions, their visits, findings, notices, rectifications, reports, evidence and
    re-checks; re-checks bring theirs."""
    seen: set[int] = set()
    while action_ids - seen:
        batch = action_ids - seen
        seen |= batch
        for action in EnforcementAction.objects.filter(pk__in=batch).select_related("visit"):
            related.add(EnforcementAction, action.pk, f"#{action.pk}（{action.date:%Y-%m-%d}）")
            if action.visit_id:
                related.add(Visit, action.visit_id, action.visit.code_display)
        checks = ItemCheck.objects.filter(action_id__in=batch)
        for pk in checks.values_list("pk", flat=True):
            related.add(ItemCheck, pk)
        for pk, number in FindingNotice.objects.filter(action_id__in=batch).values_list(
            "pk", "number"
        ):
            related.add(FindingNotice, pk, number)
        rectifications = Rectification.objects.filter(item_check__action_id__in=batch)
        for pk, recheck in rectifications.values_list("pk", "recheck_id"):
            related.add(Rectification, pk)
            if recheck:
                action_ids.add(recheck)
        for pk in RectificationReport.objects.filter(rectification__in=rectifications).values_list(
            "pk", flat=True
        ):
            related.add(RectificationReport, pk)
        for pk, name in Evidence.objects.filter(
            Q(action_id__in=batch) | Q(item_check__action_id__in=batch)
        ).values_list("pk", "name"):
            related.add(Evidence, pk, name)


def _case_related(case: Case) -> Related:
    related = Related()
    related.add(Case, case.pk, case.number)
    actions = set(case.checks.values_list("action_id", flat=True))
    if case.action_id:
        actions.add(case.action_id)
    _add_actions(related, actions)
    return related


def _action_related(action: EnforcementAction) -> Related:
    related = Related()
    _add_actions(related, {action.pk})
    for pk, number in Case.objects.filter(Q(checks__action=action) | Q(action=action)).values_list(
        "pk", "number"
    ):
        related.add(Case, pk, number)
    return related


def _visit_related(visit) -> Related:
    related = Related()
    related.add(Visit, visit.pk, visit.code_display)
    action_ids = set(EnforcementAction.objects.filter(visit=visit).values_list("pk", flat=True))
    _add_actions(related, action_ids)
    for pk, number in (
        Case.objects.filter(checks__action_id__in=action_ids).values_list("pk", "number").distinct()
    ):
        related.add(Case, pk, number)
    return related


# ---------------------------------------------------------------- verification


_FIELDS = (
    "seq",
    "actor_label",
    "verb",
    "object_type",
    "object_id",
    "payload",
    "created_at",
    "prev_hash",
    "hash",
)


def _recomputes(row: dict) -> bool:
    return (
        event_hash(
            prev_hash=row["prev_hash"],
            seq=row["seq"],
            actor=row["actor_label"],
            verb=row["verb"],
            object_type=row["object_type"],
            object_id=row["object_id"],
            payload=row["payload"],
            created_at=row["created_at"],
        )
        == row["hash"]
    )


def _windows(seqs: list[int], hi: int) -> tuple[list[tuple[int, int]], bool]:
    """The stretches of the log to check: one from before the first step to `hi` when short
    enough, else each step with its neighbours (merged where they touch)."""
    lo = max(seqs[0] - 1, 1)
    if hi - lo <= SPAN_LIMIT:
        return [(lo, hi)], True
    windows: list[tuple[int, int]] = []
    for seq in seqs:
        start, end = max(seq - 1, 1), seq + 1
        if windows and start <= windows[-1][1] + 1:
            windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
        else:
            windows.append((start, end))
    return windows, False


def _check_window(lo: int, hi: int, head: int) -> tuple[list[ChainFault], dict[int, str]]:
    """The faults of events lo..hi checked against each other, and their hashes."""
    faults: list[ChainFault] = []
    hashes: dict[int, str] = {}
    rows = AuditEvent.objects.filter(seq__gte=lo, seq__lte=hi).order_by("seq").values(*_FIELDS)
    expected, prev = lo, None
    for row in rows.iterator(chunk_size=5000):
        seq = row["seq"]
        if seq != expected:
            faults.append(ChainFault(seq=seq, kind=Fault.SEQ_GAP, expected_seq=expected))
        elif row["prev_hash"] != (GENESIS if seq == 1 else prev or row["prev_hash"]):
            # (a window starts one event before the first step it checks: that event is read
            # for the link to it; its own link to the one before is not the record's)
            faults.append(ChainFault(seq=seq, kind=Fault.PREV_HASH))
        if not _recomputes(row):
            faults.append(ChainFault(seq=seq, kind=Fault.CONTENT))
        hashes[seq] = row["hash"]
        prev, expected = row["hash"], seq + 1
    if expected <= min(hi, head):
        faults.append(ChainFault(seq=expected, kind=Fault.SEQ_GAP, expected_seq=expected))
    return faults, hashes


@dataclasses.dataclass(frozen=True)
class AnchorCheck:
    pk: int
    seq: int
    signed_at: str
    ok: bool
    problem: str = ""


def _anchor_check(last_seq: int) -> AnchorCheck | None:
    anchor = AuditAnchor.objects.filter(seq__gte=last_seq).order_by("-id").first()
    if anchor is None:
        return None

    def result(ok: bool, problem: str = "") -> AnchorCheck:
        return AnchorCheck(anchor.pk, anchor.seq, anchor.signed_at, ok, problem)

    if anchor.public_key not in trusted_public_keys():
        return result(False, _("锚点的公钥不在本机信任的公钥中：密钥配置有误，或锚点是伪造的"))
    try:
        message = anchor_message(seq=anchor.seq, hash=anchor.hash, signed_at=anchor.signed_at)
    except ValueError:
        message = b""
    if not message or not signature_valid(
        public_hex=anchor.public_key, signature=anchor.signature, message=message
    ):
        return result(False, _("锚点的签名无效"))
    stored = AuditEvent.objects.filter(seq=anchor.seq).values_list("hash", flat=True).first()
    if stored is None:
        return result(False, _("锚点签名的第 %(seq)s 号事件已不存在") % {"seq": anchor.seq})
    if stored != anchor.hash:
        return result(
            False,
            _("锚点签名的第 %(seq)s 号事件哈希已改变：此前的事件被改动，其后的哈希被重新计算过")
            % {"seq": anchor.seq},
        )
    return result(True)


# ---------------------------------------------------------------- the record


@dataclasses.dataclass(frozen=True)
class Step:
    seq: int
    at: datetime | None
    at_text: str
    actor: str
    role: str
    what: str
    about: str
    detail: str
    problem: str  # "" when the event verifies


@dataclasses.dataclass(frozen=True)
class DutyRecord:
    title: str
    subject: str
    steps: list[Step]
    # Every fault found, as (seq, reason), steps' and the events between them alike.
    faults: list[tuple[int, str]]
    whole_span: bool  # every event from the first step to the anchor (or the last) checked
    checked_events: int
    anchor: AnchorCheck | None

    @property
    def intact(self) -> bool:
        return not self.faults and (self.anchor is None or self.anchor.ok)

    @property
    def anchored(self) -> bool:
        return self.anchor is not None and self.anchor.ok and self.whole_span


def _people(user_ids: set[int]) -> dict[int, tuple[str, str]]:
    users = (
        get_user_model()
        .objects.filter(pk__in=user_ids)
        .select_related("department", "street", "enterprise", "inspector")
    )
    people = {}
    for user in users:
        name = user.get_full_name() or user.get_username()
        if user.inspector_id:
            name = _("%(name)s（执法证号 %(badge)s）") % {
                "name": user.inspector.name,
                "badge": user.inspector.badge_no,
            }
        anchor = user.department or user.street or user.enterprise
        role = user.get_role_display()
        if user.is_superuser and not anchor:
            role = _("系统管理员")
        people[user.pk] = (name, f"{role}·{anchor}" if anchor else role)
    return people


def _detail(payload: dict) -> str:
    """The reason a step gave, when it gave one (an override, a correction)."""
    for key in ("reason", "override_reason", "note"):
        value = payload.get(key) if isinstance(payload, dict) else None
        if isinstance(value, str) and value.strip():
            return _("理由：%(reason)s") % {"reason": value.strip()[:200]}
    if isinstance(payload, dict) and isinstance(payload.get("document"), str):
        return payload["document"]
    return ""


def _parse(created_at: str) -> datetime | None:
    try:
        return datetime.fromisoformat(created_at)
    except ValueError:
        return None


def duty_record_build(*, title: str, subject: str, related: Related) -> DutyRecord:
    events = list(
        AuditEvent.objects.filter(related.query())
        .exclude(Q(verb__startswith="read.") & ~Q(verb=DOCUMENT_VERB))
        .order_by("seq")
        .values("actor_id", *_FIELDS)
    )
    if not events:
        return DutyRecord(title, subject, [], [], True, 0, None)
    seqs = [e["seq"] for e in events]
    head = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    anchor = _anchor_check(seqs[-1])
    hi = anchor.seq if anchor is not None else min(seqs[-1] + 1, head)
    windows, whole = _windows(seqs, hi)
    faults: list[ChainFault] = []
    checked = 0
    for lo, top in windows:
        found, hashes = _check_window(lo, top, head)
        faults += found
        checked += len(hashes)
    by_seq: dict[int, list[str]] = defaultdict(list)
    for fault in sorted(faults, key=lambda f: f.seq):
        by_seq[fault.seq].append(fault_reason(fault))
    # A fault at the event after a step makes that step's hash untrustworthy too.
    step_seqs = set(seqs)
    people = _people({e["actor_id"] for e in events if e["actor_id"]})
    steps = []
    for e in events:
        name, role = people.get(e["actor_id"], (e["actor_label"], _("平台或已删除的账号")))
        problems = list(by_seq.get(e["seq"], []))
        after = e["seq"] + 1
        if after not in step_seqs and by_seq.get(after):
            problems.append(
                _("后一事件（第 %(seq)s 号）与本事件不相连：%(reason)s")
                % {"seq": after, "reason": "；".join(by_seq[after])}
            )
        at = _parse(e["created_at"])
        steps.append(
            Step(
                seq=e["seq"],
                at=at,
                at_text=localtime(at).strftime("%Y-%m-%d %H:%M:%S") if at else e["created_at"],
                actor=name,
                role=role,
                what=str(VERBS.get(e["verb"], e["verb"])),
                about=related.name(e["object_type"], e["object_id"]),
                detail=_detail(e["payload"]),
                problem="；".join(problems),
            )
        )
    fault_list = [(seq, reason) for seq, reasons in sorted(by_seq.items()) for reason in reasons]
    return DutyRecord(title, subject, steps, fault_list, whole, checked, anchor)


def duty_record_case(case: Case) -> DutyRecord:
    return duty_record_build(
        title=_("案件尽职记录"),
        subject=_("案件 %(number)s · %(enterprise)s · %(department)s")
        % {
            "number": case.number,
            "enterprise": case.enterprise.name,
            "department": case.department.name,
        },
        related=_case_related(case),
    )


def duty_record_visit(visit) -> DutyRecord:
    return duty_record_build(
        title=_("入企尽职记录"),
        subject=_("入企码 %(code)s · %(enterprise)s · %(day)s")
        % {
            "code": visit.code_display,
            "enterprise": visit.enterprise.name,
            "day": visit.date.isoformat(),
        },
        related=_visit_related(visit),
    )


def duty_record_action(action: EnforcementAction) -> DutyRecord:
    return duty_record_build(
        title=_("执法行为尽职记录"),
        subject=_("%(kind)s · %(enterprise)s · %(department)s · %(day)s")
        % {
            "kind": action.get_kind_display(),
            "enterprise": action.enterprise.name,
            "department": action.department.name,
            "day": action.date.isoformat(),
        },
        related=_action_related(action),
    )
