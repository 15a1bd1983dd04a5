"""Time a full credit regrade (`wurao.credit.engine.score`) at city scale, against pandas.

    .venv/bin/python -m bench.grading --json [--enterprises 4000000] [--events 50000000]
                                             [--runs 3] [--sample 20000] [--no-pandas]
                                             [--demo-scale 1] [--no-demo]
                                             [--inspections-per-day 4000] [--no-backtest]

Synthetic data, no database, nothing cached on disk: 4,000,000 enterprises (GB/T 4754
sections with plausible weights; 0–3 risk tags each, 40% with at least one, duplicates and
tags the table does not know included) and 50,000,000 dated records over 4 years before
the as-of date (2026-11-27) plus a few after it, 80% of the enterprises having any, skewed
so that a few have many; the mix of indicators follows the catalogue (clean inspections
most, coercive measures fewest); severities 1–3 where the rule uses them. Scored with the
default table (version 1).

Each implementation runs in its own fresh process (`--worker`), one after the other so they
do not share the two cores, and generates the same data from the same seed with NumPy
straight into its frames; generation is not timed. Prints ONE JSON object:

- regrade_4m_s: `engine.score` on the whole input (Polars lazy, streaming engine), best of
  `--runs`; regrade_4m_runs_s lists every run;
- regrade_4m_peak_bytes: the Polars process's peak resident memory while it computes: the
  kernel's high-water mark (VmHWM) is reset through /proc/self/clear_refs after generation,
  so the figure counts the input frames (input_bytes, resident throughout) and everything
  the compute allocates, but not generation's temporaries; rss_before_compute_bytes is the
  resident size at that reset;
- pandas_4m_s: the same table in pandas (`pandas_score` below: NumPy lookups per record,
  `groupby` sums, clip, join), one run, with pandas_peak_bytes measured the same way;
- grades_match: the two give the same grade for every enterprise (a digest of all 4M grades
  in enterprise order) and, on a random sample of `--sample` enterprises, scores within
  1e-9 (sample_max_score_diff);
- breakdown_1_s: `engine.contributions` for one enterprise over the 50M records, and
  breakdown_sums_match: for 5 sampled enterprises base + Σ points equals the score (1e-9);
- demo_regrade_s: the end-to-end regrade of the demo district through the database: the
  demo (`--demo-scale`, 1 = 433,407 enterprises, its 2019–20 history and credit records) is
  built into a fresh SQLite file in a temporary directory (or the empty database in
  DATABASE_URL), as bench.demo_build does, then `grades_recompute` is timed as of the demo's
  as-of date (2020-12-31), best of `--runs`: frames from the database, the engine, the
  grades compared and stamped; the build's own first regrade has already created the grades,
  so nothing changes (demo_regrade_runs_s lists every run). Also timed, once each:
  demo_regrade_next_day_s, as of the day after (decayed scores rewritten, a few grades
  change, as in a nightly job) and demo_regrade_first_s, a first grading again after the
  grades and changes are deleted (every grade created and every enterprise listed as a
  change with its reasons); demo_build_s is the build, first regrade included.
- backtest_4m_s: `wurao.credit.backtest.backtest` (issue 16 [calibration]) over a year of
  inspections on the same synthetic data, in its own fresh process after the others, best of
  `--runs` (backtest_4m_runs_s lists every run, backtest_4m_runs_cpu_s the process's CPU
  time in each: on a busy machine the wall clock says little), backtest_4m_peak_bytes as
  regrade_4m_peak_bytes (reset after generation; the input frames and the inspections
  included). The inspections (`inspections` below): `--inspections-per-day` (4,000 at 4M
  enterprises, in proportion otherwise) on each of the 261 Monday-to-Fridays of the year
  before the as-of date, 2025-11-27 to 2026-11-26: backtest_inspections = 1,044,000 at 4M.
  Enterprises are drawn with replacement, three times as likely when they have records; a
  violation's probability rises with the enterprise's record count, one in five is serious.
  The records are not filtered by date: the engine's `score_before` alone keeps those
  strictly before each inspection. Each query takes its enterprise's records (all 50M read,
  in the engine's partitions); backtest_joined_records counts those that scored. Then,
  once each, backtest_score_before_s (the engine's join alone) and backtest_measure_s (the
  measures with their 200 random orders; backtest_measure_no_draws_s without them) say
  where the time goes; backtest_repeatable: every run gave the same result (not always at
  4M: the engine's sums come out in a thread-dependent order, scores differ by ≤ 3e-14
  between runs and scores equal in exact arithmetic can swap places in the table's order;
  backtest_days_earlier_runs shows by how much).
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np

from wurao.credit.points import DEFAULT_TABLE, Decay, Indicator, PointsTable

AS_OF = date(2026, 11, 27)
# The backtest's inspections a working day at 4M enterprises (scaled with --enterprises).
INSPECTIONS_PER_DAY = 4_000
SECTIONS = "ABCDEFGHIJKLMNOPQRST"
# Roughly a city's mix of market entities: trade (F), business services (L), manufacturing
# (C), catering (H), tech (I, M), residents' services (O) lead.
SECTION_WEIGHTS = [1, 0.1, 12, 0.3, 3, 35, 3, 8, 6, 1, 2, 10, 5, 0.5, 6, 1, 1, 1.5, 0.5, 0.1]
UNKNOWN_TAGS = ("not_in_table_1", "not_in_table_2")
INDICATOR_SHARE = {
    Indicator.INSPECTION_CLEAN: 30,
    Indicator.MONITORING_ALERT: 20,
    Indicator.INSPECTION_PROBLEM: 14,
    Indicator.PENALTY: 8,
    Indicator.HAZARD_OPEN: 6,
    Indicator.COMPLAINT_SUBSTANTIATED: 5,
    Indicator.RECTIFICATION_OVERDUE: 4,
    Indicator.COMMITMENT_FULFILLED: 4,
    Indicator.AWARD: 3,
    Indicator.REPAIR_COMPLETED: 3,
    Indicator.COMMITMENT_BROKEN: 2,
    Indicator.COERCIVE_MEASURE: 1,
    # Added with [portal]; none generated, so that the records (and the figures) stay those
    # measured before it (numpy draws the same indices with a trailing zero weight).
    Indicator.SELF_INSPECTION_COMPLETED: 0,
}


@dataclass
class Synthetic:
    enterprise_id: np.ndarray  # int64
    section: np.ndarray  # uint8 index into SECTIONS
    tag_enterprise: np.ndarray  # int64 row index into the enterprises, one per (enterprise, tag)
    tag_code: np.ndarray  # uint8 index into tag_codes
    tag_codes: list[str]
    record_id: np.ndarray  # int64
    event_enterprise: np.ndarray  # int64 enterprise_id
    indicator: np.ndarray  # uint8 catalogue position (Indicator order)
    days: np.ndarray  # int32 days since 1970-01-01
    severity: np.ndarray  # float64


def generate(enterprises: int, events: int, seed: int, table: PointsTable) -> Synthetic:
    rng = np.random.default_rng(seed)
    enterprise_id = np.arange(1, enterprises + 1, dtype=np.int64)
    weights = np.array(SECTION_WEIGHTS) / sum(SECTION_WEIGHTS)
    section = rng.choice(len(SECTIONS), enterprises, p=weights).astype(np.uint8)
    tag_codes = [t.code for t in table.tags] + list(UNKNOWN_TAGS)
    n_tags = rng.choice(4, enterprises, p=[0.6, 0.25, 0.1, 0.05])
    tag_enterprise = np.repeat(np.arange(enterprises, dtype=np.int64), n_tags)
    tag_code = rng.integers(0, len(tag_codes), len(tag_enterprise), dtype=np.uint8)

    catalogue = list(Indicator)
    share = np.array([INDICATOR_SHARE[i] for i in catalogue], dtype=float)
    indicator = rng.choice(len(catalogue), events, p=share / share.sum()).astype(np.uint8)
    active = int(enterprises * 0.8)
    # u ** 1.5 piles records onto the low ids: a few enterprises have hundreds.
    event_enterprise = (rng.random(events) ** 1.5 * active).astype(np.int64) + 1
    as_of_days = (AS_OF - date(1970, 1, 1)).days
    days = (as_of_days - rng.integers(0, 4 * 365, events)).astype(np.int32)
    leveled = np.array([bool((r := table.rule(i)) and r.per_severity) for i in catalogue])
    severity = np.where(
        leveled[indicator], rng.choice([1.0, 2.0, 3.0], events, p=[0.6, 0.3, 0.1]), 1.0
    )
    return Synthetic(
        enterprise_id=enterprise_id,
        section=section,
        tag_enterprise=tag_enterprise,
        tag_code=tag_code,
        tag_codes=tag_codes,
        record_id=np.arange(1, events + 1, dtype=np.int64),
        event_enterprise=event_enterprise,
        indicator=indicator,
        days=days,
        severity=severity,
    )


def working_days(before: date) -> list[date]:
    """Monday to Friday of the year before `before` (from `before` − 365 days to the day
    before it): 261 days before 2026-11-27."""
    first = before - timedelta(days=365)
    days = (first + timedelta(days=n) for n in range((before - first).days))
    return [d for d in days if d.weekday() < 5]


def inspections(s: Synthetic, per_day: int, seed: int) -> Any:
    """A year of inspections for the backtest: `per_day` on each working day before AS_OF,
    on enterprises drawn with replacement, three times as likely when they have any
    record; a violation with probability 0.04 + 0.30 · r / (r + 20), r the enterprise's
    synthetic records (all of them: the engine alone decides which came before the
    inspection), and serious for one violation in five. A Polars frame in date order with
    the columns of `backtest.INSPECTION_SCHEMA`."""
    import polars as pl

    rng = np.random.default_rng(seed)
    days = working_days(AS_OF)
    records = np.bincount(s.event_enterprise - 1, minlength=len(s.enterprise_id))
    weight = np.where(records > 0, 3.0, 1.0)
    n = per_day * len(days)
    row = rng.choice(len(s.enterprise_id), n, p=weight / weight.sum())
    r = records[row]
    violation = rng.random(n) < 0.04 + 0.30 * r / (r + 20)
    serious = violation & (rng.random(n) < 0.2)
    epoch = date(1970, 1, 1)
    day = np.repeat(np.array([(d - epoch).days for d in days], dtype=np.int32), per_day)
    return pl.DataFrame(
        {
            "enterprise_id": s.enterprise_id[row],
            "date": pl.Series(day).cast(pl.Date),
            "violation": violation,
            "serious": serious,
        }
    )


def polars_frames(s: Synthetic) -> tuple[Any, Any]:
    import polars as pl

    from wurao.credit.engine import INDICATOR_DTYPE

    sections = pl.Series(s.section).cat.to(pl.Enum(list(SECTIONS))).cast(pl.String)
    tags = (
        pl.DataFrame(
            {
                "row": s.tag_enterprise,
                "tag": pl.Series(s.tag_code).cat.to(pl.Enum(s.tag_codes)).cast(pl.String),
            }
        )
        .group_by("row")
        .agg("tag")
    )
    enterprises = (
        pl.DataFrame({"enterprise_id": s.enterprise_id, "industry_section": sections})
        .with_row_index("row")
        .join(tags, on="row", how="left", maintain_order="left")
        .select("enterprise_id", pl.col("tag").alias("tags"), "industry_section")
    )
    events = pl.DataFrame(
        {
            "record_id": s.record_id,
            "enterprise_id": s.event_enterprise,
            "indicator": pl.Series(s.indicator).cat.to(INDICATOR_DTYPE),
            "date": pl.Series(s.days).cast(pl.Date),
            "severity": s.severity,
        }
    )
    return events, enterprises


def pandas_frames(s: Synthetic) -> tuple[Any, Any, Any]:
    """The same data for pandas: tags as (enterprise_id, tag) pairs, pandas' own way."""
    import pandas as pd

    events = pd.DataFrame(
        {
            "record_id": s.record_id,
            "enterprise_id": s.event_enterprise,
            "indicator": pd.Categorical.from_codes(
                s.indicator.astype(np.int8), categories=[i.value for i in Indicator]
            ),
            "date": s.days.astype("datetime64[D]").astype("datetime64[s]"),
            "severity": s.severity,
        }
    )
    enterprises = pd.DataFrame(
        {
            "enterprise_id": s.enterprise_id,
            "industry_section": np.array(list(SECTIONS))[s.section],
        }
    )
    tags = pd.DataFrame(
        {
            "enterprise_id": s.enterprise_id[s.tag_enterprise],
            "tag": np.array(s.tag_codes, dtype=object)[s.tag_code],
        }
    )
    return events, enterprises, tags


