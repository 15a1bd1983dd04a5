"""Background jobs a person starts from a page and the page then polls (huey tasks): the
simulator, the joint-visit scheduler, the points table's backtest. Which jobs are a person's
is kept in their session, so another person's job id answers 404; each job's outcome is read
from the worker's results once, then kept beside it."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from huey.contrib.djhuey import HUEY
from huey.exceptions import TaskException


@dataclass(frozen=True)
class SessionJobs:
    key: str  # the session key: huey task id -> what the person started
    unexpected: str  # the outcome of a job that raised instead of answering
    # No outcome by then: the worker is not running, or lost the job; by the job's "kind".
    stale_seconds: Mapping[str, int] = field(default_factory=lambda: {"": 600})
    kept: int = 5  # the person's latest jobs remembered

    def all(self, request) -> dict:
        return request.session.get(self.key, {})

    def keep(self, request, task_id: str, job: dict) -> None:
        """Remember a job just started (with its start time), forgetting the oldest."""
        jobs = self.all(request)
        jobs[task_id] = {**job, "started": timezone.now().isoformat()}
        request.session[self.key] = dict(list(jobs.items())[-self.kept :])

    def update(self, request, task_id: str, **changes) -> None:
        jobs = self.all(request)
        jobs[task_id] = {**jobs[task_id], **changes}
        request.session[self.key] = jobs

    def resolve(self, request, task_id: str) -> dict | None:
        """The person's job with `id`, its `outcome` (None until the worker has one),
        `elapsed` seconds and whether it is `stale`; None if the job is not theirs."""
        job = self.all(request).get(task_id)
        if job is None:
            return None
        if job.get("outcome") is None:
            try:
                value = HUEY.result(task_id)
            except TaskException:
                value = {"error": self.unexpected}
            if value is not None:
                self.update(request, task_id, outcome=value)
                job = {**job, "outcome": value}
        job = {"outcome": None, **job, "id": task_id}
        started = datetime.fromisoformat(job["started"])
        job["elapsed"] = int((timezone.now() - started).total_seconds())
        limit = self.stale_seconds.get(job.get("kind", ""), max(self.stale_seconds.values()))
        job["stale"] = job["outcome"] is None and job["elapsed"] > limit
        return job

    def latest(self, request) -> dict | None:
        jobs = list(self.all(request))
        return self.resolve(request, jobs[-1]) if jobs else None

    def running(self, request) -> dict | None:
        """The person's job still being computed (not answered, not given up on), if any."""
        for task_id in reversed(list(self.all(request))):
            job = self.resolve(request, task_id)
            if job and job["outcome"] is None and not job["stale"]:
                return job
        return None
