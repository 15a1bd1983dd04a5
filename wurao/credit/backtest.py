"""Does the points table point at risk? A backtest on a period of the district's own
inspections, measured the way published inspection-forecasting pilots measure a model. Pure:
no Django import (the frames come from `selectors_backtest`).

The measure
-----------
Each inspection of the period is scored with the records known the day before it
(`engine.score_before`: records dated strictly before the inspection's day, so its own result
never scores it). The period's inspections are then put in the table's order, riskiest first
(lowest score; ties keep the order in which they happened), and given the period's actual
inspection dates in that order: the k-th riskiest inspection takes the k-th earliest date.
The same dates, the same number of inspections a day — only who comes when changes.

- ``days_earlier``: for the inspections that found a violation, the mean of (actual date −
  date in the table's order), in days; positive means the table would have found them
  earlier. ``days_earlier_serious`` the same for the serious ones.
- ``first_half_share``: the share of the violations that fall in the first half of the
  period in the table's order (``first_half_share_actual``: as it happened). The first half is
  the first ``days / 2`` days of the period.
- The random baseline: the same measures for ``draws`` random orders (seeded): their mean
  and standard deviation, the spread a table's figure must clear to mean anything. The mean
  is not 0 when the violations were not spread evenly over the period: it is the violations'
  mean actual date minus all inspections' mean date (found late in the year, they "move
  earlier" by luck alone).
- ``hit_rate_by_grade``: per grade the inspections, the violations and their share;
  ``coverage``: the share of inspected enterprises with at least one dated record that
  counted at one of their inspections (a table cannot rank what it has no records on).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import numpy as np
import polars as pl

from wurao.credit import engine
from wurao.credit.points import Grade, PointsTable

# Random orders drawn for the baseline (its mean and spread).
RANDOM_DRAWS = 200
INSPECTION_SCHEMA: dict[str, Any] = {
    "enterprise_id": pl.Int64,
    "date": pl.Date,
    "violation": pl.Boolean,
    "serious": pl.Boolean,
}


@dataclass(frozen=True)
class GradeHits:
    inspections: int
    violations: int
    rate: float | None


@dataclass(frozen=True)
class Backtest:
    start: date
    end: date
    table_version: int
    inspections: int
    violations: int
    serious: int
    days_earlier: float | None
    days_earlier_serious: float | None
    first_half_share: float | None
    first_half_share_actual: float | None
    first_half_share_serious: float | None
    random_days_earlier_mean: float | None
    random_days_earlier_sd: float | None
    random_first_half_share_mean: float | None
    random_first_half_share_sd: float | None
    coverage: float | None
    hit_rate_by_grade: dict[str, GradeHits] = field(default_factory=dict)

    @property
    def lift_sd(self) -> float | None:
        """How many random standard deviations the table's days_earlier lies above the
        random mean (None when there is nothing to compare)."""
        if self.days_earlier is None or not self.random_days_earlier_sd:
            return None
        mean = self.random_days_earlier_mean or 0.0
        return (self.days_earlier - mean) / self.random_days_earlier_sd

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["start"], out["end"] = self.start.isoformat(), self.end.isoformat()
        out["lift_sd"] = self.lift_sd
        return out


class BacktestInputError(ValueError):
    def __init__(self, message_zh: str, message_en: str) -> None:
        super().__init__(f"{message_zh} / {message_en}")
        self.message_zh = message_zh
        self.message_en = message_en


def _mean(values: np.ndarray) -> float | None:
    return float(values.mean()) if len(values) else None


def backtest(
    inspections: pl.DataFrame,
    events: engine.Frame,
    enterprises: engine.Frame,
    table: PointsTable,
    *,
    start: date,
    end: date,
    draws: int = RANDOM_DRAWS,
    seed: int = 0,
) -> Backtest:
    """The backtest of `table` on the `inspections` dated from `start` to `end` (inclusive;
    columns of `INSPECTION_SCHEMA`, others ignored, rows outside the period dropped)."""
    if end < start:
        raise BacktestInputError(
            f"结束日期 {end} 早于开始日期 {start}", f"end {end} is before start {start}"
        )
    rows = (
        inspections.lazy()
        .select(list(INSPECTION_SCHEMA))
        .filter(pl.col("date").is_between(start, end))
        .with_columns(pl.col("violation", "serious").fill_null(False))
        .collect()
    )
    scored = engine.score_before(events, enterprises, table, rows)
    return measure(
        scored, table_version=table.version, start=start, end=end, draws=draws, seed=seed
    )


def measure(
    scored: pl.DataFrame,
    *,
    table_version: int,
    start: date,
    end: date,
    draws: int = RANDOM_DRAWS,
    seed: int = 0,
) -> Backtest:
    """The measures of scored inspections (`backtest`'s rows with score, grade, records)."""
    # The actual order: by date, then as given. The table's: riskiest first, ties as actual.
    actual = scored.with_row_index("_i").sort("date", "_i")
    n = actual.height
    day0 = (start - date(1970, 1, 1)).days
    dates = actual["date"].cast(pl.Int32).to_numpy().astype(np.int64) - day0  # sorted
    violation = actual["violation"].to_numpy()
    serious = actual["serious"].to_numpy() & violation
    half = ((end - start).days + 1) / 2
    # Scores are compared to 1e-9, as grades are (engine.GRADE_TOLERANCE): sums of the same
    # records in another order differ by ~1e-14 and must not reorder a tie.
    position = actual["score"].round(9).rank("ordinal").to_numpy().astype(np.int64) - 1
    ordered = dates[position]  # the k-th riskiest takes the k-th earliest date

    def earlier(mask: np.ndarray, assigned: np.ndarray) -> float | None:
        return _mean((dates - assigned)[mask])

    def first_half(mask: np.ndarray, assigned: np.ndarray) -> float | None:
        return _mean((assigned[mask] < half).astype(float))

    # A random order gives the violations a random set of the period's positions: draw just
    # those (the other inspections' places do not move any measure).
    rng = np.random.default_rng(seed)
    found = int(violation.sum())
    random_earlier, random_half = [], []
    mean_found = dates[violation].mean() if found else 0.0
    for _ in range(draws if found else 0):
        assigned = dates[rng.choice(n, found, replace=False)]
        random_earlier.append(float(mean_found - assigned.mean()))
        random_half.append(float((assigned < half).mean()))
    hits = (
        actual.group_by("grade")
        .agg(pl.len().alias("n"), pl.col("violation").sum().alias("v"))
        .rows_by_key("grade", unique=True)
    )
    by_grade = {
        g.value: GradeHits(n_g, v_g, v_g / n_g if n_g else None)
        for g in Grade
        for n_g, v_g in [hits.get(g.value, (0, 0))]
    }
    covered = actual.group_by("enterprise_id").agg((pl.col("records") > 0).any())["records"]
    return Backtest(
        start=start,
        end=end,
        table_version=table_version,
        inspections=n,
        violations=int(violation.sum()),
        serious=int(serious.sum()),
        days_earlier=earlier(violation, ordered),
        days_earlier_serious=earlier(serious, ordered),
        first_half_share=first_half(violation, ordered),
        first_half_share_actual=first_half(violation, dates),
        first_half_share_serious=first_half(serious, ordered),
        random_days_earlier_mean=_mean(np.array(random_earlier)),
        random_days_earlier_sd=_sd(random_earlier),
        random_first_half_share_mean=_mean(np.array(random_half)),
        random_first_half_share_sd=_sd(random_half),
        coverage=float(covered.mean()) if len(covered) else None,
        hit_rate_by_grade=by_grade,
    )


def _sd(values: list[float | None]) -> float | None:
    clean = [v for v in values if v is not None and math.isfinite(v)]
    return float(np.std(clean, ddof=1)) if len(clean) > 1 else None
