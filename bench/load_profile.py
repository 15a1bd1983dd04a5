"""Where each kind of request of bench.load spends its time, measured in one process:

    .venv/bin/python -m bench.load --json --reuse-db --profile 200

The same database, settings and fixtures as the load (DEBUG off, SERVER_ENV, persistent
connection), but no server and no locust: Django's test client sends `--profile` requests of
each kind of LOAD_MIX in turn (after 10 unmeasured ones, as a warm worker would have served),
and a trivial page (`trivial_page`: the public code form /v/, anonymous) to show what the
middleware alone costs. For each kind, per request:

- `wall_ms` (mean, p95), `app_cpu_ms` (this process: Django, DRF, templates, the test
  client's own small share), `db_cpu_ms` (the PostgreSQL backend serving this process);
- `queries`, `sql_ms` (client-side time of each statement), and the statements grouped by
  shape (verb and tables), with the slowest of each; SELECTs slower than `--explain-ms` are
  run again under EXPLAIN (ANALYZE, BUFFERS) and their plan is printed;
- `middleware_ms`: each middleware's own time (on the way in and on the way out), measured in
  a second, smaller pass by probes placed between them (that pass is not in the figures
  above: the probes and override_settings add about 2 ms a request);
- `hot_functions`: a second, smaller pass under cProfile counting CPU time (it slows Python
  down, so only the ranking and the proportions mean something): the functions with the most
  own CPU time, and their cumulative CPU time.
"""

from __future__ import annotations

import cProfile
import gc
import pstats
import random
import re
import time
from collections import Counter, defaultdict
from contextlib import ExitStack, contextmanager
from typing import Any

import numpy as np

from bench.load_mix import LOAD_MIX, request_for
from bench.visits_run import _backend_cpu, _shape

TRIVIAL = "trivial_page"
WARMUP_REQUESTS = 10

# --- middleware probes ---------------------------------------------------------------------

_stamps: list[tuple[int, str, float]] = []  # (position, "in" | "out", perf_counter)


def _probe(position: int) -> type:
    class Probe:
        def __init__(self, get_response: Any) -> None:
            self.get_response = get_response

        def __call__(self, request: Any) -> Any:
            _stamps.append((position, "in", time.perf_counter()))
            try:
                return self.get_response(request)
            finally:
                _stamps.append((position, "out", time.perf_counter()))

    Probe.__name__ = Probe.__qualname__ = f"Probe{position}"
    return Probe


def probed_middleware(middleware: list[str]) -> list[str]:
    """The middleware list with a probe before each one and after the last: probe i stamps
    the request entering middleware i and the response leaving it."""
    out = []
    for i, path in enumerate([*middleware, None]):
        globals()[f"Probe{i}"] = _probe(i)
        out.append(f"{__name__}.Probe{i}")
        if path:
            out.append(path)
    return out


def _middleware_own_ms(names: list[str]) -> dict[str, float]:
    """Each middleware's own seconds in the stamps of one request: from its probe to the next
    one on the way in, and back on the way out. A middleware that answers by itself (a
    redirect, a 429) holds the whole rest."""
    got: dict[tuple[int, str], float] = {(p, d): t for p, d, t in _stamps}
    own = {}
    for i, name in enumerate(names):
        t_in, t_out = got.get((i, "in")), got.get((i, "out"))
        if t_in is None or t_out is None:
            continue
        n_in, n_out = got.get((i + 1, "in")), got.get((i + 1, "out"))
        if n_in is None or n_out is None:
            own[name] = t_out - t_in
        else:
            own[name] = (n_in - t_in) + (t_out - n_out)
    inner = got.get((len(names), "in")), got.get((len(names), "out"))
    if None not in inner:
        own["(URL resolution, view, template)"] = inner[1] - inner[0]
    return own


# --- the measurement -----------------------------------------------------------------------


