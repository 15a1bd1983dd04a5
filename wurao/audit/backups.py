"""The whole database to one file and back (`wurao backup`, `wurao restore`), each step read back
and compared: every table's row count and the audit chain's head (docs/audit.md).

PostgreSQL: pg_dump's custom format, taken in a snapshot the row counts are read in (so they
describe exactly what was dumped), read back by streaming pg_restore's data; restored with
pg_restore. pg_dump must be at least the server's major version. SQLite: the sqlite3 backup
API, copied within one read transaction (again one snapshot), checked with integrity_check.

A restore refuses a database that holds data unless forced, and the restored chain must verify.
"""

import contextlib
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django.utils.translation import gettext as _

from wurao.audit.engine import GENESIS
from wurao.audit.models import AuditEvent

# Tables `wurao migrate` fills by itself: a database holding only these holds no data.
BOOKKEEPING = frozenset({"django_migrations", "django_content_type", "auth_permission"})


class BackupError(Exception):
    """Why a backup or restore did not happen or did not check, in words an operator acts on."""


@dataclass(frozen=True)
class DatabaseState:
    counts: dict[str, int]  # every table's rows, by name ("schema.table" on PostgreSQL)
    head_seq: int
    head_hash: str

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    @property
    def holds_data(self) -> bool:
        return any(n for t, n in self.counts.items() if t.rsplit(".", 1)[-1] not in BOOKKEEPING)

    def differences(self, other: "DatabaseState") -> list[str]:
        """What `other` (the copy) has differently from this state, table by table."""
        found = [
            _("表 %(table)s：应有 %(expected)s 行，实有 %(found)s 行")
            % {"table": t, "expected": n, "found": other.counts.get(t, _("（缺表）"))}
            for t, n in sorted(self.counts.items())
            if other.counts.get(t) != n
        ]
        if (self.head_seq, self.head_hash) != (other.head_seq, other.head_hash):
            found.append(
                _("审计链头：应为第 %(seq)s 号事件 %(hash)s…，实为第 %(found_seq)s 号 %(found)s…")
                % {
                    "seq": self.head_seq,
                    "hash": self.head_hash[:16],
                    "found_seq": other.head_seq,
                    "found": other.head_hash[:16],
                }
            )
        return found


@dataclass(frozen=True)
class BackupResult:
    path: Path
    state: DatabaseState
    size: int
    sha256: str


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _check(expected: DatabaseState, found: DatabaseState, what: str) -> None:
    differences = expected.differences(found)
    if differences:
        raise BackupError(
            _("%(what)s与数据库不一致：%(differences)s")
            % {"what": what, "differences": "；".join(differences[:10])}
        )


def _vendor() -> str:
    if connection.vendor not in ("sqlite", "postgresql"):
        raise BackupError(
            _("不支持 %(vendor)s 数据库：只支持 PostgreSQL 和 SQLite")
            % {"vendor": connection.vendor}
        )
    return connection.vendor


def database_backup(path: Path, *, overwrite: bool = False) -> BackupResult:
    """Write the whole database to `path`, read it back and compare. The file appears under its
    name only once it checked; a failed backup leaves nothing behind."""
    if path.exists() and not overwrite:
        raise BackupError(_("%(file)s 已存在：换一个文件名，或加 --force 覆盖") % {"file": path})
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        state = _sqlite_backup(partial) if _vendor() == "sqlite" else _pg_backup(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(path=path, state=state, size=path.stat().st_size, sha256=_sha256(path))


def database_restore(path: Path, *, force: bool = False) -> DatabaseState:
    """Replace the database with the backup at `path`, then compare every table's rows and the
    chain's head with the backup's. Refuses a database holding data unless `force`."""
    if not path.is_file():
        raise BackupError(_("找不到备份文件 %(file)s") % {"file": path})
    if _vendor() == "sqlite":
        return _sqlite_restore(path, force=force)
    return _pg_restore(path, force=force)


def _refuse_unless_forced(state: DatabaseState, force: bool) -> None:
    if state.holds_data and not force:
        raise BackupError(
            _(
                "目标数据库已有数据（%(rows)s 行，审计链到第 %(seq)s 号事件），未做任何改动。"
                "确要用备份覆盖，请加 --force。"
            )
            % {"rows": state.rows, "seq": state.head_seq}
        )


# ---------------------------------------------------------------- SQLite


def _sqlite_path() -> Path:
    name = str(connection.settings_dict["NAME"])
    if not name or name == ":memory:" or name.startswith("file:"):
        raise BackupError(_("SQLite 数据库不是一个文件（%(name)s），无法备份") % {"name": name})
    return Path(name)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_state(db: sqlite3.Connection) -> DatabaseState:
    tables = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
            "ESCAPE '\\' ORDER BY name"
        )
    ]
    counts = {t: db.execute(f"SELECT COUNT(*) FROM {_quote(t)}").fetchone()[0] for t in tables}
    head = (0, GENESIS)
    audit = AuditEvent._meta.db_table
    if audit in counts:
        row = db.execute(f"SELECT seq, hash FROM {_quote(audit)} ORDER BY seq DESC LIMIT 1")
        head = row.fetchone() or head
    return DatabaseState(counts=counts, head_seq=head[0], head_hash=head[1])


