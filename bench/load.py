"""The platform under an everyday mix of requests: code checks, enterprise-portal pages,
searches, visit registrations and dashboard figures (weights in bench/load_mix.py).

    .venv/bin/python -m bench.load --json [--scale 1] [--rps 300] [--users 60]
                                          [--duration 60] [--warmup 10] [--workers 2]
                                          [--reuse-db] [--keep-db]
    .venv/bin/python -m bench.load --json --reuse-db --profile 200 [--profile-kinds search,dashboard]

Target (issue 14 [hardening]): against gunicorn on PostgreSQL with the demo district at
scale 1, at least 300 requests a second, p95 < 100 ms, no errors, on this 2-core machine
with the load generator on the same machine (loopback).

1. Database (skipped with --reuse-db when it is already built): drops and creates
   `--database-url` (default postgres://postgres@127.0.0.1:5432/wurao_bench_load), migrates,
   builds the demo district at `--scale` (1: 433,407 entities, the 2020 history, grades,
   draws, this year's visits, next month's plans), ANALYZE.
2. Accounts and what the load reads: an inspector and an administrator with API tokens in
   each of six departments (as bench.visits), a justice-bureau token, 200 enterprise users
   with signed-in sessions (enterprises that have visits), 5,000 stored visit codes, 500
   two-character search terms cut from enterprise names.
3. Server: gunicorn with the production settings (config/gunicorn.conf.py), DEBUG off,
   persistent connections. The bench talks plain HTTP on loopback, so the redirect to HTTPS
   is off, and the rate limits of public endpoints are raised: the whole load comes from one
   address, which the limits exist to slow down.
4. Load: locust headless on loopback at `--rps` requests a second in total (Poisson
   arrivals per user, as bench.visits), `--warmup` seconds discarded, `--duration` measured.

Prints ONE JSON object with --json: rps, p95_ms, errors, and p50/p99/max, per-kind
request counts and p95, status counts, CPU of the workers and of PostgreSQL per request.

With --profile N, steps 3 and 4 are replaced by N requests of each kind in this process
(bench/load_profile.py): per kind, Python CPU, PostgreSQL CPU, queries and their plans,
each middleware's time and the hottest functions.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np

from bench.load_mix import LOAD_MIX
from bench.visits_db import (
    database_drop,
    database_reset,
    maintenance_url,
    server_url,
    setup_django,
)
from bench.visits_fixtures import bench_accounts
from bench.visits_run import free_port, load_run, server

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/wurao_bench_load"
PREFIX = "bench_load_"
# The server as the bench reaches it: plain HTTP on loopback, one client address.
SERVER_ENV = {
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "WURAO_RATELIMIT_PUBLIC": "1000000/m",
    "WURAO_RATELIMIT_CODE_CHECK": "1000000/m",
}


def _built(url: str, scale: float) -> bool:
    import psycopg

    admin, name = maintenance_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
    with psycopg.connect(url) as conn:
        if not conn.execute("SELECT to_regclass('registry_enterprise')").fetchone()[0]:
            return False
        entities = conn.execute("SELECT count(*) FROM registry_enterprise").fetchone()[0]
    return entities >= 433_407 * scale * 0.95


def _build(scale: float, seed: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    from wurao.demo.services import demo_build

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    built = demo_build(actor="bench", scale=scale, seed=seed)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "build_s": round(time.perf_counter() - started, 1),
        "entities": built.counts["entities"],
    }


def _enterprise_sessions(n: int) -> list[str]:
    """Signed-in sessions of enterprise users (enterprises with visits), created once."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from wurao.accounts.choices import Role
    from wurao.accounts.models import User
    from wurao.accounts.services import user_create
    from wurao.registry.models import Enterprise

    users = list(User.objects.filter(username__startswith=f"{PREFIX}ent_").order_by("pk")[:n])
    if len(users) < n:
        taken = {u.enterprise_id for u in users}
        for enterprise in (
            Enterprise.objects.filter(visits__isnull=False, status="active")
            .exclude(pk__in=taken)
            .distinct()
            .order_by("pk")[: n - len(users)]
        ):
            users.append(
                user_create(
                    actor="bench",
                    username=f"{PREFIX}ent_{enterprise.pk}",
                    password=uuid.uuid4().hex,
                    role=Role.ENTERPRISE,
                    display_name=enterprise.name[:30],
                    enterprise=enterprise,
                )
            )
    backend = next(b for b in settings.AUTHENTICATION_BACKENDS if b.endswith("ModelBackend"))
    keys = []
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