def _requests(kind: str, fix: dict[str, Any], rnd: random.Random):  # noqa: ANN202
    if kind == TRIVIAL:
        return "GET", "/v/", {}, None
    return request_for(kind, fix, rnd)


def _send(client: Any, kind: str, fix: dict[str, Any], rnd: random.Random) -> int:
    method, path, headers, body = _requests(kind, fix, rnd)
    if method == "GET":
        return client.get(path, headers=headers).status_code
    return client.post(path, body, content_type="application/json", headers=headers).status_code


@contextmanager
def _sql_recorder(queries: list[tuple[str, Any, float]]):  # noqa: ANN202
    from django.db import connections

    def timed(execute, sql, params, many, context):  # noqa: ANN001
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((sql, params, time.perf_counter() - start))

    with ExitStack() as stack:
        for conn in connections.all():
            stack.enter_context(conn.execute_wrapper(timed))
        yield


WRITES = re.compile(r"\b(INSERT|UPDATE|DELETE|pg_advisory\w*lock)\b", re.IGNORECASE)


class _RolledBack(Exception):
    pass


def _explain(sql: str, params: Any) -> list[str]:
    """The plan of a read, run again; in a transaction rolled back, to be sure."""
    from django.db import connection, transaction

    plan: list[str] = []
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plan = [row[0] for row in cursor.fetchall()]
            raise _RolledBack
    except _RolledBack:
        pass
    return plan


