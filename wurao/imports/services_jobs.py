"""Import jobs: an upload checked, or a confirmed one written, by a huey worker (tasks.py);
the heartbeat of a running job; and the reaper that finds jobs whose worker stopped.

Every change of a job's state is an audit event (its heartbeats are not: they only say that
the worker is alive). A job's row is changed only by the attempt that holds it (its status
and attempts), so a worker the reaper gave up on cannot overwrite what the next attempt does.

Both kinds are retried once when their worker stops (docs/decisions/0001-job-queue.md): a
check writes nothing, and a commit writes every row and marks its job done in one
transaction, so an interrupted attempt has written nothing and a second one does exactly
what was asked. A second interruption fails the job: a file that brought its worker down
(out of memory) would bring the next one down too.
"""

from __future__ import annotations

import functools
import logging
import os
import socket
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import OperationalError, models, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from wurao.accounts.policy import require
from wurao.audit.services import audit_record
from wurao.imports.models import ImportJob
from wurao.imports.services import ImportReport, import_run, upload_path

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 2  # the first, and one automatic retry after an interruption
# What the job's page says when the reaper gives up (the job's `error`).
STALE_CHECK = gettext_noop(
    "任务中断（处理进程已停止），文件未检查完；已自动重试一次仍未完成，请重新提交。"
)
STALE_COMMIT = gettext_noop(
    "任务中断（处理进程已停止），未导入任何数据；已自动重试一次仍未完成，请重新提交。"
)


class JobSuperseded(Exception):
    """This attempt no longer holds its job: the reaper queued it again (or failed it) after
    its worker fell silent. The attempt stops; whatever it was writing rolls back."""


def _job_audit(job: ImportJob, *, actor: Any, verb: str, **payload: Any) -> None:
    audit_record(
        actor=actor,
        verb=verb,
        obj=job,
        payload={
            "target": job.target,
            "kind": job.kind,
            "filename": job.filename,
            "sha256": job.sha256,
            **payload,
        },
    )


def import_job_create(
    *,
    actor: Any,
    target: str,
    sha256: str,
    filename: str,
    rows: int = 0,
    kind: str = ImportJob.Kind.COMMIT,
) -> ImportJob:
    """Record an upload to be checked, or a confirmed one to be written, in the background,
    and queue its job."""
    from wurao.imports.tasks import import_job_task  # tasks imports this module

    require(actor, "imports.run")
    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=kind,
            target=target,
            sha256=sha256,
            filename=filename,
            rows=rows,
            requested_by=actor,
        )
        _job_audit(job, actor=actor, verb="import_job.queue", rows=rows)
    # Enqueued after the job row is committed, so the worker always finds it.
    import_job_task(job.pk)
    return job


