"""Time the oversight dashboard's page data over 5,000,000 enforcement actions, and the
policy simulator over a demo district-year.

    .venv/bin/python -m bench.oversight --json [--actions 5000000] [--scale 1] [--seed 2022]
                                               [--reuse-db] [--runs 3] [--no-pages]
                                               [--no-simulate] [--year 2025]
                                               [--after-write]

Targets (issue 15 [oversight]): each page's data ≤ 1 s with 5,000,000 actions stored
(warm), the simulator on a scale-1 demo district-year ≤ 60 s.

1. Database (`--database-url`, default postgres://postgres@127.0.0.1:5432/wurao_bench_oversight;
   kept after the run, and with --reuse-db used as it is when it already holds --actions
   actions; otherwise dropped, created and migrated): the demo district at `--scale` (1:
   433,407 entities, its 2019–20 history and today's visits), then synthetic enforcement
   actions and their visits COPYed in (bench/oversight_data.py) until the actions table holds
   `--actions` rows. They fall on the weekdays of 2017–18 and 2021 up to today (the demo's
   2019–20 stay as built): the demo's own mix of department, level, kind and origin; every
   inspection on a visit, 6% of the visits joint (two or three departments, one action each,
   one joint reference); penalties and coercive measures without a visit; 0.18 non-enforcement
   visits per action (research, union, women's federation, party building, community, policy
   promotion) by the organisations that do not enforce, 40 times as likely on a key
   enterprise (四上, 规上); enterprises weighted log-normally, so a tail has dozens a year.
   Then VACUUM ANALYZE, and the written tables' change tokens (wurao/registry/versions.py)
   renewed; the result says which the triggers had renewed by themselves.
2. Pages, in a fresh process with a cache directory of its own: the facts frame loaded once
   (`facts_load_s`, wurao/oversight/facts.py), then each page data function H4's
   overview_data, burden_data, records_data (selectors_dashboard) and H5's rules_data
   (selectors_rules), grades_data, departments_data (selectors_panels) for: the bureau over `--year` (the last
   full year) and over all years, one department (the one with the most actions) and one
   street (the one with the most enterprises) over `--year`. `pages_cold` is the first call,
   `pages` the best of `--runs` calls after it, each with the Django cache emptied first (so
   a figure is computed, not read back; the facts frame stays in memory, as in a server
   process). A function not written yet is listed in `missing`, never timed in its place.
   Until the facts frame exists the older selectors (oversight_summary, busiest_enterprise_id)
   are timed under their own names.
3. Simulator, in a fresh process on a database of its own (`--simulate-database-url`,
   default ..._sim: the demo at scale 1 built by the code checked out now; reused with
   --reuse-db): simulation_run(year=2019, proposal=default_ruleset()) → `simulate_s`.

Prints ONE JSON object: pages (name → seconds), max_page_s, simulate_s, facts_load_s,
pages_cold, missing, rows {actions, visits}, peak_rss_mb per process, commit, database
commits (the code that built each database), load figures, load average.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/wurao_bench_oversight"
SIMULATE_URL = "postgres://postgres@127.0.0.1:5432/wurao_bench_oversight_sim"
SLOW_S = 10.0
PAGE_FUNCTIONS = {
    "wurao.oversight.selectors_dashboard": ("overview_data", "burden_data", "records_data"),
    "wurao.oversight.selectors_rules": ("rules_data",),
    "wurao.oversight.selectors_panels": ("grades_data", "departments_data"),
}


def _commit() -> str:
    out = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "wurao"], cwd=ROOT, capture_output=True, text=True
    )
    return out.stdout.strip() + ("+uncommitted" if dirty.stdout.strip() else "")


def _peak_rss_mb() -> float:
    """This process's peak resident memory since `_peak_rss_reset` (VmHWM; ru_maxrss would
    count the parent's pages a forked worker started with)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _peak_rss_reset() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


# --- databases -------------------------------------------------------------------------------


def _admin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres", query="")), parts.path.lstrip("/")


def database_note(url: str) -> str | None:
    """What this bench wrote on the database when it built it (COMMENT ON DATABASE)."""
    import psycopg

    admin, name = _admin(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    return row[0] if row else None


def database_mark(url: str, note: str) -> None:
    import psycopg
    from psycopg import sql

    admin, name = _admin(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), note))


