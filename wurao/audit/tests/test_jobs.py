"""The job queue end to end: a real `wurao run_huey` worker runs a project task
enqueued by another process, on the embedded SQLite backend and on Redis."""

import os
import subprocess
import sys
from pathlib import Path

WURAO = [sys.executable, "-m", "wurao.manage"]


def _env(tmp_path: Path, jobs_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "JOBS_IMMEDIATE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'jobs-test.sqlite3'}",
        JOBS_URL=jobs_url,
    )
    return env


def _enqueue_and_wait(env: dict[str, str]) -> str:
    subprocess.run([*WURAO, "migrate", "-v0"], env=env, check=True, timeout=120)
    worker = subprocess.Popen(
        [*WURAO, "run_huey", "--workers", "1"], env=env, stderr=subprocess.DEVNULL
    )
    try:
        done = subprocess.run(
            [
                *WURAO,
                "shell",
                "-c",
                "from wurao.audit.tasks import audit_verify_job as task; "
                "print('result', task().get(blocking=True, timeout=30))",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        worker.terminate()
        worker.wait(timeout=10)
    return done.stdout + done.stderr


def test_a_worker_runs_an_enqueued_task_on_the_embedded_sqlite_queue(tmp_path):
    output = _enqueue_and_wait(_env(tmp_path, f"sqlite:///{tmp_path / 'jobs.sqlite3'}"))

    assert "result {'intact': True, 'seq': None}" in output


def test_a_worker_runs_an_enqueued_task_on_redis(tmp_path):
    # scripts/test starts (or installs) Redis and names it; development machines run one locally.
    redis_url = os.environ.get("WURAO_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

    output = _enqueue_and_wait(_env(tmp_path, redis_url))

    assert "result {'intact': True, 'seq': None}" in output
