import sys
import unicodedata

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from wurao.credit.choices import Grade
from wurao.demo import data
from wurao.demo.credit_build import GRADES_AS_OF
from wurao.demo.services import demo_build
from wurao.demo.services_reset import DemoError, demo_existing_counts, demo_reset
from wurao.sampling.choices import TaskStatus
from wurao.visits.alerts import ALERT_LABELS

COUNT_LABELS = {
    "streets": "街道",
    "communities": "社区",
    "parks": "园区",
    "departments": "执法部门",
    "other_organisations": "非执法单位（工会、妇联、工商联、党工委、街道办、社区工作站）",
    "inspectors": "执法人员",
    "risk_tags": "风险标签",
    "items": "检查事项",
    "entities": "商事主体",
    "enterprises": "  其中企业",
    "individuals": "  个体工商户",
    "others": "  其他（农民专业合作社）",
    "four_above": "“四上”企业",
    "above_scale": "规上工业企业",
    "actions_2020": "2020年执法行为",
    "inspections_2020": "  行政检查",
    "penalties_2020": "  行政处罚",
    "coercive_2020": "  行政强制",
    "actions_2019": "2019年执法行为（演示假设，约为2020年的92%）",
    "inspections_2019": "  行政检查",
    "penalties_2019": "  行政处罚",
    "coercive_2019": "  行政强制",
    "non_enforcement_2019": "2019年非执法入企（工会、妇联、党建、社区、调研、政策宣传）",
    "non_enforcement_2020": "2020年非执法入企",
    "key_enterprise_actions": "福城重点企业2019年1—10月执法入企",
    "key_enterprise_other_visits": "福城重点企业2019年1—10月非执法入企",
    "inspection_visits": "历史执法检查的入企登记",
    "joint_inspection_visits": "  其中跨部门联合入企（共用一次登记）",
    "rated_visits": "  企业评价",
    "alerts": "2019—2020年非现场监测预警",
    "alerted_enterprises": "  涉及企业",
    "awards": "表彰奖励（良好信用记录）",
    "commitment_items": "信用承诺事项",
    "commitments": "信用承诺",
    "commitments_fulfilled": "  已履行",
    "commitments_breached": "  未履行（失信）",
    "commitments_signed": "  待认定",
    "credit_recent_alerts": "近两年（截至今天）非现场监测预警",
    "credit_recent_awards": "近两年表彰奖励",
    "credit_recent_commitments": "近两年信用承诺",
    "credit_recent_commitments_fulfilled": "  已履行",
    "credit_recent_commitments_breached": "  未履行（失信）",
    "credit_recent_commitments_signed": "  待认定",
    "accounts": "演示账号",
    "draw_tasks": "双随机抽查任务（经抽查服务生成）",
    "draw_selected": "  抽中企业",
    "draw_results": "  已录入检查结果",
    "visits": "入企登记合计（一个登记簿）",
    "visits_inspection": "  执法检查",
    "visits_non_enforcement": "  非执法入企",
    "visits_now_year": "  本年度",
    "visits_key_now_year": "    其中福城重点企业",
    "visits_ratings": "入企评价",
    "visits_key_rated_now": "  其中福城重点企业本年度的评价",
    "visits_refusals": "被入企规则拒绝的登记",
    "visits_overrides": "申请突破规则的登记",
    "visits_pending_override": "  待第二人审批",
    "visits_after_the_fact": "事后补登",
}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(width - _width(text), 0)
    return fill + text if right else text + fill


def _progress(total: int, desc: str):
    # Bars go to stderr and switch themselves off when it is not a terminal.
    return tqdm(total=total, desc=desc, unit="行", unit_scale=True, file=sys.stderr, disable=None)


