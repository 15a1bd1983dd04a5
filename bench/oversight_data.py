"""The oversight benchmark's data: synthetic enforcement actions and their visits, generated
with NumPy into Polars frames (`generate`, pure, no Django) and COPYed into PostgreSQL
(`actions_load`). See bench/oversight.py for the whole benchmark."""

from __future__ import annotations

import datetime
import io
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

# Years the synthetic actions fall in: the demo's own 2019 and 2020 (the study's exact
# figures) are left as the demo built them.
SYNTHETIC_YEARS = (2017, 2018, 2021, 2022, 2023, 2024, 2025, 2026)
JOINT_SHARE = 0.06  # inspection visits on which two or three departments came together
NON_ENFORCEMENT_PER_ACTION = 0.18  # non-enforcement visits per enforcement action
KEY_INSPECTION_WEIGHT = 3.0  # key enterprises (四上, 规上) are inspected more ...
KEY_NON_ENFORCEMENT_WEIGHT = 40.0  # ... and receive most research, union, party ... visits
PROBLEM_SHARE = 0.3  # inspections that found a violation
PURPOSES = ("research", "union", "women", "party", "community", "policy")
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # wurao.visits.models, read at load time
CODE_LENGTH = 8


@dataclass
class DistrictShape:
    """What the generator draws from: the district's enterprises and departments, and the
    demo's mix of (department, level, kind, origin) of its actions."""

    enterprise_id: np.ndarray  # int64
    key: np.ndarray  # bool: 四上 or 规上
    mix_department: np.ndarray  # int64, one row per observed combination
    mix_level: list[str]
    mix_kind: list[str]
    mix_origin: list[str]
    mix_count: np.ndarray  # how many demo actions had it
    other_organisations: np.ndarray  # int64: departments that do not enforce
    first_visit_id: int
    first_action_id: int
    today: datetime.date


@dataclass
class Synthetic:
    visits: pl.DataFrame  # id, enterprise_id, kind, origin, purpose, department_id, date, status
    visit_departments: pl.DataFrame  # visit_id, department_id
    actions: pl.DataFrame  # id, enterprise_id, department_id, department_level, date, kind,
    #                        origin, joint_ref, visit_id, finding, severity


def _weekdays(today: datetime.date) -> np.ndarray:
    days = []
    for year in SYNTHETIC_YEARS:
        start = np.datetime64(f"{year}-01-01")
        end = min(np.datetime64(f"{year + 1}-01-01"), np.datetime64(today.isoformat()))
        if end > start:
            days.append(np.arange(start, end, dtype="datetime64[D]"))
    all_days = np.concatenate(days)
    return all_days[np.is_busday(all_days)]


