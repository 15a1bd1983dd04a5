"""Schedule a month's planned inspections into joint visits from the command line.

    wurao joint_schedule --month 2026-12 [--street 440309005] [--time-limit 60]
                         [--deterministic] [--seed 7]

Replaces the month's unconfirmed proposals (of the street, or of the district) and prints the
run's figures: planned inspections, separate visits, the lower bound, greedy and scheduled
visits with the gap, and every inspection that could not be placed with its reason.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wurao.planning import services
from wurao.registry import selectors as registry_selectors


class Command(BaseCommand):
    help = "Schedule a month's planned inspections into joint visits (CP-SAT)."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--street", default="", help="a street's division code; default all")
        parser.add_argument("--time-limit", type=float, default=60.0)
        parser.add_argument(
            "--deterministic", action="store_true", help="one worker, same result every run"
        )
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, **options):
        try:
            month = date.fromisoformat(f"{options['month']}-01")
        except ValueError as e:
            raise CommandError(f"--month 须为 YYYY-MM，例如 2026-12：{options['month']!r}") from e
        street = None
        if options["street"]:
            street = registry_selectors.street_list().filter(code=options["street"]).first()
            if street is None:
                raise CommandError(f"没有区划代码为 {options['street']} 的街道")
        try:
            run = services.schedule_run(
                actor="command line",
                month=month,
                street=street,
                time_limit=options["time_limit"],
                deterministic=options["deterministic"],
                seed=options["seed"],
            )
        except ValidationError as e:
            raise CommandError("；".join(e.messages)) from e
        self.stdout.write(
            f"{month:%Y-%m}{' ' + street.name if street else ''}: 计划检查 {run.planned}，"
            f"不合并需入企 {run.separate_visits} 次；下界 {run.lower_bound}，贪心 {run.greedy_visits}，"
            f"排期 {run.visits}（差距 {run.gap:.1%}），部门出动 {run.department_days} 天；"
            f"{run.method} {run.status}，{run.seconds:.1f} 秒"
        )
        for u in run.unplaced:
            self.stdout.write(f"  未能安排：计划 #{u['entry']} {u['enterprise']}：{u['label']}")
