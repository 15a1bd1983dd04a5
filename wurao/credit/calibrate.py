"""Proposing point values for a points table from a training period of the district's own
inspections. Pure: no Django import; `services_calibration` stores the proposal as a draft that a
person may adopt through the table-version workflow — nothing here changes a grade.

The fit
-------
Each training inspection is one example: did it find a violation? Its features are, for each
kind of record the table scores, the enterprise's records of that kind known the day before
(dated strictly before the inspection, as in the backtest), each counted ×severity where the
rule is per severity, weighted by a decay and within a window; and the enterprise's inherent
risk (its tags and industry) in the table's points. A logistic regression is fitted by
L-BFGS-B with bounds that keep each kind's sign (a risk can only raise the odds of a finding, a
credit only lower them, more inherent-risk points only lower them), penalised (L2, `L2` per
example, fixed rather than tuned) toward the table's own points read on the same scale:
where the training data say little, the proposal stays near the table rather than near zero.

Windows and decays are chosen on the training data only: for each kind in turn, every
candidate (`WINDOWS` × `DECAYS`, and the table's own) is tried with the others fixed, and the
one with the lowest penalised training loss is kept. Kinds with fewer than
`MIN_RECORDS_FOR_SHAPE` records keep their window and decay, and kinds with none keep their
rule as it is: no evidence either way.

Coefficients become points on the scale "`POINTS_TO_DOUBLE` points double the odds" (a
scorecard's points-to-double-odds): a kind's points per record are −β × 10 / ln 2, rounded to
half points; tags and industries keep their relative weights, scaled by the one fitted factor
of inherent risk. Base, thresholds, caps and the grades' effects stay as in the table.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import polars as pl
from scipy.optimize import minimize

from wurao.credit import engine
from wurao.credit.engine_inputs import kind_index, prepared_events, refuse_bad_records
from wurao.credit.points import Decay, IndicatorRule, PointsTable

WINDOWS = (180, 365, 730, 1095)
DECAYS = (Decay.NONE, Decay.LINEAR, Decay.EXPONENTIAL)
HALF_LIFE_SHARE = 0.25  # an exponential candidate's half-life: a quarter of its window
POINTS_TO_DOUBLE = 10.0
# Per example, on each coefficient's distance from the table's own, in its unit (log-odds per
# record; per inherent-risk point): a rare kind's points do not drift far on a few records.
L2 = 3e-3
MIN_RECORDS_FOR_SHAPE = 30  # fewer records of a kind: its window and decay stay the table's


@dataclass(frozen=True)
class Shape:
    window_days: int
    decay: Decay
    half_life_days: float | None = None


@dataclass(frozen=True)
class KindFit:
    code: str
    records: int  # training records of the kind that counted at an inspection
    shape: Shape
    coefficient: float  # log-odds per record (× severity), at full decay
    points_before: float
    points_after: float


@dataclass(frozen=True)
class Calibration:
    table: PointsTable
    inspections: int
    violations: int
    log_loss: float  # mean training log-loss of the fitted model
    log_loss_null: float  # of the violation rate alone
    inherent_factor: float
    kinds: tuple[KindFit, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "inspections": self.inspections,
            "violations": self.violations,
            "log_loss": self.log_loss,
            "log_loss_null": self.log_loss_null,
            "inherent_factor": self.inherent_factor,
            "kinds": [
                {
                    "code": k.code,
                    "records": k.records,
                    "window_days": k.shape.window_days,
                    "decay": str(k.shape.decay),
                    "half_life_days": k.shape.half_life_days,
                    "coefficient": k.coefficient,
                    "points_before": k.points_before,
                    "points_after": k.points_after,
                }
                for k in self.kinds
            ],
        }


class CalibrationError(ValueError):
    def __init__(self, message_zh: str, message_en: str) -> None:
        super().__init__(f"{message_zh} / {message_en}")
        self.message_zh = message_zh
        self.message_en = message_en


def _shapes(rule: IndicatorRule) -> list[Shape]:
    own = Shape(rule.window_days, rule.decay, rule.half_life_days)
    shapes = [own]
    for window in WINDOWS:
        for decay in DECAYS:
            half = window * HALF_LIFE_SHARE if decay == Decay.EXPONENTIAL else None
            if (shape := Shape(window, decay, half)) != own:
                shapes.append(shape)
    return shapes


def _factor(shape: Shape, age: pl.Expr) -> pl.Expr:
    inside = (age < shape.window_days).cast(pl.Float64)
    if shape.decay == Decay.LINEAR:
        return inside * (1.0 - age / shape.window_days)
    if shape.decay == Decay.EXPONENTIAL:
        return inside * pl.lit(0.5).pow(age / (shape.half_life_days or math.inf))
    return inside


def _features(
    inspections: pl.DataFrame, events: engine.Frame, table: PointsTable
) -> tuple[pl.DataFrame, dict[str, list[Shape]], dict[str, int]]:
    """One row per inspection (`_q`), a column `<code>|<n>` per kind and candidate shape."""
    ev, schema = prepared_events(events, record_id=False)
    refuse_bad_records(ev, schema, table, None)
    longest = max([*WINDOWS, *(r.window_days for r in table.rules)])
    codes = table.codes
    keys = inspections.lazy().select(
        "_q", "enterprise_id", (pl.col("date").cast(pl.Int32) - 1).alias("_as_of")
    )
    severity = (
        pl.col("severity").cast(pl.Float64).fill_null(1.0) if "severity" in schema else pl.lit(1.0)
    )
    joined = (
        ev.with_columns(
            pl.col("enterprise_id").cast(pl.Int64),
            kind_index(schema["indicator"], codes).alias("_k"),
            severity.alias("_sev"),
        )
        .join(keys, on="enterprise_id")
        .with_columns((pl.col("_as_of") - pl.col("date").cast(pl.Int32)).alias("_age"))
        .filter(pl.col("_age").is_between(0, longest - 1))
    )
    shapes = {str(r.indicator): _shapes(r) for r in table.rules}
    sums, counts = [], []
    age = pl.col("_age")
    for rule in table.rules:
        code = str(rule.indicator)
        mine = pl.col("_k") == codes.index(code)
        unit = pl.when(mine).then(pl.col("_sev") if rule.per_severity else 1.0).otherwise(0.0)
        for n, shape in enumerate(shapes[code]):
            sums.append((unit * _factor(shape, age)).sum().alias(f"{code}|{n}"))
        counts.append((mine & (age < rule.window_days)).sum().alias(f"{code}|count"))
    per_query = joined.group_by("_q").agg(*sums, *counts).collect(engine="streaming")
    frame = (
        inspections.select("_q")
        .join(per_query, on="_q", how="left", maintain_order="left")
        .fill_null(0)
    )
    records = {str(r.indicator): int(frame[f"{r.indicator}|count"].sum()) for r in table.rules}
    return frame, shapes, records


def _fit(
    x: np.ndarray,
    y: np.ndarray,
    bounds: list[tuple[float | None, float | None]],
    prior: np.ndarray,
):
    """Logistic regression penalised toward `prior` (the table's own coefficients): (the
    coefficients with the intercept first, the mean penalised loss)."""
    n, k = x.shape
    design = np.hstack([np.ones((n, 1)), x])
    penalty = np.r_[0.0, np.full(k, L2)]
    centre = np.r_[0.0, prior]

    def loss(beta: np.ndarray) -> tuple[float, np.ndarray]:
        z = design @ beta
        # log(1 + e^z) − y z, written to stay finite for large |z|
        value = np.logaddexp(0.0, z) - y * z
        p = 1.0 / (1.0 + np.exp(-z))
        away = beta - centre
        grad = design.T @ (p - y) / n + penalty * away
        return float(value.mean() + 0.5 * (penalty * away * away).sum()), grad

    rate = min(max(y.mean(), 1e-6), 1 - 1e-6)
    start = np.r_[math.log(rate / (1 - rate)), prior]
    result = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=[(None, None), *bounds])
    return result.x, float(result.fun)


_SUFFIX = "（校准建议"  # what a proposal adds to its table's name (once, however often)


def _half_points(value: float) -> float:
    return round(value * 2) / 2 + 0.0  # + 0.0: no −0.0 in the table


def calibrate(
    inspections: pl.DataFrame,
    events: engine.Frame,
    enterprises: engine.Frame,
    table: PointsTable,
    *,
    start: date,
    end: date,
    version: int,
    effective_from: date,
) -> Calibration:
    """A proposed table from the inspections dated `start` to `end` (`backtest`'s columns):
    `table` with fitted points, windows and decays, numbered `version`."""
    rows = (
        inspections.lazy()
        .filter(pl.col("date").is_between(start, end))
        .select("enterprise_id", "date", pl.col("violation").fill_null(False))
        .with_row_index("_q")
        .collect()
    )
    y = rows["violation"].cast(pl.Float64).to_numpy()
    if rows.height < 20 or y.sum() == 0 or y.sum() == len(y):
        raise CalibrationError(
            f"训练期内只有 {rows.height} 次检查、{int(y.sum())} 次发现违法，"
            "须至少 20 次检查，且既有发现违法的也有未发现的",
            f"the training period has {rows.height} inspections and {int(y.sum())} with a"
            " violation: at least 20 are needed, with and without violations",
        )
    frame, shapes, records = _features(rows, events, table)
    empty = pl.DataFrame(schema=engine.EVENT_SCHEMA)
    inherent = (
        engine.score_before(empty, enterprises, table, rows.select("enterprise_id", "date"))[
            "score"
        ].to_numpy()
        - table.base
    )
    rules = list(table.rules)
    codes = [str(r.indicator) for r in rules]
    signs = [table.info(c).direction for c in codes]  # type: ignore[union-attr]
    # β ≥ 0 for a risk (more records, higher odds), ≤ 0 for a credit and for inherent points.
    bounds = [(0.0, None) if s < 0 else (None, 0.0) for s in signs] + [(None, 0.0)]

    per_point = POINTS_TO_DOUBLE / math.log(2)
    # The table's own points as coefficients (per record; inherent risk at its factor 1).
    table_beta = np.array([-r.points / per_point for r in rules] + [-1 / per_point])

    def design(choice: list[int]) -> np.ndarray:
        cols = [frame[f"{c}|{n}"].to_numpy() for c, n in zip(codes, choice, strict=True)]
        return np.column_stack([*cols, inherent]) if cols else inherent[:, None]

    def fit(choice: list[int]) -> tuple[np.ndarray, float]:
        return _fit(design(choice), y, bounds, table_beta)

    choice = [0] * len(codes)  # the table's own shape first
    for j, code in enumerate(codes):
        if records[code] < MIN_RECORDS_FOR_SHAPE:
            continue
        losses = [fit([*choice[:j], n, *choice[j + 1 :]])[1] for n in range(len(shapes[code]))]
        choice[j] = int(np.argmin(losses))
    beta, _ = fit(choice)
    x = design(choice)
    coef = beta[1:]
    p = 1.0 / (1.0 + np.exp(-(np.hstack([np.ones((len(y), 1)), x]) @ beta)))
    eps = 1e-12
    log_loss = float(-(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)).mean())
    rate = y.mean()
    null = float(-(rate * math.log(rate) + (1 - rate) * math.log(1 - rate)))
    new_rules, fits = [], []
    for rule, code, n, b in zip(rules, codes, choice, coef[:-1], strict=True):
        shape = shapes[code][n]
        if records[code] == 0:  # no evidence either way: the table's rule stands
            new_rules.append(rule)
            fits.append(KindFit(code, 0, shape, 0.0, rule.points, rule.points))
            continue
        points = _half_points(-b * per_point)
        new_rules.append(
            dataclasses.replace(
                rule,
                points=points,
                window_days=shape.window_days,
                decay=shape.decay,
                half_life_days=shape.half_life_days,
            )
        )
        fits.append(KindFit(code, records[code], shape, float(b), rule.points, points))
    factor = float(-coef[-1] * per_point) + 0.0
    proposed = dataclasses.replace(
        table,
        version=version,
        effective_from=effective_from,
        name=f"{table.name.split(_SUFFIX)[0]}{_SUFFIX}，训练期 {start} 至 {end}）",
        rules=tuple(new_rules),
        tags=tuple(
            dataclasses.replace(t, points=_half_points(t.points * factor)) for t in table.tags
        ),
        industries=tuple(
            dataclasses.replace(i, points=_half_points(i.points * factor)) for i in table.industries
        ),
    )
    return Calibration(
        table=proposed,
        inspections=rows.height,
        violations=int(y.sum()),
        log_loss=log_loss,
        log_loss_null=null,
        inherent_factor=factor,
        kinds=tuple(fits),
    )
