"""The benchmark's PostgreSQL database: create it, and COPY synthetic visits into it
until a million are stored (see bench/visits.py for the whole benchmark)."""

from __future__ import annotations

import datetime
import json
import os
import sys
import time
from collections.abc import Iterator
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


def server_env(database_url: str) -> dict[str, str]:
    """The environment of this process's Django and of the server."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback: production's redirect to HTTPS off
        "SECRET_KEY": SECRET_KEY,
        # production refuses to start without the identity keys (a fixed one: a bench's data)
        "WURAO_IDENTITY_KEYS": "YmVuY2gtaWRlbnRpdHkta2V5LW5vdC1hLXNlY3JldCE=",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "LOG_LEVEL": "WARNING",
    }


def server_url(url: str, seconds: int, pg_options: str) -> str:
    """The URL with persistent connections (and libpq options, e.g. `-c synchronous_commit=off`)."""
    from urllib.parse import quote

    parts = urlsplit(url)
    extra = [f"conn_max_age={seconds}"] + ([f"options={quote(pg_options)}"] if pg_options else [])
    query = "&".join(q for q in (parts.query, *extra) if q)
    return urlunsplit(parts._replace(query=query))


def maintenance_url(url: str) -> tuple[str, str]:
    """A URL to the server's `postgres` database, and the bench database's name."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres", query="")), parts.path.lstrip("/")


def database_reset(url: str) -> None:
    import psycopg
    from psycopg import sql

    admin, name = maintenance_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def database_drop(url: str) -> None:
    import psycopg
    from psycopg import sql

    admin, name = maintenance_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def database_loaded(url: str, visits: int) -> bool:
    import psycopg

    admin, name = maintenance_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
    with psycopg.connect(url) as conn:
        if not conn.execute("SELECT to_regclass('visits_visit')").fetchone()[0]:
            return False
        return conn.execute("SELECT count(*) FROM visits_visit").fetchone()[0] >= visits


def setup_django(database_url: str) -> None:
    os.environ.update(server_env(database_url))
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