def database_reset(url: str) -> None:
    import psycopg
    from psycopg import sql

    admin, name = _admin(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def database_count(url: str, table: str) -> int:
    import psycopg

    if database_note(url) is None:
        return 0
    with psycopg.connect(url) as conn:
        if not conn.execute("SELECT to_regclass(%s)", [table]).fetchone()[0]:
            return 0
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def setup_django(database_url: str, cache_dir: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url,
            "CACHE_URL": f"filecache://{cache_dir}",
            "LOG_LEVEL": "WARNING",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# The demo is built by the committed code (HEAD exported to a scratch folder), not by the
# working tree, where other engineers' half-written changes may be.
BUILD_SCRIPT = """
import json, os, sys, time
sys.path.insert(0, os.getcwd())
os.environ.update(DJANGO_SETTINGS_MODULE="config.settings", DATABASE_URL=sys.argv[1],
                  CACHE_URL="filecache://" + os.path.join(os.getcwd(), "var", "cache"),
                  LOG_LEVEL="WARNING")
import django
django.setup()
from django.core.management import call_command
from wurao.demo.services import demo_build
started = time.perf_counter()
call_command("migrate", verbosity=0)
migrated = time.perf_counter()
demo_build(actor="bench", scale=float(sys.argv[2]), seed=int(sys.argv[3]))
print(json.dumps({"migrate": round(migrated - started, 1),
                  "demo_build": round(time.perf_counter() - migrated, 1)}))
"""


def demo_build_committed(url: str, scale: float, seed: int) -> dict[str, Any]:
    """Migrate `url` and build the demo into it with the code of HEAD; the parts' seconds."""
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    export = Path(tempfile.mkdtemp(prefix="wurao-bench-oversight-head-"))
    try:
        archive = subprocess.run(
            ["git", "archive", "HEAD"], cwd=ROOT, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(export)], input=archive, check=True)
        done = subprocess.run(
            [sys.executable, "-c", BUILD_SCRIPT, url, str(scale), str(seed)],
            cwd=export,
            capture_output=True,
            text=True,
        )
    finally:
        shutil.rmtree(export, ignore_errors=True)
    if done.returncode:
        sys.stderr.write(done.stderr[-4000:])
        raise SystemExit(f"demo build at {head} failed")
    return {"demo_commit": head, **json.loads(done.stdout.strip().splitlines()[-1])}


def migrate_working_tree(url: str) -> None:
    """Migrations added since (a newly tracked table, an index), by the working tree."""
    cache_dir = tempfile.mkdtemp(prefix="wurao-bench-oversight-cache-")
    try:
        subprocess.run(
            [str(Path(sys.executable).parent / "wurao"), "migrate", "--verbosity", "0"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url, "CACHE_URL": f"filecache://{cache_dir}"},
            check=True,
        )
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)


def prepare(args: argparse.Namespace) -> dict[str, Any]:
    """Build the pages' database; its figures. The synthetic load runs in this process."""
    from django.utils import timezone

    from bench.oversight_data import actions_load

    started = time.perf_counter()
    built = demo_build_committed(args.database_url, args.scale, args.seed)
    migrate_working_tree(args.database_url)
    t = time.perf_counter()
    loaded = actions_load(total=args.actions, seed=args.seed, today=timezone.localdate())
    return {
        "load_s": round(time.perf_counter() - started, 1),
        "load_parts_s": {
            "migrate": built["migrate"],
            "demo_build": built["demo_build"],
            "synthetic": round(time.perf_counter() - t, 1),
        },
        "demo_commit": built["demo_commit"],
        "synthetic": loaded,
        "load_peak_rss_mb": _peak_rss_mb(),
    }


# --- 2. pages (worker process) ---------------------------------------------------------------


