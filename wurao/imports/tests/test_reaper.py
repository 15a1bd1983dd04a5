"""Jobs whose worker stopped (killed, out of memory, the machine restarted): the reaper finds
them by their silent heartbeat, queues each again once, then fails it, and the job's page
says why. The worker's death is simulated by starting a job and never running it; a real
SIGKILL is in test_reaper_process.py."""

import datetime
import hashlib
import re

import pytest
import time_machine
from django.core.management import call_command

from wurao.audit.models import AuditEvent
from wurao.imports import services_jobs
from wurao.imports.models import ImportJob
from wurao.imports.services import upload_path
from wurao.imports.tests.files import ENTERPRISE_HEADER, csv_bytes
from wurao.registry.models import Enterprise
from wurao.registry.tests.factories import valid_credit_code

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.WURAO_JOBS_STALE_SECONDS = 300
    return settings.MEDIA_ROOT


@pytest.fixture
def justice_client(client, justice_user):
    client.force_login(justice_user)
    return client


def stored_job(user, *, rows=3, kind=ImportJob.Kind.COMMIT):
    """A queued job of an upload kept on disk, as import_job_create leaves it (not yet run)."""
    data = csv_bytes(
        [ENTERPRISE_HEADER]
        + [
            [valid_credit_code(n), f"深圳市测试{n}有限公司", "企业", "福城街道"]
            for n in range(rows)
        ]
    )
    sha256 = hashlib.sha256(data).hexdigest()
    upload_path(sha256).parent.mkdir(parents=True, exist_ok=True)
    upload_path(sha256).write_bytes(data)
    return ImportJob.objects.create(
        kind=kind,
        target="enterprises",
        filename="企业.csv",
        sha256=sha256,
        rows=rows,
        requested_by=user,
    )


def started_then_killed(job, at):
    """A worker takes the job at `at` and dies: the job stays running, its heartbeat ages."""
    with time_machine.travel(at, tick=False):
        return services_jobs.import_job_start(job)


def reap(at, django_capture_on_commit_callbacks):
    with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks() as queued:
        outcomes = services_jobs.import_jobs_reap()
    return outcomes, queued


def verbs():
    return list(AuditEvent.objects.order_by("seq").values_list("verb", flat=True))


def test_a_job_whose_worker_stopped_is_queued_again_and_the_next_worker_finishes_it(
    justice_client, justice_user, places, django_capture_on_commit_callbacks
):
    # Given a commit whose worker died a minute after taking it
    job = started_then_killed(stored_job(justice_user), T0)
    assert job.status == ImportJob.Status.RUNNING and job.attempts == 1 and job.worker

    # When the reaper runs within the threshold, the job is left alone
    assert reap(T0 + datetime.timedelta(minutes=4), django_capture_on_commit_callbacks)[0] == []

    # and past it, the job goes back to the queue, and its page says so
    outcomes, queued = reap(T0 + datetime.timedelta(minutes=6), django_capture_on_commit_callbacks)
    assert [(j.pk, outcome) for j, outcome in outcomes] == [(job.pk, "requeued")]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED and not Enterprise.objects.exists()
    page = justice_client.get(f"/imports/jobs/{job.pk}/").content.decode()
    assert "处理进程中断，本任务已自动重新排队，无需重新提交。" in page and "hx-trigger" in page

    # Then the next worker (huey, run here at once) takes it and writes the rows
    for callback in queued:
        callback()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.attempts == 2
    assert Enterprise.objects.count() == 3
    assert verbs() == [
        "import_job.start",
        "import_job.requeue",
        "import_job.start",
        "enterprise.import",
        "import_job.finish",
    ]
    requeue = AuditEvent.objects.get(verb="import_job.requeue")
    assert requeue.actor_label == "scheduler"
    assert requeue.payload["reason"] == "stale" and requeue.payload["worker"] == job.worker


