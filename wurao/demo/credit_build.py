"""The demo's credit grading (信用分级分类), loaded after the registry and the 2020 history.

Points table version 1 is published through the grading service; the generated alerts,
awards and commitments (wurao.demo.credit) go in with bulk inserts, like the history;
a handful of objections and repairs go through the real services (file, then decide), so
their deadlines, decisions and audit events are genuine; then the whole district is
graded through `grades_recompute` twice: as of the end of the history year (2020-12-31, the
grades' history), and as of the day of the build, over a second set of records for the two
years up to that day, so the grades a user meets are current and spread as records spread.

Decided reviews are dated in the autumn of 2020, so that approvals take effect (after the
publicity period) before the grades' as-of date; pending ones are dated back from the day
of the build, one within its deadline and one past it, so that the review queues show
both. Which records they are about is decided by the seed.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Model
from django.utils import timezone

from wurao.accounts.models import User
from wurao.accounts.scope import Scope
from wurao.credit.choices import CommitmentStatus, PositiveKind, RecordSource
from wurao.credit.models import CommitmentItem, CreditCommitment, MonitoringAlert, PositiveRecord
from wurao.credit.services import objection_file, repair_apply, review_decide
from wurao.credit.services_grading import grades_recompute, points_table_ensure_default
from wurao.demo.credit import (
    COMMITMENT_STATUSES,
    LAST_DAY,
    CreditRecords,
    credit_generate,
)
from wurao.demo.credit_items import ALERT_SOURCES, AWARDS, COMMITMENT_ITEMS
from wurao.demo.engine import District, findings_of
from wurao.demo.loader import (
    ProgressFactory,
    bulk_insert,
    columns_of,
    reset_sequences,
    silent_progress,
)
from wurao.enforcement.choices import ActionKind, Finding
from wurao.enforcement.selectors import action_list
from wurao.registry.models import Enterprise

# The history year's last day: the 2019–2020 records give the first grades their spread.
GRADES_AS_OF = datetime.date(2020, 12, 31)
STREAM_REVIEWS = 7  # after the district's streams 1–6
STREAM_RECENT = 12  # the recent records' (after the planning's streams 10 and 11)

CREDIT_MODELS: list[type[Model]] = [
    CommitmentItem,
    MonitoringAlert,
    PositiveRecord,
    CreditCommitment,
]


@dataclass(frozen=True)
class DemoReview:
    """One objection or repair of the demo. `record`: which kind of record, of which
    department, and for actions which kind; `filed`: an ISO date, or days before the
    build; `decision`: approve, reject or "" (pending), on `decided`."""

    kind: str  # objection, repair
    source: RecordSource
    department: str
    filed: str | int
    reason: str
    decision: str = ""
    decided: str = ""
    decision_reason: str = ""
    action_kind: str = ""
    action_finding: str = ""
    item: str = ""  # for commitments: the item's code
    key: bool = False  # the key enterprise's own


DEMO_REVIEWS = (
    DemoReview(
        "objection", RecordSource.ALERT, "SZ-STHJ", "2020-10-12",
        "2020年9月14日的超标数据系在线监测仪表校准失准所致：运维单位当日比对监测总镍为 "
        "0.31 mg/L，未超过排放限值，比对监测报告已提交。",
        "approve", "2020-10-26",
        "经核查运维记录和比对监测报告，该时段自动监控数据无效，异议成立，该条预警不再计入信用评价。",
        key=True,
    ),
    DemoReview(
        "repair", RecordSource.COMMITMENT, "YJGL", 3,
        "已委托第三方机构完成重大危险源安全风险辨识评估并报区应急管理局备案，"
        "包保责任人已重新明确，申请信用修复。",
        key=True,
    ),
    DemoReview(
        "objection", RecordSource.ACTION, "YJGL", "2020-11-16",
        "处罚认定的违法行为发生在相邻企业租用的场所，并非本企业所为。",
        "reject", "2020-12-01",
        "经复核，现场检查笔录、照片及当事人签字确认的询问笔录证据确凿，违法事实清楚，异议不成立。",
        action_kind=ActionKind.PENALTY,
    ),
    DemoReview(
        "repair", RecordSource.ACTION, "YJGL", "2020-11-09",
        "检查发现的问题已全部整改：已补充安全操作规程并完成全员培训，整改报告已提交。",
        "approve", "2020-11-20",
        "经现场复查，问题已整改到位，同意信用修复，公示期满后生效。",
        action_kind=ActionKind.INSPECTION, action_finding=Finding.PROBLEMS,
    ),
    DemoReview(
        "objection", RecordSource.ALERT, "YJGL", 35,
        "预警时段储罐区正在停产检修，报警系检修作业所致，检修方案已事先向区应急管理局报备。",
    ),
    DemoReview(
        "repair", RecordSource.ACTION, "SZ-SCJG", "2020-12-07",
        "罚款已缴清，违法行为已改正，一年内未再受到行政处罚，申请信用修复。",
        "approve", "2020-12-18",
        "经核查，当事人已履行行政处罚决定并完成整改，符合信用修复条件，同意修复。",
        action_kind=ActionKind.PENALTY,
    ),
    DemoReview(
        "objection", RecordSource.ALERT, "SZ-STHJ", 5,
        "预警时段自动监控设备通讯模块故障导致数据失真，已在24小时内报告并修复，维修记录已提交。",
    ),
    DemoReview(
        "repair", RecordSource.COMMITMENT, "RLZY", 40,
        "拖欠的工资已于次月全部补发，劳动者已出具结清确认书，申请信用修复。",
        item="RLZY-CN-01",
    ),
    DemoReview(
        "objection", RecordSource.COMMITMENT, "SZ-SCJG", "2020-12-10",
        "年度报告中的从业人数系统计口径理解有误，并非故意隐瞒，已更正公示。",
        "reject", "2020-12-24",
        "经核查，企业年度报告公示的从业人数与社保参保人数相差较大，且未在规定期限内更正，异议不成立。",
        item="SZ-SCJG-CN-04",
    ),
)  # fmt: skip


@dataclass
class DemoCreditResult:
    grades: dict[str, Any] = field(default_factory=dict)  # as of the build's day
    grades_history: dict[str, Any] = field(default_factory=dict)  # as of GRADES_AS_OF
    reviews: list[dict[str, Any]] = field(default_factory=list)
    recent: dict[str, int] = field(default_factory=dict)  # the recent records' counts

    def counts(self) -> dict[str, int]:
        statuses = [r["state"] for r in self.reviews]
        history = self.grades_history.get("by_grade", {})
        return {
            "grades": self.grades.get("enterprises", 0),
            **{f"grades_{g}": n for g, n in self.grades.get("by_grade", {}).items()},
            **{f"grades_2020_{g}": n for g, n in history.items()},
            **{f"credit_recent_{k}": n for k, n in self.recent.items() if k != "commitment_items"},
            "objections": sum(r["kind"] == "objection" for r in self.reviews),
            "repairs": sum(r["kind"] == "repair" for r in self.reviews),
            **{
                f"reviews_{state}": statuses.count(state)
                for state in ("submitted", "overdue", "approved", "rejected")
            },
        }


def _ids(district: District) -> dict[str, int]:
    """Department id by code (the demo loads departments with id = index + 1)."""
    return {o.code: i + 1 for i, o in enumerate(district.organisations)}


def _days_text(days: np.ndarray) -> list[str | None]:
    return [None if np.isnat(day) else str(day) for day in days]


def _load_items(district: District) -> None:
    departments = _ids(district)
    CommitmentItem.objects.bulk_create(
        [
            CommitmentItem(
                id=i + 1,
                department_id=departments[item.department],
                code=item.code,
                title=item.title,
                text=item.text,
            )
            for i, item in enumerate(COMMITMENT_ITEMS)
        ]
    )


def _load_records(
    district: District,
    credit: CreditRecords,
    progress: ProgressFactory,
    after: CreditRecords | None = None,
) -> None:
    """Bulk rows for `credit`; ids follow those of `after`, the set loaded before it."""
    departments = _ids(district)
    first = (len(after.alerts), len(after.awards), len(after.commitments)) if after else (0, 0, 0)
    a = credit.alerts
    source_departments = [departments[s.department] for s in ALERT_SOURCES]
    fields = ["id", "enterprise", "department", "source", "date", "severity", "description",
              "external_id"]  # fmt: skip
    bulk_insert(
        MonitoringAlert._meta.db_table,
        columns_of(MonitoringAlert, fields),
        zip(
            range(first[0] + 1, first[0] + len(a) + 1),
            (a.enterprise + 1).tolist(),
            [source_departments[s] for s in a.source.tolist()],
            [ALERT_SOURCES[s].name for s in a.source.tolist()],
            _days_text(a.date),
            a.level.tolist(),
            a.description,
            a.external_id,
            strict=True,
        ),
        total=len(a),
        desc="非现场监测预警",
        progress=progress,
    )
    w = credit.awards
    bulk_insert(
        PositiveRecord._meta.db_table,
        columns_of(PositiveRecord, ["id", "enterprise", "department", "kind", "title", "date"]),
        zip(
            range(first[1] + 1, first[1] + len(w) + 1),
            (w.enterprise + 1).tolist(),
            [departments[AWARDS[k].department] for k in w.award.tolist()],
            [PositiveKind.AWARD.value] * len(w),
            w.title,
            _days_text(w.date),
            strict=True,
        ),
        total=len(w),
        desc="表彰奖励",
        progress=progress,
    )
    c = credit.commitments
    fields = ["id", "enterprise", "item", "signed_on", "status", "decided_on", "decision_note"]
    bulk_insert(
        CreditCommitment._meta.db_table,
        columns_of(CreditCommitment, fields),
        zip(
            range(first[2] + 1, first[2] + len(c) + 1),
            (c.enterprise + 1).tolist(),
            (c.item + 1).tolist(),
            _days_text(c.signed_on),
            [COMMITMENT_STATUSES[s] for s in c.status.tolist()],
            _days_text(c.decided_on),
            c.note,
            strict=True,
        ),
        total=len(c),
        desc="信用承诺",
        progress=progress,
    )


def _day(value: str | int, today: datetime.date) -> datetime.date:
    if isinstance(value, int):
        return today - datetime.timedelta(days=value)
    return datetime.date.fromisoformat(value)


def _candidates(spec: DemoReview, district: District, before: datetime.date) -> list[tuple]:
    """(enterprise id, record id) of the records a review could be about, oldest first:
    the department's records dated before the filing, of enterprises (not the key one)."""
    key = district.entities.key + 1
    if spec.source == RecordSource.ACTION:
        qs = action_list(scope=Scope(sees_all=True)).filter(
            department__code=spec.department, kind=spec.action_kind, date__lt=before,
            date__year=2020, enterprise__kind="enterprise",
        )  # fmt: skip
        if spec.action_finding:
            qs = qs.filter(finding=spec.action_finding)
    elif spec.source == RecordSource.ALERT:
        qs = MonitoringAlert.objects.filter(department__code=spec.department, date__lt=before)
    else:
        qs = CreditCommitment.objects.filter(
            item__department__code=spec.department,
            status=CommitmentStatus.BREACHED,
            decided_on__lt=before,
        )
        if spec.item:
            qs = qs.filter(item__code=spec.item)
    return list(qs.exclude(enterprise_id=key).order_by("pk").values_list("enterprise_id", "pk"))


