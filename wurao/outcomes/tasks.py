"""The outcomes' periodic job: flag every rectification past its deadline as overdue, each
morning (the first day past the deadline is the day a 逾期未整改 credit record starts)."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wurao.outcomes.services_findings import rectifications_flag_overdue


@db_periodic_task(crontab(minute="5", hour="0"))
def rectifications_flag_overdue_daily() -> None:
    rectifications_flag_overdue(today=timezone.localdate(), actor="scheduler")
