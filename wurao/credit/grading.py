"""Regrading: load every enterprise's records into frames, score them with the pure engine
under the table in force, store the grades and list who changed and why."""

import datetime
from collections import Counter
from collections.abc import Callable, Iterable

import polars as pl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wurao.accounts.scope import Scope
from wurao.audit.services import audit_record
from wurao.credit import engine
from wurao.credit.choices import CommitmentStatus, RecordSource, ReviewStatus
from wurao.credit.models import (
    CreditCommitment,
    CreditObjection,
    CreditRepair,
    EnterpriseGrade,
    GradeChange,
    MonitoringAlert,
    PointsTableVersion,
    PositiveRecord,
)
from wurao.credit.points import (
    DEFAULT_TABLE,
    Indicator,
    PointsTable,
    table_from_dict,
    table_to_dict,
)
from wurao.credit.selectors import points_table_current
from wurao.enforcement.choices import ActionKind, Finding
from wurao.enforcement.selectors import action_list
from wurao.registry.models import Enterprise

# record_id = source row id × SOURCES + source index, so a breakdown row points back at its record.
SOURCES = 8
ACTION, ALERT, COMMITMENT, POSITIVE, REPAIR = range(5)
CHUNK = 20_000

Progress = Callable[[Iterable], Iterable]


def _no_progress(rows: Iterable, **_) -> Iterable:
    return rows


def record_ref(record_id: int) -> tuple[str, int]:
    """(source, row id) of an engine record id, for links in the breakdown."""
    source = {
        ACTION: RecordSource.ACTION,
        ALERT: RecordSource.ALERT,
        COMMITMENT: RecordSource.COMMITMENT,
    }
    return source.get(record_id % SOURCES, "other"), record_id // SOURCES


# ---------------------------------------------------------------- points tables


@transaction.atomic
def points_table_publish(
    *, actor, table: dict, effective_from: datetime.date, note: str = ""
) -> PointsTableVersion:
    """A new version of the points table. Past grades keep the version that made them."""
    latest = PointsTableVersion.objects.order_by("-version").first()
    version = (latest.version + 1) if latest else 1
    try:
        parsed = table_from_dict(
            {**table, "version": version, "effective_from": effective_from.isoformat()}
        )
    except ValueError as error:
        raise ValidationError({"table": str(error)}) from None
    if latest and effective_from < latest.effective_from:
        raise ValidationError(
            {
                "effective_from": f"生效日期不能早于上一版（第 {latest.version} 版，{latest.effective_from}）"
            }
        )
    row = PointsTableVersion.objects.create(
        version=version,
        effective_from=effective_from,
        table=table_to_dict(parsed),
        note=note.strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        actor=actor,
        verb="points_table.publish",
        obj=row,
        payload={
            "version": version,
            "effective_from": effective_from.isoformat(),
            "note": row.note,
        },
    )
    return row


def points_table_ensure_default(*, actor) -> PointsTableVersion:
    """Version 1 from the shipped default table, when no table exists yet."""
    existing = PointsTableVersion.objects.order_by("version").first()
    if existing:
        return existing
    return points_table_publish(
        actor=actor,
        table=table_to_dict(DEFAULT_TABLE),
        effective_from=DEFAULT_TABLE.effective_from,
        note="系统默认计分表",
    )


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
    if enterprise_ids is not None:
        qs = qs.filter(pk__in=enterprise_ids)
    tags: dict[int, list[str]] = {}
    through = Enterprise.risk_tags.through
    tag_rows = through.objects.values_list("enterprise_id", "risktag__code")
    if enterprise_ids is not None:
        tag_rows = tag_rows.filter(enterprise_id__in=enterprise_ids)
    for enterprise_id, code in tag_rows.iterator(chunk_size=CHUNK):
        tags.setdefault(enterprise_id, []).append(code)
    rows = list(qs.order_by("pk").values_list("pk", "industry_section"))
    return pl.DataFrame(
        {
            "enterprise_id": [pk for pk, _ in rows],
            "tags": [tags.get(pk, []) for pk, _ in rows],
            "industry_section": [section or None for _, section in rows],
        },
        schema={
            "enterprise_id": pl.Int64,
            "tags": pl.List(pl.String),
            "industry_section": pl.String,
        },
    )


# ---------------------------------------------------------------- regrade