def _key_record(spec: DemoReview, district: District, recent: CreditRecords) -> tuple[int, int]:
    """The key enterprise's record a review is about: its first alert from the department in
    the history (the objection decided in 2020), or its recent broken commitment to it (the
    repair under review now)."""
    credit, offset = district.credit, 0
    if spec.source != RecordSource.ALERT:
        credit, offset = recent, len(district.credit.commitments)
    if spec.source == RecordSource.ALERT:
        rows = [
            i
            for i in credit.key_alerts.tolist()
            if ALERT_SOURCES[credit.alerts.source[i]].department == spec.department
        ]
    else:
        broken = COMMITMENT_STATUSES.index("breached")
        rows = [
            i
            for i in credit.key_commitments.tolist()
            if credit.commitments.status[i] == broken
            and COMMITMENT_ITEMS[credit.commitments.item[i]].department == spec.department
        ]
    return district.entities.key + 1, offset + rows[0] + 1


def _reviews_build(
    actor: Any, district: District, recent: CreditRecords, seed: int
) -> list[dict[str, Any]]:
    rng = np.random.default_rng([seed, STREAM_REVIEWS])
    users = {u.username: u for u in User.objects.filter(username__in=("qiye", "yjj_admin"))}
    today = timezone.localdate()
    used: set[int] = set()
    made = []
    for spec in DEMO_REVIEWS:
        filed = _day(spec.filed, today)
        if spec.key:
            enterprise_id, record_id = _key_record(spec, district, recent)
        else:
            options = [(e, r) for e, r in _candidates(spec, district, filed) if e not in used]
            if not options:  # a very small demo may lack such a record
                continue
            enterprise_id, record_id = options[int(rng.integers(len(options)))]
        used.add(enterprise_id)
        enterprise = Enterprise.objects.get(pk=enterprise_id)
        file = objection_file if spec.kind == "objection" else repair_apply
        request = file(
            actor=users.get("qiye", actor) if spec.key else actor,
            enterprise=enterprise,
            record_source=spec.source,
            record_id=record_id,
            reason=spec.reason,
            on=filed if filed < today else None,
        )
        if spec.decision:
            # The emergency bureau's decisions are its demo administrator's.
            decider = users.get("yjj_admin", actor) if spec.department == "YJGL" else actor
            request = review_decide(
                actor=decider,
                request=request,
                approve=spec.decision == "approve",
                reason=spec.decision_reason,
                on=datetime.date.fromisoformat(spec.decided),
            )
        overdue = not spec.decision and request.due_on < today
        made.append(
            {
                "kind": spec.kind,
                "enterprise": enterprise.name,
                "credit_code": enterprise.credit_code,
                "department": spec.department,
                "record": f"{spec.source}:{record_id}",
                "status": str(request.status),
                "state": "overdue" if overdue else str(request.status),
                "key": spec.key,
            }
        )
    return made