def _hot_functions(profile: cProfile.Profile, n: int, top: int = 15) -> dict[str, Any]:
    """The functions with the most own CPU time, and the project's own functions (wurao/)
    with the most cumulative CPU time: where to look."""
    stats = pstats.Stats(profile)
    rows = []
    for (path, line, func), (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():
        short = re.sub(r"^.*/(site-packages|python3\.\d+)/", r"\1/", path)
        short = re.sub(r"^.*/(wurao|bench)/", r"\1/", short)
        rows.append((tottime, cumtime, calls, f"{short}:{line}({func})"))

    def shown(row: tuple) -> dict[str, Any]:
        own, cum, calls, name = row
        return {
            "function": name,
            "own_ms": round(1000 * own / n, 3),
            "cum_ms": round(1000 * cum / n, 3),
            "calls": round(calls / n, 1),
        }

    by_own = sorted(rows, reverse=True)[:top]
    ours = sorted((r for r in rows if r[3].startswith("wurao/")), key=lambda r: -r[1])[:top]
    return {
        "by_own_cpu": [shown(r) for r in by_own],
        "project_by_cum_cpu": [shown(r) for r in ours],
    }


def profile_kind(
    kind: str, fix: dict[str, Any], n: int, rnd: random.Random, explain_ms: float
) -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings

    client = Client()
    for _ in range(WARMUP_REQUESTS):
        _send(client, kind, fix, rnd)
    queries: list[tuple[str, Any, float]] = []
    walls: list[float] = []
    statuses: Counter = Counter()
    backend_pid = connection.connection.info.backend_pid if connection.connection else None
    cpu_before, db_before = time.process_time(), _backend_cpu(connection)
    with _sql_recorder(queries):
        for _ in range(n):
            start = time.perf_counter()
            statuses[_send(client, kind, fix, rnd)] += 1
            walls.append(time.perf_counter() - start)
    app_cpu = time.process_time() - cpu_before
    db_cpu = _backend_cpu(connection) - db_before
    reconnected = connection.connection.info.backend_pid != backend_pid

    # Two smaller passes after the measured one, each changing what it measures: the probes
    # (and override_settings, which slows every read of a setting) add about 2 ms a request,
    # cProfile more.
    sampled = max(n // 4, 10)
    names = list(settings.MIDDLEWARE)
    middleware: dict[str, float] = defaultdict(float)
    with override_settings(MIDDLEWARE=probed_middleware(names)):
        probed = Client()
        for _ in range(sampled):
            _stamps.clear()
            _send(probed, kind, fix, rnd)
            for name, seconds in _middleware_own_ms(names).items():
                middleware[name] += seconds
    profile = cProfile.Profile(time.process_time)  # CPU, not waiting for PostgreSQL
    profile.enable()
    for _ in range(sampled):
        _send(client, kind, fix, rnd)
    profile.disable()

    by_shape: dict[str, list[float]] = defaultdict(list)
    slowest: dict[str, tuple[float, str, Any]] = {}
    for sql, params, seconds in queries:
        shape = _shape(sql)
        by_shape[shape].append(seconds)
        if seconds > slowest.get(shape, (-1.0,))[0]:
            slowest[shape] = (seconds, sql, params)
    shapes = sorted(by_shape.items(), key=lambda kv: -sum(kv[1]))
    plans = {}
    for shape, (seconds, sql, params) in slowest.items():
        read = sql.lstrip().upper().startswith(("SELECT", "WITH")) and not WRITES.search(sql)
        if 1000 * seconds >= explain_ms and read:
            plans[shape] = {
                "sql": sql[:600],
                "params": [str(p)[:60] for p in (params or [])][:12],
                "plan": _explain(sql, params)[:40],
            }
    walls_ms = 1000 * np.array(walls)
    return {
        "requests": n,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "wall_ms": round(float(walls_ms.mean()), 2),
        "wall_p95_ms": round(float(np.percentile(walls_ms, 95)), 2),
        "app_cpu_ms": round(1000 * app_cpu / n, 2),
        "db_cpu_ms": round(1000 * db_cpu / n, 2) if not reconnected else None,
        "queries": round(len(queries) / n, 1),
        "sql_ms": round(1000 * sum(s for _, _, s in queries) / n, 2),
        "middleware_ms": {
            name.rsplit(".", 1)[-1]: round(1000 * s / sampled, 3)
            for name, s in sorted(middleware.items(), key=lambda kv: -kv[1])
        },
        "top_queries": [
            {
                "shape": shape,
                "per_request": round(len(times) / n, 2),
                "ms_per_request": round(1000 * sum(times) / n, 3),
                "max_ms": round(1000 * max(times), 2),
            }
            for shape, times in shapes[:10]
        ],
        "plans": plans,
        "hot_functions": _hot_functions(profile, sampled),
    }


def profile_run(
    fix: dict[str, Any], n: int, seed: int, explain_ms: float = 5.0, kinds: list[str] | None = None
) -> dict[str, Any]:
    """`n` requests of each kind (or of `kinds`), one kind after the other."""
    rnd = random.Random(seed + time.time_ns())  # other enterprises than a previous run's
    chosen = kinds or [TRIVIAL, *(k for k, _ in LOAD_MIX)]
    # As gunicorn's workers (config/gunicorn.conf.py): what is loaded so far is moved out of
    # the collector's sight, or every full collection would scan the fixtures too.
    gc.collect()
    gc.freeze()
    per_kind = {kind: profile_kind(kind, fix, n, rnd, explain_ms) for kind in chosen}
    weights = dict(LOAD_MIX)
    total = sum(weights[k] for k in per_kind if k in weights)
    mix = {}
    if total:
        for key in ("app_cpu_ms", "db_cpu_ms", "wall_ms", "queries", "sql_ms"):
            values = [(weights[k], per_kind[k][key]) for k in per_kind if k in weights]
            if all(v is not None for _, v in values):
                mix[key] = round(sum(w * v for w, v in values) / total, 2)
        cpu = mix.get("app_cpu_ms", 0) + mix.get("db_cpu_ms", 0)
        # Two cores shared by the server, PostgreSQL and the load generator: the rate the
        # server's CPU alone would allow, an upper bound.
        mix["cpu_bound_rps_2_cores"] = round(2000 / cpu, 0) if cpu else None
    return {"profile_requests_per_kind": n, "profile_mix": mix, "profile": per_kind}
