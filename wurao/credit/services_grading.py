"""Regrading: the points table versions the justice bureau publishes, and the regrade that
loads every enterprise's records (selectors_grading), scores them with the pure engine under
the table in force, stores the grades and lists who changed and why."""

import dataclasses
import datetime
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable
from itertools import islice

import polars as pl
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from wurao.audit.services import audit_record
from wurao.credit import engine
from wurao.credit.models import (
    EnterpriseGrade,
    GradeChange,
    PointsTableVersion,
)
from wurao.credit.points import DEFAULT_TABLE, SELF_INSPECTION_RULE
from wurao.credit.points_json import table_from_dict, table_to_dict
from wurao.credit.selectors import points_table_current
from wurao.credit.selectors_grading import CHUNK, enterprises_frame, events_frame, table_of

AUDIT_CHANGES_LISTED = 1_000
REASONS_CHUNK = 50_000

Progress = Callable[[Iterable], Iterable]


def _no_progress(rows: Iterable, **_) -> Iterable:
    return rows


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
                "effective_from": gettext("生效日期不能早于上一版（第 %(version)s 版，%(day)s）")
                % {"version": latest.version, "day": latest.effective_from}
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


def points_table_add_self_inspection(
    *, actor, effective_from: datetime.date
) -> PointsTableVersion | None:
    """For a district whose latest table predates self-inspection (自查自纠): a new version,
    the latest plus the default entry for a completed self-inspection (+1 for 365 days, at
    most +1). None when the latest version already scores it (or no table exists yet: the
    default version 1 has it)."""
    latest = PointsTableVersion.objects.order_by("-version").first()
    if latest is None:
        return None
    table = table_of(latest)
    if table.rule(SELF_INSPECTION_RULE.indicator):
        return None
    data = table_to_dict(dataclasses.replace(table, rules=(*table.rules, SELF_INSPECTION_RULE)))
    return points_table_publish(
        actor=actor,
        table=data,
        effective_from=max(effective_from, latest.effective_from),
        note="新增计分项：完成企业自查 +1 分（365 天内，每年至多 1 分）",
    )


# ---------------------------------------------------------------- regrade


