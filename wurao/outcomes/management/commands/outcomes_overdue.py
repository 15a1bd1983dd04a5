import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from wurao.outcomes.services_findings import rectifications_flag_overdue


class Command(BaseCommand):
    help = "逾期整改：把超过整改期限仍未完成的整改标记逾期（逾期日为期限后第一天，已标记的不变）。"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按这一天计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options.get("today"):
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today 应为日期，如 2026-01-31") from None
        flagged = rectifications_flag_overdue(today=today, actor="scheduler")
        self.stdout.write(f"overdue: {flagged}")
