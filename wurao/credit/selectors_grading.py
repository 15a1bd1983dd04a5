"""Reading the credit records for the engine: every scored record and every enterprise as
Polars frames, and one enterprise's grade explained (its breakdown, record by record).
Regrading, which writes, is in services_grading.py."""

import datetime

import polars as pl
from django.utils import timezone

from wurao.accounts.scope import Scope
from wurao.credit import engine
from wurao.credit.choices import CommitmentStatus, RecordSource, ReviewStatus
from wurao.credit.models import (
    CreditCommitment,
    CreditObjection,
    CreditRepair,
    MonitoringAlert,
    PointsTableVersion,
    PositiveRecord,
)
from wurao.credit.points import Indicator, PointsTable
from wurao.credit.points_json import table_from_dict
from wurao.credit.selectors import points_table_current
from wurao.enforcement.choices import ActionKind, Finding
from wurao.enforcement.selectors import action_list
from wurao.outcomes.selectors_findings import open_hazards_for_grading, overdue_for_grading
from wurao.registry.models import Enterprise
from wurao.registry.versions import cached_call
from wurao.selfcheck.selectors import completed_for_grading

# record_id = source row id × SOURCES + source index, so a breakdown row points back at its record.
SOURCES = 8
ACTION, ALERT, COMMITMENT, POSITIVE, REPAIR, SELF_INSPECTION, HAZARD, OVERDUE = range(8)
CHUNK = 20_000


def record_ref(record_id: int) -> tuple[str, int]:
    """(source, row id) of an engine record id, for links in the breakdown."""
    source = {
        ACTION: RecordSource.ACTION,
        ALERT: RecordSource.ALERT,
        COMMITMENT: RecordSource.COMMITMENT,
        SELF_INSPECTION: "self_inspection",
        HAZARD: "hazard",  # an item check with a hazard not yet put right
        OVERDUE: "rectification",  # a rectification overdue
    }
    return source.get(record_id % SOURCES, "other"), record_id // SOURCES


def table_of(version: PointsTableVersion) -> PointsTable:
    return table_from_dict(version.table)


# ---------------------------------------------------------------- frames from the database


def _adjusted(
    as_of: datetime.date,
) -> tuple[set[tuple[str, int]], list[tuple[int, int, datetime.date]]]:
    """Records whose effect an approved objection removed, or an approved repair ended, once
    their publicity period is over; and each such repair as a positive record."""
    removed: set[tuple[str, int]] = set()
    for model in (CreditObjection, CreditRepair):
        removed |= set(
            model.objects.filter(
                status=ReviewStatus.APPROVED, effective_from__lte=as_of
            ).values_list("record_source", "record_id")
        )
    repairs = list(
        CreditRepair.objects.filter(
            status=ReviewStatus.APPROVED, effective_from__lte=as_of
        ).values_list("pk", "enterprise_id", "effective_from")
    )
    return removed, repairs


def events_frame(*, as_of: datetime.date, enterprise_ids: list[int] | None = None) -> pl.DataFrame:
    """Every scored record up to `as_of` as the engine's event frame."""
    removed, repairs = _adjusted(as_of)
    ids, enterprises, indicators, dates, severities = [], [], [], [], []

    def add(
        source: int, pk: int, enterprise_id: int, indicator: Indicator, day, severity=None
    ) -> None:
        ids.append(pk * SOURCES + source)
        enterprises.append(enterprise_id)
        indicators.append(indicator.value)
        dates.append(day)
        severities.append(float(severity) if severity else None)

    def scoped(qs):
        return qs.filter(enterprise_id__in=enterprise_ids) if enterprise_ids is not None else qs

    actions = scoped(action_list(scope=Scope(sees_all=True)).filter(date__lte=as_of)).values_list(
        "pk", "enterprise_id", "kind", "finding", "severity", "date"
    )
    for pk, enterprise_id, kind, finding, severity, day in actions.iterator(chunk_size=CHUNK):
        if (RecordSource.ACTION, pk) in removed:
            continue
        if kind == ActionKind.PENALTY:
            add(ACTION, pk, enterprise_id, Indicator.PENALTY, day, severity)
        elif kind == ActionKind.COERCIVE:
            add(ACTION, pk, enterprise_id, Indicator.COERCIVE_MEASURE, day, severity)
        elif finding == Finding.PROBLEMS:
            add(ACTION, pk, enterprise_id, Indicator.INSPECTION_PROBLEM, day)
        elif finding == Finding.CLEAN:
            add(ACTION, pk, enterprise_id, Indicator.INSPECTION_CLEAN, day)
    for pk, enterprise_id, day, severity in scoped(
        MonitoringAlert.objects.filter(date__lte=as_of)
    ).values_list("pk", "enterprise_id", "date", "severity"):
        if (RecordSource.ALERT, pk) not in removed:
            add(ALERT, pk, enterprise_id, Indicator.MONITORING_ALERT, day, severity)
    for pk, enterprise_id, status, day in scoped(
        CreditCommitment.objects.filter(decided_on__lte=as_of).exclude(
            status=CommitmentStatus.SIGNED
        )
    ).values_list("pk", "enterprise_id", "status", "decided_on"):
        if (RecordSource.COMMITMENT, pk) in removed:
            continue
        broken = status == CommitmentStatus.BREACHED
        add(
            COMMITMENT,
            pk,
            enterprise_id,
            Indicator.COMMITMENT_BROKEN if broken else Indicator.COMMITMENT_FULFILLED,
            day,
        )
    for pk, enterprise_id, day in scoped(
        PositiveRecord.objects.filter(date__lte=as_of)
    ).values_list("pk", "enterprise_id", "date"):
        add(POSITIVE, pk, enterprise_id, Indicator.AWARD, day)
    for pk, enterprise_id, day in repairs:
        if enterprise_ids is None or enterprise_id in enterprise_ids:
            add(REPAIR, pk, enterprise_id, Indicator.REPAIR_COMPLETED, day)
    # A completed self-inspection counts as such; the problems it found are the enterprise's own.
    for pk, enterprise_id, day in completed_for_grading(as_of=as_of, enterprise_ids=enterprise_ids):
        add(SELF_INSPECTION, pk, enterprise_id, Indicator.SELF_INSPECTION_COMPLETED, day)
    # [outcomes] A hazard counts while it is open on `as_of` (its rectification not closed by
    # then, or none ordered), from the day of the inspection, by its level (一般 1, 重大 3).
    for pk, enterprise_id, day, hazard in open_hazards_for_grading(
        as_of=as_of, enterprise_ids=enterprise_ids
    ):
        add(HAZARD, pk, enterprise_id, Indicator.HAZARD_OPEN, day, hazard)
    # An overdue rectification is a record from its overdue day, and stays one when it closes.
    for pk, enterprise_id, day in overdue_for_grading(as_of=as_of, enterprise_ids=enterprise_ids):
        add(OVERDUE, pk, enterprise_id, Indicator.RECTIFICATION_OVERDUE, day)
    return pl.DataFrame(
        {
            "record_id": ids,
            "enterprise_id": enterprises,
            "indicator": indicators,
            "date": dates,
            "severity": severities,
        },
        schema={
            "record_id": pl.Int64,
            "enterprise_id": pl.Int64,
            "indicator": engine.INDICATOR_DTYPE,
            "date": pl.Date,
            "severity": pl.Float64,
        },
    )


