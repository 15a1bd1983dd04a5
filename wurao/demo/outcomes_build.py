"""What the demo's inspections produced (issue [outcomes]), built through outcomes' services so
every step is a genuine audit event; it runs after the visits and the joint visits of this
year and before the grades are recomputed (open hazards and overdue rectifications count).

- The rules: discretion standards of 区应急管理局, 区消防救援大队 and 市市场监督管理局龙华监管局
  (outcomes_data), exemption lists at city, district and department level, two new business
  types in their observation period, and a visit rule 非举报不现场核查 for advertising checks.
- Item results for this year's inspections that have none yet (the joint form's have them),
  one notice per inspection that found something, and the rectifications in every state:
  waiting, reported, report sent back, closed by a documentary check, closed by a re-check
  visit, overdue. The key enterprise's fire-door finding and the emergency bureau's finding on
  the same store-room ask different things: a requirement clash for the bureau.
- Off-site inspections (monitoring data, documents, remote video) with their evidence.
- Cases: a first offence exempted under the district's list, an exemption overridden with a
  reason, penalties with their discretion bands, a coercive measure, a soft measure for a
  live-commerce business in its observation period, and one still under investigation.

Only this year is touched: the study's 2019 and 2020 figures stay as they were.
"""

from __future__ import annotations

import csv
import datetime
import io
import random
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.utils import timezone
from PIL import Image, ImageDraw

from wurao.accounts.models import User
from wurao.catalogue.models import InspectionItem
from wurao.demo import outcomes_data as data
from wurao.demo.outcomes_cases import CasesMixin
from wurao.demo.visits_year import Scene, workday
from wurao.enforcement.choices import ActionKind, Finding, Mode, OffsiteMethod
from wurao.enforcement.models import EnforcementAction
from wurao.outcomes import services_checks as checks
from wurao.outcomes import services_exemptions as exemptions
from wurao.outcomes import services_findings as findings
from wurao.outcomes.choices import (
    CheckResult,
    EvidenceKind,
    Hazard,
    RectificationStatus,
    Topic,
)
from wurao.outcomes.models import ItemCheck, Rectification, RequirementClash
from wurao.outcomes.services_offsite import offsite_record
from wurao.registry.models import Department, Enterprise, RiskTag
from wurao.visits.choices import CheckInMethod, VisitKind, VisitOrigin
from wurao.visits.services import (
    Registration,
    visit_check_in,
    visit_check_out,
    visit_register,
    visit_result_record,
)

D = datetime.timedelta
TOPICS = {
    "YJGL": Topic.WORK_SAFETY,
    "XFJY": Topic.FIRE,
    "SZ-STHJ": Topic.ENVIRONMENT,
    "WSJK": Topic.HEALTH,
    "SZ-SCJG": Topic.MARKET,
    "ZJ": Topic.BUILDING,
    "JT": Topic.TRAFFIC,
}
REQUIREMENTS = (
    "按检查要点逐项整改，整改完成后在企业服务平台报告整改情况并上传照片或台账",
    "立即停止违规行为，补齐台账和记录，报告整改情况",
    "限期完成整改，指定专人负责，整改前落实临时管控措施",
)
REPORTS = (
    "已按要求完成整改：补齐记录，指定专人负责，附整改后照片。",
    "已整改：更换损坏设施，重新组织员工培训并签到留档。",
    "整改完成，相关台账已补记，请核查。",
)
# The study's store-room (二.五): three plans for one room. Here the fire brigade's, beside the
# emergency bureau's order at the key enterprise's joint visit (分区分类存放).
STOREROOM_PLAN = (
    "该库房应按丙类仓库改造，与生产区之间设耐火极限不低于 3.00h 的防火墙，库门改为甲级防火门"
)


def _day(d: datetime.date) -> datetime.date:
    return workday(d, -1)


def _png(text: str) -> SimpleUploadedFile:
    """A small photo-like image, so that the evidence is a real, readable file."""
    image = Image.new("RGB", (320, 200), (226, 232, 240))
    ImageDraw.Draw(image).text((12, 90), text, fill=(30, 41, 59))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(f"{text}.png", buffer.getvalue(), content_type="image/png")


