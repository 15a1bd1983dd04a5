"""The complaints' periodic job: raise overdue stages to the bureau's head every working morning."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wurao.complaints.services import complaints_escalate


@db_periodic_task(crontab(minute="15", hour="7"))
def complaints_escalate_daily() -> None:
    complaints_escalate(actor="scheduler")