def worker_name() -> str:
    """This process, as the job page and the audit name it: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def import_job_start(job: ImportJob) -> ImportJob | None:
    """Take a queued job for this worker: a new attempt, beating from now. None when the job
    is not queued (another worker has it, or it has ended)."""
    now = timezone.now()
    with transaction.atomic():
        taken = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED).update(
            status=ImportJob.Status.RUNNING,
            started_at=now,
            heartbeat_at=now,
            worker=worker_name(),
            attempts=models.F("attempts") + 1,
            processed=0,
            error="",
        )
        if not taken:
            return None
        job.refresh_from_db()
        _job_audit(
            job,
            actor=job.requested_by,
            verb="import_job.start",
            attempt=job.attempts,
            worker=job.worker,
        )
    return job


def import_job_beat(job: ImportJob, processed: int) -> None:
    """The running attempt is alive and has read `processed` rows. Raises JobSuperseded when
    the attempt no longer holds the job."""
    held = ImportJob.objects.filter(
        pk=job.pk, status=ImportJob.Status.RUNNING, attempts=job.attempts
    ).update(heartbeat_at=timezone.now(), processed=processed)
    if not held:
        raise JobSuperseded
    job.processed = processed


def import_job_claim(job: ImportJob) -> None:
    """Inside a write's transaction: lock the job's row for this attempt (the reaper passes a
    locked job by, and on SQLite cannot write meanwhile), or stop if the attempt lost it."""
    current = (
        ImportJob.objects.select_for_update()
        .filter(pk=job.pk)
        .values_list("status", "attempts")
        .first()
    )
    if current != (ImportJob.Status.RUNNING, job.attempts):
        raise JobSuperseded


def import_job_finish(job: ImportJob, report: ImportReport) -> ImportJob:
    """Done, with its report: in the transaction that wrote the rows (import_run's `job`)."""
    with transaction.atomic():
        import_job_claim(job)
        job.status = ImportJob.Status.DONE
        job.report = report.as_json()
        job.finished_at = timezone.now()
        job.processed = report.rows
        job.save(update_fields=["status", "report", "finished_at", "processed"])
        _job_audit(
            job,
            actor=job.requested_by,
            verb="import_job.finish",
            attempt=job.attempts,
            rows=report.rows,
            valid=report.valid,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
        )
    return job


def import_job_requeue(job: ImportJob, *, actor: Any, reason: str, **payload: Any) -> bool:
    """Give a running attempt's job back to the queue (its worker stopped, or huey will retry
    it); False when the attempt no longer holds it."""
    with transaction.atomic():
        requeued = ImportJob.objects.filter(
            pk=job.pk, status=ImportJob.Status.RUNNING, attempts=job.attempts
        ).update(status=ImportJob.Status.QUEUED, heartbeat_at=None, worker="")
        if requeued:
            _job_audit(
                job,
                actor=actor,
                verb="import_job.requeue",
                attempt=job.attempts,
                reason=reason,
                **payload,
            )
    return bool(requeued)


def import_job_fail(
    job: ImportJob, message: str, *, actor: Any = None, **payload: Any
) -> ImportJob:
    """Failed, with the message its page shows; a job that has ended, or that another attempt
    holds, stays as it is."""
    with transaction.atomic():
        current = ImportJob.objects.select_for_update().get(pk=job.pk)
        if current.finished or current.attempts != job.attempts:
            return current
        job.status = ImportJob.Status.FAILED
        job.error = message
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        _job_audit(
            job,
            actor=actor if actor is not None else job.requested_by,
            verb="import_job.fail",
            attempt=job.attempts,
            error=message,
            **payload,
        )
    return job


class Heartbeat:
    """import_run's progress callback for a job: counts the rows read and beats at most
    every WURAO_JOBS_HEARTBEAT_SECONDS."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.rows = 0
        self.last = time.monotonic()

    def __call__(self, done: int, total: int | None) -> None:
        self.rows += done
        if time.monotonic() - self.last < settings.WURAO_JOBS_HEARTBEAT_SECONDS:
            return
        self.last = time.monotonic()
        try:
            import_job_beat(self.job, self.rows)
        except OperationalError:  # SQLite busy with another writer past its timeout
            logger.warning("import job %s: heartbeat skipped, database busy", self.job.pk)


def import_job_run(job: ImportJob) -> ImportJob:
    """Do a started job's work as its requester: check the upload, or write it. The job is
    finished in the transaction of the write (import_run); raises what import_run raises,
    or JobSuperseded."""
    import_run(
        actor=job.requested_by,
        target=job.target,
        source=upload_path(job.sha256),
        filename=job.filename,
        commit=job.kind == ImportJob.Kind.COMMIT,
        progress=Heartbeat(job),
        job=job,
    )
    return job


def import_jobs_silent(*, stale_seconds: int | None = None) -> models.QuerySet[ImportJob]:
    """Running jobs whose worker has not beaten for `stale_seconds` (default
    WURAO_JOBS_STALE_SECONDS): killed, out of memory, or the machine restarted."""
    if stale_seconds is None:
        stale_seconds = settings.WURAO_JOBS_STALE_SECONDS
    cutoff = timezone.now() - timedelta(seconds=stale_seconds)
    return (
        ImportJob.objects.filter(status=ImportJob.Status.RUNNING)
        # Jobs started before heartbeats existed have only their start.
        .alias(last_sign=Coalesce("heartbeat_at", "started_at"))
        .filter(last_sign__lt=cutoff)
        .order_by("pk")
    )


def import_jobs_reap(
    *, actor: Any = "scheduler", stale_seconds: int | None = None
) -> list[tuple[ImportJob, str]]:
    """Each silent job (import_jobs_silent) is queued again once, then failed with the
    reason its page shows. Returns (job, "requeued" or "failed") for each."""
    from wurao.imports.tasks import import_job_task  # tasks imports this module

    silent = import_jobs_silent(stale_seconds=stale_seconds)
    outcomes: list[tuple[ImportJob, str]] = []
    for pk in list(silent.values_list("pk", flat=True)):
        with transaction.atomic():
            # A job in its write's transaction holds its row (import_job_claim): passed by.
            job = silent.select_for_update(skip_locked=True).filter(pk=pk).first()
            if job is None:
                continue
            last = job.heartbeat_at or job.started_at
            payload = {
                "reason": "stale",
                "last_heartbeat": last.isoformat() if last else None,
                "worker": job.worker,
            }
            if job.attempts < MAX_ATTEMPTS:
                import_job_requeue(job, actor=actor, **payload)
                transaction.on_commit(functools.partial(import_job_task, job.pk))
                outcomes.append((job, "requeued"))
            else:
                message = STALE_CHECK if job.kind == ImportJob.Kind.CHECK else STALE_COMMIT
                import_job_fail(job, gettext(message), actor=actor, **payload)
                outcomes.append((job, "failed"))
    return outcomes