def generate(shape: DistrictShape, actions: int, seed: int) -> Synthetic:
    """`actions` enforcement actions over SYNTHETIC_YEARS (weekdays up to today), every
    inspection on a visit (a joint visit carries one inspection per department), penalties and
    coercive measures without one, and about NON_ENFORCEMENT_PER_ACTION non-enforcement visits
    per action, falling mostly on the key enterprises."""
    rng = np.random.default_rng(seed)
    days = _weekdays(shape.today)
    kinds = np.array(shape.mix_kind, dtype=object)
    inspection_rows = np.flatnonzero(kinds == "inspection")
    other_rows = np.flatnonzero(kinds != "inspection")
    weights = shape.mix_count.astype(float)
    n_inspections = round(actions * weights[inspection_rows].sum() / weights.sum())
    n_others = actions - n_inspections

    # Inspection visits: most by one department, JOINT_SHARE by two or three.
    size = np.where(rng.random(n_inspections) < JOINT_SHARE, rng.choice([2, 3], n_inspections), 1)
    ends = np.cumsum(size)
    n_visits = int(np.searchsorted(ends, n_inspections) + 1)
    size = size[:n_visits]
    size[-1] -= int(ends[n_visits - 1] - n_inspections)
    ends = np.cumsum(size)
    visit_ids = np.arange(shape.first_visit_id, shape.first_visit_id + n_visits, dtype=np.int64)

    inspect_w = rng.lognormal(0.0, 1.2, len(shape.enterprise_id)) * np.where(
        shape.key, KEY_INSPECTION_WEIGHT, 1.0
    )
    visit_enterprise = rng.choice(shape.enterprise_id, n_visits, p=inspect_w / inspect_w.sum())
    visit_day = days[rng.integers(0, len(days), n_visits)]
    p = weights[inspection_rows] / weights[inspection_rows].sum()
    lead = inspection_rows[rng.choice(len(inspection_rows), n_visits, p=p)]
    joint = size > 1
    origins = np.array(shape.mix_origin, dtype=object)
    visit_origin = np.where(joint, "random_draw", origins[lead])
    visit_origin = np.where(visit_origin == "other", "plan", visit_origin)  # no such visit origin

    # One action per department on the visit: the lead's row, then partners (other
    # departments that inspect, at their usual level).
    inspecting = np.unique(shape.mix_department[inspection_rows])
    level_of = {int(d): lv for d, lv in zip(shape.mix_department, shape.mix_level, strict=True)}
    action_visit = np.repeat(np.arange(n_visits), size)
    position = np.arange(n_inspections) - np.repeat(ends[:n_visits] - size, size)
    department = shape.mix_department[lead][action_visit]
    lead_index = np.searchsorted(inspecting, department)
    step = rng.integers(1, max((len(inspecting) - 1) // 2, 1) + 1, n_visits)[action_visit]
    partner = inspecting[(lead_index + position * step) % len(inspecting)]
    department = np.where(position == 0, department, partner)
    levels = np.array([level_of[int(d)] for d in inspecting], dtype=object)
    level = levels[np.searchsorted(inspecting, department)]
    level = np.where(
        position == 0, np.array(shape.mix_level, dtype=object)[lead][action_visit], level
    )
    insp_origin = np.where(joint[action_visit], "random_draw", origins[lead][action_visit])
    joint_ref = np.where(
        joint[action_visit],
        np.char.add("BJ", visit_ids[action_visit].astype(str)).astype(object),
        "",
    )
    finding = np.where(rng.random(n_inspections) < PROBLEM_SHARE, "problems", "clean")

    # Penalties and coercive measures: decided at the department, no visit.
    p = weights[other_rows] / weights[other_rows].sum()
    other = other_rows[rng.choice(len(other_rows), n_others, p=p)]
    other_enterprise = rng.choice(shape.enterprise_id, n_others, p=inspect_w / inspect_w.sum())
    other_day = days[rng.integers(0, len(days), n_others)]

    first = shape.first_action_id
    actions_frame = pl.DataFrame(
        {
            "id": np.arange(first, first + actions, dtype=np.int64),
            "enterprise_id": np.concatenate([visit_enterprise[action_visit], other_enterprise]),
            "department_id": np.concatenate([department, shape.mix_department[other]]),
            "department_level": np.concatenate(
                [level, np.array(shape.mix_level, dtype=object)[other]]
            ).tolist(),
            "date": np.concatenate([visit_day[action_visit], other_day]),
            "kind": np.concatenate(
                [np.full(n_inspections, "inspection", dtype=object), kinds[other]]
            ).tolist(),
            "origin": np.concatenate([insp_origin, origins[other]]).tolist(),
            "joint_ref": np.concatenate([joint_ref, np.full(n_others, "", dtype=object)]).tolist(),
            "visit_id": np.concatenate(
                [visit_ids[action_visit], np.full(n_others, -1, dtype=np.int64)]
            ),
            "finding": np.concatenate([finding, np.full(n_others, "", dtype=object)]).tolist(),
            "severity": np.concatenate(
                [np.zeros(n_inspections, dtype=np.int64), rng.choice([1, 2, 3], n_others)]
            ),
        }
    ).with_columns(
        pl.when(pl.col("visit_id") < 0).then(None).otherwise(pl.col("visit_id")).alias("visit_id"),
        pl.when(pl.col("severity") == 0).then(None).otherwise(pl.col("severity")).alias("severity"),
    )

    # Non-enforcement visits (research, union, women's federation, party building, community,
    # policy promotion): most on key enterprises, a tail of them with dozens a year.
    n_other_visits = (
        round(actions * NON_ENFORCEMENT_PER_ACTION) if len(shape.other_organisations) else 0
    )
    ne_w = rng.lognormal(0.0, 1.5, len(shape.enterprise_id)) * np.where(
        shape.key, KEY_NON_ENFORCEMENT_WEIGHT, 1.0
    )
    ne_ids = np.arange(
        shape.first_visit_id + n_visits,
        shape.first_visit_id + n_visits + n_other_visits,
        dtype=np.int64,
    )
    ne_department = (
        rng.choice(shape.other_organisations, n_other_visits)
        if n_other_visits
        else np.zeros(0, dtype=np.int64)
    )
    u = rng.random(n_other_visits)
    visits_frame = pl.DataFrame(
        {
            "id": np.concatenate([visit_ids, ne_ids]),
            "enterprise_id": np.concatenate(
                [
                    visit_enterprise,
                    rng.choice(shape.enterprise_id, n_other_visits, p=ne_w / ne_w.sum()),
                ]
            ),
            "kind": ["inspection"] * n_visits + ["non_enforcement"] * n_other_visits,
            "origin": visit_origin.tolist() + [""] * n_other_visits,
            "purpose": [""] * n_visits
            + np.array(PURPOSES, dtype=object)[
                rng.integers(0, len(PURPOSES), n_other_visits)
            ].tolist(),
            "department_id": np.concatenate([department[ends[:n_visits] - size], ne_department]),
            "date": np.concatenate([visit_day, days[rng.integers(0, len(days), n_other_visits)]]),
            "status": ["completed"] * n_visits
            + np.select([u < 0.03, u < 0.04], ["cancelled", "rejected"], "completed").tolist(),
        }
    )
    visit_departments = pl.DataFrame(
        {
            "visit_id": np.concatenate([visit_ids[action_visit], ne_ids]),
            "department_id": np.concatenate([department, ne_department]),
        }
    ).unique(maintain_order=True)
    return Synthetic(
        visits=visits_frame, visit_departments=visit_departments, actions=actions_frame
    )


# --- PostgreSQL ------------------------------------------------------------------------------


def shape_read(today: datetime.date) -> DistrictShape:
    """The district as the demo built it (Django, any database)."""
    from django.db.models import Count, Max

    from wurao.enforcement.models import EnforcementAction
    from wurao.registry.models import Department, Enterprise
    from wurao.visits.models import Visit

    rows = list(Enterprise.objects.order_by("pk").values_list("pk", "four_above", "above_scale"))
    mix = list(
        EnforcementAction.objects.values_list("department_id", "department_level", "kind", "origin")
        .annotate(n=Count("id"))
        .order_by("department_id", "department_level", "kind", "origin")
    )
    others = (
        Department.objects.filter(is_enforcement=False).order_by("pk").values_list("pk", flat=True)
    )
    last = {
        "visit": Visit.objects.aggregate(m=Max("id"))["m"] or 0,
        "action": EnforcementAction.objects.aggregate(m=Max("id"))["m"] or 0,
    }
    return DistrictShape(
        enterprise_id=np.array([r[0] for r in rows], dtype=np.int64),
        key=np.array([bool(r[1] or r[2]) for r in rows]),
        mix_department=np.array([m[0] for m in mix], dtype=np.int64),
        mix_level=[m[1] for m in mix],
        mix_kind=[m[2] for m in mix],
        mix_origin=[m[3] for m in mix],
        mix_count=np.array([m[4] for m in mix], dtype=np.int64),
        other_organisations=np.array(list(others), dtype=np.int64),
        first_visit_id=last["visit"] + 1,
        first_action_id=last["action"] + 1,
        today=today,
    )


def _codes(rng: np.random.Generator, n: int, taken: set[str]) -> list[str]:
    """n distinct visit codes over the visits' alphabet, none of them in `taken`."""
    alphabet = np.frombuffer(CODE_ALPHABET.encode(), dtype=np.uint8)
    base = len(alphabet)
    out = np.empty(0, dtype=np.int64)
    while len(out) < n + len(taken):
        more = rng.integers(0, base**CODE_LENGTH, n + len(taken) - len(out) + n // 50 + 10)
        out = np.unique(np.concatenate([out, more]))
    out = rng.permutation(out)
    digits = np.empty((len(out), CODE_LENGTH), dtype=np.uint8)
    rest = out.copy()
    for place in range(CODE_LENGTH - 1, -1, -1):
        digits[:, place] = alphabet[rest % base]
        rest //= base
    codes = [c.decode() for c in digits.view(f"S{CODE_LENGTH}").ravel().tolist()]
    return [c for c in codes if c not in taken][:n]


def _table_rows(
    model: Any, frame: pl.DataFrame, fixed: dict[str, str]
) -> tuple[list[str], pl.DataFrame]:
    """The model's concrete columns in order, each from the frame, `fixed`, or its default."""
    columns, exprs = [], []
    for f in model._meta.concrete_fields:
        columns.append(f.column)
        if f.column in frame.columns:
            exprs.append(pl.col(f.column).cast(pl.String))
            continue
        if f.column in fixed:
            value: str | None = fixed[f.column]
        elif f.null:
            value = None
        elif f.has_default():
            default = f.get_default()
            if isinstance(default, bool):
                value = "t" if default else "f"
            elif isinstance(default, list | dict):
                value = json.dumps(default)
            else:
                value = str(default)
        else:
            value = ""
        exprs.append(pl.lit(value, dtype=pl.String).alias(f.column))
    return columns, frame.select(exprs)


def _copy(table: str, columns: list[str], frame: pl.DataFrame, chunk: int = 250_000) -> int:
    """COPY a frame of text columns (no tabs, newlines or backslashes in them) into a table."""
    from django.db import connection

    qn = connection.ops.quote_name
    copy_sql = f"COPY {qn(table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
        for start in range(0, frame.height, chunk):
            buffer = io.BytesIO()
            frame.slice(start, chunk).write_csv(
                buffer, separator="\t", include_header=False, null_value="\\N", quote_style="never"
            )
            copy.write(buffer.getvalue())
    return frame.height


def _batches(height: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, height, size):
        yield start, min(size, height - start)


def tokens_read(tables: list[str]) -> dict[str, str | None]:
    from wurao.registry.models import TableVersion

    found = dict(TableVersion.objects.filter(table__in=tables).values_list("table", "token"))
    return {t: found.get(t) for t in tables}


def _indexes_drop(tables: list[str]) -> list[str]:
    """Drop the tables' indexes that back no constraint (built again after the load, faster
    than maintained row by row); their definitions."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [tables],
        )
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f"DROP INDEX {name}")
    return [definition for _, definition in found]


def _indexes_create(definitions: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for definition in definitions:
            cursor.execute(definition)


def _commit_triggers(tables: list[str], *, enable: bool) -> list[str]:
    """Switch off (or back on, ALWAYS) the per-row change-token triggers of `tables`
    (wurao/registry/versions.py: wurao_c_<table>, a deferred constraint trigger that runs
    once per written row at commit). Returns the triggers switched."""
    from django.db import connection

    qn = connection.ops.quote_name
    switched = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = to_regclass(%s) "
                "AND tgname LIKE 'wurao_c%%'",
                [table],
            )
            for (name,) in cursor.fetchall():
                state = "ENABLE ALWAYS" if enable else "DISABLE"
                cursor.execute(f"ALTER TABLE {qn(table)} {state} TRIGGER {qn(name)}")
                switched.append(name)
    return switched


def actions_load(
    *,
    total: int,
    seed: int,
    today: datetime.date,
    batch: int = 1_000_000,
    quiet_triggers: bool = True,
) -> dict[str, Any]:
    """COPY synthetic actions and their visits until the actions table holds `total` rows,
    one transaction per batch of rows; then VACUUM ANALYZE, and a new change token for each
    written table that has one. `quiet_triggers`: the per-row commit triggers are switched
    off during the load (tens of seconds per million rows) and the tokens renewed here; the
    result's tokens_renewed_by_triggers says which tokens the triggers renewed themselves."""
    from django.db import connection, transaction

    from wurao.demo.loader import reset_sequences
    from wurao.enforcement.models import EnforcementAction
    from wurao.visits.models import Visit

    existing = EnforcementAction.objects.count()
    n = max(total - existing, 0)
    if n == 0:
        return {"synthetic_actions": 0}
    started = time.perf_counter()
    shape = shape_read(today)
    data = generate(shape, n, seed)
    rng = np.random.default_rng(seed + 1)
    codes = _codes(rng, data.visits.height, set(Visit.objects.values_list("code", flat=True)))
    visits = (
        data.visits.with_columns(
            pl.Series("code", codes),
            pl.col("date").cast(pl.String).alias("date_text"),
        )
        .with_columns(
            pl.when(pl.col("kind") == "inspection")
            .then(pl.lit("王主任"))
            .otherwise(pl.lit(""))
            .alias("approver"),
            pl.when(pl.col("kind") == "inspection")
            .then(
                pl.format(
                    "审批〔{}〕{}号", pl.col("date_text").str.slice(0, 4), pl.col("id") % 9000 + 1
                )
            )
            .otherwise(pl.lit(""))
            .alias("approval_ref"),
            pl.when(pl.col("kind") == "inspection")
            .then(pl.col("date_text"))
            .otherwise(None)
            .alias("approved_on"),
            (pl.col("date_text") + " 02:00:00+00").alias("registered_at"),
            pl.when(pl.col("kind") == "inspection")
            .then(pl.lit(""))
            .otherwise(pl.lit("走访了解企业情况"))
            .alias("note"),
        )
        .drop("date_text")
    )
    actions = data.actions.with_columns(
        (pl.col("date").cast(pl.String) + " 03:00:00+00").alias("created_at"),
        pl.lit("").alias("summary"),
    )
    generate_s = time.perf_counter() - started

    m2m = Visit._meta.get_field("departments")
    written = [Visit._meta.db_table, m2m.m2m_db_table(), EnforcementAction._meta.db_table]
    tokens_before = tokens_read(written)
    started = time.perf_counter()
    visit_columns, visit_rows = _table_rows(
        Visit, visits, {"after_the_fact": "f", "violations": "[]", "client_digest": ""}
    )
    action_columns, action_rows = _table_rows(EnforcementAction, actions, {})
    pair_columns = [m2m.m2m_column_name(), m2m.m2m_reverse_name()]
    pairs = data.visit_departments.rename(
        {"visit_id": pair_columns[0], "department_id": pair_columns[1]}
    ).cast(pl.String)
    quieted = _commit_triggers(written, enable=False) if quiet_triggers else []
    dropped = _indexes_drop(written)
    try:
        for table, columns, frame in (
            (Visit._meta.db_table, visit_columns, visit_rows),
            (m2m.m2m_db_table(), pair_columns, pairs),
            (EnforcementAction._meta.db_table, action_columns, action_rows),
        ):
            for start, size in _batches(frame.height, batch):
                with transaction.atomic():
                    # Consistent by construction: no foreign-key trigger per row, as a
                    # restore does (superuser, the bench database). The change-token
                    # triggers are ENABLE ALWAYS and fire all the same, unless quieted.
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL session_replication_role = replica")
                    _copy(table, columns, frame.slice(start, size))
        with transaction.atomic():
            reset_sequences([Visit, EnforcementAction])
    finally:
        index_started = time.perf_counter()
        _indexes_create(dropped)
        index_s = time.perf_counter() - index_started
        if quieted:
            _commit_triggers(written, enable=True)
    copy_s = time.perf_counter() - started
    tokens_after = tokens_read(written)

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in written:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")
    analyze_s = time.perf_counter() - started
    bumped = tokens_bump(written)
    return {
        "synthetic_actions": n,
        "synthetic_visits": data.visits.height,
        "synthetic_visit_departments": data.visit_departments.height,
        "generate_s": round(generate_s, 1),
        "copy_s": round(copy_s, 1),
        "vacuum_analyze_s": round(analyze_s, 1),
        "tokens_tracked": sorted(t for t, v in tokens_before.items() if v is not None),
        "tokens_renewed_by_triggers": sorted(
            t
            for t in written
            if tokens_before[t] is not None and tokens_before[t] != tokens_after[t]
        ),
        "tokens_bumped": bumped,
        "commit_triggers_quieted": quieted,
        "indexes_rebuilt": len(dropped),
        "index_rebuild_s": round(index_s, 1),
    }


def tokens_bump(tables: list[str]) -> list[str]:
    """A new token for each of `tables` that has one, whatever the triggers did."""
    import uuid

    from wurao.registry.models import TableVersion

    bumped = []
    for row in TableVersion.objects.filter(table__in=tables):
        TableVersion.objects.filter(table=row.table).update(token=uuid.uuid4().hex)
        bumped.append(row.table)
    return sorted(bumped)
