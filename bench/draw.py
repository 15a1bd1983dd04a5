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
- teams_20k_s: `assign_teams` with `--workers` processes (default: all cores), and
  teams_20k_one_process_s with one;
- demo_task_s: a draw task through the Django services on the demo district (null until
  that part exists).
"""

import argparse
import json
import os
import time
from collections.abc import Callable

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
        "teams_20k_one_process_s": round(teams_one_s, 2),
        "demo_task_s": None,
        "cpu_count": os.cpu_count(),
        "load_average_before": round(load_before, 2),
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