@transaction.atomic
def grades_recompute(
    *, actor, as_of: datetime.date | None = None, progress: Progress = _no_progress
) -> dict:
    """Regrade every enterprise as of a date under the table in force then; store the grades,
    record each change with its main reasons, and write one audit event."""
    as_of = as_of or timezone.localdate()
    version = points_table_current(as_of=as_of) or points_table_ensure_default(actor=actor)
    if version.effective_from > as_of:
        raise ValidationError(
            {"as_of": f"{as_of} 时尚无生效的计分表（第 1 版自 {version.effective_from} 起生效）"}
        )
    table = table_of(version)
    events = events_frame(as_of=as_of)
    enterprises = enterprises_frame()
    scored = engine.score(events, enterprises, table, as_of)
    previous = dict(
        EnterpriseGrade.objects.values_list("enterprise_id", "grade").iterator(chunk_size=CHUNK)
    )
    previous_score = dict(
        EnterpriseGrade.objects.values_list("enterprise_id", "score").iterator(chunk_size=CHUNK)
    )
    now = timezone.now()
    rows = scored.select("enterprise_id", "score", "grade").iter_rows()
    creates, updates, changed = [], [], []
    existing = {
        g.enterprise_id: g
        for g in EnterpriseGrade.objects.only("pk", "enterprise_id").iterator(chunk_size=CHUNK)
    }
    for enterprise_id, score, grade in progress(rows, total=scored.height, desc="评级"):
        grade = str(grade)
        row = existing.get(enterprise_id) or EnterpriseGrade(enterprise_id=enterprise_id)
        row.grade, row.score, row.table_version, row.as_of, row.computed_at = (
            grade,
            score,
            version,
            as_of,
            now,
        )
        (updates if row.pk else creates).append(row)
        if previous.get(enterprise_id) != grade:
            changed.append((enterprise_id, grade, score))
    EnterpriseGrade.objects.bulk_create(creates, batch_size=5_000)
    EnterpriseGrade.objects.bulk_update(
        updates, ["grade", "score", "table_version", "as_of", "computed_at"], batch_size=5_000
    )
    reasons = _main_reasons(events, enterprises, table, as_of, [e for e, _, _ in changed])
    GradeChange.objects.bulk_create(
        [
            GradeChange(
                enterprise_id=enterprise_id,
                previous_grade=previous.get(enterprise_id, ""),
                grade=grade,
                previous_score=previous_score.get(enterprise_id),
                score=score,
                table_version=version,
                as_of=as_of,
                reasons=reasons.get(enterprise_id, []),
            )
            for enterprise_id, grade, score in changed
        ],
        batch_size=5_000,
    )
    summary = {
        "as_of": as_of.isoformat(),
        "table_version": version.version,
        "enterprises": scored.height,
        "by_grade": dict(sorted(Counter(str(g) for g in scored["grade"].to_list()).items())),
        "changed": len(changed),
    }
    audit_record(actor=actor, verb="grades.recompute", object_type="credit.grades", payload=summary)
    return summary


def _main_reasons(
    events, enterprises, table, as_of, enterprise_ids: list[int], top: int = 3
) -> dict[int, list[str]]:
    """The largest contributions of each changed enterprise, in words."""
    if not enterprise_ids:
        return {}
    rows = engine.contributions(events, enterprises, table, as_of, enterprise_ids=enterprise_ids)
    ranked = rows.with_columns(pl.col("points").abs().alias("weight")).sort(
        ["enterprise_id", "weight"], descending=[False, True]
    )
    reasons: dict[int, list[str]] = {}
    for enterprise_id, reason in ranked.select("enterprise_id", "reason_zh").iter_rows():
        bucket = reasons.setdefault(enterprise_id, [])
        if len(bucket) < top:
            bucket.append(reason)
    return reasons


def enterprise_breakdown(
    *,
    enterprise_id: int,
    as_of: datetime.date | None = None,
    version: PointsTableVersion | None = None,
) -> dict:
    """An enterprise's score, grade and every contributing record with its points and why.
    `version` explains a stored grade with the table that made it, even if a later version
    has since come into force for `as_of`; by default the table in force on `as_of`."""
    as_of = as_of or timezone.localdate()
    version = version or points_table_current(as_of=as_of)
    if version is None:
        return {"version": None, "rows": [], "score": None, "grade": None}
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
