"""Bulk-load the history's visits: the key enterprise's non-enforcement visits and one visit
for every inspection (joint random visits share one), with their departments, officers,
items, approvals, check-in and check-out and a few ratings.

Like the rest of the history these rows are written in bulk, inside the demo's transaction,
and counted in its one `demo.build` audit event; the visits of the last days go through the
visit services instead (wurao.demo.visits_now).
"""

import json
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db.models import JSONField, Model

from wurao.demo.loader import ProgressFactory, bulk_insert, datetime_text
from wurao.visits.choices import CheckInMethod, VisitKind, VisitPurpose, VisitStatus
from wurao.visits.models import CODE_ALPHABET, CODE_LENGTH, Visit, VisitRating

if TYPE_CHECKING:
    from wurao.demo.engine import District, Organisation

STREAM_VISIT_CODES = 9  # after the district's streams (wurao.demo.engine)

# 审批文号 prefixes: the usual short forms of the department names (demo's own).
APPROVAL_PREFIXES = {
    "SZ-STHJ": "深环龙",
    "SZ-SCJG": "深市监龙",
    "YJGL": "龙应急",
    "CGZF": "龙城管",
    "WSJK": "龙卫健",
    "ZJJ": "龙住建",
    "XFJY": "龙消",
    "RLZY": "龙人社",
    "SWJ": "龙水务",
    "WGLT": "龙文体",
    "JYJ": "龙教",
    "JTYS": "龙交",
}
UTC_OFFSET_MINUTES = 8 * 60  # Shenzhen


def demo_visit_codes(n: int, *, seed: int) -> list[str]:
    """`n` distinct visit codes, the same for the same seed."""
    rng = np.random.default_rng([seed, STREAM_VISIT_CODES])
    alphabet = np.array(list(CODE_ALPHABET))
    codes: dict[str, None] = {}
    while len(codes) < n:
        draw = rng.integers(0, len(alphabet), size=(n - len(codes), CODE_LENGTH))
        codes.update(dict.fromkeys("".join(row) for row in alphabet[draw]))
    return list(codes)


def approval_prefix(organisation: "Organisation") -> str:
    if organisation.code in APPROVAL_PREFIXES:
        return APPROVAL_PREFIXES[organisation.code]
    return f"{organisation.name.removesuffix('街道综合行政执法队')}执法"


def approver_title(name: str) -> str:
    """Who signs the approval of an inspection (行政检查审批): the department's deputy head."""
    if name.endswith("大队"):
        return f"{name}副大队长"
    if name.endswith("执法队"):
        return f"{name}副队长"
    return f"{name}副局长"


def approval_ref(prefix: str, year: int, number: int) -> str:
    return f"{prefix}检审〔{year}〕{number}号"


def _stored(field: Any) -> Any:
    value = field.get_default()
    if isinstance(field, JSONField):
        return json.dumps(value, ensure_ascii=False)
    return value


def columns_with_defaults(model: type[Model], given: list[str]) -> tuple[list[str], tuple]:
    """The columns of `given` fields followed by every other column of the model, and the
    stored defaults of those others: a bulk insert fills what the model would fill."""
    named = {model._meta.get_field(name).column: name for name in given}
    others = [f for f in model._meta.concrete_fields if f.column not in named and not f.primary_key]
    return list(named) + [f.column for f in others], tuple(_stored(f) for f in others)


def _clock(minutes: np.ndarray) -> list[str]:
    utc = (minutes - UTC_OFFSET_MINUTES).tolist()
    return [f"{m // 60:02d}:{m % 60:02d}:00" for m in utc]


def _insert_pairs(
    model: type[Model], name: str, pairs: np.ndarray, desc: str, progress: ProgressFactory
) -> None:
    m2m = model._meta.get_field(name)
    bulk_insert(
        m2m.m2m_db_table(),
        [m2m.m2m_column_name(), m2m.m2m_reverse_name()],
        zip(pairs[:, 0].tolist(), pairs[:, 1].tolist(), strict=True),
        total=len(pairs),
        desc=desc,
        progress=progress,
    )


