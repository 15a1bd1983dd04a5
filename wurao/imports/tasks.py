"""The background commit of a large confirmed import (see services.import_job_create)."""

import logging

from huey.contrib.djhuey import db_task

from wurao.imports.models import ImportJob
from wurao.imports.services import (
    ImportFileError,
    import_job_fail,
    import_job_finish,
    import_job_start,
    import_run,
    upload_path,
)

logger = logging.getLogger(__name__)

MISSING_FILE = "服务器上已找不到本次上传的文件（可能已被清理），未导入任何数据。请重新上传文件。"
MISSING_USER = "提交本次导入的用户已不存在，未导入任何数据。请重新上传文件。"
UNEXPECTED = "导入过程中发生意外错误，未导入任何数据。请稍后重试；如仍失败，请联系管理员。"


@db_task(retries=2, retry_delay=60, context=True)
def import_commit_job(job_id: int, task=None) -> str:
    """Write a confirmed upload as its requester; returns the job's final status.

    A file that cannot be read or imported fails the job at once (retrying would not
    help); an unexpected error is retried, and fails the job when no retries are left.
    Each upsert is one transaction, so a failed job has written nothing.
    """
    job = ImportJob.objects.filter(pk=job_id).select_related("requested_by").first()
    if job is None or job.finished:  # deleted, or a duplicate delivery of a finished job
        return job.status if job else "missing"
    if job.requested_by is None:
        return import_job_fail(job, MISSING_USER).status
    path = upload_path(job.sha256)
    if not path.is_file():
        return import_job_fail(job, MISSING_FILE).status
    import_job_start(job)
    try:
        report = import_run(
            actor=job.requested_by,
            target=job.target,
            source=path,
            filename=job.filename,
            commit=True,
        )
    except ImportFileError as error:
        return import_job_fail(job, f"文件未导入：{error.message}").status
    except Exception:
        logger.exception("import job %s failed", job_id)
        if task is not None and task.retries > 0:
            raise  # huey retries; the job stays "running" until it ends
        import_job_fail(job, UNEXPECTED)
        raise
    return import_job_finish(job, report).status
