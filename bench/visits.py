"""Register visits through the API at 100 requests a second with 1,000,000 visits stored.

    .venv/bin/python -m bench.visits --json [--visits 1000000] [--scale 1] [--rps 100]
                                            [--users 20] [--duration 60] [--warmup 10]
                                            [--workers 2] [--pg-options "-c ..."]
                                            [--reuse-db] [--keep-db] [--profile 300]

Target (issue 6 [visits]): with 1,000,000 visits stored in PostgreSQL, registration with all
rule checks at 100 requests/s from a load generator on loopback, p95 < 50 ms, no errors.

1. Database (skipped with --reuse-db when it is already loaded): drops and creates
   `--database-url` (default postgres://postgres@127.0.0.1:5432/wurao_bench_visits), migrates,
   builds the demo district at `--scale` (1: 433,407 entities, grades, draws), then COPYs
   synthetic visits until `--visits` are stored: dates over the two years before today and
   60 days after, enterprises skewed (a log-normal weight each: most have 0–3 a year, a few
   dozens), 85% inspections by the enforcement departments (weighted by their number of
   officers; plans, random draws, complaints, campaigns, joint visits with a second
   department...), 15% non-enforcement visits by the other organisations; two officers and
   0–2 of the department's items per inspection; completed mostly, registered when ahead,
   a few cancelled, rejected or waiting for an override. Then bench accounts (an inspector and
   a department administrator in each of `--departments` departments) with API tokens, and
   ANALYZE.
2. Server: gunicorn with the production settings (config/gunicorn.conf.py: sync workers,
   the app preloaded and its objects frozen out of the collector), `--workers` of them,
   DEBUG off, persistent database connections (conn_max_age=600 in DATABASE_URL;
   `--pg-options` adds libpq options to the server's connections, e.g.
   "-c synchronous_commit=off", for experiments).
3. Load: locust headless (bench/visits_locustfile.py) on loopback, `--rps` requests a second
   in total (`--users` users, each sending at random times of its own: Poisson arrivals),
   `--warmup` seconds discarded, then `--duration` seconds measured. Each request registers
   an inspection (POST /api/visits/, token of a random bench account, a fresh client_id)
   at a random enterprise: half drawn uniformly from the active ones, half in proportion
   to their stored visits (so the rules have history to look at); mostly plan inspections,
   some random draws, campaigns, complaints, re-checks. 201 is created, 409 refused by the
   rules (expected, counted apart), anything else an error (5xx, connection errors, other
   4xx). Latencies are locust's, per request, exact percentiles. Measured over the same
   window: CPU time of the gunicorn workers and of their PostgreSQL backends per request,
   the cores the server, locust and the whole machine used (others' jobs included), and
   what the backends were doing (sampled 5 times a second: idle, running, or the wait
   event, e.g. Lock:advisory for the audit chain's lock, IO:WALSync for commits).
4. `--profile N`: N registrations in this process (Django test client, same database, no
   server): this process's CPU and its backend's per registration, every query timed (by
   shape: verb and tables; and the sequence of one created and one refused registration),
   and the wall time of each phase (token, validation, look-ups, rules in force, grade,
   history, rules engine, inserts, audit, answer), each phase its own time only.

Prints ONE JSON object with --json: stored_visits, rps, p95_ms, errors, p50_ms, p99_ms,
max_ms, refused, created, status_counts, requests, load_s (+ its parts; null when reused),
workers, app_cpu_ms_per_request, db_cpu_ms_per_request, load averages, profile_* ...;
without it a readable summary. The database is dropped at the end unless --keep-db or
--reuse-db.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/wurao_bench_visits"
SECRET_KEY = "wurao-bench-visits-not-a-secret"
BENCH_PREFIX = "bench_visits_"
ENDPOINT = "/api/visits/"

INSPECTION_ORIGINS = {  # stored history
    "plan": 0.42,
    "random_draw": 0.25,
    "complaint": 0.10,
    "campaign": 0.08,
    "recheck": 0.06,
    "joint": 0.05,
    "referral": 0.02,
    "higher_order": 0.015,
    "enterprise_request": 0.005,
}
PURPOSES = ("research", "union", "women", "party", "community", "policy")


def _env(database_url: str) -> dict[str, str]:
    """The environment of this process's Django and of the server."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "LOG_LEVEL": "WARNING",
    }