def recent_records(district: District, seed: int, today: datetime.date) -> CreditRecords:
    """The records of the two years up to `today`, drawn as the history's are, following who
    was found wanting in 2020 (moved to the same place in the window)."""
    end = np.datetime64(today, "D")
    moved = int((end - LAST_DAY).astype(int))
    findings = findings_of(district.actions, district.organisations).moved(moved)
    return credit_generate(
        np.random.default_rng([seed, STREAM_RECENT]),
        entities=district.entities,
        findings=findings,
        end=end,
    )


def demo_grades_refresh(*, actor: Any) -> dict[str, Any]:
    """Regrade the district as of today once more, after the build's later parts (draw results,
    today's visits, the joint visits' forms) added records of their own: as the nightly regrade
    would, so that every grade's reasons add up to its score as of its date."""
    bureau = User.objects.filter(username="sfj").first() or actor
    return grades_recompute(actor=bureau, as_of=timezone.localdate())


def demo_credit_build(
    *, actor: Any, district: District, seed: int, progress: ProgressFactory = silent_progress
) -> DemoCreditResult:
    """Points table, credit records, reviews and grades; call inside the demo's transaction,
    after the demo accounts exist (the justice bureau's `sfj` publishes and regrades)."""
    bureau = User.objects.filter(username="sfj").first() or actor
    today = timezone.localdate()
    points_table_ensure_default(actor=bureau)
    _load_items(district)
    _load_records(district, district.credit, progress)
    recent = recent_records(district, seed, today)
    _load_records(district, recent, progress, after=district.credit)
    reset_sequences(CREDIT_MODELS)
    reviews = _reviews_build(actor, district, recent, seed)
    # First the history's grades, then today's: each enterprise's change log runs from one
    # to the other, and the grades the pages show are as of the build's day.
    history = grades_recompute(actor=bureau, as_of=GRADES_AS_OF)
    grades = grades_recompute(actor=bureau, as_of=today)
    return DemoCreditResult(
        grades=grades, grades_history=history, reviews=reviews, recent=recent.counts()
    )