def _rows_insert(
    model, fields: list[str], rows: Iterable[tuple], *, progress: Progress, total: int, desc: str
) -> None:
    """Insert plain tuples (values ready for the database) without model instances: a
    district regrade writes hundreds of thousands of rows, and bulk_create and bulk_update
    took 30 s for the first regrade of the scale-1 demo and 230 s for the second.
    PostgreSQL takes them by COPY, the others by executemany in chunks."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(_columns(model, fields))
    rows = iter(progress(rows, total=total, desc=desc))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        while chunk := list(islice(rows, CHUNK)):
            cursor.executemany(sql, chunk)


def _rows_update(
    model,
    fields: list[str],
    key: str,
    rows: Iterable[tuple],
    *,
    progress: Progress,
    total: int,
    desc: str,
) -> None:
    """Set `fields` of the rows whose `key` is the tuple's last value. On PostgreSQL through
    a temporary table filled by COPY and one UPDATE … FROM; elsewhere by executemany."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns, key_column = _columns(model, fields), _columns(model, [key])[0]
    if connection.vendor != "postgresql":
        assignments = ", ".join(f"{column} = %s" for column in columns)
        rows = iter(progress(rows, total=total, desc=desc))
        with connection.cursor() as cursor:
            while chunk := list(islice(rows, CHUNK)):
                cursor.executemany(
                    f"UPDATE {table} SET {assignments} WHERE {key_column} = %s", chunk
                )
        return
    if not total:
        return
    staging = connection.ops.quote_name(f"_{model._meta.db_table}_update")
    definitions = ", ".join(
        f"{column} {model._meta.get_field(f).db_type(connection)}"
        for f, column in zip([*fields, key], [*columns, key_column], strict=True)
    )
    assignments = ", ".join(f"{column} = u.{column}" for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {staging}")
        cursor.execute(f"CREATE TEMPORARY TABLE {staging} ({definitions})")
        with cursor.cursor.copy(
            f"COPY {staging} ({', '.join([*columns, key_column])}) FROM STDIN"
        ) as copy:
            for row in progress(rows, total=total, desc=desc):
                copy.write_row(row)
        cursor.execute(
            f"UPDATE {table} SET {assignments} FROM {staging} u "
            f"WHERE {table}.{key_column} = u.{key_column}"
        )
        cursor.execute(f"DROP TABLE {staging}")


def _columns(model, fields: list[str]) -> list[str]:
    return [connection.ops.quote_name(model._meta.get_field(f).column) for f in fields]


def _previous_grades() -> pl.DataFrame:
    return pl.DataFrame(
        list(
            EnterpriseGrade.objects.values_list(
                "enterprise_id", "grade", "score", "table_version_id"
            ).iterator(chunk_size=CHUNK)
        ),
        schema={
            "enterprise_id": pl.Int64,
            "previous_grade": pl.String,
            "previous_score": pl.Float64,
            "previous_version": pl.Int64,
        },
        orient="row",
    )


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
            {
                "as_of": gettext("%(as_of)s 时尚无生效的计分表（第 1 版自 %(day)s 起生效）")
                % {"as_of": as_of, "day": version.effective_from}
            }
        )
    table = table_of(version)
    events = events_frame(as_of=as_of)
    enterprises = enterprises_frame()
    scored = engine.score(events, enterprises, table, as_of)
    rows = (
        scored.select("enterprise_id", "score", pl.col("grade").cast(pl.String))
        .join(_previous_grades(), on="enterprise_id", how="left", maintain_order="left")
        .with_columns(pl.col("previous_grade").is_null().alias("new"))
    )
    new = rows.filter(pl.col("new"))
    restated = rows.filter(
        ~pl.col("new")
        & (
            (pl.col("grade") != pl.col("previous_grade"))
            | (pl.col("score") != pl.col("previous_score"))
            | (pl.col("previous_version") != version.pk)
        )
    )
    changed = rows.filter(pl.col("grade") != pl.col("previous_grade").fill_null(""))
    now = timezone.now()
    stamp = (
        EnterpriseGrade._meta.get_field("as_of").get_db_prep_save(as_of, connection),
        EnterpriseGrade._meta.get_field("computed_at").get_db_prep_save(now, connection),
    )

    # Every stored grade is now as of this regrade; only those whose value moved are rewritten.
    EnterpriseGrade.objects.update(as_of=as_of, computed_at=now)
    _rows_update(
        EnterpriseGrade,
        ["grade", "score", "table_version"],
        "enterprise",
        (
            (grade, score, version.pk, enterprise_id)
            for enterprise_id, score, grade in restated.select(
                "enterprise_id", "score", "grade"
            ).iter_rows()
        ),
        progress=progress,
        total=restated.height,
        desc="评级（更新）",
    )
    _rows_insert(
        EnterpriseGrade,
        ["enterprise", "grade", "score", "table_version", "as_of", "computed_at"],
        (
            (enterprise_id, grade, score, version.pk, *stamp)
            for enterprise_id, score, grade in new.select(
                "enterprise_id", "score", "grade"
            ).iter_rows()
        ),
        progress=progress,
        total=new.height,
        desc="评级（新增）",
    )
    reasons = _main_reasons(events, enterprises, table, as_of, changed["enterprise_id"].to_list())
    _rows_insert(
        GradeChange,
        [
            "enterprise",
            "previous_grade",
            "grade",
            "previous_score",
            "score",
            "table_version",
            "as_of",
            "changed_at",
            "reasons",
        ],  # fmt: skip
        (
            (
                enterprise_id,
                previous_grade or "",
                grade,
                previous_score,
                score,
                version.pk,
                *stamp,
                json.dumps(reasons.get(enterprise_id, []), ensure_ascii=False),
            )
            for enterprise_id, grade, score, previous_grade, previous_score in changed.select(
                "enterprise_id", "grade", "score", "previous_grade", "previous_score"
            ).iter_rows()
        ),
        progress=progress,
        total=changed.height,
        desc="等级变动",
    )
    summary = {
        "as_of": as_of.isoformat(),
        "table_version": version.version,
        "enterprises": scored.height,
        "by_grade": dict(sorted(Counter(rows["grade"].to_list()).items())),
        "changed": changed.height,
    }
    # The audit event pins down every change: a digest of the full list, and the list itself
    # (enterprise id, from, to) up to AUDIT_CHANGES_LISTED entries.
    moves = [
        list(row) for row in changed.select("enterprise_id", "previous_grade", "grade").iter_rows()
    ]
    moves_digest = hashlib.sha256(json.dumps(moves, separators=(",", ":")).encode()).hexdigest()
    payload = {
        **summary,
        "changes_sha256": moves_digest,
        "changes": moves[:AUDIT_CHANGES_LISTED],
        "changes_not_listed": max(0, len(moves) - AUDIT_CHANGES_LISTED),
    }
    audit_record(actor=actor, verb="grades.recompute", object_type="credit.grades", payload=payload)
    return summary


def _main_reasons(
    events, enterprises, table, as_of, enterprise_ids: list[int], top: int = 3
) -> dict[int, list[str]]:
    """The largest contributions of each changed enterprise, in words. In chunks: the
    breakdown of a whole district at once (a first grading) holds every record's text."""
    reasons: dict[int, list[str]] = {}
    for start in range(0, len(enterprise_ids), REASONS_CHUNK):
        chunk = enterprise_ids[start : start + REASONS_CHUNK]
        rows = engine.contributions(events, enterprises, table, as_of, enterprise_ids=chunk)
        ranked = (
            rows.with_columns(pl.col("points").abs().alias("weight"))
            .sort(["enterprise_id", "weight"], descending=[False, True])
            .group_by("enterprise_id", maintain_order=True)
            .head(top)
        )
        for enterprise_id, reason in ranked.select("enterprise_id", "reason_zh").iter_rows():
            reasons.setdefault(enterprise_id, []).append(reason)
    return reasons
