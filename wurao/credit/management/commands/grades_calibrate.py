import datetime
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wurao.credit.services_calibration import table_calibrate


class Command(BaseCommand):
    help = (
        "按训练期的检查结果校准信用计分表，存为草案（不改变任何等级），并在检验期与现行版本比较回测 / "
        "Calibrate the points table on a training period; store it as a draft with a report."
    )

    def add_arguments(self, parser):
        day = datetime.date.fromisoformat
        parser.add_argument("--train-from", type=day, required=True, help="YYYY-MM-DD")
        parser.add_argument("--train-to", type=day, required=True, help="YYYY-MM-DD")
        parser.add_argument("--test-from", type=day, help="检验期起（默认训练期次日）")
        parser.add_argument("--test-to", type=day, help="检验期止（默认与训练期等长，至多到今天）")
        parser.add_argument("--out", type=Path, help="另存草案计分表 JSON / also write the draft")
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="输出 JSON 报告 / print JSON"
        )

    def handle(self, *args, train_from, train_to, test_from=None, test_to=None, out=None,
               as_json=False, **options):  # fmt: skip
        try:
            draft = table_calibrate(
                actor="grades_calibrate",
                train_from=train_from,
                train_to=train_to,
                test_from=test_from,
                test_to=test_to,
            )
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        if out:
            out.write_text(json.dumps(draft.table, ensure_ascii=False, indent=2), "utf-8")
        if as_json:
            self.stdout.write(json.dumps({"draft": draft.pk, **draft.report}, ensure_ascii=False))
            return
        fit, test = draft.report["fit"], draft.report["test"]
        lines = [
            f"草案 {draft.pk}：训练期 {draft.train_from} 至 {draft.train_to}，"
            f"{fit['inspections']:,} 次检查，{fit['violations']:,} 次发现违法",
            *(
                f"  {k['code']}: {k['points_before']:g} → {k['points_after']:g} 分/条，"
                f"{k['window_days']} 天，{k['decay']}（训练期记录 {k['records']:,} 条）"
                for k in fit["kinds"]
            ),
            f"检验期 {draft.test_from} 至 {draft.test_to}：",
        ]
        for name, label in (("in_force", "现行版本"), ("draft", "草案")):
            b = test[name]
            earlier = "—" if b["days_earlier"] is None else f"{b['days_earlier']:.1f}"
            share = b["first_half_share"]
            lines.append(
                f"  {label}：违法检查平均提前 {earlier} 天，前半期占 "
                + ("—" if share is None else f"{share * 100:.1f}%")
            )
        lines.append(
            f"Draft {draft.pk} stored; adopt it on the points-table page (a person publishes it)."
        )
        self.stdout.write("\n".join(lines))
