import datetime
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wurao.credit.backtest import Backtest
from wurao.credit.points_json import table_from_json
from wurao.credit.points_problems import PointsTableError
from wurao.credit.services_calibration import table_backtest, table_for_backtest


def _f(value, digits=1, percent=False) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.{digits}f}%" if percent else f"{value:.{digits}f}"


def report_lines(b: Backtest) -> list[str]:
    """A backtest in words, Chinese then English, for the command line."""
    lines = [
        f"回测 {b.start} 至 {b.end}，第 {b.table_version} 版计分表：{b.inspections:,} 次检查，"
        f"发现违法 {b.violations:,} 次（其中严重 {b.serious:,} 次）",
        f"按风险排序，发现违法的检查平均提前 {_f(b.days_earlier)} 天（严重的 "
        f"{_f(b.days_earlier_serious)} 天）；随机排序 {_f(b.random_days_earlier_mean)} ± "
        f"{_f(b.random_days_earlier_sd)} 天",
        f"前半期发现的违法：按风险排序 {_f(b.first_half_share, percent=True)}，实际 "
        f"{_f(b.first_half_share_actual, percent=True)}，随机 "
        f"{_f(b.random_first_half_share_mean, percent=True)} ± "
        f"{_f(b.random_first_half_share_sd, percent=True)}",
        "各等级检出率："
        + "，".join(
            f"{g} {h.violations}/{h.inspections}（{_f(h.rate, percent=True)}）"
            for g, h in b.hit_rate_by_grade.items()
        ),
        f"覆盖率（受检企业中有计分记录的）：{_f(b.coverage, percent=True)}",
        f"Backtest {b.start} to {b.end}, table version {b.table_version}: {b.inspections:,}"
        f" inspections, {b.violations:,} found a violation ({b.serious:,} serious); in the"
        f" table's order they come {_f(b.days_earlier)} days earlier on average (random"
        f" {_f(b.random_days_earlier_mean)} ± {_f(b.random_days_earlier_sd)}); first-half share"
        f" {_f(b.first_half_share, percent=True)} (actual"
        f" {_f(b.first_half_share_actual, percent=True)}).",
    ]
    return lines


class Command(BaseCommand):
    help = (
        "回测信用计分表：按前一天已知的记录给期间内每次检查评分，按风险重排，与实际顺序和随机顺序比较 / "
        "Backtest the points table on a period of the district's own inspections."
    )

    def add_arguments(self, parser):
        day = datetime.date.fromisoformat
        parser.add_argument("--from", dest="start", type=day, required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", type=day, required=True, help="YYYY-MM-DD")
        parser.add_argument(
            "--table", type=Path, help="计分表 JSON 文件（默认今天生效的版本）/ a table's JSON file"
        )
        parser.add_argument("--seed", type=int, default=0, help="随机基准的种子 / random seed")
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="输出 JSON / print JSON"
        )

    def handle(self, *args, start, end, table=None, seed=0, as_json=False, **options):
        try:
            points = table_from_json(table.read_text("utf-8")) if table else table_for_backtest()
            result = table_backtest(start=start, end=end, table=points, seed=seed)
        except (OSError, PointsTableError) as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        if as_json:
            self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False))
        else:
            self.stdout.write("\n".join(report_lines(result)))
