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
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.visits_db import (
    DEFAULT_URL,
    database_drop,
    database_loaded,
    database_reset,
    setup_django,
)
from bench.visits_fixtures import database_figures, database_prepare, fixtures
from bench.visits_run import free_port, load_run, profile_run, server


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

    reused = args.reuse_db and database_loaded(args.database_url, args.visits)
    if not reused:
        database_reset(args.database_url)
    setup_django(args.database_url)
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
            port = free_port()
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
            if result.get("errors"):  # the server's tracebacks say why
                log = (scratch / "gunicorn.log").read_text(errors="replace").splitlines()
                sys.stderr.write("--- gunicorn.log (last lines)\n" + "\n".join(log[-80:]) + "\n")
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
            database_drop(args.database_url)
    result["db_kept"] = bool(args.keep_db or args.reuse_db)
    print(json.dumps(result, ensure_ascii=False) if args.json else _summary(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
