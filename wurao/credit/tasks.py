from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from wurao.credit.services_grading import grades_recompute


@db_task(retries=2, retry_delay=300)
def grades_recompute_job() -> dict:
    return grades_recompute(actor="scheduler")


@db_periodic_task(crontab(minute="30", hour="2"))
def grades_recompute_nightly() -> None:
    # Nightly, after the day's records are in; periodic tasks keep no result, so enqueue the job.
    grades_recompute_job()
