"""The district's own inspections as a backtest reads them (wurao/credit/backtest.py): every
inspection with a recorded result in a period, whether it found a violation, and whether the
violation was serious — followed, within `SERIOUS_WITHIN_DAYS`, by a penalty or a coercive
measure of the same department on the same enterprise."""

import datetime

import polars as pl

from wurao.credit.backtest import INSPECTION_SCHEMA
from wurao.enforcement.choices import ActionKind, Finding
from wurao.enforcement.models import EnforcementAction

SERIOUS_WITHIN_DAYS = 90
_CHUNK = 20_000


def inspections_frame(*, start: datetime.date, end: datetime.date) -> pl.DataFrame:
    """One row per inspection dated `start` to `end` whose finding was recorded."""
    actions = EnforcementAction.objects.filter(date__range=(start, end))
    rows = actions.filter(
        kind=ActionKind.INSPECTION, finding__in=[Finding.CLEAN, Finding.PROBLEMS]
    ).values_list("pk", "enterprise_id", "department_id", "date", "finding")
    inspections = pl.DataFrame(
        list(rows.iterator(chunk_size=_CHUNK)),
        schema={
            "id": pl.Int64,
            "enterprise_id": pl.Int64,
            "department_id": pl.Int64,
            "date": pl.Date,
            "finding": pl.String,
        },
        orient="row",
    ).with_columns((pl.col("finding") == Finding.PROBLEMS).alias("violation"))
    last = end + datetime.timedelta(days=SERIOUS_WITHIN_DAYS)
    sanctions = EnforcementAction.objects.filter(
        date__range=(start, last), kind__in=[ActionKind.PENALTY, ActionKind.COERCIVE]
    ).values_list("enterprise_id", "department_id", "date")
    sanctions_frame = pl.DataFrame(
        list(sanctions.iterator(chunk_size=_CHUNK)),
        schema={"enterprise_id": pl.Int64, "department_id": pl.Int64, "sanction": pl.Date},
        orient="row",
    )
    days = (pl.col("sanction") - pl.col("date")).dt.total_days()
    serious = (
        inspections.filter("violation")
        .join(sanctions_frame, on=["enterprise_id", "department_id"])
        .filter(days.is_between(0, SERIOUS_WITHIN_DAYS))
        .select("id")
        .unique()
    )
    return (
        inspections.with_columns(pl.col("id").is_in(serious["id"].implode()).alias("serious"))
        .sort("date", "id")
        .select("id", *INSPECTION_SCHEMA)
    )