def _timed(call: Any) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def _cases(year: int) -> dict[str, tuple[Any, Any]]:
    from django.db.models import Count

    from wurao.accounts.scope import Scope
    from wurao.enforcement.models import EnforcementAction
    from wurao.oversight.filters import Slice
    from wurao.registry.models import Enterprise

    department = (
        EnforcementAction.objects.values("department_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()["department_id"]
    )
    street = (
        Enterprise.objects.values("street_id").annotate(n=Count("id")).order_by("-n").first()
    )["street_id"]
    first = EnforcementAction.objects.order_by("date").values_list("date", flat=True).first()
    last = EnforcementAction.objects.order_by("-date").values_list("date", flat=True).first()
    bureau = Scope(sees_all=True)
    return {
        f"bureau_{year}": (bureau, Slice.year(year)),
        "bureau_all_years": (bureau, Slice(first, last)),
        f"department_{year}": (Scope(department_id=department), Slice.year(year)),
        f"street_{year}": (Scope(street_id=street), Slice.year(year)),
    }


def _functions() -> tuple[dict[str, Any], list[str]]:
    import importlib

    found, missing = {}, []
    for module_name, names in PAGE_FUNCTIONS.items():
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            module = None
        for name in names:
            function = getattr(module, name, None)
            if callable(function):
                found[name] = function
            else:
                missing.append(name)
    return found, missing


def _legacy_functions(year: int) -> dict[str, Any]:
    """Before the page data functions exist: the selectors the old dashboard used."""
    from wurao.oversight.selectors import busiest_enterprise_id, oversight_summary

    def summary(*, scope: Any, slice: Any) -> Any:  # noqa: A002
        return oversight_summary(scope=scope, year=slice.date_from.year)

    def busiest(*, scope: Any, slice: Any) -> Any:  # noqa: A002
        return busiest_enterprise_id(scope=scope, date_from=slice.date_from, date_to=slice.date_to)

    return {"oversight_summary": summary, "busiest_enterprise_id": busiest}


def after_write_run(cases: dict[str, tuple[Any, Any]], functions: dict[str, Any]) -> dict:
    """A page view right after one committed write: a non-enforcement visit registered (a
    copy of the latest, new code, its departments), then one enforcement action; each time
    the kept frames brought up to date (wurao/oversight/refresh.py) and the pages' data of the
    first case. The rows are deleted again at the end (timed too: deletions are refreshed
    the same way). Seconds."""
    from django.core.cache import cache
    from django.db import transaction

    from wurao.enforcement.models import EnforcementAction
    from wurao.oversight import facts as facts_module
    from wurao.oversight import facts_panels
    from wurao.visits.models import Visit, visit_code_new

    scope, slice_ = next(iter(cases.values()))
    out: dict[str, Any] = {"full_loads_before": facts_module.full_loads}

    def views(label: str) -> None:
        cache.clear()
        out[f"{label}_facts_s"] = round(_timed(facts_module.facts), 3)
        out[f"{label}_visits_frame_s"] = round(_timed(facts_panels.visits), 3)
        for name, function in functions.items():
            cache.clear()
            out[f"{label}_{name}_s"] = round(
                _timed(lambda f=function: f(scope=scope, slice=slice_)), 3
            )

    latest = Visit.objects.filter(kind="non_enforcement").order_by("-id").first()
    departments = list(latest.departments.values_list("pk", flat=True))
    with transaction.atomic():
        visit = Visit.objects.get(pk=latest.pk)
        visit.pk = None
        visit.code = visit_code_new()
        visit.client_id = None
        visit.save()
        visit.departments.set(departments)
    views("after_visit")
    action = EnforcementAction.objects.order_by("-id").first()
    action.pk = None
    action.save()
    views("after_action")
    with transaction.atomic():
        EnforcementAction.objects.filter(pk=action.pk).delete()
        Visit.objects.filter(pk=visit.pk).delete()
    views("after_delete")
    out["full_loads_after"] = facts_module.full_loads
    return out


def pages_run(args: argparse.Namespace) -> dict[str, Any]:
    from django.core.cache import cache

    result: dict[str, Any] = {}
    try:
        from wurao.oversight import facts as facts_module
    except ImportError:
        facts_module = None
    if facts_module is not None and hasattr(facts_module, "facts"):
        facts_module.forget()
        cache.clear()
        result["facts_load_s"] = round(_timed(facts_module.facts), 3)
        frame = facts_module.facts()
        result["facts_frame"] = {
            name: getattr(getattr(frame, name, None), "height", None)
            for name in vars(frame)
            if hasattr(getattr(frame, name), "height")
        }
        result["facts_loaded_rss_mb"] = _peak_rss_mb()
    else:
        result["facts_load_s"] = None
    functions, missing = _functions()
    if not functions:
        functions = _legacy_functions(args.year)
        result["timed_instead"] = sorted(functions)
    cases = _cases(args.year)
    result["cases"] = {
        name: {"scope": repr(scope), "slice": f"{s.date_from}..{s.date_to}"}
        for name, (scope, s) in cases.items()
    }
    cold: dict[str, float] = {}
    warm: dict[str, float] = {}
    errors: dict[str, str] = {}
    for fname, function in functions.items():
        for cname, (scope, slice_) in cases.items():
            if fname == "oversight_summary" and not slice_.is_single_year:
                continue
            key = f"{fname}/{cname}"

            def call(function=function, scope=scope, slice_=slice_) -> None:
                function(scope=scope, slice=slice_)

            try:
                cache.clear()
                cold[key] = round(_timed(call), 3)
                runs = []
                # A page far off the target is called once more, not --runs times.
                for _ in range(args.runs if cold[key] < SLOW_S else 1):
                    cache.clear()
                    runs.append(_timed(call))
                warm[key] = round(min(runs), 3)
            except Exception as error:  # a page that fails is reported, the others timed
                errors[key] = f"{type(error).__name__}: {error}"[:300]
    result |= {
        "pages": warm,
        "pages_cold": cold,
        "max_page_s": max(warm.values()) if warm else None,
        "slowest_page": max(warm, key=warm.get) if warm else None,
        "missing": missing,
        "page_errors": errors,
        "pages_peak_rss_mb": _peak_rss_mb(),
    }
    if args.after_write:
        result["after_write"] = after_write_run(cases, functions)
    return result


# --- 3. simulator (worker process) -----------------------------------------------------------


def simulate_run(args: argparse.Namespace) -> dict[str, Any]:
    try:
        from wurao.oversight.simulation.rules import default_ruleset
        from wurao.oversight.simulation.service import simulation_run  # noqa: I001
    except ImportError as error:
        return {"simulate_s": None, "simulate_missing": str(error)}
    proposal = default_ruleset()
    started = time.perf_counter()
    out = simulation_run(year=2019, proposal=proposal)
    seconds = time.perf_counter() - started
    keep = (
        "onsite_visits_reduction",
        "max_visits_reduction",
        "d_coverage_kept",
        "findings_kept",
        "by_rule",
    )
    return {
        "simulate_s": round(seconds, 2),
        "simulate_reported_s": out.get("seconds"),
        "simulate_figures": {k: out.get(k) for k in keep},
        "simulate_baseline": out.get("baseline"),
        "simulate_proposal": out.get("proposal"),
        "simulate_peak_rss_mb": _peak_rss_mb(),
    }


def _worker(args: argparse.Namespace, kind: str, url: str) -> dict[str, Any]:
    """Run `kind` in a fresh process against `url`; its JSON answer."""
    command = [sys.executable, "-m", "bench.oversight", "--worker", kind, "--database-url", url]
    command += ["--runs", str(args.runs), "--year", str(args.year), "--seed", str(args.seed)]
    command += ["--after-write"] if args.after_write else []
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stderr[-4000:])
        return {f"{kind}_error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--simulate-database-url", default=SIMULATE_URL)
    parser.add_argument("--actions", type=int, default=5_000_000)
    parser.add_argument("--scale", type=float, default=1.0, help="the demo district's scale")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--year", type=int, default=2025, help="the full year timed")
    parser.add_argument("--runs", type=int, default=3, help="warm calls, the best reported")
    parser.add_argument("--reuse-db", action="store_true", help="use the databases as built")
    parser.add_argument("--no-pages", action="store_true")
    parser.add_argument("--no-simulate", action="store_true")
    parser.add_argument(
        "--after-write",
        action="store_true",
        help="also time the page views after one committed visit and one action (written to "
        "the database, then deleted)",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object (the default)")
    parser.add_argument("--worker", choices=["pages", "simulate"])
    args = parser.parse_args(argv)

    if args.worker:
        _peak_rss_reset()
        cache_dir = tempfile.mkdtemp(prefix="wurao-bench-oversight-cache-")
        try:
            setup_django(args.database_url, cache_dir)
            run = {"pages": pages_run, "simulate": simulate_run}[args.worker]
            print(json.dumps(run(args), ensure_ascii=False, default=str))
        finally:
            shutil.rmtree(cache_dir, ignore_errors=True)
        return 0

    commit = _commit()
    result: dict[str, Any] = {
        "commit": commit,
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
        "cpu_count": os.cpu_count(),
    }
    if not args.no_pages:
        stored = database_count(args.database_url, "enforcement_enforcementaction")
        reused = args.reuse_db and stored >= args.actions
        result["reused_db"] = reused
        if not reused:
            database_reset(args.database_url)
            cache_dir = tempfile.mkdtemp(prefix="wurao-bench-oversight-cache-")
            setup_django(args.database_url, cache_dir)
            result |= prepare(args)
            from django.db import connection

            connection.close()
            shutil.rmtree(cache_dir, ignore_errors=True)
            database_mark(
                args.database_url,
                f"bench.oversight: demo scale {args.scale} at {result['demo_commit']}, "
                f"synthetic actions by {commit}",
            )
        else:
            migrate_working_tree(args.database_url)
        result["database_built_by"] = database_note(args.database_url)
        result["rows"] = {
            "actions": database_count(args.database_url, "enforcement_enforcementaction"),
            "visits": database_count(args.database_url, "visits_visit"),
        }
        result |= _worker(args, "pages", args.database_url)
    if not args.no_simulate:
        url = args.simulate_database_url
        if not (args.reuse_db and database_count(url, "enforcement_enforcementaction")):
            database_reset(url)
            built = demo_build_committed(url, 1.0, args.seed)
            result["simulate_db_build_s"] = built["migrate"] + built["demo_build"]
            database_mark(url, f"bench.oversight: demo scale 1 at {built['demo_commit']}")
        else:
            migrate_working_tree(url)
        result["simulate_database_built_by"] = database_note(url)
        result |= _worker(args, "simulate", url)
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    result["peak_rss_mb"] = {
        k: result.get(k)
        for k in ("load_peak_rss_mb", "pages_peak_rss_mb", "simulate_peak_rss_mb")
        if result.get(k) is not None
    }
    print(json.dumps(result, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
