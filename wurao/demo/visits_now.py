"""The visit registry today: the rules, and the key 福城 enterprise's year of visits up to now.

Everything is dated from the day of the build (`timezone.localdate()`), so the demo accounts
always find a live registry. The justice bureau (`sfj`) publishes rule version 1 through
`visit_rules_publish`. The key enterprise's visits earlier in the year are written directly
(history, like the rest of the demo's bulk rows); what happens in the last days and the days
ahead goes through the visit services, so each step has its audit event: an urgent visit
registered after the fact, today's re-check with a valid code, refused registrations during
the quiet period after a joint visit, override requests approved, rejected and pending,
check-in and check-out elsewhere in 福城, and the enterprise's own ratings.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone

from wurao.accounts.models import User
from wurao.accounts.scope import Scope
from wurao.catalogue.models import InspectionItem
from wurao.demo.visits_year import KEY_PAST, Scene, past_visit_write, workday, workdays_after
from wurao.enforcement.choices import ActionKind, Finding
from wurao.registry.models import Enterprise, Inspector
from wurao.visits import rules as visit_rules
from wurao.visits.choices import (
    CheckInMethod,
    RatingTag,
    VisitKind,
    VisitOrigin,
    VisitPurpose,
    VisitStatus,
)
from wurao.visits.models import Visit, VisitRating, VisitRefusal, VisitRuleVersion
from wurao.visits.selectors import visit_alerts_list
from wurao.visits.services import (
    Registration,
    VisitRefused,
    visit_check,
    visit_check_in,
    visit_check_out,
    visit_override_decide,
    visit_rate,
    visit_register,
    visit_result_record,
    visit_rules_publish,
)

RULES_NOTE = (
    "依据《国务院办公厅关于严格规范涉企行政检查的意见》（国办发〔2024〕54号），"
    "按企业信用等级设定年度现场检查上限和联合检查后的安静期，列明豁免的检查来源，"
    "设定高频入企、重复检查、非执法入企占比和事后补登的预警线（演示区第 1 版）"
)


@dataclass
class NowResult:
    today: datetime.date
    rules_version: int
    key_code: str = ""  # today's registered visit: the code the key enterprise checks
    steps: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    alerts: dict[str, int] = field(default_factory=dict)


def demo_rules_publish(*, actor: Any, today: datetime.date | None = None) -> VisitRuleVersion:
    """The justice bureau's rule version 1, in force from 1 January of this year."""
    today = today or timezone.localdate()
    bureau = User.objects.filter(username="sfj").first() or actor
    return visit_rules_publish(
        actor=bureau,
        # 非举报不现场核查: advertising is checked from the ads themselves, not on the premises.
        doc=dict(
            visit_rules.DEFAULT_RULES_JSON,
            monthly_quiet_days=[],
            offsite_only_items=list(
                InspectionItem.objects.filter(
                    department__code="SZ-SCJG", name="广告发布行为监督检查"
                ).values_list("code", flat=True)
            ),
        ),
        effective_from=datetime.date(today.year, 1, 1),
        note=RULES_NOTE,
    )


def _inspection(
    scene: Scene,
    code: str,
    day: datetime.date,
    origin: str,
    items: tuple[str, ...],
    note: str,
    *,
    enterprise: Enterprise | None = None,
    first: Inspector | None = None,
    **extra: str,
) -> Registration:
    department = scene.departments[code]
    return Registration(
        enterprise=enterprise or scene.key,
        kind=VisitKind.INSPECTION,
        department=department,
        day=day,
        origin=origin,
        officers=tuple(scene.officers(department, first)),
        items=tuple(scene.items[c] for c in items),
        note=note,
        **scene.approval(department, day, urgent=origin == VisitOrigin.COMPLAINT),
        **extra,
    )


def _fresh_enterprise(scene: Scene) -> Enterprise | None:
    """A 福城 enterprise with hazardous chemicals and no visit this year: today's check-in
    and check-out are shown there (the key enterprise is in its quiet period)."""
    this_year = Visit.objects.filter(date__year=scene.today.year).values("enterprise_id")
    candidates = (
        Enterprise.objects.filter(street=scene.key.street, kind="enterprise")
        .exclude(pk=scene.key.pk)
        .exclude(pk__in=this_year)
        .order_by("pk")
    )
    return candidates.filter(risk_tags__code="hazchem").first() or candidates.first()