def _load_non_enforcement(d: "District", codes: list[str], progress: ProgressFactory) -> None:
    v = d.visits
    n = len(v.purpose)
    days = v.date.astype(str).tolist()
    given = [
        "id", "code", "enterprise", "kind", "purpose", "department", "date", "note", "status",
        "registered_at",
    ]  # fmt: skip
    columns, defaults = columns_with_defaults(Visit, given)
    rows = zip(
        range(1, n + 1),
        codes,
        (v.enterprise + 1).tolist(),
        [VisitKind.NON_ENFORCEMENT.value] * n,
        [VisitPurpose(c).value for c in v.category],
        (v.organisation + 1).tolist(),
        days,
        v.purpose,
        [VisitStatus.COMPLETED.value] * n,
        [datetime_text(day, "10:00:00") for day in days],
        strict=True,
    )
    bulk_insert(
        Visit._meta.db_table,
        columns,
        (row + defaults for row in rows),
        total=n,
        desc="非执法入企",
        progress=progress,
    )
    pairs = np.stack([np.arange(1, n + 1), v.organisation + 1], axis=1)
    _insert_pairs(Visit, "departments", pairs, "入企单位", progress)


def _load_inspections(
    d: "District", codes: list[str], first_id: int, progress: ProgressFactory
) -> None:
    iv, a = d.inspection_visits, d.actions
    n = len(iv)
    first = iv.first_action
    lead = a.department[first]
    day = a.date[first]
    days = day.astype(str).tolist()
    years = (day.astype("datetime64[Y]").astype(np.int64) + 1970).tolist()
    prefixes = [approval_prefix(o) for o in d.organisations]
    titles = [approver_title(o.name) for o in d.organisations]
    notes = [f"跨部门联合双随机抽查（{ref}）" if ref else "" for ref in iv.joint_ref]
    given = [
        "id", "code", "enterprise", "kind", "origin", "department", "date", "note", "approver",
        "approval_ref", "approved_on", "status", "checked_in_at", "check_in_method",
        "checked_out_at", "registered_at",
    ]  # fmt: skip
    columns, defaults = columns_with_defaults(Visit, given)
    method = np.where(iv.scanned, CheckInMethod.SCAN.value, CheckInMethod.CREDIT_CODE.value)
    rows = zip(
        range(first_id, first_id + n),
        codes,
        (a.enterprise[first] + 1).tolist(),
        [VisitKind.INSPECTION.value] * n,
        iv.origin,
        (lead + 1).tolist(),
        days,
        notes,
        [titles[i] for i in lead.tolist()],
        [
            approval_ref(prefixes[i], y, k)
            for i, y, k in zip(lead.tolist(), years, iv.approval_no.tolist(), strict=True)
        ],
        (day - iv.approval_lag).astype(str).tolist(),
        [VisitStatus.COMPLETED.value] * n,
        [datetime_text(x, t) for x, t in zip(days, _clock(iv.check_in), strict=True)],
        method.tolist(),
        [datetime_text(x, t) for x, t in zip(days, _clock(iv.check_out), strict=True)],
        # Registered the afternoon before (17:00 in Shenzhen).
        [datetime_text(x, "09:00:00") for x in (day - 1).astype(str).tolist()],
        strict=True,
    )
    bulk_insert(
        Visit._meta.db_table,
        columns,
        (row + defaults for row in rows),
        total=n,
        desc="执法检查入企登记",
        progress=progress,
    )
    offset = np.array([first_id, 1])
    _insert_pairs(Visit, "departments", iv.departments + offset, "入企部门", progress)
    _insert_pairs(Visit, "items", iv.items + offset, "入企检查事项", progress)
    _insert_pairs(Visit, "officers", iv.officers + offset, "入企执法人员", progress)

    rated = iv.rated
    bulk_insert(
        VisitRating._meta.db_table,
        [VisitRating._meta.get_field(f).column for f in ("visit", "score", "tags", "comment")]
        + [VisitRating._meta.get_field("rated_on").column],
        zip(
            (rated + first_id).tolist(),
            iv.score.tolist(),
            [json.dumps(t, ensure_ascii=False) for t in iv.tags],
            iv.comment,
            (day[rated] + iv.rating_lag).astype(str).tolist(),
            strict=True,
        ),
        total=len(rated),
        desc="入企评价",
        progress=progress,
    )


def history_visits_load(
    d: "District", progress: ProgressFactory, *, spare_codes: int = 0
) -> tuple[list[int | None], list[str]]:
    """Insert the history's visits. Return each action's visit id (None for penalties and
    coercive measures) and `spare_codes` more codes, drawn with the history's in one go so
    that no two clash, for the visits the demo writes later."""
    n_other, n_inspections = len(d.visits.purpose), len(d.inspection_visits)
    codes = demo_visit_codes(n_other + n_inspections + spare_codes, seed=d.seed)
    _load_non_enforcement(d, codes[:n_other], progress)
    first_id = n_other + 1
    _load_inspections(d, codes[n_other : n_other + n_inspections], first_id, progress)
    action_visit = d.inspection_visits.action_visit
    ids = [v + first_id if v >= 0 else None for v in action_visit.tolist()]
    return ids, codes[n_other + n_inspections :]
