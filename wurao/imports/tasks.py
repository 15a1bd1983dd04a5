"""The background check of a large upload and the background commit of a large confirmed
import (services_jobs), and the reaper of jobs whose worker stopped."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from wurao.imports.models import ImportJob
from wurao.imports.services import ImportFileError, upload_path
from wurao.imports.services_jobs import (
    JobSuperseded,
    import_job_fail,
    import_job_requeue,
    import_job_run,
    import_job_start,
    import_jobs_reap,
)

logger = logging.getLogger(__name__)

MISSING_FILE = "服务器上已找不到本次上传的文件（可能已被清理），未导入任何数据。请重新上传文件。"
MISSING_USER = "提交本次导入的用户已不存在，未导入任何数据。请重新上传文件。"
UNEXPECTED = "导入过程中发生意外错误，未导入任何数据。请稍后重试；如仍失败，请联系管理员。"


@db_task(retries=2, retry_delay=60, context=True)
def import_job_task(job_id: int, task=None) -> str:
    """Check or write an upload as its requester; returns the job's status as this attempt
    leaves it.

    A file that cannot be read or imported fails the job at once (retrying would not
    help); an unexpected error is retried, and fails the job when no retries are left.
    A commit writes its rows and finishes its job in one transaction, so a job that did
    not finish has written nothing.
    """
    job = ImportJob.objects.filter(pk=job_id).select_related("requested_by").first()
    if job is None or job.status != ImportJob.Status.QUEUED:
        # Deleted, ended, or a duplicate delivery of a job another worker is running.
        return job.status if job else "missing"
    if job.requested_by is None:
        return import_job_fail(job, MISSING_USER).status
    if not upload_path(job.sha256).is_file():
        return import_job_fail(job, MISSING_FILE).status
    if import_job_start(job) is None:
        return "taken"  # another delivery started it first
    try:
        import_job_run(job)
    except JobSuperseded:
        logger.warning("import job %s: attempt %s was superseded", job_id, job.attempts)
        return "superseded"
    except ImportFileError as error:
        return import_job_fail(job, f"文件未导入：{error.message}").status
    except Exception:
        logger.exception("import job %s failed", job_id)
        if task is not None and task.retries > 0:
            # huey delivers the task again after retry_delay: it finds the job queued.
            import_job_requeue(job, actor=job.requested_by, reason="error")
            raise
        import_job_fail(job, UNEXPECTED)
        raise
    return job.status


@db_periodic_task(crontab(minute="*"))
def import_jobs_reap_minutely() -> None:
    """Every minute: jobs whose worker has been silent for WURAO_JOBS_STALE_SECONDS are
    queued again once, then failed (services_jobs.import_jobs_reap)."""
    for job, outcome in import_jobs_reap(actor="scheduler"):
        logger.warning("import job %s (attempt %s): %s", job.pk, job.attempts, outcome)
