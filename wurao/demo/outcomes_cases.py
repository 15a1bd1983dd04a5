"""The demo's cases (issue [outcomes]), a part of outcomes_build's Builder: a first offence
exempted under the district's list, the city's exemption overridden with a reason, a soft
measure in an observation period, one under investigation, and the fire brigade's sealing
order and fine after a complaint visit today. Through the cases services, like everything else."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q

from wurao.enforcement.models import EnforcementAction
from wurao.outcomes import services_cases as cases
from wurao.outcomes import services_findings as findings
from wurao.outcomes.choices import CaseKind, CheckResult, Disposition, Hazard, SoftMeasure
from wurao.outcomes.models import Case, ItemCheck, Rectification
from wurao.visits.choices import VisitOrigin

D = datetime.timedelta


class CasesMixin:
    def _on(self, action: EnforcementAction, days: int) -> datetime.date:
        return min(action.date + D(days=days), self.today)

    def _closed_on_time(self, action: EnforcementAction) -> None:
        for r in Rectification.objects.filter(item_check__action=action):
            findings.rectification_report(
                actor=self.actor, rectification=r, text="已整改，附补充后的记录。"
            )
            findings.rectification_close_documentary(
                actor=self.actor, rectification=r, note="补充记录完整。", day=r.deadline
            )

    def cases(self, made: dict[str, Any]) -> None:
        def finding_of(action):
            return list(ItemCheck.objects.filter(action=action, result=CheckResult.FINDING))

        def officers(action):
            return list(action.officers.all())

        # 1. 首违不罚: corrected on time, a first offence, minor harm → no penalty.
        action = made["first_offence"]
        self._closed_on_time(action)
        case = cases.case_open(
            actor=self.actor,
            checks=finding_of(action),
            kind=CaseKind.PENALTY,
            facts="当事人三季度新入职员工 2 人次的安全生产教育培训未如实记录，经责令改正已于期限内补记。",
            officers=officers(action),
            opened_on=self._on(action, 4),
        )
        cases.case_decide(
            actor=self.actor,
            case=case,
            disposition=Disposition.EXEMPTED,
            reasoning="当事人系初次违法，未造成危害后果，且在责令改正期限内改正，"
            "符合《中华人民共和国行政处罚法》第三十三条第一款和区首违不罚清单的规定，依法不予行政处罚，"
            "并对其进行教育。",
            minor_harm=True,
            decided_on=self._on(action, 6),
        )
        # 2. The city's first-offence entry proposed no penalty; the officer penalises, with why.
        action = made["overridden"]
        self._closed_on_time(action)
        case = cases.case_open(
            actor=self.actor,
            checks=finding_of(action),
            kind=CaseKind.PENALTY,
            facts="当事人婴幼儿辅助食品 3 个批次未查验供货者许可证和产品合格证明。",
            officers=officers(action),
            opened_on=self._on(action, 4),
        )
        standard = self.standards["SC-CL-001"]
        cases.case_notify(
            actor=self.actor,
            case=case,
            statement_offered_on=self._on(action, 5),
            hearing_offered=False,
        )
        cases.case_decide(
            actor=self.actor,
            case=case,
            disposition=Disposition.PENALTY,
            reasoning="未查验的批次为婴幼儿辅助食品，消费者为特殊群体，风险不属轻微，"
            "依法给予警告。",
            band=standard.bands.order_by("order").first(),
            band_reasons="首次发现，已改正，适用较轻档次",
            measure="警告",
            minor_harm=True,
            override_reason="涉及婴幼儿辅助食品，虽为初次且已改正，但不宜认定危害后果轻微，故不适用首违不罚。",
            decided_on=self._on(action, 7),
            served_on=self._on(action, 8),
        )
        # 3. A new business type in its observation period: a soft measure first.
        action = made["soft"]
        case = cases.case_open(
            actor=self.actor,
            checks=finding_of(action),
            kind=CaseKind.PENALTY,
            facts="当事人在直播中使用“全网最低价”“国家级品质”等用语，无事实依据。",
            officers=officers(action),
            opened_on=self._on(action, 2),
        )
        cases.case_decide(
            actor=self.actor,
            case=case,
            disposition=Disposition.SOFT,
            soft_measure=SoftMeasure.WARNING,
            reasoning="当事人属直播电商新业态，处于观察期内，初次发现且未造成损害，"
            "依法予以警示告诫，责令删除相关用语。",
            decided_on=self._on(action, 4),
        )
        # 4. Still under investigation.
        action = made["investigating"]
        cases.case_open(
            actor=self.actor,
            checks=finding_of(action),
            kind=CaseKind.PENALTY,
            facts="当事人隐患排查台账 8 月以来未记录，现场两处隐患未整改，正在调查。",
            officers=officers(action),
        )
        # 5. Fire: a penalty within its band and a coercive measure, after an on-site visit.
        self.fire_cases()
        self.counts["cases"] = Case.objects.count()

    def fire_cases(self) -> None:
        crowded = self._enterprise(Q(risk_tags__code="crowded"), 1)
        if crowded is None:
            return
        exits = self.item("XFJY", "人员密集场所疏散通道和安全出口检查")
        systems = self.item("XFJY", "建筑消防设施完好有效检查")
        action = self._visit_done(
            code="XFJY",
            enterprise=crowded,
            origin=VisitOrigin.COMPLAINT,
            items=[exits, systems],
            note="群众举报营业期间安全出口被锁闭，到场核查",
            rows=[
                {
                    "item": exits,
                    "result": CheckResult.FINDING,
                    "description": "营业期间两处安全出口被铁链锁闭，疏散通道堆放货物",
                    "hazard": Hazard.MAJOR,
                    "serious_risk": True,
                },
                {
                    "item": systems,
                    "result": CheckResult.FINDING,
                    "description": "火灾自动报警系统主机故障 12 处未修复，部分区域无法报警",
                    "hazard": Hazard.GENERAL,
                },
            ],
        )
        self._notice(action, days=3)
        found = {
            c.item_id: c for c in ItemCheck.objects.filter(action=action).select_related("item")
        }
        measure = cases.case_open(
            actor=self.actor,
            checks=[found[exits.pk]],
            kind=CaseKind.COERCIVE,
            facts="营业期间两处安全出口被锁闭，疏散通道堵塞，不及时消除可能严重威胁公共安全。",
            officers=list(action.officers.all()),
            standard=self.standards["XF-QZ-001"],
        )
        cases.case_notify(
            actor=self.actor, case=measure, statement_offered_on=self.today, hearing_offered=False
        )
        cases.case_decide(
            actor=self.actor,
            case=measure,
            disposition=Disposition.MEASURE,
            reasoning="安全出口锁闭属重大火灾隐患，现场无法立即消除，依法对危险部位实施临时查封。",
            band=self.standards["XF-QZ-001"].bands.first(),
            band_reasons="营业期间无法立即消除",
            measure="临时查封二楼东侧仓储区及被锁闭的安全出口所在区域，期限至隐患消除",
            decided_on=self.today,
            served_on=self.today,
        )
        penalty = cases.case_open(
            actor=self.actor,
            checks=[found[systems.pk]],
            kind=CaseKind.PENALTY,
            facts="火灾自动报警系统主机故障 12 处未修复，部分区域无法报警。",
            officers=list(action.officers.all()),
            standard=self.standards["XF-CL-001"],
        )
        cases.case_notify(
            actor=self.actor, case=penalty, statement_offered_on=self.today, hearing_offered=False
        )
        band = self.standards["XF-CL-001"].bands.get(order=2)
        cases.case_decide(
            actor=self.actor,
            case=penalty,
            disposition=Disposition.PENALTY,
            reasoning="火灾自动报警系统部分故障，影响局部报警，属一般情节；当事人系人员密集场所，"
            "在该档次内从重，处罚款二万元。",
            band=band,
            band_reasons="自动消防系统部分故障，影响局部报警",
            amount=Decimal("20000"),
            measure="罚款",
            decided_on=self.today,
        )
