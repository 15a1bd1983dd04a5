"""Time the verifiable draw engine (spec wurao-draw-v1) at district scale and beyond.

    .venv/bin/python -m bench.draw --json [--candidates 4000000] [--total 100000]
                                          [--selected 20000] [--inspectors 2000] [--workers N]

Synthetic data, no database: unique 18-character codes over the GB 32100 alphabet in five
strata (A B C D U), quotas from a total by the spec's weights; then 20,000 selected
enterprises, 2,000 inspectors, teams of 2, 5% of the enterprises with 1–3 excluded
inspectors. Prints ONE JSON object:

- select_4m_s: `engine.select` (AES-CTR keys for every candidate, per-stratum selection by
  (key, credit_code), result digest) on candidates already in canonical order; best of 3;
- baseline_choice_4m_s: `numpy.random.Generator.choice` without replacement per stratum,
  same strata and quotas (not verifiable; the floor for comparison); best of 3;
- ratio_to_baseline: select_4m_s / baseline_choice_4m_s;
- candidates_sorted_4m_s / candidates_unsorted_4m_s: building `Candidates` (validation,
  and the byte sort for unsorted input);
- teams_20k_s: `assign_teams` with the team keys computed in `--workers` threads (default:
  all cores; worker processes instead only if the team-key extension is not built), and
  teams_20k_one_thread_s on one thread;
- demo_task_s: a full draw task through the Django services on the demo district at
  `--demo-scale` (default 1: 433,407 entities), built first into a fresh SQLite file:
  create → commit → draw over the whole district, total `--demo-total` (2,000), one
  department (`--demo-department`, default 市市场监督管理局龙华监管局) with its roster,
  teams of 2; best of 3 runs, each a new task. demo_task_breakdown_s says where that
  run's time went (candidate query, snapshot packing and unpacking, rosters and
  exclusions, selection, teams, inserts, audit events, the rest). `--demo-scale 0` skips
  it (null).
"""

import argparse
import datetime
import json
import os
import shutil
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import numpy as np

from wurao.sampling.allocation import StratumSpec, allocate
from wurao.sampling.engine import Candidates, draw_seed, select
from wurao.sampling.teams import assign_teams

USCC_ALPHABET = np.frombuffer(b"0123456789ABCDEFGHJKLMNPQRTUWXY", dtype=np.uint8)
# Registration authority and type, then the administrative division (Shenzhen districts).
PREFIXES = [b"91440300", b"91440309", b"92440300", b"92440309", b"52440309", b"12440309"]
STRATA = [
    ("A", "0.5", 0.30),
    ("B", "1", 0.40),
    ("C", "2", 0.15),
    ("D", "4", 0.05),
    ("U", "1", 0.10),
]


def synthetic_codes(rng: np.random.Generator, n: int) -> np.ndarray:
    """n unique codes, sorted (the check character is not computed: the draw ignores it)."""
    codes = np.empty(0, dtype="S18")
    while len(codes) < n:
        m = n - len(codes) + n // 100 + 10
        rows = np.empty((m, 18), dtype=np.uint8)
        prefixes = np.frombuffer(b"".join(PREFIXES), dtype=np.uint8).reshape(-1, 8)
        rows[:, :8] = prefixes[rng.integers(0, len(PREFIXES), m)]
        rows[:, 8:] = USCC_ALPHABET[rng.integers(0, len(USCC_ALPHABET), (m, 10))]
        codes = np.unique(np.concatenate([codes, rows.view("S18").ravel()]))
    return np.sort(rng.choice(codes, n, replace=False))


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