def _server_url(url: str, seconds: int, pg_options: str) -> str:
    """The URL with persistent connections (and libpq options, e.g. `-c synchronous_commit=off`)."""
    from urllib.parse import quote

    parts = urlsplit(url)
    extra = [f"conn_max_age={seconds}"] + ([f"options={quote(pg_options)}"] if pg_options else [])
    query = "&".join(q for q in (parts.query, *extra) if q)
    return urlunsplit(parts._replace(query=query))


def _maintenance(url: str) -> tuple[str, str]:
    """A URL to the server's `postgres` database, and the bench database's name."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres", query="")), parts.path.lstrip("/")


def _database_reset(url: str) -> None:
    import psycopg
    from psycopg import sql

    admin, name = _maintenance(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _database_drop(url: str) -> None:
    import psycopg
    from psycopg import sql

    admin, name = _maintenance(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def _database_loaded(url: str, visits: int) -> bool:
    import psycopg

    admin, name = _maintenance(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
    with psycopg.connect(url) as conn:
        if not conn.execute("SELECT to_regclass('visits_visit')").fetchone()[0]:
            return False
        return conn.execute("SELECT count(*) FROM visits_visit").fetchone()[0] >= visits


def _setup_django(database_url: str) -> None:
    os.environ.update(_env(database_url))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- 1. the database -----------------------------------------------------------------------


def _codes(rng: np.random.Generator, n: int, taken: set[str]) -> list[str]:
    """n distinct visit codes over the visits' alphabet, none of them in `taken`."""
    from wurao.visits.models import CODE_ALPHABET, CODE_LENGTH

    alphabet = np.frombuffer(CODE_ALPHABET.encode(), dtype=np.uint8)
    base = len(alphabet)
    out = np.empty(0, dtype=np.int64)
    while len(out) < n:
        more = rng.integers(0, base**CODE_LENGTH, n - len(out) + n // 50 + 10, dtype=np.int64)
        out = np.unique(np.concatenate([out, more]))
    out = rng.permutation(out)
    digits = np.empty((len(out), CODE_LENGTH), dtype=np.uint8)
    rest = out.copy()
    for position in range(CODE_LENGTH - 1, -1, -1):
        digits[:, position] = alphabet[rest % base]
        rest //= base
    codes = [c.decode() for c in digits.view(f"S{CODE_LENGTH}").ravel().tolist()]
    return [c for c in codes if c not in taken][:n]


def _copy(table: str, columns: list[str], lines: Iterator[str], chunk: int = 50_000) -> int:
    """COPY text lines (tab-separated, \\N for NULL) into a table."""
    from django.db import connection

    qn = connection.ops.quote_name
    done = 0
    buffer: list[str] = []
    with connection.cursor() as cursor:
        copy_sql = f"COPY {qn(table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN"
        with cursor.cursor.copy(copy_sql) as copy:
            for line in lines:
                buffer.append(line)
                if len(buffer) >= chunk:
                    copy.write("\n".join(buffer) + "\n")
                    done += len(buffer)
                    buffer.clear()
            if buffer:
                copy.write("\n".join(buffer) + "\n")
                done += len(buffer)
    return done


def _pairs(left: np.ndarray, right: np.ndarray) -> Iterator[str]:
    return (f"{a}\t{b}" for a, b in zip(left.tolist(), right.tolist(), strict=True))


def _pick_in_groups(
    rng: np.random.Generator, group: np.ndarray, offsets: np.ndarray, counts: np.ndarray
) -> np.ndarray:
    """For each row, a random position inside its group's slice (groups with no members: -1)."""
    size = counts[group]
    pick = offsets[group] + (rng.random(len(group)) * np.maximum(size, 1)).astype(np.int64)
    return np.where(size > 0, pick, -1)


def visits_load(*, total: int, seed: int, today: datetime.date) -> dict[str, Any]:
    """COPY synthetic visits (and their departments, officers and items) until `total` are
    stored. Returns what was stored and how visits are spread over the enterprises."""
    from django.db import connection, transaction

    from wurao.catalogue.models import InspectionItem
    from wurao.demo.loader import reset_sequences
    from wurao.registry.models import Department, Enterprise, Inspector
    from wurao.visits.models import Visit

    existing = Visit.objects.count()
    n = max(total - existing, 0)
    if n == 0:
        return {"synthetic_visits": 0}
    rng = np.random.default_rng(seed)
    first_id = (Visit.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    ids = np.arange(first_id, first_id + n, dtype=np.int64)

    # Who is visited: a log-normal weight per enterprise, so most have few and some many.
    enterprise_ids = np.array(Enterprise.objects.order_by("pk").values_list("pk", flat=True))
    weights = rng.lognormal(0.0, 1.3, len(enterprise_ids))
    enterprise = rng.choice(enterprise_ids, n, p=weights / weights.sum())

    # Who visits: enforcement departments in proportion to their officers.
    departments = list(Department.objects.order_by("pk").values_list("pk", "is_enforcement"))
    enforcement = np.array([pk for pk, e in departments if e], dtype=np.int64)
    others = np.array([pk for pk, e in departments if not e], dtype=np.int64)
    officer_rows = list(
        Inspector.objects.filter(department_id__in=enforcement.tolist())
        .order_by("department_id", "pk")
        .values_list("department_id", "pk")
    )
    officer_dept = np.array([d for d, _ in officer_rows], dtype=np.int64)
    officer_ids = np.array([pk for _, pk in officer_rows], dtype=np.int64)
    item_rows = list(
        InspectionItem.objects.filter(active=True, department_id__in=enforcement.tolist())
        .order_by("department_id", "pk")
        .values_list("department_id", "pk")
    )
    item_dept = np.array([d for d, _ in item_rows], dtype=np.int64)
    item_ids = np.array([pk for _, pk in item_rows], dtype=np.int64)
    # Group slices by department index (position in `enforcement`).
    position = {pk: i for i, pk in enumerate(enforcement.tolist())}
    officer_group = np.array([position[d] for d in officer_dept.tolist()], dtype=np.int64)
    item_group = np.array([position[d] for d in item_dept.tolist()], dtype=np.int64)
    officer_count = np.bincount(officer_group, minlength=len(enforcement))
    item_count = np.bincount(item_group, minlength=len(enforcement))
    officer_offset = np.concatenate([[0], np.cumsum(officer_count)[:-1]])
    item_offset = np.concatenate([[0], np.cumsum(item_count)[:-1]])
    dept_weight = officer_count + 1.0

    inspection = rng.random(n) < 0.85
    n_insp = int(inspection.sum())
    lead_group = np.full(n, -1, dtype=np.int64)
    lead_group[inspection] = rng.choice(len(enforcement), n_insp, p=dept_weight / dept_weight.sum())
    department = np.empty(n, dtype=np.int64)
    department[inspection] = enforcement[lead_group[inspection]]
    department[~inspection] = rng.choice(others, n - n_insp) if len(others) else enforcement[0]

    origin_names = list(INSPECTION_ORIGINS)
    origin_p = np.array(list(INSPECTION_ORIGINS.values()))
    origin_index = rng.choice(len(origin_names), n, p=origin_p / origin_p.sum())
    origin = np.where(inspection, np.array(origin_names, dtype=object)[origin_index], "")
    purpose = np.where(inspection, "", np.array(PURPOSES, dtype=object)[rng.integers(0, 6, n)])

    # When: the two years before today and 60 days ahead.
    offset = rng.integers(-730, 61, n)
    day = np.datetime64(today.isoformat()) + offset
    registered_day = day - rng.integers(0, 8, n)
    ahead = offset >= 0
    u = rng.random(n)
    status = np.where(
        ahead,
        np.select([u < 0.03, u < 0.05], ["pending_override", "cancelled"], "registered"),
        np.select([u < 0.04, u < 0.05], ["cancelled", "rejected"], "completed"),
    )
    status = np.where(ahead & (offset == 0) & (u > 0.5), "in_progress", status)

    # A second department on joint visits.
    joint = inspection & (origin == "joint")
    second_group = (lead_group + 1 + rng.integers(0, len(enforcement) - 1, n)) % len(enforcement)

    # Two officers of the department (distinct), 0–2 of its items (distinct).
    o1 = _pick_in_groups(rng, np.maximum(lead_group, 0), officer_offset, officer_count)
    o2_shift = 1 + (rng.random(n) * np.maximum(officer_count[np.maximum(lead_group, 0)] - 1, 1))
    o2 = officer_offset[np.maximum(lead_group, 0)] + (
        (o1 - officer_offset[np.maximum(lead_group, 0)] + o2_shift.astype(np.int64))
        % np.maximum(officer_count[np.maximum(lead_group, 0)], 1)
    )
    has_officers = inspection & (officer_count[np.maximum(lead_group, 0)] >= 2)
    i1 = _pick_in_groups(rng, np.maximum(lead_group, 0), item_offset, item_count)
    n_items = np.where(inspection & (i1 >= 0), rng.choice(3, n, p=[0.3, 0.45, 0.25]), 0)
    group_items = item_count[np.maximum(lead_group, 0)]
    n_items = np.where(group_items >= 2, n_items, np.minimum(n_items, 1))
    i2_shift = 1 + (rng.random(n) * np.maximum(group_items - 1, 1)).astype(np.int64)
    i2 = item_offset[np.maximum(lead_group, 0)] + (
        (i1 - item_offset[np.maximum(lead_group, 0)] + i2_shift) % np.maximum(group_items, 1)
    )

    codes = _codes(rng, n, set(Visit.objects.values_list("code", flat=True)))
    days = day.astype(str).tolist()
    reg_days = registered_day.astype(str).tolist()
    approved = np.where(inspection, registered_day.astype(str), "\\N").tolist()
    values: dict[str, Any] = {
        "id": ids.tolist(),
        "code": codes,
        "client_id": "\\N",
        "enterprise": enterprise.tolist(),
        "kind": np.where(inspection, "inspection", "non_enforcement").tolist(),
        "origin": origin.tolist(),
        "purpose": purpose.tolist(),
        "department": department.tolist(),
        "date": days,
        "note": np.where(inspection, "", "走访了解企业情况").tolist(),
        "approver": np.where(inspection, "王主任", "").tolist(),
        "approval_ref": [
            f"审批〔{d[:4]}〕{i % 9000 + 1}号" if a != "\\N" else ""
            for d, i, a in zip(days, ids.tolist(), approved, strict=True)
        ],
        "approved_on": approved,
        "status": status.tolist(),
        "after_the_fact": "f",
        "registered_at": [f"{d} 02:00:00+00" for d in reg_days],
        "violations": "[]",
    }
    fields = [f for f in Visit._meta.concrete_fields]
    columns = []
    cells: list[Any] = []
    for f in fields:
        columns.append(f.column)
        if f.name in values:
            cells.append(values[f.name])
        elif f.null:
            cells.append("\\N")
        elif f.has_default():
            default = f.get_default()
            if isinstance(default, bool):
                cells.append("t" if default else "f")
            elif isinstance(default, list | dict):
                cells.append(json.dumps(default))
            else:
                cells.append(str(default))
        else:
            cells.append("")
    columns_lists = [c if isinstance(c, list) else None for c in cells]

    def lines() -> Iterator[str]:
        for i in range(n):
            yield "\t".join(
                str(col[i]) if col is not None else cell
                for col, cell in zip(columns_lists, cells, strict=True)
            )

    def m2m(name: str) -> tuple[str, list[str]]:
        field = Visit._meta.get_field(name)
        return field.m2m_db_table(), [field.m2m_column_name(), field.m2m_reverse_name()]

    started = time.perf_counter()
    with transaction.atomic():
        # The rows are consistent by construction: skip the foreign-key triggers (one queued
        # check per row otherwise), as a restore does. Superuser only: the bench database.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
        stored = _copy(Visit._meta.db_table, columns, lines())
        table, cols = m2m("departments")
        left = np.concatenate([ids, ids[joint]])
        right = np.concatenate([department, enforcement[second_group[joint]]])
        departments_rows = _copy(table, cols, _pairs(left, right))
        table, cols = m2m("officers")
        left = np.concatenate([ids[has_officers], ids[has_officers]])
        right = np.concatenate([officer_ids[o1[has_officers]], officer_ids[o2[has_officers]]])
        officer_rows_n = _copy(table, cols, _pairs(left, right))
        table, cols = m2m("items")
        one, two = n_items >= 1, n_items >= 2
        left = np.concatenate([ids[one], ids[two]])
        right = np.concatenate([item_ids[i1[one]], item_ids[i2[two]]])
        item_rows_n = _copy(table, cols, _pairs(left, right))
        reset_sequences([Visit])
    copy_s = time.perf_counter() - started

    # How the visits of the last 12 months spread over the enterprises.
    recent = (offset > -365) & (offset <= 0) & inspection
    per_year = np.bincount(
        np.searchsorted(enterprise_ids, enterprise[recent]), minlength=len(enterprise_ids)
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM visits_visit")
        stored_total = cursor.fetchone()[0]
    return {
        "synthetic_visits": stored,
        "visit_departments_rows": departments_rows,
        "visit_officers_rows": officer_rows_n,
        "visit_items_rows": item_rows_n,
        "copy_s": round(copy_s, 1),
        "stored_total": stored_total,
        "inspections_last_12_months_per_enterprise": {
            "zero_share": round(float((per_year == 0).mean()), 3),
            "p50": int(np.percentile(per_year, 50)),
            "p90": int(np.percentile(per_year, 90)),
            "p99": int(np.percentile(per_year, 99)),
            "max": int(per_year.max()),
            "share_0_to_3": round(float((per_year <= 3).mean()), 3),
        },
    }


def bench_accounts(*, departments: int, today: datetime.date) -> list[dict[str, Any]]:
    """An inspector and a department administrator, with API tokens, in each of the
    `departments` enforcement departments with the most officers (valid certificates) and
    at least two active items; created once, found again on reuse."""
    from django.db.models import Count, Q

    from wurao.accounts.choices import Role
    from wurao.accounts.models import User
    from wurao.accounts.services import user_create, user_token_obtain
    from wurao.catalogue.models import InspectionItem
    from wurao.registry.models import Department, Inspector

    valid_from = today + datetime.timedelta(days=120)
    valid = Q(inspectors__active=True) & (
        Q(inspectors__certificate_valid_until__isnull=True)
        | Q(inspectors__certificate_valid_until__gte=valid_from)
    )
    chosen = (
        Department.objects.filter(is_enforcement=True)
        .annotate(officers=Count("inspectors", filter=valid, distinct=True))
        .filter(officers__gte=4)
        .order_by("-officers", "pk")
    )
    accounts = []
    for department in chosen:
        items = list(
            InspectionItem.objects.filter(department=department, active=True)
            .order_by("code")
            .values_list("code", flat=True)
        )
        if len(items) < 2:
            continue
        officers = list(
            Inspector.objects.filter(department=department, active=True)
            .filter(
                Q(certificate_valid_until__isnull=True) | Q(certificate_valid_until__gte=valid_from)
            )
            .order_by("pk")
        )
        linked = set(
            User.objects.filter(inspector__in=officers).values_list("inspector_id", flat=True)
        )
        for role in (Role.INSPECTOR, Role.DEPT_ADMIN):
            username = f"{BENCH_PREFIX}{role}_{department.code}".lower()
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(
                    actor="bench",
                    username=username,
                    password=uuid.uuid4().hex,
                    role=role,
                    display_name=f"基准{department.name}",
                    department=department,
                    inspector=next(o for o in officers if o.pk not in linked)
                    if role == Role.INSPECTOR
                    else None,
                )
            accounts.append(
                {
                    "username": username,
                    "role": str(role),
                    "department": department.code,
                    "token": user_token_obtain(user=user),
                    "own_badge": user.inspector.badge_no if user.inspector_id else None,
                    "badges": [o.badge_no for o in officers],
                    "items": items,
                }
            )
        if len(accounts) >= 2 * departments:
            break
    return accounts


def fixtures(*, seed: int, today: datetime.date, departments: int) -> dict[str, Any]:
    """What the load generator needs: accounts with tokens, and enterprises to visit."""
    from django.db import connection

    accounts = bench_accounts(departments=departments, today=today)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT credit_code FROM registry_enterprise WHERE status = 'active' "
            "ORDER BY md5(credit_code || %s) LIMIT 20000",
            [str(seed)],
        )
        uniform = [r[0] for r in cursor.fetchall()]
        # In proportion to the stored visits: a random sample of visits, their enterprises.
        cursor.execute(
            "SELECT e.credit_code FROM visits_visit v TABLESAMPLE SYSTEM (5) REPEATABLE (%s) "
            "JOIN registry_enterprise e ON e.id = v.enterprise_id "
            "WHERE e.status = 'active' LIMIT 20000",
            [seed],
        )
        visited = [r[0] for r in cursor.fetchall()]
    return {
        "accounts": accounts,
        "uniform": uniform,
        "visited": visited,
        "today": today.isoformat(),
    }


def database_prepare(args: argparse.Namespace, today: datetime.date) -> dict[str, Any]:
    """Load the database (unless reused); return the load's figures."""
    from django.core.management import call_command
    from django.db import connection

    from wurao.demo.services import demo_build

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_s = time.perf_counter() - started
    t = time.perf_counter()
    built = demo_build(actor="bench", scale=args.scale, seed=args.seed)
    demo_s = time.perf_counter() - t
    t = time.perf_counter()
    visits = visits_load(total=args.visits, seed=args.seed, today=today)
    visits_s = time.perf_counter() - t
    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    analyze_s = time.perf_counter() - t
    return {
        "load_s": round(time.perf_counter() - started, 1),
        "load_parts_s": {
            "migrate": round(migrate_s, 1),
            "demo_build": round(demo_s, 1),
            "visits": round(visits_s, 1),
            "analyze": round(analyze_s, 1),
        },
        "entities": built.counts["entities"],
        "visits_load": visits,
    }


def database_figures() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM visits_visit")
        stored = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM registry_enterprise")
        entities = cursor.fetchone()[0]
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
        cursor.execute("SELECT pg_total_relation_size('visits_visit')")
        visit_size = cursor.fetchone()[0]
    return {
        "stored_visits": stored,
        "entities": entities,
        "db_size_mb": round(size / 2**20),
        "visits_table_mb": round(visit_size / 2**20),
    }


# --- 2. the server ---------------------------------------------------------------------


def _free_port() -> int:
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
    database_url: str, workers: int, port: int, scratch: Path, pg_options: str = ""
) -> Iterator[subprocess.Popen]:
    env = os.environ | _env(_server_url(database_url, 600, pg_options))
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
    _, name = _maintenance(database_url)
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

    _, name = _maintenance(database_url)
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
        str(ROOT / "bench" / "visits_locustfile.py"),
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

    from wurao.visits import apis, selectors, services
    from wurao.visits import rules as visit_rules

    register_api = apis.VisitListApi
    targets = [
        (TokenAuthentication, "authenticate", "token authentication"),
        (apis, "_valid", "input validation (DRF serializer)"),
        (
            selectors,
            "registration_lookup",
            "BEGIN + client id, enterprise (locked, grade), officers, items (one statement)",
        ),
        (services, "_check_fields", "field checks"),
        (selectors, "rules_current", "rules in force (VisitRuleVersion)"),
        (services, "visit_check", "visit_check (the rest of it)"),
        (services, "visit_register", "visit_register (the rest of it)"),
        (selectors, "enterprise_history", "history (one statement)"),
        (visit_rules, "violations", "rules engine (pure)"),
        (services, "_refusal_record", "refusal insert (with the audit chain's lock)"),
        (services, "audit_record", "audit event (last event, insert)"),
        (services, "_visit_create", "visit + departments, officers, items (+ chain lock)"),
        (register_api, "_refusal_kept", "refusal answer + ClientRequest insert"),
        (apis, "_detail", "answer serialising"),
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


def _summary(result: dict[str, Any]) -> str:
    lines = [
        f"stored visits      {result['stored_visits']:,} ({result.get('entities', 0):,} entities)",
        f"load               {result.get('load_s')} s {result.get('load_parts_s', '')}",
        f"server             gunicorn, {result['workers']} sync workers",
        f"requests           {result.get('requests')} in {result.get('window_s')} s"
        f" = {result.get('rps')} /s (target {result['target_rps']})",
        f"latency ms         p50 {result.get('p50_ms')}  p95 {result.get('p95_ms')}"
        f"  p99 {result.get('p99_ms')}  max {result.get('max_ms')}  (target p95 < 50)",
        f"created / refused  {result.get('created')} / {result.get('refused')}",
        f"server CPU         {result.get('app_cpu_ms_per_request')} ms app +"
        f" {result.get('db_cpu_ms_per_request')} ms database per request;"
        f" cores: server {result.get('server_cpu_cores')}, locust {result.get('locust_cpu_cores')},"
        f" whole machine {result.get('machine_busy_cores')}",
        f"errors             {result.get('errors')} {result.get('status_counts')}",
        f"load average       {result['load_average_before']} before",
    ]
    if "profile_mean_ms" in result:
        lines.append(
            f"profile            {result['profile_mean_ms']} ms mean in process, "
            f"{result['profile_queries_per_request']} queries, "
            f"{result['profile_sql_ms_per_request']} ms SQL per registration"
        )
        for name, ms in result["profile_phases_ms_per_request"].items():
            lines.append(f"  {name:<44} {ms} ms")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--scale", type=float, default=1.0, help="demo district scale")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--rps", type=float, default=100)
    parser.add_argument("--users", type=int, default=20, help="locust users sharing --rps")
    parser.add_argument("--duration", type=int, default=60, help="measured seconds")
    parser.add_argument("--warmup", type=int, default=10, help="seconds discarded first")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument(
        "--pg-options",
        default="",
        help='server connections\' options, e.g. "-c synchronous_commit=off"',
    )
    parser.add_argument("--departments", type=int, default=6, help="departments with accounts")
    parser.add_argument(
        "--profile", type=int, default=0, help="also profile N registrations in process"
    )
    parser.add_argument("--no-load", action="store_true", help="skip the load run")
    parser.add_argument(
        "--reuse-db", action="store_true", help="use the database as loaded before, if it is"
    )
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database after")
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object instead of a summary"
    )
    args = parser.parse_args(argv)
    load_before = os.getloadavg()

    reused = args.reuse_db and _database_loaded(args.database_url, args.visits)
    if not reused:
        _database_reset(args.database_url)
    _setup_django(args.database_url)
    from django.db import connection
    from django.utils import timezone

    today = timezone.localdate()  # the server's day (Asia/Shanghai), not the machine's

    result: dict[str, Any] = {"reused_db": reused, "load_s": None}
    if not reused:
        result |= database_prepare(args, today)
    fix = fixtures(seed=args.seed, today=today, departments=args.departments)
    result |= database_figures()
    connection.close()

    scratch = Path(tempfile.mkdtemp(prefix="wurao-bench-visits-"))
    fixtures_path = scratch / "fixtures.json"
    fixtures_path.write_text(json.dumps(fix, ensure_ascii=False))
    result |= {
        "target_rps": args.rps,
        "workers": args.workers,
        "pg_options": args.pg_options,
        "users": args.users,
        "accounts": len(fix["accounts"]),
        "departments": sorted({a["department"] for a in fix["accounts"]}),
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "cpu_count": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "postgres": None,
    }
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        result["postgres"] = cursor.fetchone()[0]
    connection.close()
    try:
        if not args.no_load:
            port = _free_port()
            with server(args.database_url, args.workers, port, scratch, args.pg_options) as proc:
                result |= load_run(
                    server_pid=proc.pid,
                    database_url=args.database_url,
                    port=port,
                    fixtures_path=fixtures_path,
                    scratch=scratch,
                    rps=args.rps,
                    users=args.users,
                    duration=args.duration,
                    warmup=args.warmup,
                )
            result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        if args.profile:
            result |= profile_run(fix, args.profile, args.seed)
            connection.close()
    except Exception:
        for name in ("gunicorn.log", "locust.log"):
            path = scratch / name
            if path.exists():
                sys.stderr.write(f"--- {name} (last lines)\n")
                sys.stderr.write("\n".join(path.read_text().splitlines()[-40:]) + "\n")
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if not (args.keep_db or args.reuse_db):
            connection.close()
            _database_drop(args.database_url)
    result["db_kept"] = bool(args.keep_db or args.reuse_db)
    print(json.dumps(result, ensure_ascii=False) if args.json else _summary(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