def _fixtures(seed: int, today: datetime.date) -> dict[str, Any]:
    from django.db import connection

    from wurao.accounts.choices import Role
    from wurao.accounts.models import User
    from wurao.accounts.services import user_create, user_token_obtain

    bureau = User.objects.filter(username=f"{PREFIX}bureau").first() or user_create(
        actor="bench",
        username=f"{PREFIX}bureau",
        password=uuid.uuid4().hex,
        role=Role.JUSTICE,
        display_name="基准司法局",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT credit_code FROM registry_enterprise WHERE status = 'active' "
            "ORDER BY md5(credit_code || %s) LIMIT 20000",
            [str(seed)],
        )
        uniform = [r[0] for r in cursor.fetchall()]
        cursor.execute(
            "SELECT e.credit_code FROM visits_visit v JOIN registry_enterprise e "
            "ON e.id = v.enterprise_id WHERE e.status = 'active' "
            "ORDER BY md5(v.code || %s) LIMIT 20000",
            [str(seed)],
        )
        visited = [r[0] for r in cursor.fetchall()]
        cursor.execute("SELECT code FROM visits_visit ORDER BY md5(code || %s) LIMIT 5000", [seed])
        codes = [r[0] for r in cursor.fetchall()]
        cursor.execute(
            "SELECT name FROM registry_enterprise ORDER BY md5(name || %s) LIMIT 500", [seed]
        )
        names = [r[0].removeprefix("深圳市") for r in cursor.fetchall()]
    rnd = np.random.default_rng(seed)
    terms = []
    for name in names:
        if len(name) >= 2:
            at = int(rnd.integers(0, len(name) - 1))
            terms.append(quote(name[at : at + 2]))
    return {
        "accounts": bench_accounts(departments=6, today=today),
        "bureau_token": user_token_obtain(user=bureau),
        "enterprise_sessions": _enterprise_sessions(200),
        "codes": codes,
        "terms": terms,
        "uniform": uniform,
        "visited": visited,
        "today": today.isoformat(),
        "dashboard_year": 2020,  # the demo's full year of history (the study's Table 1)
    }


def _by_kind(out: Path) -> dict[str, Any]:
    raw = json.loads(out.read_text())
    figures = {}
    for kind, _ in LOAD_MIX:
        ms = np.array([r[1] for r in raw["records"] if r[2] == kind], dtype=float)
        errors = sum(
            1
            for r in raw["records"]
            if r[2] == kind and not (200 <= r[0] < 300 or (kind == "register" and r[0] == 409))
        )
        figures[kind] = {
            "requests": len(ms),
            "p50_ms": round(float(np.percentile(ms, 50)), 1) if len(ms) else None,
            "p95_ms": round(float(np.percentile(ms, 95)), 1) if len(ms) else None,
            "errors": errors,
        }
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--scale", type=float, default=1.0, help="demo district scale")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--rps", type=float, default=300)
    parser.add_argument("--users", type=int, default=60, help="locust users sharing --rps")
    parser.add_argument("--duration", type=int, default=60, help="measured seconds")
    parser.add_argument("--warmup", type=int, default=10, help="seconds discarded first")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--reuse-db", action="store_true", help="use the database if built")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database after")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="N requests of each kind in process"
    )
    parser.add_argument("--profile-kinds", default="", help="comma-separated kinds to profile")
    parser.add_argument("--explain-ms", type=float, default=5.0, help="EXPLAIN slower SELECTs")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()

    reused = args.reuse_db and _built(args.database_url, args.scale)
    if not reused:
        database_reset(args.database_url)
    if args.profile and reused:  # as the server runs: its settings, a persistent connection
        os.environ.update(SERVER_ENV | {"WURAO_DEMO": "0"})
        setup_django(server_url(args.database_url, 600, ""))
    else:
        os.environ["WURAO_DEMO"] = "1"  # the builder's app, in this process only
        setup_django(args.database_url)
    from django.db import connection
    from django.utils import timezone

    result: dict[str, Any] = {"reused_db": reused, "scale": args.scale}
    if reused:  # a database built by older code: bring its tables up to this code's
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    else:
        result |= _build(args.scale, args.seed)
    fix = _fixtures(args.seed, timezone.localdate())
    if args.profile:
        from bench.load_profile import profile_run

        kinds = [k for k in args.profile_kinds.split(",") if k] or None
        result |= profile_run(fix, args.profile, args.seed, args.explain_ms, kinds)
        result["load_average"] = [round(x, 2) for x in os.getloadavg()]
        connection.close()
        if not (args.keep_db or args.reuse_db):
            database_drop(args.database_url)
        print(json.dumps(result, ensure_ascii=False, indent=1 if not args.json else None))
        return 0
    connection.close()

    scratch = Path(tempfile.mkdtemp(prefix="wurao-bench-load-"))
    fixtures_path = scratch / "fixtures.json"
    fixtures_path.write_text(json.dumps(fix, ensure_ascii=False))
    result |= {
        "target_rps": args.rps,
        "workers": args.workers,
        "users": args.users,
        "mix": dict(LOAD_MIX),
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "cpu_count": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
    }
    server_env = SERVER_ENV | {"WURAO_DEMO": "0"}
    try:
        port = free_port()
        with server(args.database_url, args.workers, port, scratch, extra_env=server_env) as proc:
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
                locustfile="load_locustfile.py",
            )
        result["by_kind"] = _by_kind(scratch / "locust_out.json")
        result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        for key in ("created", "refused", "refusal_rules", "locust_p95_ms"):
            result.pop(key, None)
        if result.get("errors"):
            log = (scratch / "gunicorn.log").read_text(errors="replace").splitlines()
            sys.stderr.write("--- gunicorn.log (last lines)\n" + "\n".join(log[-60:]) + "\n")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if not (args.keep_db or args.reuse_db):
            connection.close()
            database_drop(args.database_url)
    result["db_kept"] = bool(args.keep_db or args.reuse_db)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(
            f"{result['rps']} requests/s (target {args.rps}), p95 {result['p95_ms']} ms, "
            f"errors {result['errors']}\n"
            + "\n".join(f"  {k:<14} {v}" for k, v in result["by_kind"].items())
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
