"""The demo district's complaints and whistleblowing (issue [portal]), built through the
complaints app's services: cases in every status and category over the demo's departments,
some anonymous, some named by the key enterprise (qiye), one against an officer of a street
team, one overdue and escalated, a few substantiated; whistleblowing reports, one
substantiated with a reward and one identity reveal waiting for a second approver.

One anonymous case has a fixed receipt and secret, to follow it on /complaints/track/ (see
docs/complaints.md): DEMO_RECEIPT / DEMO_SECRET."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from wurao.complaints import services, services_whistle
from wurao.complaints.choices import Category, Finding, RiskKind
from wurao.complaints.models import Complaint, WhistleReport
from wurao.registry.models import Department, Enterprise, Inspector
from wurao.registry.workdays import working_days_between
from wurao.visits.models import Visit

DEMO_RECEIPT = "TSDEMO2026"
DEMO_SECRET = "WURAODEMO123"
WHISTLE_RECEIPT = "JBDEMO2026"
WHISTLE_SECRET = "WURAOJUBAO12"

# (status to reach, finding, anonymous) in order; categories cycle over all seven.
PLAN = [
    ("received", "", True),
    ("received", "", False),
    ("received", "", True),
    ("overdue", "", True),
    ("not_accepted", "", True),
    ("not_accepted", "", False),
    ("accepted", "", True),
    ("accepted", "", False),
    ("investigating", "", True),
    ("investigating", "", False),
    ("investigating_answered", "", True),
    ("answered", Finding.SUBSTANTIATED, True),
    ("answered", Finding.PARTLY, False),
    ("answered", Finding.NOT_SUBSTANTIATED, True),
    ("closed", Finding.SUBSTANTIATED, False),
    ("closed", Finding.SUBSTANTIATED, True),
    ("closed", Finding.NOT_SUBSTANTIATED, True),
    ("closed", Finding.PARTLY, True),
]
DESCRIPTIONS = {
    Category.TOO_FREQUENT: "同一个月内被同一部门检查了三次，每次检查内容都差不多。",
    Category.OVERREACH: "执法人员要求检查与其部门职责无关的消防台账。",
    Category.PROCEDURE: "入企检查时没有出示执法证，也没有入企码。",
    Category.ATTITUDE: "执法人员态度生硬，当着员工的面训斥负责人。",
    Category.BRIBERY: "执法人员暗示可以介绍整改公司，费用不菲。",
    Category.LEAVING_POST: "多次电话反映隐患，部门一直没有人来处理。",
    Category.OTHER: "检查结束后迟迟没有出具检查结果。",
}
SUMMARIES = {
    Category.TOO_FREQUENT: "有反映称贵部门近期对同一企业检查频次较高，请说明近三个月的检查依据和安排。",
    Category.OVERREACH: "有反映称贵部门检查中涉及职责范围以外事项，请说明检查事项及依据。",
    Category.PROCEDURE: "有反映称某次入企检查程序不完整，请说明该次检查的登记、亮证和审批情况。",
    Category.ATTITUDE: "有反映称执法人员在检查中言行不当，请说明当日检查经过。",
    Category.BRIBERY: "有反映称执法人员在检查中推荐第三方服务，请核查并说明。",
    Category.LEAVING_POST: "有反映称群众反映的隐患未得到及时处理，请说明处理情况。",
    Category.OTHER: "有反映称检查结果未及时告知，请说明该次检查结果的送达情况。",
}
ANSWERS = {
    Finding.SUBSTANTIATED: "经调查，反映情况属实。已责令该部门整改，对相关执法人员进行约谈并通报。",
    Finding.PARTLY: "经调查，反映情况部分属实：检查频次符合计划，但未提前告知。已要求改进。",
    Finding.NOT_SUBSTANTIATED: "经调查，该次检查依法登记、亮证并经审批，反映情况不属实。",
}


def _days_ago(today: datetime.date, working: int) -> datetime.date:
    """The working day `working` working days before today."""
    days = working_days_between(today - datetime.timedelta(days=3 * working + 21), today)
    return days[-(working + 1)]


def demo_complaints_build(*, actor: Any, seed: int) -> dict[str, int]:
    rng = random.Random(seed * 7919 + 17)
    today = timezone.localdate()
    bureau = get_user_model().objects.filter(username="sfj").first()
    officer_user = bureau or actor
    yjj_admin = get_user_model().objects.filter(username="yjj_admin").first()
    departments = list(Department.objects.filter(is_enforcement=True).order_by("code"))
    officers = list(Inspector.objects.filter(active=True).order_by("badge_no")[:400])
    if not departments or not officers:
        return {}
    street_officer = (
        Inspector.objects.filter(department__street__isnull=False).order_by("badge_no").first()
    )
    visits = list(Visit.objects.order_by("id").values_list("pk", flat=True)[:2000])
    qiye = get_user_model().objects.filter(username="qiye").first()
    key_enterprise = qiye.enterprise if qiye is not None else None
    categories = list(Category)
    escalated = 0
    for n, (target, finding, anonymous) in enumerate(PLAN):
        category = categories[n % len(categories)]
        officer = street_officer if n == 8 and street_officer else rng.choice(officers)
        visit = Visit.objects.get(pk=rng.choice(visits)) if visits and n % 3 == 0 else None
        age = {"received": 0, "overdue": 6, "accepted": 3, "investigating": 5}.get(target, 14)
        filed_on = _days_ago(today, age + (n % 2))
        named_by_enterprise = not anonymous and key_enterprise is not None and n % 2 == 1
        filed = services.complaint_file(
            category=category,
            description=DESCRIPTIONS[category],
            visit=visit,
            officer=officer if n % 4 != 3 else None,
            department=None if n % 4 != 3 else rng.choice(departments),
            anonymous=anonymous,
            name="" if anonymous or named_by_enterprise else f"王{'伟芳娜敏静丽强磊'[n % 8]}",
            phone="" if anonymous or named_by_enterprise else f"139{rng.randrange(10**8):08d}",
            enterprise=key_enterprise if named_by_enterprise else None,
            contact="" if not anonymous or n % 3 else "邮箱 demo@example.com",
            filed_on=filed_on,
            receipt=DEMO_RECEIPT if n == 11 else "",
            secret=DEMO_SECRET if n == 11 else "",
        )
        complaint = Complaint.objects.get(pk=filed.pk)
        if target in ("received", "overdue"):
            continue
        if target == "not_accepted":
            services.complaint_accept(
                actor=officer_user,
                complaint=complaint,
                accept=False,
                reason="反映的事项属于民事纠纷，不属于行政执法监督受理范围，已告知其他救济途径。",
                on=filed_on,
            )
            continue
        services.complaint_accept(
            actor=officer_user, complaint=complaint, accept=True, on=_days_ago(today, age - 1)
        )
        if target == "accepted":
            continue
        department = complaint.department
        statement = services.statement_request(
            actor=officer_user,
            complaint=complaint,
            department=department,
            summary=SUMMARIES[category],
            on=_days_ago(today, max(age - 2, 0)),
        )
        if target != "investigating":
            services.statement_answer(
                actor=yjj_admin if yjj_admin and department.code == "YJGL" else actor,
                statement=statement,
                answer="经核查，当日检查已按规定登记入企并出示执法证，具体情况说明如下……",
            )
        if target in ("investigating", "investigating_answered"):
            continue
        services.complaint_answer(
            actor=officer_user, complaint=complaint, finding=finding, answer=ANSWERS[finding]
        )
        if target == "closed":
            services.complaint_rate(
                complaint=complaint,
                rating=[5, 4, 2, 3][n % 4],
                comment="处理及时，感谢。" if n % 2 else "",
            )
    escalated = services.complaints_escalate(actor=actor, today=today)
    whistle = _whistle_build(actor=actor, bureau=officer_user, rng=rng, departments=departments)
    return {
        "complaints": Complaint.objects.count(),
        "complaints_substantiated": Complaint.objects.exclude(finding="")
        .exclude(finding=Finding.NOT_SUBSTANTIATED)
        .count(),
        "complaints_escalated": escalated,
        "whistle_reports": whistle,
    }


def _whistle_build(*, actor, bureau, rng, departments) -> int:
    enterprises = list(
        Enterprise.objects.order_by("credit_code").values_list("pk", flat=True)[:500]
    )
    if not enterprises:
        return 0
    safety = next((d for d in departments if d.code == "YJGL"), departments[0])
    risks = [
        (RiskKind.SAFETY, "车间粉尘清扫记录造假，除尘设备长期停用。"),
        (RiskKind.FIRE, "仓库安全出口被货物堵塞，消防演练记录是补写的。"),
        (RiskKind.ENVIRONMENT, "夜间偷排未经处理的清洗废水。"),
        (RiskKind.LABOUR, "特种作业人员无证上岗。"),
        (RiskKind.SAFETY, "危化品仓库无人值守，台账与实际不符。"),
        (RiskKind.FOOD_DRUG, "食堂使用过期原料。"),
    ]
    for n, (kind, risk) in enumerate(risks):
        filed = services_whistle.whistle_file(
            enterprise=Enterprise.objects.get(pk=rng.choice(enterprises)),
            risk_kind=kind,
            risk=risk,
            name="" if n % 2 else "内部员工",
            contact="" if n % 2 else f"139{rng.randrange(10**8):08d}",
            receipt=WHISTLE_RECEIPT if n == 0 else "",
            secret=WHISTLE_SECRET if n == 0 else "",
        )
        report = WhistleReport.objects.get(pk=filed.pk)
        if n >= 4:
            continue  # received, not yet assigned
        report = services_whistle.whistle_assign(actor=bureau, report=report, department=safety)
        if n >= 3:
            continue
        report = services_whistle.whistle_department_report(
            actor=actor, report=report, text="已现场核查，具体情况如下……"
        )
        if n == 0:
            services_whistle.whistle_conclude(
                actor=bureau,
                report=report,
                substantiated=True,
                conclusion="查证属实，已立案查处并责令停产整改。",
                reward_amount=Decimal("3000.00"),
                reward_decision="依据举报奖励办法，给予举报人奖励 3000 元。",
                reward_paid_on=timezone.localdate() - datetime.timedelta(days=3),
            )
            services_whistle.whistle_reveal_request(
                actor=bureau, report=report, reason="发放奖励需核实举报人身份（待第二人批准）"
            )
        elif n == 1:
            services_whistle.whistle_conclude(
                actor=bureau,
                report=report,
                substantiated=False,
                conclusion="现场核查未发现所反映问题。",
            )
    return len(risks)