def _scripted(scene: Scene, result: NowResult) -> None:
    """The last days and the days ahead, through the visit services."""
    today, key = scene.today, scene.key
    inspector, admin = scene.user("yjj_inspector"), scene.user("yjj_admin")
    bureau = scene.user("sfj")
    own = getattr(inspector, "inspector", None)
    log = result.steps.append

    # An urgent visit after a report (on the working day four or more days ago), registered
    # later with the reason.
    late = visit_register(
        actor=inspector,
        reg=_inspection(
            scene, "YJGL", workday(today - datetime.timedelta(days=4), -1), VisitOrigin.COMPLAINT, ("YJGL-02",),
            "12345 热线转来群众举报：企业夜间违规倾倒危险化学品废液",
            first=own,
            late_reason="举报称正在倾倒，情况紧急，执法人员接报后立即到场核查，未及事先登记",
        ),
    )  # fmt: skip
    visit_result_record(
        actor=inspector,
        visit=late,
        department=scene.departments["YJGL"],
        kind=ActionKind.INSPECTION,
        finding=Finding.CLEAN,
        summary="现场核查废液贮存和转移台账，未发现举报所称倾倒行为。",
    )
    log(f"{late.code_display} 事后补登（投诉举报，{late.date}），yjj_inspector 登记并录入结果")

    # Today's re-check of the joint visit's finding: the code the enterprise checks now.
    recheck = visit_register(
        actor=inspector,
        reg=_inspection(
            scene, "YJGL", today, VisitOrigin.RECHECK, ("YJGL-02",),
            "复查联合检查责令整改的危险化学品仓库分区分类存放问题", first=own,
        ),
    )  # fmt: skip
    result.key_code = recheck.code_display
    log(f"{recheck.code_display} 今日整改复查（已登记，企业核验为有效）")

    # Elsewhere in 福城: registered, checked in by credit code, checked out, result recorded.
    other = _fresh_enterprise(scene)
    if other is not None:
        visit = visit_register(
            actor=inspector,
            reg=_inspection(
                scene, "YJGL", today, VisitOrigin.PLAN, ("YJGL-02", "YJGL-01"),
                "年度安全生产执法检查计划", enterprise=other, first=own,
            ),
        )  # fmt: skip
        visit = visit_check_in(
            actor=inspector,
            visit=visit,
            method=CheckInMethod.CREDIT_CODE,
            scanned=other.credit_code,
        )
        visit = visit_check_out(actor=inspector, visit=visit)
        visit_result_record(
            actor=inspector,
            visit=visit,
            department=scene.departments["YJGL"],
            kind=ActionKind.INSPECTION,
            finding=Finding.CLEAN,
            summary="危险化学品储存和安全生产责任制落实情况检查，未发现问题。",
        )
        log(f"{visit.code_display} {other.name}：签到、签退并录入结果")

    # A union visit next week, registered ahead like any other.
    union = visit_register(
        actor=scene.actor,
        reg=Registration(
            enterprise=key,
            kind=VisitKind.NON_ENFORCEMENT,
            department=scene.departments["ZGH"],
            day=workdays_after(today, 1),
            purpose=VisitPurpose.UNION,
            note="困难职工帮扶摸底",
        ),
    )
    log(f"{union.code_display} 区总工会走访（非执法入企，已登记）")

    # The quiet period after the joint visit: plain registrations are refused.
    planned = _inspection(
        scene, "YJGL", workdays_after(today, 2), VisitOrigin.PLAN, ("YJGL-01",),
        "年度安全生产执法检查计划", first=own,
    )  # fmt: skip
    if not visit_check(reg=planned):  # e.g. a D-grade enterprise: nothing to refuse
        log("重点企业的等级不受上限和安静期限制，未生成拒绝和突破规则的登记")
        return
    for actor, reg in (
        (inspector, planned),
        (
            scene.actor,
            _inspection(
                scene, "SZ-SCJG", workdays_after(today, 3), VisitOrigin.CAMPAIGN, ("SZ-SCJG-03",),
                "产品质量提升专项行动",
            ),
        ),
    ):  # fmt: skip
        try:
            visit_register(actor=actor, reg=reg)
        except VisitRefused as refused:
            rules = "、".join(visit_rules.RULE_LABELS[v.rule] for v in refused.violations)
            log(f"{reg.department.name} {reg.day} 的登记被拒绝：{rules}")

    # Overrides: a reason and a second approver. One approved, one rejected, one waiting.
    requests = (
        (
            admin,
            _inspection(
                scene, "YJGL", workdays_after(today, 5), VisitOrigin.CAMPAIGN, ("YJGL-02", "YJGL-06"),
                "岁末年初安全生产大检查",
                override_reason="市安委办部署岁末年初安全生产大检查，要求12月底前对辖区危险化学品"
                "重点企业全覆盖检查，不能推迟到安静期满后",
            ),
            bureau,
            True,
            "属上级统一部署的专项行动，同意；检查时与整改复查合并进行，不重复检查同一事项",
        ),
        (
            scene.actor,
            _inspection(
                scene, "SZ-SCJG", workdays_after(today, 4), VisitOrigin.CAMPAIGN, ("SZ-SCJG-03",),
                "产品质量提升专项行动",
                override_reason="专项行动按月统计进度，本月需完成",
            ),
            bureau,
            False,
            "按月统计进度不是突破安静期的理由，请在安静期满后安排",
        ),
        (
            inspector,
            _inspection(
                scene, "YJGL", workdays_after(today, 6), VisitOrigin.PLAN, ("YJGL-04",),
                "有限空间作业安全检查", first=own,
                override_reason="企业计划下周清理污水池，属有限空间作业高风险时段，需到场检查",
            ),
            None,
            None,
            "",
        ),
    )  # fmt: skip
    for actor, reg, decider, approve, note in requests:
        visit = visit_register(actor=actor, reg=reg)
        name = reg.department.name
        if visit.status != VisitStatus.PENDING_OVERRIDE:
            log(f"{visit.code_display} {name} {reg.day} 未触发规则，直接登记")
        elif decider is None:
            log(f"{visit.code_display} {name} {reg.day} 申请突破规则，待 yjj_admin 审批")
        else:
            visit_override_decide(actor=decider, visit=visit, approve=approve, note=note)
            state = "已批准" if approve else "未批准"
            log(f"{visit.code_display} {name} {reg.day} 申请突破规则，sfj {state}")


