import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wurao.oversight.simulation.rules import (
    DEFAULT_RULES_PATH,
    RuleSet,
    RuleSetError,
    ruleset_from_json,
)
from wurao.oversight.simulation.service import simulation_run, simulation_years


def _read(path: str) -> RuleSet:
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise CommandError(f"无法读取规则文件 {path}：{e.strerror}") from e
    except json.JSONDecodeError as e:
        raise CommandError(
            f"规则文件 {path} 不是有效的 JSON（第 {e.lineno} 行第 {e.colno} 列）"
        ) from e
    try:
        return ruleset_from_json(doc)
    except RuleSetError as e:
        raise CommandError(f"规则文件 {path} 有误：{e.message}") from e


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


ROWS = (
    ("onsite_visits", "现场入企（次）"),
    ("enterprises_visited", "被入企的企业（户）"),
    ("enterprises_never_disturbed", "全年未被打扰的企业（户）"),
    ("department_days", "部门出勤日（部门×日）"),
    ("d_grade_inspected", "被检查的 D 级企业（户）"),
    ("findings", "发现问题的检查（次）"),
)


class Command(BaseCommand):
    help = (
        "按规则集重演一年的入企登记，对比现行做法与拟议规则（政策模拟）。"
        " / Replay a year of the visit registry under a rule set and compare it with the baseline."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="重演的年度，例如 2019")
        parser.add_argument(
            "--rules",
            metavar="FILE",
            default=str(DEFAULT_RULES_PATH),
            help="拟议规则集（JSON，格式见 docs/simulator.md）；默认为系统自带的默认规则",
        )
        parser.add_argument(
            "--baseline",
            metavar="FILE",
            help="作为对照的规则集；默认为空规则集（登记实况）",
        )
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, year: int, rules: str, baseline: str | None, json: bool, **options):
        years = simulation_years()
        if year not in years:
            listed = "、".join(str(y) for y in years) or "无"
            raise CommandError(f"{year} 年没有入企记录可重演；有记录的年度：{listed}")
        proposal = _read(rules)
        result = simulation_run(
            year=year, proposal=proposal, baseline=_read(baseline) if baseline else None
        )
        if json:
            import json as json_module

            self.stdout.write(json_module.dumps(result, ensure_ascii=False, indent=2, default=str))
            return
        self._table(result, proposal)

    def _table(self, r: dict, proposal: RuleSet) -> None:
        out = self.stdout
        base, prop = r["baseline"], r["proposal"]
        out.write(
            f"{r['year']} 年政策模拟：{proposal.name or '拟议规则'}（用时 {r['seconds']} 秒）"
        )
        out.write("")
        out.write(f"  {'指标':<24}{'对照':>12}{'拟议':>12}")
        for key, label in ROWS:
            out.write(f"  {label:<24}{base[key]:>12,}{prop[key]:>12,}")
        for key, label in (
            ("mean", "每户入企 平均"),
            ("p95", "每户入企 95 分位"),
            ("max", "每户入企 最多"),
        ):
            b, p = base["visits_per_enterprise"][key], prop["visits_per_enterprise"][key]
            out.write(f"  {label:<24}{b:>12}{p:>12}")
        top = r["max_enterprise_visits"]
        out.write("")
        out.write(
            f"入企最多的企业 {top['name'] or top['id']}：{top['baseline']} → {top['proposal']} 次"
            f"（减少 {_pct(r['max_visits_reduction'])}）"
        )
        out.write(f"现场入企减少 {_pct(r['onsite_visits_reduction'])}")
        out.write(f"基准中被检查的 D 级企业仍被检查：{_pct(r['d_coverage_kept'])}")
        out.write(f"发现问题的检查仍然进行：{_pct(r['findings_kept'])}")
        out.write("")
        out.write("各规则减少的现场入企（次）")
        for code, n in r["by_rule"].items():
            out.write(f"  {r['rule_labels'].get(code, code)}：{n:,}")
