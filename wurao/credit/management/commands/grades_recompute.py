import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from wurao.credit.services_grading import grades_recompute


class Command(BaseCommand):
    help = "重算全部企业的信用风险等级 / Regrade every enterprise under the points table in force."

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of", type=datetime.date.fromisoformat, help="评价基准日 YYYY-MM-DD（默认今天）"
        )

    def handle(self, *args, as_of=None, verbosity=1, **options):
        def progress(rows, total, desc):
            return tqdm(rows, total=total, desc=desc, disable=verbosity < 1, unit="家")

        try:
            summary = grades_recompute(actor="grades_recompute", as_of=as_of, progress=progress)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        grades = "，".join(f"{g} 级 {n:,}" for g, n in summary["by_grade"].items())
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary['as_of']} 按第 {summary['table_version']} 版计分表评级 {summary['enterprises']:,} 家：{grades}；"
                f"等级变动 {summary['changed']:,} 家。"
            )
        )