def pandas_score(events: Any, enterprises: Any, tags: Any, table: PointsTable, as_of: date) -> Any:
    """The engine's model in pandas: a DataFrame indexed like `enterprises` with score and
    grade. `events.indicator` is categorical; tags come as (enterprise_id, tag) rows."""
    import pandas as pd

    catalogue = list(Indicator)
    rules = [table.rule(i) for i in catalogue] + [None]
    inf = np.inf
    window = np.array([r.window_days if r else 0 for r in rules])
    points = np.array([r.points if r else 0.0 for r in rules])
    per_severity = np.array([bool(r and r.per_severity) for r in rules])
    linear = np.array([r.window_days if r and r.decay == Decay.LINEAR else inf for r in rules])
    half_life = np.array(
        [r.half_life_days if r and r.decay == Decay.EXPONENTIAL else inf for r in rules]
    )
    cap = np.array([r.cap if r and r.cap else inf for r in rules])

    position = {i.value: n for n, i in enumerate(catalogue)}
    lookup = np.array(
        [position.get(c, len(catalogue)) for c in events["indicator"].cat.categories]
        + [len(catalogue)]
    )
    k = lookup[events["indicator"].cat.codes.to_numpy()]  # code −1 (missing) → last: not scored
    age = (pd.Timestamp(as_of) - events["date"]).dt.days.to_numpy()
    keep = (age >= 0) & (age < window[k])
    k, age = k[keep], age[keep]
    severity = events["severity"].to_numpy()[keep]
    base = np.where(per_severity[k], points[k] * np.nan_to_num(severity, nan=1.0), points[k])
    w = base * (1.0 - age / linear[k]) * 0.5 ** (age / half_life[k])
    per = (
        pd.DataFrame({"enterprise_id": events["enterprise_id"].to_numpy()[keep], "k": k, "w": w})
        .groupby(["enterprise_id", "k"], sort=False)["w"]
        .sum()
    )
    limit = cap[per.index.get_level_values("k")]
    event_points = per.clip(-limit, limit).groupby(level="enterprise_id").sum()

    tag_points = pd.Series({t.code: float(t.points) for t in table.tags}, dtype=float)
    own = tags.drop_duplicates()
    own = own.assign(points=own["tag"].map(tag_points).fillna(0.0))
    by_tag = own.groupby("enterprise_id")["points"].sum()
    if table.tag_cap:
        by_tag = by_tag.clip(-table.tag_cap, table.tag_cap)
    industry = {i.section: float(i.points) for i in table.industries}

    ids = enterprises["enterprise_id"]
    result = pd.DataFrame({"enterprise_id": ids.to_numpy()})
    result["score"] = (
        table.base
        + by_tag.reindex(ids, fill_value=0.0).to_numpy()
        + enterprises["industry_section"].map(industry).fillna(0.0).to_numpy()
        + event_points.reindex(ids, fill_value=0.0).to_numpy()
    )
    t, tol = table.thresholds, 1e-9
    s = result["score"].to_numpy()
    result["grade"] = np.select([s >= t.a - tol, s >= t.b - tol, s >= t.c - tol], list("ABC"), "D")
    return result


