"""`wurao backup` and `wurao restore` end to end on the suite's database engine (DATABASE_URL:
SQLite or PostgreSQL), as an operator runs them: separate processes on scratch databases, the
backup read back, the restore refused over data, the restored chain and its anchors verified."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from wurao.audit.tests.anchoring import key_pair

WURAO = [sys.executable, "-m", "wurao.manage"]
WRITE_EVENTS = (
    "from wurao.audit.services import audit_record\n"
    "for i in range(5):\n"
    "    audit_record(actor='tester', verb='thing.create', object_type='thing', object_id=str(i))\n"
)


def _postgres_url(name: str) -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _postgres_admin(sql: str) -> None:
    """CREATE/DROP DATABASE, outside the test's transaction (they cannot run inside one)."""
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = True
        raw.execute(sql)
    finally:
        raw.close()


@pytest.fixture
def scratch(tmp_path, db):
    """Two empty scratch databases of the suite's engine: (source URL, restored URL)."""
    if connection.vendor == "sqlite":
        yield (
            f"sqlite:///{tmp_path / 'source.sqlite3'}",
            f"sqlite:///{tmp_path / 'restored.sqlite3'}",
        )
        return
    names = [f"wurao_backup_{uuid.uuid4().hex[:8]}_{n}" for n in ("source", "restored")]
    for name in names:
        _postgres_admin(f'CREATE DATABASE "{name}"')
    try:
        yield tuple(_postgres_url(n) for n in names)
    finally:
        for name in names:
            _postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _wurao(database_url: str, *args: str, seed: str, check: bool = True):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        AUDIT_SIGNING_KEY=seed,
        JOBS_IMMEDIATE="1",
    )
    done = subprocess.run([*WURAO, *args], env=env, capture_output=True, text=True, timeout=300)
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_backup_and_restore_round_trip_with_the_chain_and_its_anchors(scratch, tmp_path):
    # given a database with audited writes and its head signed
    source, restored = scratch
    seed, _ = key_pair()
    _wurao(source, "migrate", "-v0", seed=seed)
    _wurao(source, "shell", "-c", WRITE_EVENTS, seed=seed)
    _wurao(source, "audit_anchor", seed=seed)
    anchors = tmp_path / "anchors.json"
    _wurao(source, "audit_anchor", "--export", str(anchors), seed=seed)

    # when it is backed up and restored into an empty database
    backup = tmp_path / "wurao.backup"
    made = _wurao(source, "backup", str(backup), seed=seed)
    back = _wurao(restored, "restore", str(backup), seed=seed)

    # then the backup was read back, the restore matched it table by table, and the restored
    # chain verifies against its anchors and the kept copy
    assert "已读回核对，一致" in made.stdout and "审计链头第 5 号事件" in made.stdout
    assert "与备份一致" in back.stdout and "审计链完整" in back.stdout
    verified = _wurao(restored, "audit_verify", "--anchors", str(anchors), seed=seed)
    assert "外部副本：1 个锚点的签名有效" in verified.stdout

    # and a second restore over the data now there is refused, changing nothing
    refused = _wurao(restored, "restore", str(backup), seed=seed, check=False)
    assert refused.returncode != 0 and "目标数据库已有数据" in refused.stderr
    assert "--force" in refused.stderr


def test_a_damaged_backup_is_refused_before_anything_is_touched(scratch, tmp_path):
    # given a file that is not a whole backup
    _, restored = scratch
    seed, _ = key_pair()
    damaged = tmp_path / "damaged.backup"
    damaged.write_bytes(b"PGDMP" + b"\0" * 100 if connection.vendor != "sqlite" else b"x" * 4096)

    # when it is restored
    done = _wurao(restored, "restore", str(damaged), seed=seed, check=False)

    # then it is refused, saying why
    assert done.returncode != 0
    assert "不是可读的 SQLite 数据库" in done.stderr or "pg_restore" in done.stderr


def test_backup_will_not_overwrite_a_file_without_force(scratch, tmp_path):
    source, _ = scratch
    seed, _ = key_pair()
    existing = tmp_path / "existing.backup"
    existing.write_text("keep me")

    done = _wurao(source, "backup", str(existing), seed=seed, check=False)

    assert done.returncode != 0 and "已存在" in done.stderr
    assert Path(existing).read_text() == "keep me"