def _csv(name: str, rows: list[tuple]) -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def _monitoring(day: datetime.date, *, over: bool) -> SimpleUploadedFile:
    rows: list[tuple] = [("时间", "COD(mg/L)", "氨氮(mg/L)", "限值 COD", "限值 氨氮")]
    for hour in range(0, 24, 2):
        cod = 118 if over and hour in (2, 4) else 62 + hour
        rows.append((f"{day} {hour:02d}:00", cod, round(4.1 + hour / 10, 1), 90, 8))
    return _csv(f"在线监测-{day}.csv", rows)


class Builder(CasesMixin):
    def __init__(self, actor: Any, seed: int) -> None:
        self.actor = actor
        self.rng = random.Random(seed * 7919 + 18)
        self.today = timezone.localdate()
        key = User.objects.get(username="qiye").enterprise
        self.key = key
        self.scene = Scene(actor, key.pk, self.today) if key else None
        self.departments = {d.code: d for d in Department.objects.all()}
        self.counts: dict[str, int] = {}

    @staticmethod
    def _has_qiye() -> bool:
        return User.objects.filter(username="qiye", enterprise__isnull=False).exists()

    def item(self, code: str, name: str) -> InspectionItem:
        return InspectionItem.objects.get(department__code=code, name=name)

    def officers(self, department: Department) -> list:
        return self.scene.officers(department)

    # ------------------------------------------------------------------ rules

    def rules(self) -> None:
        standards = {}
        for s in data.STANDARDS:
            department = self.departments[s.department]
            item = self.item(s.department, s.item)
            standards[s.code] = exemptions.standard_save(
                actor=self.actor,
                department=department,
                code=s.code,
                violation=s.violation,
                legal_basis=s.legal_basis,
                item=item,
                bands=[
                    {
                        "name": b.name,
                        "circumstances": b.circumstances,
                        "measure": b.measure,
                        "min_amount": Decimal(b.min_amount) if b.min_amount is not None else None,
                        "max_amount": Decimal(b.max_amount) if b.max_amount is not None else None,
                    }
                    for b in s.bands
                ],
            )
        self.standards = standards
        entries = 0
        for lst in data.EXEMPTIONS:
            department = self.departments[lst.department] if lst.department else None
            exemption_list = exemptions.exemption_list_create(
                actor=self.actor,
                level=lst.level,
                title=lst.title,
                published_on=datetime.date(self.today.year, 1, 1) - D(days=90),
                department=department,
            )
            for e in lst.entries:
                exemptions.exemption_entry_save(
                    actor=self.actor,
                    exemption_list=exemption_list,
                    kind=e.kind,
                    sector=e.sector,
                    violation=e.violation,
                    legal_basis=e.legal_basis,
                    item=self.item(e.department, e.item) if e.item else None,
                    standard=standards.get(e.standard),
                    needs_first_offence=e.needs_first_offence,
                    needs_minor_harm=e.needs_minor_harm,
                    needs_corrected=e.needs_corrected,
                )
                entries += 1
        for o in data.OBSERVATIONS:
            start = datetime.date(self.today.year, 1, 1)
            exemptions.observation_type_save(
                actor=self.actor,
                name=o.name,
                industry_codes=list(o.industry_codes),
                starts_on=start,
                ends_on=start + D(days=round(o.months * 30.5)),
                note=o.note,
            )
        self.counts |= {
            "discretion_standards": len(standards),
            "exemption_lists": len(data.EXEMPTIONS),
            "exemption_entries": entries,
            "observation_types": len(data.OBSERVATIONS),
        }

    # ------------------------------------------------------------------ findings

    def _rows(self, action: EnforcementAction) -> list[dict]:
        items = list(action.items.order_by("pk"))
        problems = action.finding == Finding.PROBLEMS
        rows = []
        for n, item in enumerate(items):
            finding = problems and n == 0
            text = (
                action.summary if finding and action.summary else f"{item.name}：存在问题，需整改"
            )
            rows.append(
                {
                    "item": item,
                    "result": CheckResult.FINDING if finding else CheckResult.COMPLIANT,
                    "description": text if finding else "",
                    "hazard": (
                        Hazard.MAJOR
                        if finding and "危险化学品" in text
                        else Hazard.GENERAL
                        if finding and self.rng.random() < 0.6
                        else Hazard.NONE
                    ),
                }
            )
        return rows

    def _notice(self, action: EnforcementAction, *, topic: str | None = None, text=None, days=None):
        findings_ = ItemCheck.objects.filter(action=action, result=CheckResult.FINDING)
        deadline = action.date + D(days=days or self.rng.choice((7, 15, 30)))
        orders = {
            c.pk: {
                "requirement": text or self.rng.choice(REQUIREMENTS),
                "deadline": deadline,
                "topic": topic or TOPICS.get(action.department.code, Topic.OTHER),
            }
            for c in findings_
        }
        return checks.notice_issue(actor=self.actor, action=action, orders=orders)

    def this_year(self) -> None:
        """Item results and notices for this year's on-site inspections that have none."""
        actions = (
            EnforcementAction.objects.filter(
                date__year=self.today.year,
                kind=ActionKind.INSPECTION,
                mode=Mode.ON_SITE,
                visit__isnull=False,
            )
            .exclude(finding="")
            .filter(checks__isnull=True)
            .select_related("department")
            .order_by("date", "pk")
        )
        recorded = notices = 0
        for action in actions:
            rows = self._rows(action)
            if not rows:
                continue
            checks.checks_record(actor=self.actor, action=action, rows=rows)
            ItemCheck.objects.filter(action=action).update(recorded_at=action.created_at)
            recorded += 1
            if action.finding == Finding.PROBLEMS:
                self._notice(action)
                notices += 1
        # Orders of past inspections were given then (history), so their deadlines can lapse.
        for r in Rectification.objects.select_related("notice__action"):
            if r.notice.action.created_at < r.created_at:
                Rectification.objects.filter(pk=r.pk).update(created_at=r.notice.action.created_at)
        self.counts |= {"outcome_actions_with_results": recorded, "outcome_notices": notices}

    def lifecycle(self) -> None:
        """Move the rectifications on: some reported, some sent back, some closed by a
        documentary check on time; the rest wait or become overdue."""
        states = {"reported": 0, "rejected": 0, "closed_documentary": 0}
        open_ = list(
            Rectification.objects.filter(status=RectificationStatus.ORDERED)
            .select_related("notice", "enterprise", "department", "item_check__item")
            .order_by("deadline", "pk")
        )
        others = [r for r in open_ if r.enterprise_id != getattr(self.key, "pk", None)]
        # Two kept for today's re-check visits, the latest one waiting for its check.
        self.for_recheck = others[:2]
        waiting = others[-1:] if len(others) > 2 else []
        for r in waiting:
            findings.rectification_report(
                actor=self.actor, rectification=r, text=self.rng.choice(REPORTS)
            )
            states["reported"] += 1
        # Past their deadline, in turn: closed on time, sent back, closed, left overdue.
        fates = ("closed", "rejected", "closed", "overdue")
        lapsed = 0
        for r in open_:
            if r in self.for_recheck or r in waiting:
                continue
            is_key = r.enterprise_id == getattr(self.key, "pk", None)
            if r.deadline >= self.today:
                if is_key or self.rng.random() < 0.5:
                    findings.rectification_report(
                        actor=self.actor, rectification=r, text=self.rng.choice(REPORTS)
                    )
                    states["reported"] += 1
                continue
            if is_key:
                continue  # the key enterprise's store-room waits on the clash: overdue
            fate = fates[lapsed % len(fates)]
            lapsed += 1
            if fate == "closed":
                findings.rectification_report(
                    actor=self.actor, rectification=r, text=self.rng.choice(REPORTS)
                )
                findings.rectification_close_documentary(
                    actor=self.actor,
                    rectification=r,
                    note="核查企业报送的照片和台账，整改到位。",
                    day=max(r.notice.issued_on, r.deadline - D(days=1)),
                )
                states["closed_documentary"] += 1
            elif fate == "rejected":
                findings.rectification_report(
                    actor=self.actor, rectification=r, text="已部分整改，其余正在采购。"
                )
                findings.report_reject(
                    actor=self.actor,
                    rectification=r,
                    reason="报告未附整改后的照片，且仍有一项未完成，请补充后再报。",
                    new_deadline=self.today + D(days=10),
                )
                states["rejected"] += 1
        self.counts |= {f"rectifications_{k}": n for k, n in states.items()}

    def _visit_done(self, *, code, enterprise, origin, items, note, rows):
        """An inspection today through the visit services: registered, checked in by credit
        code, checked out, its items' results recorded."""
        department = self.departments[code]
        visit = visit_register(
            actor=self.actor,
            reg=Registration(
                enterprise=enterprise,
                kind=VisitKind.INSPECTION,
                department=department,
                day=self.today,
                origin=origin,
                officers=tuple(self.officers(department)),
                items=tuple(items),
                note=note,
                **self.scene.approval(department, self.today, urgent=True),
            ),
        )
        visit = visit_check_in(
            actor=self.actor,
            visit=visit,
            method=CheckInMethod.CREDIT_CODE,
            scanned=enterprise.credit_code,
        )
        visit = visit_check_out(actor=self.actor, visit=visit)
        has_finding = any(r["result"] == CheckResult.FINDING for r in rows)
        return visit_result_record(
            actor=self.actor,
            visit=visit,
            department=department,
            kind=ActionKind.INSPECTION,
            items=list(items),
            finding=Finding.PROBLEMS if has_finding else Finding.CLEAN,
            summary=note,
            checks=rows,
        )

    def recheck(self) -> None:
        """One re-check visit today that closes a rectification, one that does not."""
        done = 0
        for r, passed in zip(self.for_recheck, (True, False), strict=False):
            item = r.item_check.item
            action = self._visit_done(
                code=r.department.code,
                enterprise=r.enterprise,
                origin=VisitOrigin.RECHECK,
                items=[item],
                note=f"整改复查：{item.name}",
                rows=[{"item": item, "result": CheckResult.COMPLIANT, "description": ""}]
                if passed
                else [
                    {
                        "item": item,
                        "result": CheckResult.FINDING,
                        "description": "复查发现整改未完成：隐患台账仍未闭环",
                        "hazard": Hazard.GENERAL,
                    }
                ],
            )
            findings.rectification_recheck(
                actor=self.actor,
                rectification=r,
                action=action,
                passed=passed,
                note="现场复查，整改到位。" if passed else "现场复查，整改未完成，再给十日。",
                new_deadline=None if passed else self.today + D(days=10),
            )
            done += 1
        self.counts["rectifications_rechecked"] = done

    # ------------------------------------------------------------------ off-site

    def _enterprise(self, q: Q, n: int = 0) -> Enterprise | None:
        qs = Enterprise.objects.filter(q, kind="enterprise").exclude(
            pk=getattr(self.key, "pk", None)
        )
        return qs.order_by("pk")[n : n + 1].first()

    def _offsite(self, *, code, enterprise, days_ago, method, item, summary, evidence, row):
        department = self.departments[code]
        action = offsite_record(
            actor=self.actor,
            enterprise=enterprise,
            department=department,
            day=_day(self.today - D(days=days_ago)),
            method=method,
            items=[item],
            officers=self.officers(department),
            summary=summary,
            evidence=evidence,
        )
        checks.checks_record(actor=self.actor, action=action, rows=[{"item": item, **row}])
        return action

    def offsite(self) -> dict[str, Any]:
        """Off-site inspections, and the findings the cases below start from."""
        made: dict[str, Any] = {}
        tag = RiskTag.objects.filter(code="discharge").first()
        polluters = Q(risk_tags=tag) if tag else Q()
        water = InspectionItem.objects.filter(department__code="SZ-STHJ").order_by("pk").first()
        for n, over in enumerate((False, False, True)):
            enterprise = self._enterprise(polluters, n)
            if enterprise is None or water is None:
                break
            day = _day(self.today - D(days=3 + 3 * n))
            action = self._offsite(
                code="SZ-STHJ",
                enterprise=enterprise,
                days_ago=(self.today - day).days,
                method=OffsiteMethod.MONITORING,
                item=water,
                summary="调取在线监测平台 24 小时数据，核对排放浓度与限值",
                evidence=[{"kind": EvidenceKind.MONITORING, "file": _monitoring(day, over=over)}],
                row={
                    "result": CheckResult.FINDING if over else CheckResult.COMPLIANT,
                    "description": "凌晨 2 时至 5 时 COD 在线监测值 118 mg/L，超过限值 90 mg/L"
                    if over
                    else "",
                    "hazard": Hazard.GENERAL if over else Hazard.NONE,
                },
            )
            if over:
                self._notice(action, days=15)
        training = self.item("YJGL", "从业人员安全生产教育培训检查")
        enterprise = self._enterprise(Q(industry_section="C"), 3)
        made["first_offence"] = self._offsite(
            code="YJGL",
            enterprise=enterprise,
            days_ago=9,
            method=OffsiteMethod.DOCUMENTS,
            item=training,
            summary="审查企业报送的年度安全生产教育培训计划、签到表和考核记录",
            evidence=[{"kind": EvidenceKind.DOCUMENT, "file": _png("培训签到表")}],
            row={
                "result": CheckResult.FINDING,
                "description": "三季度新入职员工 2 人次的安全培训未记录",
            },
        )
        hazards = self.item("YJGL", "事故隐患排查治理情况检查")
        made["investigating"] = self._offsite(
            code="YJGL",
            enterprise=self._enterprise(Q(industry_section="C"), 5),
            days_ago=5,
            method=OffsiteMethod.REMOTE,
            item=hazards,
            summary="远程视频连线查看隐患排查台账和现场整改情况",
            evidence=[{"kind": EvidenceKind.VIDEO, "file": _png("远程视频截图")}],
            row={
                "result": CheckResult.FINDING,
                "description": "隐患排查台账 8 月以来未记录，现场仍有两处隐患未整改",
                "hazard": Hazard.GENERAL,
            },
        )
        food = self.item("SZ-SCJG", "食品生产经营监督检查")
        made["overridden"] = self._offsite(
            code="SZ-SCJG",
            enterprise=self._enterprise(Q(risk_tags__code="food"), 2),
            days_ago=10,
            method=OffsiteMethod.DOCUMENTS,
            item=food,
            summary="审查企业报送的进货查验记录和供货者资质",
            evidence=[{"kind": EvidenceKind.DOCUMENT, "file": _png("进货查验记录")}],
            row={
                "result": CheckResult.FINDING,
                "description": "婴幼儿辅助食品 3 个批次未查验供货者许可证和合格证明",
            },
        )
        advert = self.item("SZ-SCJG", "广告发布行为监督检查")
        made["soft"] = self._offsite(
            code="SZ-SCJG",
            enterprise=self._enterprise(Q(industry_code="5292"), 0),
            days_ago=7,
            method=OffsiteMethod.REMOTE,
            item=advert,
            summary="远程查看直播间回放和商品详情页",
            evidence=[{"kind": EvidenceKind.VIDEO, "file": _png("直播回放截图")}],
            row={
                "result": CheckResult.FINDING,
                "description": "直播中称所售护肤品“全网最低价”“国家级品质”，无依据",
            },
        )
        # The store-room again: the fire brigade reviews its drawings and asks for another
        # plan than the emergency bureau's, still open: a clash for the bureau.
        if self.key is not None:
            storeroom = self._offsite(
                code="XFJY",
                enterprise=self.key,
                days_ago=6,
                method=OffsiteMethod.DOCUMENTS,
                item=self.item("XFJY", "建筑消防设施完好有效检查"),
                summary="审查企业报送的库房平面图、消防设计文件和维保检测报告",
                evidence=[{"kind": EvidenceKind.DOCUMENT, "file": _png("库房平面图")}],
                row={
                    "result": CheckResult.FINDING,
                    "description": "电池及危险化学品库房与生产区之间无防火分隔，库门为普通门",
                    "hazard": Hazard.GENERAL,
                },
            )
            # the same topic as the emergency bureau's store-room order, so the two meet
            order = (
                Rectification.objects.filter(
                    enterprise=self.key,
                    department__code="YJGL",
                    item_check__description__contains="仓库",
                )
                .exclude(status=RectificationStatus.CLOSED)
                .first()
            )
            topic = order.topic if order else Topic.BUILDING
            self._notice(storeroom, topic=topic, text=STOREROOM_PLAN, days=30)
        for name in ("first_offence", "overridden", "soft", "investigating"):
            self._notice(made[name], days=3)
        self.counts["offsite_inspections"] = EnforcementAction.objects.filter(
            mode=Mode.OFF_SITE
        ).count()
        return made

    # ------------------------------------------------------------------ cases


def demo_outcomes_build(*, actor: Any, seed: int) -> dict[str, int]:
    if not Builder._has_qiye():
        return {}
    b = Builder(actor, seed)
    b.rules()
    b.this_year()
    b.lifecycle()
    b.recheck()
    made = b.offsite()
    b.cases(made)
    b.counts["rectifications_overdue"] = findings.rectifications_flag_overdue(
        today=b.today, actor=actor
    )
    b.counts["rectifications"] = Rectification.objects.count()
    b.counts["requirement_clashes"] = RequirementClash.objects.count()
    return {"outcomes_" + k.removeprefix("outcome_"): n for k, n in b.counts.items()}
