"""A real worker killed with SIGKILL in the middle of an import: its job stays "running", the
reaper (`wurao jobs_reap`, another process) queues it again, and the next worker writes every
row once. Like wurao/audit/tests/test_jobs.py, it runs the project's own processes on a SQLite
database file and the SQLite queue."""

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

from wurao.imports.tests.files import ENTERPRISE_HEADER, csv_bytes
from wurao.registry.tests.factories import valid_credit_code

WURAO = [sys.executable, "-m", "wurao.manage"]
ROWS = 30_000  # a few seconds of reading: time to kill the worker in the middle

SETUP = """
from wurao.accounts.tests.factories import UserFactory
from wurao.imports.services_jobs import import_job_create
from wurao.registry.tests.factories import StreetFactory

StreetFactory(name="福城街道", code="440309005")
job = import_job_create(
    actor=UserFactory(username="sfj"), target="enterprises", sha256="{sha256}",
    filename="企业.csv", rows={rows},
)
print("job", job.pk)
"""


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "JOBS_IMMEDIATE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'wurao.sqlite3'}",
        JOBS_URL=f"sqlite:///{tmp_path / 'jobs.sqlite3'}",
        WURAO_JOBS_HEARTBEAT_SECONDS="0.2",
        WURAO_JOBS_STALE_SECONDS="2",
    )
    return env


def _job(tmp_path: Path) -> tuple[str, int, str]:
    with sqlite3.connect(tmp_path / "wurao.sqlite3") as db:
        return db.execute("SELECT status, processed, worker FROM imports_importjob").fetchone()


def _count(tmp_path: Path, sql: str) -> int:
    with sqlite3.connect(tmp_path / "wurao.sqlite3") as db:
        return db.execute(sql).fetchone()[0]


def _wait_for(check, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_worker_killed_mid_import_is_reaped_and_the_next_worker_imports_every_row_once(
    tmp_path,
):
    env = _env(tmp_path)
    # The workers keep uploads under the project's MEDIA_ROOT; this one is the test's own.
    rows = [
        [valid_credit_code(n), f"深圳市测试{n}有限公司", "企业", "福城街道"] for n in range(ROWS)
    ]
    data = csv_bytes([ENTERPRISE_HEADER[:4], *rows, ["", f"{tmp_path.name}", "", ""]])
    sha256 = hashlib.sha256(data).hexdigest()
    upload = Path(settings.MEDIA_ROOT) / "imports" / sha256
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_bytes(data)
    workers = []
    try:
        subprocess.run([*WURAO, "migrate", "-v0"], env=env, check=True, timeout=300)
        subprocess.run(
            [*WURAO, "shell", "-c", SETUP.format(sha256=sha256, rows=ROWS)],
            env=env,
            check=True,
            timeout=120,
        )

        # Given a worker that has started the import and is reading the file
        first = subprocess.Popen(
            [*WURAO, "run_huey", "--workers", "1"], env=env, stderr=subprocess.DEVNULL
        )
        workers.append(first)
        _wait_for(lambda: _job(tmp_path)[1] > 0, timeout=120)
        status, processed, worker = _job(tmp_path)
        assert status == "running" and worker.endswith(f":{first.pid}")

        # When it is killed (SIGKILL: no chance to say anything)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        time.sleep(3)  # its heartbeat falls silent past WURAO_JOBS_STALE_SECONDS

        # Then the job is still "running", with nothing written, until the reaper finds it
        assert _job(tmp_path)[0] == "running"
        assert _count(tmp_path, "SELECT COUNT(*) FROM registry_enterprise") == 0
        reaped = subprocess.run(
            [*WURAO, "jobs_reap"], env=env, capture_output=True, text=True, timeout=120
        )
        assert "已重新排队" in reaped.stdout, reaped.stdout + reaped.stderr
        assert _job(tmp_path)[0] == "queued"

        # and the next worker takes it from the queue and imports every row, once.
        second = subprocess.Popen(
            [*WURAO, "run_huey", "--workers", "1"], env=env, stderr=subprocess.DEVNULL
        )
        workers.append(second)
        _wait_for(lambda: _job(tmp_path)[0] == "done", timeout=300)
        assert _count(tmp_path, "SELECT COUNT(*) FROM registry_enterprise") == ROWS
        assert _count(tmp_path, "SELECT attempts FROM imports_importjob") == 2
        assert (
            _count(
                tmp_path, "SELECT COUNT(*) FROM audit_auditevent WHERE verb = 'import_job.requeue'"
            )
            == 1
        )
    finally:
        for process in workers:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=10)
        upload.unlink(missing_ok=True)
