"""Run the registration load against gunicorn and measure it: latencies (locust), CPU of the
workers and their PostgreSQL backends, what the backends waited on; and the one-process profile."""

from __future__ import annotations

import datetime
import json
import os
import random
import signal
import socket
import subprocess
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import numpy as np

from bench.visits_db import ENDPOINT, ROOT, VENV_BIN, maintenance_url, server_env, server_url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(f"GET {ENDPOINT} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
                if s.recv(12).startswith(b"HTTP/"):
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time")


@contextmanager
def server(
    database_url: str,
    workers: int,
    port: int,
    scratch: Path,
    pg_options: str = "",
    extra_env: dict[str, str] | None = None,
) -> Iterator[subprocess.Popen]:
    env = os.environ | server_env(server_url(database_url, 600, pg_options)) | (extra_env or {})
    env |= {"WEB_CONCURRENCY": str(workers), "BIND": f"127.0.0.1:{port}"}
    env["JOBS_URL"] = f"sqlite:///{scratch / 'jobs.sqlite3'}"  # not the project's queue
    log = open(scratch / "gunicorn.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "--config",
            str(ROOT / "config" / "gunicorn.conf.py"),
            "config.wsgi",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_http(port, proc)
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


# --- 3. the load -----------------------------------------------------------------------

LOAD_ORIGINS = (("plan", 0.70), ("complaint", 0.10), ("random_draw", 0.10), ("campaign", 0.05))
LOAD_ORIGINS += (("recheck", 0.05),)


def registration(fix: dict[str, Any], rnd: random.Random) -> tuple[dict[str, Any], dict]:
    """One registration as an officer's phone sends it: a random bench account, an
    enterprise (half uniform, half in proportion to its visits), a day in the next 30, two
    of the department's officers (the account's own first), one or two of its items."""
    account = rnd.choice(fix["accounts"])
    pool = fix["uniform"] if rnd.random() < 0.5 else fix["visited"]
    today = datetime.date.fromisoformat(fix["today"])
    day = today + datetime.timedelta(days=rnd.randint(0, 30))
    origin = rnd.choices([o for o, _ in LOAD_ORIGINS], [w for _, w in LOAD_ORIGINS])[0]
    badges = account["badges"]
    own = account["own_badge"]
    officers = [own, rnd.choice([b for b in badges if b != own])] if own else rnd.sample(badges, 2)
    items = rnd.sample(account["items"], rnd.choice((1, 1, 2)))
    body = {
        "client_id": str(uuid.uuid4()),  # fresh every time, also in a rerun
        "enterprise": rnd.choice(pool),
        "kind": "inspection",
        "origin": origin,
        "date": day.isoformat(),
        "officers": officers,
        "items": items,
        "approver": "王主任",
        "approval_ref": f"{account['department']}审〔{today.year}〕{rnd.randint(1, 9999)}号",
        "approved_on": today.isoformat(),
        "note": "年度检查计划" if origin == "plan" else "",
    }
    return account, body


def _process_cpu(pid: int) -> float:
    import psutil

    with suppress(psutil.Error):
        t = psutil.Process(pid).cpu_times()
        return t.user + t.system
    return 0.0


def _cpu_seconds(server_pid: int, database_url: str) -> dict[str, float]:
    """CPU seconds used so far by the gunicorn workers, by the PostgreSQL backends connected
    to the bench database (this process's own excepted), and by the whole machine."""
    import psutil
    import psycopg

    workers = 0.0
    for child in psutil.Process(server_pid).children(recursive=True):
        with suppress(psutil.Error):
            t = child.cpu_times()
            workers += t.user + t.system
    backends = 0.0
    _, name = maintenance_url(database_url)
    with psycopg.connect(database_url) as conn:
        pids = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        ).fetchall()
    for (pid,) in pids:
        with suppress(psutil.Error):
            t = psutil.Process(pid).cpu_times()
            backends += t.user + t.system
    machine = psutil.cpu_times()
    busy = sum(machine) - machine.idle - getattr(machine, "iowait", 0.0)
    return {
        "workers": workers,
        "backends": backends,
        "connections": len(pids),
        "busy": busy,
        "at": time.monotonic(),
    }


@contextmanager
def _pg_sampler(database_url: str) -> Iterator[Any]:
    """A function that lists what the bench database's backends are doing right now:
    'idle', 'running', or what they wait for ('Lock:advisory', 'IO:WALSync'...)."""
    import psycopg

    _, name = maintenance_url(database_url)
    with psycopg.connect(database_url, autocommit=True) as conn:

        def sample() -> list[str]:
            rows = conn.execute(
                "SELECT state, wait_event_type, wait_event FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
                [name],
            ).fetchall()
            return [
                "idle" if state and state.startswith("idle") else
                f"{kind}:{event}" if kind else "running"
                for state, kind, event in rows
            ]  # fmt: skip

        yield sample


def load_run(
    *, port: int, fixtures_path: Path, scratch: Path, rps: float, users: int,
    duration: int, warmup: int, server_pid: int, database_url: str,
    locustfile: str = "visits_locustfile.py",
) -> dict[str, Any]:  # fmt: skip
    out = scratch / "locust_out.json"
    env = os.environ | {
        "BENCH_VISITS_FIXTURES": str(fixtures_path),
        "BENCH_VISITS_OUT": str(out),
        "BENCH_VISITS_WARMUP": str(warmup),
        "BENCH_VISITS_USER_RPS": str(rps / users),
        "PYTHONPATH": str(ROOT),
    }
    command = [
        str(VENV_BIN / "locust"),
        "-f",
        str(ROOT / "bench" / locustfile),
        "--headless",
        "--users",
        str(users),
        # Start the users over one period of theirs, so that their requests arrive evenly
        # spread, not in a burst of all users at once every period.
        "--spawn-rate",
        str(max(1.0, rps)),
        "--run-time",
        f"{warmup + duration}s",
        "--host",
        f"http://127.0.0.1:{port}",
        "--csv",
        str(scratch / "locust"),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    marker = Path(f"{out}.measuring")
    with open(scratch / "locust.log", "w") as log:
        locust = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        # CPU used during the measured window only: from the locustfile's marker to the end.
        while not marker.exists() and locust.poll() is None:
            time.sleep(0.05)
        before = _cpu_seconds(server_pid, database_url)
        locust_before = locust_after = _process_cpu(locust.pid)
        # Its users stopped, locust's own CPU is read before it exits (a little of its
        # summary is counted); the server is idle then, so it is read after.
        waits: Counter = Counter()
        with _pg_sampler(database_url) as sample:
            while locust.poll() is None:
                locust_after = _process_cpu(locust.pid) or locust_after
                waits.update(sample())
                time.sleep(0.2)
        after = _cpu_seconds(server_pid, database_url)
        if locust.returncode:
            raise RuntimeError(f"locust exited with {locust.returncode}")
    raw = json.loads(out.read_text())
    ms = np.array([r[1] for r in raw["records"]], dtype=float)
    statuses = Counter(r[0] for r in raw["records"])
    window = raw["stop"] - raw["start"]
    refused = statuses.get(409, 0)
    created = statuses.get(201, 0) + statuses.get(200, 0)
    errors = sum(n for s, n in statuses.items() if s not in (200, 201, 409))

    def pct(q: float) -> float | None:
        return round(float(np.percentile(ms, q)), 1) if len(ms) else None

    seconds = window
    server_cpu = after["workers"] - before["workers"] + after["backends"] - before["backends"]
    n = max(len(ms), 1)
    cpu = {
        "app_cpu_ms_per_request": round(1000 * (after["workers"] - before["workers"]) / n, 1),
        "db_cpu_ms_per_request": round(1000 * (after["backends"] - before["backends"]) / n, 1),
        "server_cpu_cores": round(server_cpu / seconds, 2),
        "db_connections": after["connections"],
        "locust_cpu_cores": round((locust_after - locust_before) / seconds, 2),
        "machine_busy_cores": round(
            (after["busy"] - before["busy"]) / (after["at"] - before["at"]), 2
        ),
    }
    return cpu | {
        "requests": len(ms),
        "window_s": round(window, 1),
        "rps": round(len(ms) / window, 1) if window else None,
        "p50_ms": pct(50),
        "p90_ms": pct(90),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "max_ms": round(float(ms.max()), 1) if len(ms) else None,
        "mean_ms": round(float(ms.mean()), 1) if len(ms) else None,
        "created": created,
        "refused": refused,
        "errors": errors,
        "status_counts": {str(k): v for k, v in sorted(statuses.items())},
        "locust_p95_ms": raw.get("locust_p95_ms"),
        # Share of samples (5 a second) of the server's database connections in each state.
        "db_backend_states": {
            k: round(v / max(sum(waits.values()), 1), 3) for k, v in waits.most_common(8)
        },
        "error_samples": raw.get("error_samples", [])[:5],
        "refusal_rules": raw.get("refusal_rules", {}),
    }


# --- 4. the profile --------------------------------------------------------------------


class Phases:
    """Seconds and queries spent inside named functions, by wrapping them in place. Each
    phase counts its own time only: a phase called inside another (the audit event inside
    the visit insert) is taken out of the outer one. A target missing from the code is
    skipped."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.queries: dict[str, int] = defaultdict(int)
        self.stack: list[list[float]] = []  # per open phase: [inner seconds, inner queries]

    @contextmanager
    def timing(self, targets: list[tuple[object, str, str]], count: Any) -> Iterator[None]:
        present = [(o, n, p) for o, n, p in targets if hasattr(o, n)]
        originals = [(owner, name, owner.__dict__.get(name)) for owner, name, _ in present]
        for owner, name, phase in present:
            wrapped = self._timed(getattr(owner, name), phase, count)
            raw = owner.__dict__.get(name)
            setattr(
                owner, name, staticmethod(wrapped) if isinstance(raw, staticmethod) else wrapped
            )
        try:
            yield
        finally:
            for owner, name, original in originals:
                setattr(owner, name, original)

    def _timed(self, original: Any, phase: str, count: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.stack.append([0.0, 0])
            start, before = time.perf_counter(), count()
            try:
                return original(*args, **kwargs)
            finally:
                inner_s, inner_q = self.stack.pop()
                spent, queries = time.perf_counter() - start, count() - before
                self.seconds[phase] += spent - inner_s
                self.queries[phase] += queries - inner_q
                if self.stack:
                    self.stack[-1][0] += spent
                    self.stack[-1][1] += queries

        return timed


def _shape(sql: str) -> str:
    """A query's shape: its verb and table(s), without values."""
    import re

    words = sql.split()
    verb = words[0].upper() if words else "?"
    tables = re.findall(r'(?:FROM|INTO|UPDATE|JOIN)\s+"?(\w+)"?', sql, flags=re.IGNORECASE)
    seen = list(dict.fromkeys(tables))
    if not seen:  # SAVEPOINT "s…", SELECT pg_advisory_xact_lock(…), COMMIT
        return re.sub(r'"[^"]*"|\(.*', "", sql).strip()[:40]
    return f"{verb} {' '.join(seen[:3])}"


def _backend_cpu(connection: Any) -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend."""
    import psutil

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    t = psutil.Process(pid).cpu_times()
    return t.user + t.system


def profile_run(fix: dict[str, Any], n: int, seed: int) -> dict[str, Any]:
    """n registrations in this process (see the module docstring): wall time by phase, this
    process's CPU and its PostgreSQL backend's, every query timed."""
    from django.db import connection
    from django.test import Client
    from rest_framework.authentication import TokenAuthentication

    from wurao.accounts.policy import PolicyPermission
    from wurao.visits import apis, selectors, services, sql
    from wurao.visits import rules as visit_rules
    from wurao.visits.services import registration as registration_service

    targets = [
        (TokenAuthentication, "authenticate", "token authentication"),
        (PolicyPermission, "has_permission", "policy rule (PolicyPermission)"),
        (apis, "valid", "input validation (DRF serializer)"),
        (
            sql,
            "registration_lookup",
            "BEGIN + client id, enterprise (locked, grade), officers, items (one statement)",
        ),
        (registration_service, "_check_fields", "field checks"),
        (selectors, "rules_current", "rules in force (VisitRuleVersion)"),
        (registration_service, "visit_check", "visit_check (the rest of it)"),
        (services, "visit_register", "visit_register (the rest of it)"),
        (selectors, "enterprise_history", "history (one statement)"),
        (visit_rules, "violations", "rules engine (pure)"),
        (registration_service, "_refusal_record", "refusal insert (with the audit chain's lock)"),
        (registration_service, "audit_record", "audit event (last event, insert)"),
        (
            registration_service,
            "_visit_create",
            "visit + departments, officers, items (+ chain lock)",
        ),
        (registration_service, "client_request_keep", "refusal answer kept (ClientRequest insert)"),
        (apis, "detail", "answer serialising (VisitDetailOutputSerializer)"),
    ]
    rnd = random.Random(seed + time.time_ns())  # other enterprises than a previous run's
    phases = Phases()
    clients = {
        a["token"]: Client(HTTP_AUTHORIZATION=f"Token {a['token']}") for a in fix["accounts"]
    }
    statuses: Counter = Counter()
    totals: list[float] = []
    sequences: dict[int, list[str]] = {}
    by_shape: dict[str, list[float]] = defaultdict(list)
    queries: list[tuple[str, float]] = []

    def timed_query(execute, sql, params, many, context):  # noqa: ANN001
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((sql, time.perf_counter() - start))

    def post() -> int:
        account, body = registration(fix, rnd)
        client = clients[account["token"]]
        return client.post(ENDPOINT, json.dumps(body), content_type="application/json").status_code

    for _ in range(10):  # warm the connection and the caches, as a worker would be
        post()
    cpu_before, db_before = time.process_time(), _backend_cpu(connection)
    with connection.execute_wrapper(timed_query), phases.timing(targets, lambda: len(queries)):
        for _ in range(n):
            first = len(queries)
            start = time.perf_counter()
            status = post()
            totals.append(time.perf_counter() - start)
            statuses[status] += 1
            mine = queries[first:]
            sequences.setdefault(status, [_shape(sql) for sql, _ in mine])
            for sql, seconds in mine:
                by_shape[_shape(sql)].append(seconds)
    app_cpu = time.process_time() - cpu_before
    db_cpu = _backend_cpu(connection) - db_before
    total_s = sum(totals)
    names = list(dict.fromkeys(p for o, name, p in targets if hasattr(o, name)))
    shapes = sorted(by_shape.items(), key=lambda kv: -sum(kv[1]))
    return {
        "profile_requests": n,
        "profile_status_counts": {str(k): v for k, v in sorted(statuses.items())},
        "profile_mean_ms": round(1000 * total_s / n, 2),
        "profile_p95_ms": round(1000 * float(np.percentile(totals, 95)), 2),
        "profile_app_cpu_ms_per_request": round(1000 * app_cpu / n, 2),
        "profile_db_cpu_ms_per_request": round(1000 * db_cpu / n, 2),
        "profile_queries_per_request": round(len(queries) / n, 1),
        "profile_sql_ms_per_request": round(1000 * sum(t for _, t in queries) / n, 2),
        "profile_phases_ms_per_request": {
            name: round(1000 * phases.seconds[name] / n, 2) for name in names
        }
        | {
            "other (test client, middleware, DRF dispatch, COMMIT)": round(
                1000 * (total_s - sum(phases.seconds.values())) / n, 2
            )
        },
        "profile_phase_queries_per_request": {
            name: round(phases.queries[name] / n, 2) for name in names
        },
        "profile_query_sequence": {str(k): v for k, v in sorted(sequences.items())},
        "profile_top_queries": [
            {
                "shape": shape,
                "per_request": round(len(times) / n, 2),
                "ms_per_request": round(1000 * sum(times) / n, 3),
                "max_ms": round(1000 * max(times), 2),
            }
            for shape, times in shapes[:15]
        ],
    }


# --- main -------------------------------------------------------------------------------