def enterprises_frame(*, enterprise_ids: list[int] | None = None) -> pl.DataFrame:
    """Live enterprises with their risk tags and industry section (inherent risk)."""
    qs = Enterprise.objects.all()
    through = Enterprise.risk_tags.through
    tag_rows = through.objects.values_list("enterprise_id", "risktag__code")
    if enterprise_ids is not None:
        qs = qs.filter(pk__in=enterprise_ids)
        tag_rows = tag_rows.filter(enterprise_id__in=enterprise_ids)
    # Plain rows into Polars, tags gathered there: a Python list per enterprise is the slow part.
    tags = (
        pl.DataFrame(
            list(tag_rows.iterator(chunk_size=CHUNK)),
            schema={"enterprise_id": pl.Int64, "tag": pl.String},
            orient="row",
        )
        .group_by("enterprise_id", maintain_order=True)
        .agg(pl.col("tag").alias("tags"))
    )
    rows = pl.DataFrame(
        list(qs.order_by("pk").values_list("pk", "industry_section").iterator(chunk_size=CHUNK)),
        schema={"enterprise_id": pl.Int64, "industry_section": pl.String},
        orient="row",
    )
    return rows.join(tags, on="enterprise_id", how="left", maintain_order="left").select(
        "enterprise_id",
        pl.col("tags").fill_null(pl.lit([], dtype=pl.List(pl.String))),
        pl.when(pl.col("industry_section") == "")
        .then(None)
        .otherwise(pl.col("industry_section"))
        .alias("industry_section"),
    )


# ---------------------------------------------------------------- one enterprise, explained


def enterprise_breakdown(
    *,
    enterprise_id: int,
    as_of: datetime.date | None = None,
    version: PointsTableVersion | None = None,
) -> dict:
    """An enterprise's score, grade and every contributing record with its points and why.
    `version` explains a stored grade with the table that made it, even if a later version
    has since come into force for `as_of`; by default the table in force on `as_of`.

    Cached until one of the tables it reads changes (wurao/registry/versions.py): building
    the frames and scoring them costs about 25 ms of CPU, on every credit page the enterprise
    opens, and its records change seldom."""
    as_of = as_of or timezone.localdate()
    version = version or points_table_current(as_of=as_of)
    if version is None:
        return {"version": None, "rows": [], "score": None, "grade": None}
    return cached_call(
        namespace="credit_breakdown",
        key=(enterprise_id, as_of, version.pk, version.table),
        compute=lambda: _breakdown(enterprise_id, as_of, version),
    )


def _breakdown(enterprise_id: int, as_of: datetime.date, version: PointsTableVersion) -> dict:
    table = table_of(version)
    ids = [enterprise_id]
    events = events_frame(as_of=as_of, enterprise_ids=ids)
    enterprises = enterprises_frame(enterprise_ids=ids)
    scored = engine.score(events, enterprises, table, as_of)
    rows = engine.contributions(events, enterprises, table, as_of, enterprise_ids=ids).to_dicts()
    for row in rows:
        row["source"], row["source_id"] = (
            record_ref(row["record_id"]) if row["record_id"] is not None else ("", None)
        )
    score, grade = scored.select("score", "grade").row(0) if scored.height else (table.base, None)
    return {
        "version": version,
        "table": table,
        "rows": rows,
        "score": score,
        "grade": str(grade) if grade else None,
        "base": table.base,
    }