def _ratings(scene: Scene, rated: list[tuple[Visit, tuple[int, tuple[str, ...], str]]]) -> int:
    """The key enterprise's ratings: those of visits the service still takes (recent ones)
    through it as `qiye`, older ones written as history, a few days after their visit."""
    qiye = scene.users.get("qiye")
    if qiye is None:
        return 0
    since = scene.today - datetime.timedelta(days=settings.VISIT_RATING_DAYS)
    for visit, (score, tags, comment) in rated:
        visit.refresh_from_db()
        if visit.date >= since:
            visit_rate(actor=qiye, visit=visit, score=score, tags=tags, comment=comment)
            continue
        VisitRating.objects.create(
            visit=visit,
            score=score,
            tags=sorted(set(tags)),
            comment=comment,
            rated_on=visit.date + datetime.timedelta(days=2),
        )
    return len(rated)


def demo_visits_now(
    *, actor: Any, key_id: int, codes: list[str], today: datetime.date | None = None
) -> NowResult:
    """The key enterprise's year of visits up to today and the days ahead; call inside the
    demo's transaction after the accounts, the grades and the rules exist."""
    today = today or timezone.localdate()
    rules = VisitRuleVersion.objects.order_by("-version").first()
    result = NowResult(today=today, rules_version=rules.version if rules else 0)
    scene = Scene(actor, key_id, today)
    rated = []
    for spec, code in zip(KEY_PAST, codes, strict=True):
        visit = past_visit_write(scene, spec, code, result.rules_version or None)
        if spec.rating:
            rated.append((visit, spec.rating))
    _scripted(scene, result)
    late = Visit.objects.filter(
        enterprise=scene.key, after_the_fact=True, status=VisitStatus.COMPLETED
    ).first()
    if late is not None:
        rated.append((late, (5, (RatingTag.ATTITUDE,), "及时核实举报，没有影响生产")))
    result.counts["visits_key_rated_now"] = _ratings(scene, rated)
    year = Visit.objects.filter(date__year=today.year)
    result.counts |= {
        "visits_key_now_year": year.filter(enterprise=scene.key).count(),
        "visits_now_year": year.count(),
    }
    result.alerts = alerts_count(today)
    return result


def alerts_count(today: datetime.date) -> dict[str, int]:
    """This year's alerts by kind, as the justice bureau sees them."""
    counted: dict[str, int] = {}
    found = visit_alerts_list(
        scope=Scope(sees_all=True),
        date_from=datetime.date(today.year, 1, 1),
        date_to=datetime.date(today.year, 12, 31),
    )
    for alert in found:
        counted[str(alert.alert.kind)] = counted.get(str(alert.alert.kind), 0) + 1
    return counted


def visits_counts() -> dict[str, int]:
    """The registry as the demo leaves it, for the build's counts and the printout."""
    visits = Visit.objects.all()
    return {
        "visits": visits.count(),
        "visits_inspection": visits.filter(kind=VisitKind.INSPECTION).count(),
        "visits_non_enforcement": visits.filter(kind=VisitKind.NON_ENFORCEMENT).count(),
        "visits_ratings": VisitRating.objects.count(),
        "visits_refusals": VisitRefusal.objects.count(),
        "visits_overrides": visits.exclude(override_reason="").count(),
        "visits_pending_override": visits.filter(status=VisitStatus.PENDING_OVERRIDE).count(),
        "visits_after_the_fact": visits.filter(after_the_fact=True).count(),
    }
