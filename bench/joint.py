"""Schedule a generated month of planned inspections into joint visits (`wurao.planning.scheduler`).

    .venv/bin/python -m bench.joint --json [--enterprises 4000] [--inspections 9000]
                                           [--departments 12] [--days 22] [--time-limit 60]
                                           [--workers 2] [--seed 1]

Synthetic, no database. A month of 22 working days; 4,000 enterprises and about 9,000 planned
inspections from 12 departments: every enterprise is planned by at least one department and a
skewed few by many (as key enterprises are); no department plans the same enterprise twice.
Windows are 5–20 working days anywhere in the month; an inspection takes 1–4 hours (2 most
often). Each department has teams × 6 hours a day, its team count set so that its month's
demand uses about 70% of its capacity (tighter days come from the windows). Enterprises limit
departments per visit by size class (micro 2, small 2, medium 3, large 5; 60/25/10/5%); 5% have
two blackout days and 2% offered their own days (one inside each planned window).

Prints ONE JSON object: planned, separate_visits (no merging: one visit per inspection),
lower_bound (per-enterprise interval stabbing, capacities ignored), greedy_visits, greedy_s,
solver_visits and solver_s (CP-SAT with the greedy hint, model building included, limit
`--time-limit` on `--workers` workers), gap_to_lower_bound ((solver − bound) / bound), plus
unplaced, department_days and the solver status.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time

from wurao.planning.scheduler import Problem, Task, greedy, lower_bound, solve, violations

SIZE_LIMITS = ((2, 0.60), (2, 0.25), (3, 0.10), (5, 0.05))  # micro, small, medium, large
HOURS = (1.0, 2.0, 2.0, 2.0, 3.0, 4.0)


def generate(
    *, enterprises: int, inspections: int, departments: int, days: int, seed: int
) -> Problem:
    rng = random.Random(seed)
    planned = [1] * enterprises
    # The rest go to enterprises by a heavy-tailed weight: a few are planned by many departments.
    weights = [rng.paretovariate(1.3) for _ in range(enterprises)]
    extra = inspections - enterprises
    for e in rng.choices(range(enterprises), weights=weights, k=extra * 2):
        if extra == 0:
            break
        if planned[e] < departments:
            planned[e] += 1
            extra -= 1
    tasks = []
    for e in range(enterprises):
        for department in rng.sample(range(departments), planned[e]):
            width = rng.randint(5, min(20, days))
            start = rng.randint(0, days - width)
            tasks.append(
                Task(len(tasks), e, department, start, start + width - 1, rng.choice(HOURS))
            )
    demand = [0.0] * departments
    for t in tasks:
        demand[t.department] += t.hours
    capacity = {d: max(1, round(demand[d] / days / 0.70 / 6)) * 6.0 for d in range(departments)}
    limits = [n for n, share in SIZE_LIMITS for _ in range(round(share * 100))]
    limit = {e: rng.choice(limits) for e in range(enterprises)}
    blackout, requested = {}, {}
    windows: dict[int, list[Task]] = {}
    for t in tasks:
        windows.setdefault(t.enterprise, []).append(t)
    for e in range(enterprises):
        r = rng.random()
        if r < 0.05:
            blackout[e] = frozenset(rng.sample(range(days), 2))
        elif r < 0.07:
            # The enterprise offers a day inside each planned window (two-way booking).
            requested[e] = frozenset(rng.randint(t.earliest, t.latest) for t in windows[e])
    return Problem(
        tasks=tasks,
        days=days,
        capacity=capacity,
        limit=limit,
        blackout=blackout,
        requested=requested,
    )


def run(args: argparse.Namespace) -> dict:
    problem = generate(
        enterprises=args.enterprises,
        inspections=args.inspections,
        departments=args.departments,
        days=args.days,
        seed=args.seed,
    )
    bound = lower_bound(problem)
    started = time.perf_counter()
    first = greedy(problem)
    greedy_s = time.perf_counter() - started
    started = time.perf_counter()
    best = solve(problem, time_limit=args.time_limit, workers=args.workers, seed=args.seed)
    solver_s = time.perf_counter() - started
    broken = violations(problem, best) + violations(problem, first)
    if broken:
        raise SystemExit(f"schedule breaks constraints: {broken[:5]}")
    solver_visits = best.visit_count(problem)
    return {
        "planned": len(problem.tasks),
        "enterprises": args.enterprises,
        "departments": args.departments,
        "working_days": args.days,
        "separate_visits": len(problem.tasks),
        "lower_bound": bound,
        "greedy_visits": first.visit_count(problem),
        "greedy_unplaced": len(first.unplaced),
        "greedy_s": round(greedy_s, 3),
        "solver_visits": solver_visits,
        "solver_unplaced": len(best.unplaced),
        "solver_department_days": best.department_days(problem),
        "solver_status": best.status,
        "solver_s": round(solver_s, 2),
        "time_limit_s": args.time_limit,
        "workers": args.workers,
        "gap_to_lower_bound": round((solver_visits - bound) / bound, 4),
        "cpu_count": os.cpu_count(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--enterprises", type=int, default=4000)
    parser.add_argument("--inspections", type=int, default=9000)
    parser.add_argument("--departments", type=int, default=12)
    parser.add_argument("--days", type=int, default=22)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    figures = run(args)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
        return
    for key, value in figures.items():
        print(f"{key:>24}: {value}")


if __name__ == "__main__":
    sys.exit(main())
