import json
import unicodedata

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from wurao.accounts.scope import Scope, scope_for
from wurao.oversight.selectors import oversight_summary

KIND_LABELS = {"inspection": "行政检查", "penalty": "行政处罚", "coercive": "行政强制"}
# The study's "top three": 生态环境、市场监管、应急管理 (the three busiest departments).
TOP_N = 3


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(width - _width(text), 0)
    return fill + text if right else text + fill


def _pct(n: int, total: int) -> str:
    return f"{100 * n / total:.1f}%" if total else "—"


class Command(BaseCommand):
    help = (
        "打印某年涉企行政执法统计（调研报告表1：按类别的数量和占比，部门排名，区级双随机，联合抽查）。"
        " / Print a year's oversight figures as JSON or a Chinese table."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="统计年度，例如 2020")
        parser.add_argument(
            "--format", choices=["json", "table"], default="table", help="输出格式，默认 table"
        )
        parser.add_argument(
            "--scope-user",
            metavar="USERNAME",
            help="按该用户的可见范围统计（部门只见本部门，街道只见本街道）；默认全区",
        )

    def handle(self, *args, year: int, format: str, scope_user: str | None, **options):
        scope, label = Scope(sees_all=True), "全区"
        if scope_user:
            user = get_user_model().objects.filter(username=scope_user).first()
            if user is None:
                raise CommandError(f"用户 {scope_user} 不存在，请检查用户名。")
            scope = scope_for(user)
            label = f"{user.get_username()}（{user.get_role_display()}）可见范围"
        summary = oversight_summary(scope=scope, year=year)
        if format == "json":
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            self._table(summary, label)

    def _table(self, s: dict, label: str) -> None:
        out, total = self.stdout, s["total"]
        out.write(f"{s['year']}年涉企行政执法统计（{label}）")
        out.write("")
        out.write(f"表1  执法行为按类别统计（合计 {total:,} 次）")
        out.write(
            f"  {_pad('类别', 12)}{_pad('数量', 10, right=True)}{_pad('占比', 10, right=True)}"
        )
        for kind, n in s["by_kind"].items():
            out.write(
                f"  {_pad(KIND_LABELS.get(kind, kind), 12)}{n:>10,}{_pad(_pct(n, total), 10, right=True)}"
            )
        out.write(f"  {_pad('合计', 12)}{total:>10,}{_pad(_pct(total, total), 10, right=True)}")
        out.write("")
        district, random = s["district_inspections"], s["random_draw_inspections"]
        out.write(
            f"区级单位行政检查 {district:,} 次，其中“双随机”抽查 {random:,} 次（{_pct(random, district)}）"
        )
        out.write(f"跨部门联合“双随机”抽查 {s['joint_random_visits']:,} 户次")
        out.write("")
        out.write("部门排名")
        out.write(
            f"  {_pad('序号', 6)}{_pad('部门', 34)}{_pad('数量', 10, right=True)}{_pad('占比', 9, right=True)}{_pad('累计', 9, right=True)}"
        )
        running = 0
        for rank, (name, n) in enumerate(s["by_department"].items(), start=1):
            running += n
            out.write(
                f"  {_pad(str(rank), 6)}{_pad(name, 34)}{n:>10,}"
                f"{_pad(_pct(n, total), 9, right=True)}{_pad(_pct(running, total), 9, right=True)}"
            )
        top = list(s["by_department"].values())[:TOP_N]
        if len(top) == TOP_N:
            out.write(f"前{TOP_N}名部门合计 {sum(top):,} 次，占 {_pct(sum(top), total)}")