def test_a_job_interrupted_twice_fails_and_its_page_says_why(
    justice_client, justice_user, django_capture_on_commit_callbacks
):
    job = started_then_killed(stored_job(justice_user), T0)
    reap(T0 + datetime.timedelta(minutes=6), django_capture_on_commit_callbacks)
    # The retry's worker dies too.
    job = started_then_killed(job, T0 + datetime.timedelta(minutes=7))

    outcomes, queued = reap(T0 + datetime.timedelta(minutes=13), django_capture_on_commit_callbacks)

    assert [outcome for _, outcome in outcomes] == ["failed"] and queued == []
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.finished_at is not None
    assert job.error == services_jobs.STALE_COMMIT
    page = justice_client.get(f"/imports/jobs/{job.pk}/").content.decode()
    assert "导入失败" in page and "hx-trigger" not in page
    assert (
        "任务中断（处理进程已停止），未导入任何数据；已自动重试一次仍未完成，请重新提交。" in page
    )
    failed = AuditEvent.objects.get(verb="import_job.fail")
    assert failed.payload["reason"] == "stale" and failed.payload["attempt"] == 2


def test_an_interrupted_check_says_the_file_was_not_checked(
    justice_client, justice_user, django_capture_on_commit_callbacks
):
    job = stored_job(justice_user, kind=ImportJob.Kind.CHECK)
    job = started_then_killed(job, T0)
    reap(T0 + datetime.timedelta(minutes=6), django_capture_on_commit_callbacks)
    job = started_then_killed(job, T0 + datetime.timedelta(minutes=7))

    reap(T0 + datetime.timedelta(minutes=13), django_capture_on_commit_callbacks)

    page = justice_client.get(f"/imports/jobs/{job.pk}/").content.decode()
    assert "文件检查未完成" in page
    assert "任务中断（处理进程已停止），文件未检查完；已自动重试一次仍未完成，请重新提交。" in page


def test_a_job_that_keeps_beating_is_not_reaped(
    justice_user, settings, django_capture_on_commit_callbacks
):
    settings.WURAO_JOBS_HEARTBEAT_SECONDS = 0
    job = started_then_killed(stored_job(justice_user), T0)
    beat = services_jobs.Heartbeat(job)
    with time_machine.travel(T0 + datetime.timedelta(minutes=4), tick=False):
        beat(1000, None)  # 1,000 rows read

    assert reap(T0 + datetime.timedelta(minutes=6), django_capture_on_commit_callbacks)[0] == []
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING and job.processed == 1000
    assert job.heartbeat_at == T0 + datetime.timedelta(minutes=4)


def test_a_running_check_page_shows_the_rows_read(justice_client, justice_user):
    job = started_then_killed(stored_job(justice_user, kind=ImportJob.Kind.CHECK), T0)
    services_jobs.import_job_beat(job, 12_000)

    page = justice_client.get(f"/imports/jobs/{job.pk}/").content.decode()

    assert re.search("正在后台检查：已读取 12,?000 行", page)


def test_the_attempt_the_reaper_gave_up_on_writes_nothing(
    justice_user, places, django_capture_on_commit_callbacks
):
    # Given a worker that was only slow: the reaper has queued its job again meanwhile
    slow = started_then_killed(stored_job(justice_user), T0)
    reap(T0 + datetime.timedelta(minutes=6), django_capture_on_commit_callbacks)

    # When it reaches its write, it finds the job no longer its own and stops
    with pytest.raises(services_jobs.JobSuperseded):
        services_jobs.import_job_run(slow)

    # Then nothing is written and the job stays queued for its next attempt
    assert not Enterprise.objects.exists()
    slow.refresh_from_db()
    assert slow.status == ImportJob.Status.QUEUED
    assert "enterprise.import" not in verbs()


def test_a_job_left_running_before_heartbeats_existed_is_reaped(
    justice_user, django_capture_on_commit_callbacks
):
    job = stored_job(justice_user)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, started_at=T0, attempts=1
    )

    outcomes, _ = reap(T0 + datetime.timedelta(days=2), django_capture_on_commit_callbacks)

    assert [outcome for _, outcome in outcomes] == ["requeued"]


def test_the_command_lists_then_reaps_silent_jobs(
    justice_user, django_capture_on_commit_callbacks, capsys
):
    job = started_then_killed(stored_job(justice_user), T0)

    with time_machine.travel(T0 + datetime.timedelta(minutes=6), tick=False):
        call_command("jobs_reap", "--dry-run")
        listed = capsys.readouterr().out
        with django_capture_on_commit_callbacks():
            call_command("jobs_reap")
        reaped = capsys.readouterr().out

    assert f"任务 #{job.pk}" in listed and "将重新排队" in listed and "试运行" in listed
    assert "已重新排队" in reaped and "共处理 1 个中断的任务" in reaped
    assert AuditEvent.objects.get(verb="import_job.requeue").actor_label.startswith("cli:")