def _rss() -> dict[str, int]:
    with open("/proc/self/status") as f:
        status = f.read()
    return {k: int(re.search(rf"{k}:\s+(\d+)", status)[1]) * 1024 for k in ("VmRSS", "VmHWM")}  # type: ignore[index]


def _reset_peak() -> bool:
    """Reset the kernel's resident high-water mark (Linux ≥ 4.0); False if not allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _digest(grades: Any) -> str:
    return hashlib.sha256("".join(grades).encode()).hexdigest()


def worker(kind: str, args: argparse.Namespace) -> dict[str, Any]:
    table = DEFAULT_TABLE
    synthetic = generate(args.enterprises, args.events, args.seed, table)
    sample = np.sort(
        np.random.default_rng(args.seed + 1).choice(
            synthetic.enterprise_id, min(args.sample, args.enterprises), replace=False
        )
    )
    if kind == "polars":
        import polars as pl

        from wurao.credit.engine import contributions, score

        events, enterprises = polars_frames(synthetic)
        input_bytes = events.estimated_size() + enterprises.estimated_size()
        del synthetic
        gc.collect()
        before, reset = _rss()["VmRSS"], _reset_peak()
        runs = []
        for _ in range(args.runs):
            start = time.perf_counter()
            result = score(events, enterprises, table, AS_OF, partitions=args.partitions)
            runs.append(time.perf_counter() - start)
        peak = _rss()["VmHWM"]
        picked = result.filter(pl.col("enterprise_id").is_in(pl.Series(sample).implode()))
        start = time.perf_counter()
        one = contributions(events, enterprises, table, AS_OF, [int(sample[0])])
        breakdown_s = time.perf_counter() - start
        few = [int(x) for x in sample[:5]]
        sums = (
            contributions(events, enterprises, table, AS_OF, few)
            .group_by("enterprise_id")
            .agg(pl.col("points").sum() + table.base)
        )
        scores = dict(picked.select("enterprise_id", "score").iter_rows())
        sums_match = all(
            abs(scores[e] - dict(sums.iter_rows()).get(e, table.base)) < 1e-9 for e in few
        )
        return {
            "seconds": runs,
            "peak_bytes": peak,
            "peak_reset": reset,
            "rss_before_compute_bytes": before,
            "input_bytes": input_bytes,
            "grade_counts": {
                str(g): n for g, n in result["grade"].value_counts().sort("grade").iter_rows()
            },
            "digest": _digest(result["grade"].cast(pl.String).to_list()),
            "sample_scores": picked["score"].to_list(),
            "sample_grades": picked["grade"].cast(pl.String).to_list(),
            "breakdown_1_s": breakdown_s,
            "breakdown_1_rows": one.height,
            "breakdown_sums_match": sums_match,
            "threads": pl.thread_pool_size(),
            "version": pl.__version__,
        }
    import pandas as pd

    events, enterprises, tags = pandas_frames(synthetic)
    input_bytes = int(
        events.memory_usage(deep=True).sum()
        + enterprises.memory_usage(deep=True).sum()
        + tags.memory_usage(deep=True).sum()
    )
    del synthetic
    gc.collect()
    before, reset = _rss()["VmRSS"], _reset_peak()
    start = time.perf_counter()
    result = pandas_score(events, enterprises, tags, table, AS_OF)
    seconds = time.perf_counter() - start
    picked = result[result["enterprise_id"].isin(sample)]
    return {
        "seconds": [seconds],
        "peak_bytes": _rss()["VmHWM"],
        "peak_reset": reset,
        "rss_before_compute_bytes": before,
        "input_bytes": input_bytes,
        "digest": _digest(result["grade"].tolist()),
        "sample_scores": picked["score"].tolist(),
        "sample_grades": picked["grade"].tolist(),
        "version": pd.__version__,
    }


def backtest_worker(args: argparse.Namespace) -> dict[str, Any]:
    """`backtest.backtest` over a year of inspections on the same synthetic data."""
    import polars as pl

    from wurao.credit import engine
    from wurao.credit.backtest import backtest, measure

    table = DEFAULT_TABLE
    synthetic = generate(args.enterprises, args.events, args.seed, table)
    rows = inspections(synthetic, _per_day(args), args.seed + 2)
    events, enterprises = polars_frames(synthetic)
    input_bytes = events.estimated_size() + enterprises.estimated_size() + rows.estimated_size()
    del synthetic
    gc.collect()
    days = working_days(AS_OF)
    start, end = days[0], days[-1]
    before, reset = _rss()["VmRSS"], _reset_peak()
    runs, cpu, results = [], [], []
    for _ in range(args.runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        result = backtest(rows, events, enterprises, table, start=start, end=end)
        runs.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
        results.append(result)
    peak = _rss()["VmHWM"]
    # Where the time goes, once each after the timed runs: the engine's join, then the
    # measures (most of them the random orders).
    began = time.perf_counter()
    scored = engine.score_before(events, enterprises, table, rows)
    score_before_s = time.perf_counter() - began
    began = time.perf_counter()
    measure(scored, table_version=table.version, start=start, end=end, draws=0)
    measure_no_draws_s = time.perf_counter() - began
    began = time.perf_counter()
    measure(scored, table_version=table.version, start=start, end=end)
    measure_s = time.perf_counter() - began
    return {
        "seconds": runs,
        "cpu_seconds": cpu,
        "peak_bytes": peak,
        "peak_reset": reset,
        "rss_before_compute_bytes": before,
        "input_bytes": input_bytes,
        "inspections": rows.height,
        "working_days": len(days),
        "per_day": _per_day(args),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "repeatable": all(r == results[0] for r in results),
        "days_earlier_runs": [r.days_earlier for r in results],
        "result": results[0].to_json(),
        "joined_records": int(scored["records"].sum()),
        "score_before_s": score_before_s,
        "measure_s": measure_s,
        "measure_no_draws_s": measure_no_draws_s,
        "threads": pl.thread_pool_size(),
    }


def _per_day(args: argparse.Namespace) -> int:
    if args.inspections_per_day:
        return int(args.inspections_per_day)
    return max(1, round(INSPECTIONS_PER_DAY * args.enterprises / 4_000_000))


def demo_worker(args: argparse.Namespace) -> dict[str, Any]:
    """The demo district built into a scratch database, then regraded through it."""
    from bench.demo_build import _setup_django

    scratch = _setup_django(os.environ.get("DATABASE_URL"))
    from django.core.management import call_command
    from django.db import connection, transaction

    from wurao.credit.models import EnterpriseGrade, GradeChange
    from wurao.credit.selectors_grading import events_frame
    from wurao.credit.services_grading import grades_recompute
    from wurao.demo.credit_build import GRADES_AS_OF
    from wurao.demo.services import demo_build

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    built = demo_build(actor="bench", scale=args.demo_scale, seed=args.demo_seed)
    build_s = time.perf_counter() - start
    runs = []
    for _ in range(args.runs):
        start = time.perf_counter()
        summary = grades_recompute(actor="bench", as_of=GRADES_AS_OF)
        runs.append(time.perf_counter() - start)
    start = time.perf_counter()
    next_day = grades_recompute(actor="bench", as_of=GRADES_AS_OF + timedelta(days=1))
    next_day_s = time.perf_counter() - start
    with transaction.atomic():
        GradeChange.objects.all().delete()
        EnterpriseGrade.objects.all().delete()
    start = time.perf_counter()
    grades_recompute(actor="bench", as_of=GRADES_AS_OF)
    first_s = time.perf_counter() - start
    result = {
        "regrade_s": runs,
        "next_day_s": next_day_s,
        "next_day_changed": next_day["changed"],
        "first_s": first_s,
        "build_s": build_s,
        "enterprises": summary["enterprises"],
        "events": events_frame(as_of=GRADES_AS_OF).height,
        "as_of": summary["as_of"],
        "grades": built.grades["by_grade"],
        "db": connection.vendor,
    }
    if scratch:
        connection.close()
        shutil.rmtree(scratch, ignore_errors=True)
    return result


def _run_worker(kind: str, argv: list[str]) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.grading", "--worker", kind, *argv],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object (the default)")
    parser.add_argument("--enterprises", type=int, default=4_000_000)
    parser.add_argument("--events", type=int, default=50_000_000)
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument(
        "--partitions", type=int, default=None, help="passes over the records (default: auto)"
    )
    parser.add_argument("--no-pandas", action="store_true")
    parser.add_argument("--demo-scale", type=float, default=1.0)
    parser.add_argument("--demo-seed", type=int, default=2022)
    parser.add_argument("--no-demo", action="store_true")
    parser.add_argument(
        "--inspections-per-day",
        type=int,
        default=None,
        help=f"the backtest's inspections a working day (default {INSPECTIONS_PER_DAY:,} "
        "per 4M enterprises)",
    )
    parser.add_argument("--no-backtest", action="store_true")
    parser.add_argument(
        "--worker", choices=["polars", "pandas", "demo", "backtest"], help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.worker == "demo":
        print(json.dumps(demo_worker(args)))
        return 0
    if args.worker == "backtest":
        print(json.dumps(backtest_worker(args)))
        return 0
    if args.worker:
        print(json.dumps(worker(args.worker, args)))
        return 0

    passed = [
        f"--enterprises={args.enterprises}",
        f"--events={args.events}",
        f"--seed={args.seed}",
        f"--runs={args.runs}",
        f"--sample={args.sample}",
        *([f"--partitions={args.partitions}"] if args.partitions else []),
    ]
    load_before = os.getloadavg()[0]
    polars_run = _run_worker("polars", passed)
    pandas_run = None if args.no_pandas else _run_worker("pandas", passed)
    demo_run = (
        None
        if args.no_demo
        else _run_worker(
            "demo",
            [
                f"--runs={args.runs}",
                f"--demo-scale={args.demo_scale}",
                f"--demo-seed={args.demo_seed}",
            ],
        )
    )
    backtest_run = (
        None
        if args.no_backtest
        else _run_worker(
            "backtest",
            [
                *passed,
                *(
                    [f"--inspections-per-day={args.inspections_per_day}"]
                    if args.inspections_per_day
                    else []
                ),
            ],
        )
    )
    result: dict[str, Any] = {
        "regrade_4m_s": round(min(polars_run["seconds"]), 2),
        "regrade_4m_peak_bytes": polars_run["peak_bytes"],
        "pandas_4m_s": round(pandas_run["seconds"][0], 2) if pandas_run else None,
        "demo_regrade_s": round(min(demo_run["regrade_s"]), 2) if demo_run else None,
        "enterprises": args.enterprises,
        "events": args.events,
        "table_version": DEFAULT_TABLE.version,
        "as_of": AS_OF.isoformat(),
        "regrade_4m_runs_s": [round(s, 2) for s in polars_run["seconds"]],
        "input_bytes": polars_run["input_bytes"],
        "rss_before_compute_bytes": polars_run["rss_before_compute_bytes"],
        "peak_reset": polars_run["peak_reset"],
        "grade_counts": polars_run["grade_counts"],
        "breakdown_1_s": round(polars_run["breakdown_1_s"], 3),
        "breakdown_1_rows": polars_run["breakdown_1_rows"],
        "breakdown_sums_match": polars_run["breakdown_sums_match"],
        "polars_threads": polars_run["threads"],
        "polars": polars_run["version"],
    }
    if pandas_run:
        diffs = np.abs(
            np.array(polars_run["sample_scores"]) - np.array(pandas_run["sample_scores"])
        )
        result |= {
            "pandas_peak_bytes": pandas_run["peak_bytes"],
            "pandas_input_bytes": pandas_run["input_bytes"],
            "pandas": pandas_run["version"],
            "speedup": round(min(pandas_run["seconds"]) / min(polars_run["seconds"]), 1),
            "grades_match": polars_run["digest"] == pandas_run["digest"]
            and polars_run["sample_grades"] == pandas_run["sample_grades"],
            "sample_size": len(diffs),
            "sample_max_score_diff": float(diffs.max()) if len(diffs) else 0.0,
        }
    if demo_run:
        result |= {
            "demo_regrade_runs_s": [round(x, 2) for x in demo_run["regrade_s"]],
            "demo_regrade_next_day_s": round(demo_run["next_day_s"], 2),
            "demo_regrade_next_day_changed": demo_run["next_day_changed"],
            "demo_regrade_first_s": round(demo_run["first_s"], 2),
            "demo_build_s": round(demo_run["build_s"], 2),
            "demo_scale": args.demo_scale,
            "demo_enterprises": demo_run["enterprises"],
            "demo_events": demo_run["events"],
            "demo_as_of": demo_run["as_of"],
            "demo_grades": demo_run["grades"],
            "demo_db": demo_run["db"],
        }
    if backtest_run:
        found = backtest_run["result"]
        result |= {
            "backtest_4m_s": round(min(backtest_run["seconds"]), 2),
            "backtest_4m_peak_bytes": backtest_run["peak_bytes"],
            "backtest_inspections": backtest_run["inspections"],
            "backtest_4m_runs_s": [round(x, 2) for x in backtest_run["seconds"]],
            "backtest_4m_runs_cpu_s": [round(x, 2) for x in backtest_run["cpu_seconds"]],
            "backtest_rss_before_compute_bytes": backtest_run["rss_before_compute_bytes"],
            "backtest_input_bytes": backtest_run["input_bytes"],
            "backtest_peak_reset": backtest_run["peak_reset"],
            "backtest_working_days": backtest_run["working_days"],
            "backtest_per_day": backtest_run["per_day"],
            "backtest_start": backtest_run["start"],
            "backtest_end": backtest_run["end"],
            "backtest_joined_records": backtest_run["joined_records"],
            "backtest_score_before_s": round(backtest_run["score_before_s"], 2),
            "backtest_measure_s": round(backtest_run["measure_s"], 2),
            "backtest_measure_no_draws_s": round(backtest_run["measure_no_draws_s"], 2),
            "backtest_repeatable": backtest_run["repeatable"],
            "backtest_days_earlier_runs": backtest_run["days_earlier_runs"],
            "backtest_violations": found["violations"],
            "backtest_serious": found["serious"],
            "backtest_days_earlier": found["days_earlier"],
            "backtest_random_days_earlier_mean": found["random_days_earlier_mean"],
            "backtest_random_days_earlier_sd": found["random_days_earlier_sd"],
            "backtest_lift_sd": found["lift_sd"],
            "backtest_first_half_share": found["first_half_share"],
            "backtest_coverage": found["coverage"],
            "backtest_hit_rate_by_grade": {
                g: hits["rate"] for g, hits in found["hit_rate_by_grade"].items()
            },
        }
    result["load_average_before"] = round(load_before, 2)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
