"""The credit scoring engine (信用分级分类): score, grade and the reasons behind them, for
every enterprise at once, with Polars lazy frames. Pure: no Django import.

The model
---------
An enterprise's score starts from the table's ``base`` (100 in the default table; higher is
better) and adds the points of its records:

- **Dated records** (``events``), one row each: penalties, coercive measures, inspections
  with and without problems, open hazards, overdue rectifications, substantiated
  complaints, broken and kept credit commitments, monitoring alerts, awards, completed
  repair (``points.Indicator``), and any kind the table declares (``points.RecordKind``).
  A record's points are the rule's ``points`` (× the record's ``severity`` when the rule is
  ``per_severity``; a missing severity counts 1), times its decay, while its age
  ``as_of − date`` in days is in ``[0, window_days)``: a record dated on the as-of day
  counts in full ("as of the end of that day"), one exactly ``window_days`` old counts 0.
  Decay:
  ``none`` 1; ``linear`` ``1 − age / window_days`` (full on the day, 0 at the window's
  end); ``exponential`` ``0.5 ** (age / half_life_days)``.
- **Caps.** The enterprise's total for an indicator is clipped to ``±cap``. When a cap
  bites, every record of that indicator is scaled by the same factor
  ``cap / |total|`` (proportional apportionment), so the breakdown still adds up.
- **Inherent risk** of the enterprise's risk tags (each distinct tag once, the tags' total
  clipped to ``±tag_cap`` and apportioned the same way) and of its industry section.
  These have no date and no window.
- Records of a catalogue indicator the table has no rule for, or of an enterprise not in
  ``enterprises``, count 0. An enterprise with no records gets the base plus its inherent
  risk.

**Refused** (``EngineInputError``, naming the row, the record_id and the field in Chinese
and English): a kind of record neither in the catalogue nor declared by the table, a
severity that is NaN, infinite or negative, a missing enterprise or date, and in ``score``
and ``contributions`` a date after ``as_of`` (regrading as of a past date is given the
records up to it).

**Many as-of dates** (``score_before``, for a backtest): each query (an enterprise and a
day) is scored with the records dated strictly before its day, as ``score`` would as of the
day before; later records are ignored, not refused. One vectorised pass for all queries.

Score → grade by the table's thresholds: A if score ≥ a, B if ≥ b, C if ≥ c, else D (A
best, D highest risk). A score within 1e-9 below a threshold reaches it, so that the order
of a floating-point sum (Polars, pandas, the breakdown) can never move a grade.

``score`` aggregates without building any text; ``contributions`` gives the breakdown of
chosen enterprises, one row per contributing record with the reason in words (``reasons``), and
``base + sum(points)`` equals the score (to floating-point rounding, far below 1e-9).

Scale: 4M enterprises and 50M records regrade in 2–6 s on two cores (depending on the
machine and what else runs) with a 2.4–2.5 GB peak, inputs included; see bench/grading and
bench/RESULTS.md.

Inputs
------
``events``: record_id (int64; needed by ``contributions`` only), enterprise_id (int64),
indicator (``INDICATOR_DTYPE``, or any Enum, Categorical or String of indicator codes;
the Enum is the fast path), date (date, or a datetime read as its date), severity (float,
optional).
``enterprises``: enterprise_id (int64, unique), tags (list of str, optional),
industry_section (str, GB/T 4754 letter, optional). Their checks, and the refusals, are in
``engine_inputs``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import polars as pl

from wurao.credit.engine_inputs import (
    Frame,
    check_enterprises,
    kind_index,
    lazy,
    prepared_events,
    prepared_queries,
    refuse_bad_records,
)
from wurao.credit.points import (
    Decay,
    Grade,
    Indicator,
    IndicatorRule,
    PointsTable,
    Thresholds,
)
from wurao.credit.reasons import INDUSTRY_INDICATOR, TAG_INDICATOR, inherent_rows, record_row

INDICATOR_DTYPE = pl.Enum([i.value for i in Indicator])
GRADE_DTYPE = pl.Enum([g.value for g in Grade])
EVENT_SCHEMA: dict[str, Any] = {
    "record_id": pl.Int64,
    "enterprise_id": pl.Int64,
    "indicator": INDICATOR_DTYPE,
    "date": pl.Date,
    "severity": pl.Float64,
}
ENTERPRISE_SCHEMA: dict[str, Any] = {
    "enterprise_id": pl.Int64,
    "tags": pl.List(pl.String),
    "industry_section": pl.String,
}
GRADE_TOLERANCE = 1e-9
ROWS_PER_PARTITION = 12_500_000

_EPOCH = date(1970, 1, 1)


def empty_events() -> pl.DataFrame:
    return pl.DataFrame(schema=EVENT_SCHEMA)


def empty_enterprises() -> pl.DataFrame:
    return pl.DataFrame(schema=ENTERPRISE_SCHEMA)


@dataclass(frozen=True)
class _Params:
    """The table's rules as small arrays indexed by the position of a record's kind in
    `table.codes` (the catalogue, then the kinds the table declares; +1 for "not scored"),
    gathered per record: lookups in Polars without a join or a chain of `when`."""

    points: pl.Series
    window: pl.Series
    per_severity: pl.Series
    linear_window: pl.Series  # the window for linear decay, inf otherwise
    half_life: pl.Series  # for exponential decay, inf otherwise
    cap: pl.Series  # inf when uncapped

    @classmethod
    def of(cls, table: PointsTable) -> _Params:
        rules: list[IndicatorRule | None] = [table.rule(c) for c in table.codes] + [None]
        inf = math.inf

        def series(name: str, dtype: pl.DataType, values: Iterable[Any]) -> pl.Series:
            return pl.Series(name, list(values), dtype=dtype)

        return cls(
            points=series("points", pl.Float64(), (float(r.points) if r else 0.0 for r in rules)),
            window=series("window", pl.Int32(), (r.window_days if r else 0 for r in rules)),
            per_severity=series("sev", pl.Boolean(), (bool(r and r.per_severity) for r in rules)),
            linear_window=series(
                "lin",
                pl.Float64(),
                (float(r.window_days) if r and r.decay == Decay.LINEAR else inf for r in rules),
            ),
            half_life=series(
                "hl",
                pl.Float64(),
                (
                    float(r.half_life_days or inf) if r and r.decay == Decay.EXPONENTIAL else inf
                    for r in rules
                ),
            ),
            cap=series("cap", pl.Float64(), (float(r.cap) if r and r.cap else inf for r in rules)),
        )

    @staticmethod
    def at(values: pl.Series, index: pl.Expr) -> pl.Expr:
        return pl.lit(values).gather(index)


def _as_of_days(as_of: date) -> int:
    if isinstance(as_of, datetime):
        as_of = as_of.date()
    return (as_of - _EPOCH).days


def _weighted(
    events: pl.LazyFrame,
    schema: pl.Schema,
    table: PointsTable,
    as_of: pl.Expr,
    *,
    detail: bool,
    by: str = "enterprise_id",
) -> pl.LazyFrame:
    """The records that count as of `as_of` (days since 1970-01-01, a literal or a column),
    each with `_k` (position in `table.codes`) and `_w` (points after severity and decay,
    before any cap); with `detail`, also the age and the undecayed points, for the reasons."""
    p = _Params.of(table)
    k = pl.col("_k")
    age = pl.col("_age")
    keep = list(dict.fromkeys(["enterprise_id", by, "_k", "_w"]))
    if detail:
        keep += ["record_id", "date", "_age", "_base", "_sev"]
    lf = events.with_columns(
        pl.col("enterprise_id").cast(pl.Int64),
        kind_index(schema["indicator"], table.codes).alias("_k"),
        (as_of - pl.col("date").cast(pl.Int32)).alias("_age"),
    ).filter((age >= 0) & (age < _Params.at(p.window, k)))
    points = _Params.at(p.points, k)
    severity = pl.lit(1.0)
    if "severity" in schema and any(r.per_severity for r in table.rules):
        severity = pl.col("severity").cast(pl.Float64).fill_null(1.0)
        points = pl.when(_Params.at(p.per_severity, k)).then(points * severity).otherwise(points)
    factor = pl.lit(1.0)
    # Only the decay kinds the table uses: each is a pass over every record.
    if any(r.decay == Decay.LINEAR for r in table.rules):
        factor = 1.0 - age / _Params.at(p.linear_window, k)
    if any(r.decay == Decay.EXPONENTIAL for r in table.rules):
        factor = factor * pl.lit(0.5).pow(age / _Params.at(p.half_life, k))
    columns = [(points * factor).alias("_w")]
    if detail:
        columns += [points.alias("_base"), severity.alias("_sev")]
    return lf.with_columns(columns).select(keep)


def _grade(score: pl.Expr, t: Thresholds) -> pl.Expr:
    tol = GRADE_TOLERANCE
    return (
        pl.when(score >= t.a - tol)
        .then(pl.lit("A"))
        .when(score >= t.b - tol)
        .then(pl.lit("B"))
        .when(score >= t.c - tol)
        .then(pl.lit("C"))
        .otherwise(pl.lit("D"))
        .cast(GRADE_DTYPE)
    )


def _tag_points(table: PointsTable, schema: pl.Schema) -> pl.Expr:
    if not table.tags or "tags" not in schema or schema["tags"] == pl.List(pl.Null):
        return pl.lit(0.0)
    # One membership test per tag the table knows: counts a tag listed twice once, and is
    # far faster on millions of lists than deduplicating each list first.
    tags = pl.col("tags")
    total = pl.sum_horizontal(
        pl.when(tags.list.contains(pl.lit(t.code, pl.String))).then(float(t.points)).otherwise(0.0)
        for t in table.tags
    )
    cap = table.tag_cap
    return total.clip(-cap, cap) if cap else total


def _industry_points(table: PointsTable, schema: pl.Schema) -> pl.Expr:
    if not table.industries or "industry_section" not in schema:
        return pl.lit(0.0)
    sections = [i.section for i in table.industries]
    points = [float(i.points) for i in table.industries]
    return (
        pl.col("industry_section")
        .cast(pl.String)
        .replace_strict(sections, points, default=0.0, return_dtype=pl.Float64)
        .fill_null(0.0)
    )


def _event_points(
    ev: pl.LazyFrame,
    schema: pl.Schema,
    table: PointsTable,
    as_of: pl.Expr,
    subtotals: bool,
    by: str = "enterprise_id",
) -> pl.LazyFrame:
    """Per `by` (the enterprise, or a backtest's query): `_events`, the capped records'
    total, `_records`, how many records counted, and with `subtotals` one
    `points_<indicator>` column per rule."""
    cap = _Params.at(_Params.of(table).cap, pl.col("_k"))
    per_indicator = (
        _weighted(ev, schema, table, as_of, detail=False, by=by)
        .group_by(by, "_k")
        .agg(pl.col("_w").sum(), pl.len().alias("_n"))
        .with_columns(pl.col("_w").clip(-cap, cap))
    )
    sums = [pl.col("_w").sum().alias("_events"), pl.col("_n").sum().alias("_records")]
    if subtotals:
        sums += [
            pl.col("_w")
            .filter(pl.col("_k") == table.codes.index(r.indicator))
            .sum()
            .alias(f"points_{r.indicator}")
            for r in table.rules
        ]
    return per_indicator.group_by(by).agg(sums)


def score(
    events: Frame,
    enterprises: Frame,
    table: PointsTable,
    as_of: date,
    *,
    subtotals: bool = False,
    partitions: int | None = None,
) -> pl.DataFrame:
    """One row per enterprise, in the order of `enterprises`: enterprise_id, score, grade,
    table_version; with `subtotals`, also `points_<indicator>` for each of the table's
    indicators and `points_risk_tag`, `points_industry` (after caps).

    The records are summed in `partitions` passes, each over the enterprises whose
    |enterprise_id mod partitions| is its number, so that the group-by holds 1/partitions
    of the (enterprise, indicator) sums at a time; the default is one pass per
    `ROWS_PER_PARTITION` records. On 50M records (bench.grading), 4 passes instead of 1 cut
    what the compute adds to resident memory from about 1.25 GB to 0.4 GB in the same
    time: each pass re-reads the records, but its hash tables are a quarter the size."""
    ev, ev_schema = prepared_events(events, record_id=False)
    ent = lazy(enterprises)
    ent_schema = ent.collect_schema()
    check_enterprises(ent_schema)
    refuse_bad_records(ev, ev_schema, table, as_of)
    day = pl.lit(_as_of_days(as_of), pl.Int32)
    if partitions is None:
        rows = ev.select(pl.len()).collect().item()
        partitions = max(1, math.ceil(rows / ROWS_PER_PARTITION))
    if partitions < 1:
        raise ValueError(f"partitions must be ≥ 1, got {partitions}")
    if partitions == 1:
        per_enterprise = _event_points(ev, ev_schema, table, day, subtotals)
    else:
        part = (pl.col("enterprise_id") % partitions).abs()
        per_enterprise = pl.concat(
            _event_points(ev.filter(part == i), ev_schema, table, day, subtotals).collect(
                engine="streaming"
            )
            for i in range(partitions)
        ).lazy()
    inherent = ent.select(
        pl.col("enterprise_id").cast(pl.Int64),
        _tag_points(table, ent_schema).alias(f"points_{TAG_INDICATOR}"),
        _industry_points(table, ent_schema).alias(f"points_{INDUSTRY_INDICATOR}"),
    )
    tags, industry = f"points_{TAG_INDICATOR}", f"points_{INDUSTRY_INDICATOR}"
    total = pl.lit(float(table.base)) + pl.col(tags) + pl.col(industry) + pl.col("_events")
    subtotal_names = [f"points_{r.indicator}" for r in table.rules] + [tags, industry]
    return (
        inherent.join(per_enterprise, on="enterprise_id", how="left", maintain_order="left")
        .with_columns(pl.exclude("enterprise_id", tags, industry, "_records").fill_null(0.0))
        .with_columns(total.alias("score"))
        .select(
            "enterprise_id",
            "score",
            _grade(pl.col("score"), table.thresholds).alias("grade"),
            pl.lit(table.version, pl.Int32).alias("table_version"),
            *(subtotal_names if subtotals else []),
        )
        .collect(engine="streaming")
    )


def score_before(
    events: Frame,
    enterprises: Frame,
    table: PointsTable,
    queries: Frame,
    *,
    partitions: int | None = None,
) -> pl.DataFrame:
    """Many as-of dates in one call, for a backtest: for each row of `queries`
    (enterprise_id, date; any other columns are kept), the enterprise's score and grade from
    the records dated **strictly before** the query's date — what was known the day before,
    so that an inspection's own result never scores it. The same as
    ``score(as_of=date − 1 day)`` for that enterprise, except that records on or after the
    date are ignored rather than refused (a backtest's records run on past its first days).

    Returns the queries in their order with `score`, `grade`, `records` (how many dated
    records counted) and `table_version`. Vectorised: each query is joined to its own
    enterprise's records, one pass for all dates, in `partitions` passes by enterprise as
    `score` does."""
    ev, ev_schema = prepared_events(events, record_id=False)
    ent = lazy(enterprises)
    ent_schema = ent.collect_schema()
    check_enterprises(ent_schema)
    refuse_bad_records(ev, ev_schema, table, None)
    q = prepared_queries(queries).with_row_index("_q")
    keys = q.select(
        "_q",
        pl.col("enterprise_id").cast(pl.Int64),
        (pl.col("date").cast(pl.Int32) - 1).alias("_as_of"),
    )
    if partitions is None:
        rows = ev.select(pl.len()).collect().item()
        partitions = max(1, math.ceil(rows / ROWS_PER_PARTITION))
    if partitions < 1:
        raise ValueError(f"partitions must be ≥ 1, got {partitions}")
    part = (pl.col("enterprise_id") % partitions).abs()
    as_of = pl.col("_as_of")
    per_query = pl.concat(
        _event_points(
            ev.filter(part == i).join(keys.filter(part == i), on="enterprise_id"),
            ev_schema,
            table,
            as_of,
            subtotals=False,
            by="_q",
        ).collect(engine="streaming")
        for i in range(partitions)
    ).lazy()
    tags, industry = f"points_{TAG_INDICATOR}", f"points_{INDUSTRY_INDICATOR}"
    inherent = ent.select(
        pl.col("enterprise_id").cast(pl.Int64),
        _tag_points(table, ent_schema).alias(tags),
        _industry_points(table, ent_schema).alias(industry),
    )
    total = pl.lit(float(table.base)) + pl.col(tags) + pl.col(industry) + pl.col("_events")
    scored = (
        keys.join(inherent, on="enterprise_id", how="left", maintain_order="left")
        .join(per_query, on="_q", how="left", maintain_order="left")
        .select(
            "_q",
            pl.col(tags).fill_null(0.0),
            pl.col(industry).fill_null(0.0),
            pl.col("_events").fill_null(0.0),
            pl.col("_records").fill_null(0).cast(pl.Int64).alias("records"),
        )
        .with_columns(total.alias("score"))
        .select(
            "_q",
            "score",
            _grade(pl.col("score"), table.thresholds).alias("grade"),
            "records",
            pl.lit(table.version, pl.Int32).alias("table_version"),
        )
    )
    return (
        q.join(scored, on="_q", how="left", maintain_order="left")
        .drop("_q")
        .collect(engine="streaming")
    )


CONTRIBUTION_SCHEMA: dict[str, Any] = {
    "enterprise_id": pl.Int64,
    "record_id": pl.Int64,
    "indicator": pl.String,
    "date": pl.Date,
    "points": pl.Float64,
    "reason_zh": pl.String,
    "reason_en": pl.String,
}


def contributions(
    events: Frame,
    enterprises: Frame,
    table: PointsTable,
    as_of: date,
    enterprise_ids: Iterable[int] | None = None,
) -> pl.DataFrame:
    """The breakdown an enterprise sees: one row per record that moves its score, with
    enterprise_id, record_id (null for inherent risk), indicator (a catalogue code, or
    `risk_tag` / `industry`), date (null for inherent risk), points after decay and cap
    share, and reason_zh / reason_en. Inherent risk first, then records by date. For the enterprises in
    `enterprise_ids` (all when None); `table.base + sum(points)` is each one's score."""
    ev, ev_schema = prepared_events(events, record_id=True)
    ent = lazy(enterprises)
    check_enterprises(ent.collect_schema())
    ent = ent.with_columns(pl.col("enterprise_id").cast(pl.Int64))
    if enterprise_ids is not None:
        ids = pl.Series(list(enterprise_ids), dtype=pl.Int64).implode()
        ent = ent.filter(pl.col("enterprise_id").is_in(ids))
        ev = ev.filter(pl.col("enterprise_id").cast(pl.Int64).is_in(ids))
    refuse_bad_records(ev, ev_schema, table, as_of)
    ent_rows = ent.collect()  # few enterprises: read once
    p = _Params.of(table)
    cap = _Params.at(p.cap, pl.col("_k"))
    records = (
        _weighted(ev, ev_schema, table, pl.lit(_as_of_days(as_of), pl.Int32), detail=True)
        .join(ent_rows.lazy().select("enterprise_id"), on="enterprise_id", how="semi")
        .with_columns(pl.col("_w").sum().over("enterprise_id", "_k").alias("_raw"))
        .with_columns(
            (
                pl.col("_w")
                * pl.when(pl.col("_raw").abs() > cap)
                .then(cap / pl.col("_raw").abs())
                .otherwise(1.0)
            ).alias("points")
        )
        .filter(pl.col("points") != 0)
        .collect()
    )
    codes = table.codes
    rows = [record_row(table, codes[r["_k"]], r) for r in records.iter_rows(named=True)]
    rows += inherent_rows(table, ent_rows)
    out = pl.DataFrame(rows, schema=CONTRIBUTION_SCHEMA, orient="row")
    return out.sort(["enterprise_id", "date", "record_id"], nulls_last=False)