class Command(BaseCommand):
    help = (
        "生成演示区（仿龙华区：6个街道、商事主体、执法部门、检查事项及2019—2020年执法记录和入企登记）。"
        " / Build the demo district reproducing the Longhua study's figures."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=0.02,
            help="规模比例，1 = 龙华区全量（433,407户），默认 0.02",
        )
        parser.add_argument(
            "--seed", type=int, default=2022, help="随机种子；同一种子生成同一演示区"
        )
        parser.add_argument(
            "--reset", action="store_true", help="先删除已有的演示表数据和演示账号（审计日志保留）"
        )

    def handle(self, *args, scale: float, seed: int, reset: bool, **options):
        existing = {k: n for k, n in demo_existing_counts().items() if n}
        if existing and not reset:
            listed = "、".join(f"{k} {n}" for k, n in existing.items())
            raise CommandError(
                f"数据库非空（{listed}），未做任何改动。如确要删除这些数据并重建演示区，请加 --reset。"
            )
        try:
            with transaction.atomic():
                if existing:
                    self.stdout.write("将删除以下数据后重建（审计日志保留）：")
                    for k, n in existing.items():
                        self.stdout.write(f"  {_pad(k, 16)}{n:>10,}")
                    demo_reset(actor="demo")
                self.stdout.write(f"正在生成演示区：比例 {scale:g}，种子 {seed} …")
                result = demo_build(actor="demo", scale=scale, seed=seed, progress=_progress)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        self._report(result)

    def _report(self, result) -> None:
        out = self.stdout
        out.write(
            self.style.SUCCESS(
                f"演示区已生成，用时 {result.seconds:.1f} 秒（比例 {result.scale:g}，种子 {result.seed}）。"
            )
        )
        for key, label in COUNT_LABELS.items():
            if key in result.counts:
                out.write(f"  {_pad(label, 46)}{result.counts[key]:>10,}")
        out.write(
            f"重点企业：{result.key_enterprise['name']}（{result.key_enterprise['credit_code']}）"
        )
        out.write(f"数据口径来源：{data.STUDY_SOURCE}")
        self._report_credit(result)
        self._report_visits(result)
        self._report_planning(result)
        out.write("")
        out.write(
            "双随机抽查任务（抽取结果包可用 wurao draw_export 导出、wurao draw_verify 核验）："
        )
        for task in result.draws:
            status = TaskStatus(task["status"]).label
            drawn = f"，抽中 {task['selected']} 家" if task["selected"] else ""
            # A draft has no frozen candidates yet.
            sizes = f"（候选 {task['candidates']:,} 家{drawn}）" if task["candidates"] else ""
            out.write(f"  {_pad(task['code'], 22)}{_pad(str(status), 18)}{task['title']}{sizes}")
        if result.notes:
            out.write("")
            out.write("比例较小，以下部分按实际数据作了调整：")
            for note in result.notes:
                out.write(f"  {note}")
        out.write("")
        out.write(f"演示账号（密码均为 {result.password}）：")
        header = f"  {_pad('用户名', 16)}{_pad('角色', 20)}{_pad('名称', 22)}所属"
        out.write(header)
        for a in result.accounts:
            out.write(
                f"  {_pad(a['username'], 16)}{_pad(a['role'], 20)}{_pad(a['name'], 22)}{a['anchor']}"
            )

    def _report_credit(self, result) -> None:
        out, grades = self.stdout, result.grades
        total = grades.get("enterprises", 0)
        if not total:
            return
        out.write("")
        history = result.grades_history.get("by_grade", {})
        out.write(
            f"信用等级（评价基准日 {grades['as_of']}，即今天，第 {grades['table_version']} 版计分表，"
            f"经 grades_recompute 评定 {total:,} 户；右列为 {GRADES_AS_OF} 的历史评级）："
        )
        for grade in Grade:
            n, then = grades["by_grade"].get(grade.value, 0), history.get(grade.value, 0)
            out.write(
                f"  {_pad(str(grade.label), 24)}{n:>10,}{100 * n / total:>8.1f}%"
                f"{then:>12,}{100 * then / total:>8.1f}%"
            )
        out.write("信用异议和修复（经异议、修复和审核服务生成）：")
        states = {
            "submitted": "待审核",
            "overdue": "超期未审",
            "approved": "已通过",
            "rejected": "未通过",
        }
        kinds = {"objection": "异议", "repair": "修复"}
        for review in result.reviews:
            owner = "（重点企业）" if review["key"] else ""
            out.write(
                f"  {_pad(kinds[review['kind']], 6)}{_pad(states[review['state']], 10)}"
                f"{review['enterprise']}{owner}"
            )

    def _report_visits(self, result) -> None:
        now = result.visits
        if now is None:
            return
        out = self.stdout
        out.write("")
        out.write(
            f"入企登记（今天 {now.today}，第 {now.rules_version} 版入企规则由 sfj 发布；"
            "以下经入企服务生成，各有审计事件）："
        )
        if now.key_code:
            out.write(
                f"  福城重点企业今日有效的入企码：{now.key_code}（qiye 在“我的入企”查看，"
                f"任何人可在 /v/{now.key_code.replace('-', '')}/ 核验）"
            )
        for step in now.steps:
            out.write(f"  {step}")
        if now.alerts:
            listed = "、".join(f"{ALERT_LABELS.get(k, k)} {n}" for k, n in now.alerts.items())
            out.write(f"  {now.today.year}年预警（司法局 /visits/alerts/）：{listed}")

    def _report_planning(self, result) -> None:
        plan = result.planning
        if plan is None:
            return
        out, c, run = self.stdout, plan.counts, plan.run
        out.write("")
        out.write(
            f"计划与联合检查（{plan.month:%Y年%m月}；以下经计划、排期、协调和整园执法服务生成，"
            "各有审计事件，大批计划检查批量写入）："
        )
        out.write(
            f"  月度计划 {c['planning_plans']} 份（已锁定 {c['planning_plans_locked']}），"
            f"计划检查 {c['planning_entries']:,} 条，涉及企业 {c['planning_enterprises']:,} 家，"
            f"其中 {c['planning_overlaps']:,} 家有两个以上部门计划"
        )
        out.write(
            f"  专项检查“{plan.campaign}” {c['planning_campaign']} 条，双随机任务 "
            f"{c['planning_random_task']} 条，整改复查 {c['planning_follow_up']} 条；"
            f"锁定后补报 {c['planning_late']} 条；跨层级重复 {c['planning_duplicates']} 条（待撤回）"
        )
        out.write(
            f"  排期：计划检查 {run['planned']:,}，不合并需入企 {run['separate_visits']:,} 次；"
            f"下界 {run['lower_bound']:,}，贪心 {run['greedy_visits']:,}，排期 {run['visits']:,}"
            f"（差距 {100 * run['gap']:.1f}%，{run['method']}，未能安排 {run['unplaced']}）"
        )
        out.write(
            f"  联合入企：已确认 {c['planning_confirmed']}，待确认 {c['planning_proposed']:,}，"
            f"企业申请改期 {c['planning_change_requests']}；近几周已完成 {c['planning_forms_filled']} 次，"
            f"一表通查 {c['planning_form_lines']} 项结果（不符合 {c['planning_form_fail_lines']} 项）"
        )
        out.write(
            f"  联合整园执法日：已抽取 {c['park_days_drawn']}，已承诺待抽取 "
            f"{c['park_days_committed']}（公示：/public/planning/park-days/）"
        )
        for step in plan.steps:
            out.write(f"  {step}")