class Phases:
    """Seconds spent inside named functions while a task runs, by wrapping them in place."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    @contextmanager
    def timing(self, targets: list[tuple[object, str, str]]) -> Iterator[None]:
        originals = [(owner, name, getattr(owner, name)) for owner, name, _ in targets]
        for (owner, name, phase), (_, _, original) in zip(targets, originals, strict=True):
            setattr(owner, name, self._timed(original, phase))
        try:
            yield
        finally:
            for owner, name, original in originals:
                setattr(owner, name, original)

    def _timed(self, original: Callable[..., Any], phase: str) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[phase] += time.perf_counter() - start

        return timed


def demo_task(scale: float, seed: int, total: int, department_code: str) -> dict[str, Any]:
    """Build the demo district into a fresh SQLite file, then time draw tasks through the
    services on it (see the module docstring)."""
    from bench.demo_build import _setup_django

    scratch = _setup_django(None)  # always SQLite: the target is stated for it
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import QuerySet

    from wurao.catalogue.models import InspectionItem
    from wurao.demo.services import demo_build
    from wurao.registry.models import Department
    from wurao.sampling import engine, services
    from wurao.sampling.choices import SizeMode

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    built = demo_build(actor="bench", scale=scale, seed=seed)
    build_s = time.perf_counter() - start
    department = Department.objects.get(code=department_code)
    items = list(InspectionItem.objects.filter(department=department).order_by("code")[:2])
    # Nested phases (the digest inside selection, the audit inside a service) count once,
    # in the innermost: each wrapper adds its own time, so list only disjoint functions.
    targets = [
        (services, "_candidates_for", "candidate_query"),
        (services, "_roster_for", "rosters_exclusions"),
        (services, "_exclusions_for", "rosters_exclusions"),
        (services, "_snapshot_pack", "snapshot_pack"),
        (services, "_snapshot_unpack", "snapshot_unpack"),
        (engine, "select", "selection"),
        (services, "assign_teams", "teams"),
        (QuerySet, "bulk_create", "inserts"),
        (services, "audit_record", "audit"),
    ]
    runs = []
    for run in range(3):
        phases = Phases()
        with phases.timing(targets):
            started = time.perf_counter()
            task = services.draw_task_create(
                actor="bench",
                title=f"全区双随机抽查（基准 {run + 1}）",
                lead_department=department,
                participants=[services.ParticipantSpec(department=department, items=items)],
                scope={},
                size_mode=SizeMode.TOTAL,
                size_value=Decimal(total),
                window_start=datetime.date(2026, 12, 1),
                window_end=datetime.date(2026, 12, 31),
            )
            created = time.perf_counter()
            task = services.draw_task_commit(actor="bench", task=task)
            committed = time.perf_counter()
            task = services.draw_task_draw(
                actor="bench", task=task, external_entropy=f"bench {run}", observer="bench"
            )
            drawn = time.perf_counter()
        seconds = drawn - started
        breakdown = {name: round(phases.seconds[name], 3) for name, _ in _PHASE_ORDER}
        breakdown["other"] = round(seconds - sum(phases.seconds.values()), 3)
        runs.append(
            {
                "seconds": seconds,
                "steps": {
                    "create": round(created - started, 3),
                    "commit": round(committed - created, 3),
                    "draw": round(drawn - committed, 3),
                },
                "breakdown": breakdown,
                "selected": task.selections.count(),
                "candidates": task.candidate_count,
                "roster": len(task.participants.get().roster),
            }
        )
    best = min(runs, key=lambda r: r["seconds"])
    result = {
        "demo_scale": scale,
        "demo_build_s": round(build_s, 2),
        "demo_entities": built.counts["entities"],
        "demo_task_s": round(best["seconds"], 2),
        "demo_task_runs_s": [round(r["seconds"], 2) for r in runs],
        "demo_task_steps_s": best["steps"],
        "demo_task_breakdown_s": best["breakdown"],
        "demo_task_candidates": best["candidates"],
        "demo_task_selected": best["selected"],
        "demo_task_department": department_code,
        "demo_task_roster": best["roster"],
    }
    connection.close()
    if scratch:
        shutil.rmtree(scratch, ignore_errors=True)
    return result


_PHASE_ORDER = [
    ("candidate_query", "the scope's enterprises read in credit-code order, as Candidates"),
    ("snapshot_pack", "gzip of the candidate lines stored at commit"),
    ("rosters_exclusions", "rosters, declared conflicts and last inspections' officers"),
    ("snapshot_unpack", "the frozen snapshot read back at the draw"),
    ("selection", "AES-CTR keys, per-stratum selection, result digest"),
    ("teams", "spec §6 team assignment"),
    ("inserts", "bulk inserts of selections and team members"),
    ("audit", "audit events (create, commit, draw)"),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--candidates", type=int, default=4_000_000)
    parser.add_argument("--total", type=int, default=100_000)
    parser.add_argument("--selected", type=int, default=20_000)
    parser.add_argument("--inspectors", type=int, default=2_000)
    parser.add_argument("--team-size", type=int, default=2)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument(
        "--demo-scale", type=float, default=1.0, help="demo district scale; 0 skips demo_task_s"
    )
    parser.add_argument("--demo-total", type=int, default=2_000)
    parser.add_argument("--demo-department", default="SZ-SCJG")
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object (the default output too)"
    )
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    load_before = os.getloadavg()[0]

    codes = synthetic_codes(rng, args.candidates)
    shares = np.array([share for _, _, share in STRATA])
    strata = rng.choice(len(STRATA), size=args.candidates, p=shares / shares.sum())
    labels = [label for label, _, _ in STRATA]

    start = time.perf_counter()
    candidates = Candidates.from_arrays(codes, strata, labels)
    candidates_sorted_s = time.perf_counter() - start
    shuffle = rng.permutation(args.candidates)
    start = time.perf_counter()
    Candidates.from_arrays(codes[shuffle], strata[shuffle], labels)
    candidates_unsorted_s = time.perf_counter() - start

    sizes = candidates.sizes
    quotas = allocate([StratumSpec(label, sizes[label], w) for label, w, _ in STRATA], args.total)
    seed = draw_seed("BENCH-1", bytes(range(32)), "bench")
    selection = select(candidates, quotas, seed)
    assert len(selection.indices) == args.total
    select_s = best_of(3, lambda: select(candidates, quotas, seed))

    choice_rng = np.random.default_rng(args.seed + 1)

    def baseline() -> list[np.ndarray]:
        return [
            choice_rng.choice(np.flatnonzero(candidates.strata == s), quotas[label], replace=False)
            for s, label in enumerate(candidates.labels)
        ]

    baseline_s = best_of(3, baseline)

    picked = np.sort(rng.choice(args.candidates, args.selected, replace=False))
    selected_codes = [code.decode() for code in codes[picked].tolist()]
    roster = [f"440309{i:05d}" for i in range(args.inspectors)]
    exclusions = {
        code: set(rng.choice(roster, int(rng.integers(1, 4)), replace=False).tolist())
        for code in selected_codes
        if rng.random() < 0.05
    }
    start = time.perf_counter()
    teams = assign_teams(
        selected_codes, roster, args.team_size, exclusions, seed, workers=args.workers
    )
    teams_s = time.perf_counter() - start
    start = time.perf_counter()
    teams_one = assign_teams(selected_codes, roster, args.team_size, exclusions, seed)
    teams_one_s = time.perf_counter() - start
    assert teams == teams_one

    result = {
        "candidates": args.candidates,
        "total": args.total,
        "quotas": quotas,
        "select_4m_s": round(select_s, 3),
        "baseline_choice_4m_s": round(baseline_s, 4),
        "ratio_to_baseline": round(select_s / baseline_s, 1),
        "candidates_sorted_4m_s": round(candidates_sorted_s, 3),
        "candidates_unsorted_4m_s": round(candidates_unsorted_s, 3),
        "selected": args.selected,
        "inspectors": args.inspectors,
        "team_size": args.team_size,
        "teams_workers": args.workers,
        "teams_20k_s": round(teams_s, 2),
        "teams_20k_one_thread_s": round(teams_one_s, 2),
        "demo_task_s": None,
        "cpu_count": os.cpu_count(),
        "load_average_before": round(load_before, 2),
    }
    if args.demo_scale > 0:
        result |= demo_task(args.demo_scale, args.seed, args.demo_total, args.demo_department)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