@contextlib.contextmanager
def _sqlite_open(path: Path, *, read_only: bool) -> Iterator[sqlite3.Connection]:
    uri = path.resolve().as_uri() + ("?mode=ro" if read_only else "")
    try:
        db = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=20)
    except sqlite3.Error as exc:
        raise BackupError(
            _("无法打开 SQLite 数据库 %(file)s：%(error)s") % {"file": path, "error": exc}
        ) from exc
    try:
        yield db
    finally:
        db.close()


def _sqlite_verified(path: Path) -> DatabaseState:
    """The state of a copy, once SQLite finds no damage in it."""
    with _sqlite_open(path, read_only=True) as db:
        try:
            problems = [row[0] for row in db.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as exc:
            raise BackupError(
                _("%(file)s 不是可读的 SQLite 数据库：%(error)s") % {"file": path, "error": exc}
            ) from exc
        if problems != ["ok"]:
            raise BackupError(
                _("%(file)s 已损坏：%(problems)s")
                % {"file": path, "problems": "；".join(problems[:5])}
            )
        return _sqlite_state(db)


def _sqlite_backup(partial: Path) -> DatabaseState:
    with _sqlite_open(_sqlite_path(), read_only=True) as source:
        # One read transaction: the counts and the copy see the same snapshot, whatever the
        # web process writes meanwhile.
        source.execute("BEGIN")
        state = _sqlite_state(source)
        with contextlib.closing(sqlite3.connect(partial)) as copy:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        source.execute("COMMIT")
    _check(state, _sqlite_verified(partial), _("写出的备份"))
    return state


def _sqlite_restore(path: Path, *, force: bool) -> DatabaseState:
    expected = _sqlite_verified(path)
    target = _sqlite_path()
    if target.exists():
        with _sqlite_open(target, read_only=True) as db:
            _refuse_unless_forced(_sqlite_state(db), force)
    connection.close()
    with _sqlite_open(path, read_only=True) as source, _sqlite_open(target, read_only=False) as db:
        source.backup(db)
    with _sqlite_open(target, read_only=True) as db:
        _check(expected, _sqlite_state(db), _("恢复后的数据库"))
    return expected


# ---------------------------------------------------------------- PostgreSQL


def _pg_env() -> dict[str, str]:
    """libpq's environment for the configured database: the password never on a command line."""
    settings = connection.settings_dict
    env = dict(os.environ)
    for variable, value in (
        ("PGHOST", settings.get("HOST")),
        ("PGPORT", settings.get("PORT")),
        ("PGUSER", settings.get("USER")),
        ("PGPASSWORD", settings.get("PASSWORD")),
        ("PGDATABASE", settings.get("NAME")),
    ):
        if value:
            env[variable] = str(value)
    for option in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if value := settings.get("OPTIONS", {}).get(option):
            env[f"PG{option.upper()}"] = str(value)
    return env


def _pg_tool(name: str) -> str:
    """pg_dump or pg_restore of at least the server's major version: Debian installs each
    version's under /usr/lib/postgresql/<major>/bin, the newest on PATH."""
    connection.ensure_connection()
    server = connection.pg_version // 10000
    candidates = [f"/usr/lib/postgresql/{server}/bin/{name}", shutil.which(name)]
    found = [c for c in candidates if c and os.access(c, os.X_OK)]
    if not found:
        raise BackupError(
            _(
                "找不到 %(tool)s：请安装与数据库服务器同版本的 PostgreSQL 客户端"
                "（Debian：apt-get install postgresql-client-%(major)s）"
            )
            % {"tool": name, "major": server}
        )
    tool = found[0]
    version = subprocess.run([tool, "--version"], capture_output=True, text=True).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", version)
    client = int(match.group(1)) if match else 0
    if client < server:
        raise BackupError(
            _(
                "%(tool)s 的版本（%(client)s）低于数据库服务器（PostgreSQL %(server)s），"
                "不能使用：请安装 postgresql-client-%(server)s"
            )
            % {"tool": tool, "client": client or "?", "server": server}
        )
    return tool


def _run(command: list[str], what: str) -> subprocess.CompletedProcess:
    done = subprocess.run(command, env=_pg_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(
            _("%(what)s失败（%(tool)s 退出码 %(code)s）：%(error)s")
            % {
                "what": what,
                "tool": Path(command[0]).name,
                "code": done.returncode,
                "error": done.stderr.strip()[-2000:],
            }
        )
    return done


_PG_TABLES = (
    "SELECT schemaname, tablename FROM pg_tables "
    "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"
)


def _pg_state(cursor) -> DatabaseState:
    cursor.execute(_PG_TABLES)
    tables = cursor.fetchall()
    counts = {}
    for schema, table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(schema)}.{_quote(table)}")
        counts[f"{schema}.{table}"] = cursor.fetchone()[0]
    head = (0, GENESIS)
    audit = AuditEvent._meta.db_table
    if f"public.{audit}" in counts:
        cursor.execute(f"SELECT seq, hash FROM public.{_quote(audit)} ORDER BY seq DESC LIMIT 1")
        head = cursor.fetchone() or head
    return DatabaseState(counts=counts, head_seq=head[0], head_hash=head[1])


def _pg_backup(partial: Path) -> DatabaseState:
    pg_dump = _pg_tool("pg_dump")
    # A connection of its own, holding the snapshot pg_dump dumps while the counts are read.
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = True
        with raw.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            state = _pg_state(cursor)
            _run(
                [
                    pg_dump,
                    "--format=custom",
                    f"--file={partial}",
                    f"--snapshot={snapshot}",
                    "--no-password",
                ],
                _("pg_dump 备份"),
            )
            cursor.execute("ROLLBACK")
    finally:
        raw.close()
    _check(state, _pg_archive_state(partial), _("写出的备份"))
    return state


_COPY = re.compile(r'^COPY ("?[^ "]+"?)\.("?[^ "]+"?) \((.*)\) FROM stdin;$')


def _unquote(name: str) -> str:
    return name[1:-1].replace('""', '"') if name.startswith('"') else name


def _pg_archive_state(path: Path) -> DatabaseState:
    """Read a custom-format archive back: its table of contents, then every row of its data
    (streamed through pg_restore), counted table by table; the audit chain's newest event."""
    pg_restore = _pg_tool("pg_restore")
    listing = _run([pg_restore, "--list", str(path)], _("读取备份目录")).stdout
    counts: dict[str, int] = {}
    for line in listing.splitlines():
        parts = line.split()
        # "1234; 1259 16390 TABLE public audit_auditevent owner"
        # (its rows are "... TABLE DATA public audit_auditevent owner", counted below)
        is_table = len(parts) >= 6 and parts[3] == "TABLE" and parts[4] != "DATA"
        if is_table and not line.startswith(";"):
            counts[f"{parts[4]}.{parts[5]}"] = 0
    audit = f"public.{AuditEvent._meta.db_table}"
    head = (0, GENESIS)
    process = subprocess.Popen(
        [pg_restore, "--data-only", "--file=-", str(path)],
        env=_pg_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert process.stdout is not None and process.stderr is not None
    table, columns = None, []
    for line in process.stdout:
        if table is None:
            if match := _COPY.match(line.rstrip("\n")):
                table = f"{_unquote(match.group(1))}.{_unquote(match.group(2))}"
                columns = [_unquote(c.strip()) for c in match.group(3).split(",")]
                counts.setdefault(table, 0)
            continue
        if line == "\\.\n":
            table = None
            continue
        counts[table] += 1
        if table == audit:
            values = line.rstrip("\n").split("\t")
            seq = int(values[columns.index("seq")])
            if seq > head[0]:
                head = (seq, values[columns.index("hash")])
    error = process.stderr.read()
    if process.wait() != 0:
        raise BackupError(
            _("读取备份数据失败（pg_restore 退出码 %(code)s）：%(error)s")
            % {"code": process.returncode, "error": error.strip()[-2000:]}
        )
    return DatabaseState(counts=counts, head_seq=head[0], head_hash=head[1])


def _pg_restore(path: Path, *, force: bool) -> DatabaseState:
    pg_restore = _pg_tool("pg_restore")
    expected = _pg_archive_state(path)
    with connection.cursor() as cursor:
        _refuse_unless_forced(_pg_state(cursor), force)
    connection.close()
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={connection.settings_dict['NAME']}",
            str(path),
        ],
        _("pg_restore 恢复"),
    )
    with connection.cursor() as cursor:
        found = _pg_state(cursor)
    # Tables the backup does not have (a newer schema's) are left as they were.
    _check(expected, found, _("恢复后的数据库"))
    return expected
