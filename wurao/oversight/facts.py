"""Every contact (入企) as one Polars frame: what the dashboard's figures are computed from.

A *contact* is the study's unit of burden (its 75 visits = 45 enforcement actions + 30
non-enforcement visits): every EnforcementAction (inspection, penalty, coercive measure) and
every non-enforcement Visit that took place (status not cancelled or rejected), exactly the
rows of `enforcement.selectors.action_list` and `visits.selectors.non_enforcement_list`.

`contacts(scope=..., slice=...)` is the frame as far as the viewer may see and the slice
asks (`contacts_lazy` the same as a LazyFrame: prefer it for group-bys over a large slice,
with pl.collect_all for several at once), one row per contact:

    source        "action" | "visit"
    id            the action's or the visit's id (unique within its source)
    enterprise_id
    department_id the acting department; for a visit its lead department
    level         the department's level (an action's level at the time, a visit's lead's now)
    date
    kind          "inspection" | "penalty" | "coercive" | "non_enforcement"
    origin        an action's origin (enforcement.choices.Origin); a visit's origin, if any
    purpose       a non-enforcement visit's purpose (visits.choices.VisitPurpose); null for actions
    joint_ref     an action's joint reference (null when none): one joint visit's actions share it
    visit_id      the registered visit an action was taken on (null when none)
    finding       an inspection's result ("clean", "problems", null when not recorded)
    lag           an action's days from its date to its record (created_at, local date);
                  null for a visit
    off_site      an off-site inspection (非现场检查): an inspection, never a visit — the
                  figures of visits and burden (入企) leave it out (`on_site`)
    street_id, industry_section, size_class, key (四上 or 规上), grade (current, null when none)

A department sees its actions and the visits it took part in (a joint non-enforcement
visit's other departments, `members`, count too), a street the contacts on its area's
enterprises, the bureau all: the same rows the selectors give (tests/test_facts.py).

Read in a handful of statements (COPY ... TO STDOUT on PostgreSQL), kept in this process and
brought up to date only when a table it comes from changes (the change tokens of
wurao/registry/versions.py, docs/decisions/0003-exact-caches.md); checking the tokens is
one small statement a call. Scope and slice are applied in Polars. 5,000,000 contacts take
about 350 MB in each process; a page's figures are a few group-bys over it. After committed
writes to actions and visits only, on PostgreSQL, just the actions and visits written are read
again and replaced (the change log, wurao/oversight/refresh.py,
docs/decisions/0004-oversight-facts.md: 0.14 s at 5M); any other change reads everything.
"""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass, field, replace

import polars as pl
from django.db import connection
from django.db.models import QuerySet
from django.db.models.functions import TruncDate

from wurao.accounts.scope import Scope
from wurao.enforcement import selectors as enforcement_selectors
from wurao.oversight import refresh
from wurao.oversight.filters import UNGRADED, Slice
from wurao.registry import selectors as registry_selectors
from wurao.visits import selectors as visit_selectors

ALL = Scope(sees_all=True)
_TABLES = re.compile(r"\b(?:FROM|JOIN)\s+\"?(\w+)", re.IGNORECASE)

KINDS = ["inspection", "penalty", "coercive", "non_enforcement"]
ENFORCEMENT_KINDS = KINDS[:3]

_ACTION_SCHEMA = {
    "id": pl.Int64,
    "enterprise_id": pl.Int64,
    "department_id": pl.Int64,
    "level": pl.String,
    "date": pl.Date,
    "kind": pl.String,
    "origin": pl.String,
    "joint_ref": pl.String,
    "visit_id": pl.Int64,
    "finding": pl.String,
    "recorded": pl.Date,
    "mode": pl.String,
}
_VISIT_SCHEMA = {
    "id": pl.Int64,
    "enterprise_id": pl.Int64,
    "department_id": pl.Int64,
    "date": pl.Date,
    "origin": pl.String,
    "purpose": pl.String,
}
_MEMBER_SCHEMA = {"visit_id": pl.Int64, "member_id": pl.Int64}
_ENTERPRISE_SCHEMA = {
    "enterprise_id": pl.Int64,
    "street_id": pl.Int64,
    "industry_section": pl.String,
    "size_class": pl.String,
    "four_above": pl.Boolean,
    "above_scale": pl.Boolean,
    "grade": pl.String,
    "name": pl.String,
    "credit_code": pl.String,
}
_DEPARTMENT_SCHEMA = {
    "department_id": pl.Int64,
    "name": pl.String,
    "level": pl.String,
    "is_enforcement": pl.Boolean,
}


@dataclass(frozen=True)
class Facts:
    contacts: pl.DataFrame
    members: pl.DataFrame  # (visit_id, member_id): every department on a non-enforcement visit
    enterprises: pl.DataFrame  # enterprise_id and the slice's attributes, every enterprise
    departments: pl.DataFrame  # department_id, name, level, is_enforcement
    token: str | None = None
    names: dict[int, str] = field(default_factory=dict)
    # enterprise_id, name, credit_code: every enterprise (names of the rows a page lists)
    enterprise_names: pl.DataFrame | None = None
    mark: refresh.Mark | None = None  # where the kept frame stands (refresh.py)


def _statements() -> dict[str, QuerySet]:
    return {
        "actions": enforcement_selectors.action_list(scope=ALL)
        .order_by()
        .annotate(recorded=TruncDate("created_at"))
        .values_list(
            "id",
            "enterprise_id",
            "department_id",
            "department_level",
            "date",
            "kind",
            "origin",
            "joint_ref",
            "visit_id",
            "finding",
            "recorded",
            "mode",
        ),
        "visits": visit_selectors.non_enforcement_list(scope=ALL)
        .order_by()
        .values_list("id", "enterprise_id", "department_id", "date", "origin", "purpose"),
        "members": visit_selectors.non_enforcement_list(scope=ALL)
        .order_by()
        .values_list("id", "departments"),
        "enterprises": registry_selectors.enterprise_list(scope=ALL)
        .order_by()
        .values_list(
            "id",
            "street_id",
            "industry_section",
            "size_class",
            "four_above",
            "above_scale",
            "grade__grade",
            "name",
            "credit_code",
        ),
        "departments": registry_selectors.department_list()
        .order_by()
        .values_list("id", "name", "level", "is_enforcement"),
    }


def _read(qs: QuerySet, schema: dict) -> pl.DataFrame:
    sql, params = qs.query.sql_with_params()
    if connection.vendor == "postgresql":
        # COPY streams the rows as CSV, read by Polars in one pass: several times faster
        # than fetching millions of tuples into Python.
        with connection.cursor() as cursor:
            buffer = io.BytesIO()
            with cursor.cursor.copy(
                f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params or None
            ) as copy:
                for chunk in copy:
                    buffer.write(chunk)
        if not buffer.getbuffer().nbytes:
            return pl.DataFrame(schema=schema)
        buffer.seek(0)
        read = {k: (pl.String if v in (pl.Date, pl.Boolean) else v) for k, v in schema.items()}
        frame = pl.read_csv(
            buffer, has_header=False, new_columns=list(schema), schema_overrides=read
        )
        return frame.with_columns(
            *(pl.col(k).str.to_date() for k, v in schema.items() if v == pl.Date),
            *(pl.col(k) == "t" for k, v in schema.items() if v == pl.Boolean),
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # SQLite hands dates back as dates (declared types) and booleans as 0 and 1.
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(schema)
    return pl.DataFrame(
        {k: _series(k, values, v) for (k, v), values in zip(schema.items(), columns, strict=True)}
    )


def _series(name: str, values, dtype) -> pl.Series:
    if dtype == pl.Date and any(isinstance(v, str) for v in values):
        # A computed date (TruncDate) comes back from SQLite as text.
        return pl.Series(name, values, dtype=pl.String).str.to_date()
    return pl.Series(name, values, dtype=pl.Int8 if dtype == pl.Boolean else dtype).cast(dtype)


def _contacts(
    actions: pl.DataFrame,
    visits: pl.DataFrame,
    departments: pl.DataFrame,
    attributes: pl.DataFrame,
) -> pl.DataFrame:
    """The contacts rows of actions and non-enforcement visits as read (_ACTION_SCHEMA,
    _VISIT_SCHEMA)."""
    empty = pl.lit(None, dtype=pl.String)
    actions = actions.select(
        source=pl.lit("action"),
        id=pl.col("id"),
        enterprise_id=pl.col("enterprise_id"),
        department_id=pl.col("department_id"),
        level=pl.col("level"),
        date=pl.col("date"),
        kind=pl.col("kind"),
        origin=pl.col("origin").replace("", None),
        purpose=empty,
        joint_ref=pl.col("joint_ref").replace("", None),
        visit_id=pl.col("visit_id"),
        finding=pl.col("finding").replace("", None),
        lag=(pl.col("recorded") - pl.col("date")).dt.total_days().cast(pl.Int32),
        off_site=pl.col("mode") == "off_site",
    )
    visits = visits.join(
        departments.select("department_id", "level"), on="department_id", how="left"
    ).select(
        source=pl.lit("visit"),
        id=pl.col("id"),
        enterprise_id=pl.col("enterprise_id"),
        department_id=pl.col("department_id"),
        level=pl.col("level"),
        date=pl.col("date"),
        kind=pl.lit("non_enforcement"),
        origin=pl.col("origin").replace("", None),
        purpose=pl.col("purpose").replace("", None),
        joint_ref=empty,
        visit_id=pl.col("id"),
        finding=empty,
        lag=pl.lit(None, dtype=pl.Int32),
        off_site=pl.lit(False),
    )
    contacts = pl.concat([actions, visits], how="vertical_relaxed")
    return contacts.join(attributes, on="enterprise_id", how="left").with_columns(
        pl.col("source").cast(pl.Categorical),
        pl.col("kind").cast(pl.Enum(KINDS)),
        pl.col("level").cast(pl.Categorical),
        pl.col("origin").cast(pl.Categorical),
        pl.col("purpose").cast(pl.Categorical),
        pl.col("finding").cast(pl.Categorical),
        pl.col("industry_section").cast(pl.Categorical),
        pl.col("size_class").cast(pl.Categorical),
        pl.col("grade").cast(pl.Categorical),
    )


full_loads = 0  # whole reads kept (tests: a write to actions or visits needs none on PostgreSQL)


def _load(mark: refresh.Mark | None) -> Facts:
    global full_loads
    full_loads += mark is not None
    statements = _statements()
    actions = _read(statements["actions"], _ACTION_SCHEMA)
    visits = _read(statements["visits"], _VISIT_SCHEMA)
    members = _read(statements["members"], _MEMBER_SCHEMA).drop_nulls()
    enterprises = _read(statements["enterprises"], _ENTERPRISE_SCHEMA).with_columns(
        key=pl.col("four_above") | pl.col("above_scale"),
        industry_section=pl.col("industry_section").replace("", None),
        size_class=pl.col("size_class").replace("", None),
    )
    departments = _read(statements["departments"], _DEPARTMENT_SCHEMA)
    attributes = enterprises.select(
        "enterprise_id", "street_id", "industry_section", "size_class", "key", "grade"
    )
    contacts = _contacts(actions, visits, departments, attributes)
    return Facts(
        contacts=contacts.rechunk(),
        members=members,
        enterprises=attributes,
        departments=departments,
        token=mark.token if mark else None,
        names=dict(zip(departments["department_id"], departments["name"], strict=True)),
        enterprise_names=enterprises.select("enterprise_id", "name", "credit_code"),
        mark=mark,
    )


def read_ids(qs: QuerySet, ids: list[int], schema: dict) -> pl.DataFrame:
    """`_read` of the rows of `qs` with these primary keys."""
    if not ids:
        return pl.DataFrame(schema=schema)
    return _read(qs.filter(pk__in=ids), schema)


def replaced(frame: pl.DataFrame, drop: pl.Expr, new: pl.DataFrame) -> pl.DataFrame:
    """`frame` without the rows `drop` selects, plus `new`: rows read again after a write.
    Appended rows (the usual case) cost no copy of the frame; its pieces are joined up now
    and then."""
    if frame.select(drop.any()).item():
        frame = frame.filter(~drop)
    frame = pl.concat([frame, new.select(frame.columns).cast(frame.schema)], rechunk=False)
    return frame.rechunk() if frame.n_chunks() > 32 else frame


def _apply(cached: Facts, changed: dict[str, set[int]], mark: refresh.Mark) -> Facts:
    """`cached` with the actions and visits in `changed` read again (refresh.py)."""
    actions_changed = sorted(changed.get("action", ()))
    visits_changed = sorted(changed.get("visit", ()))
    contacts, members = cached.contacts, cached.members
    if actions_changed or visits_changed:
        statements = _statements()
        actions = read_ids(statements["actions"], actions_changed, _ACTION_SCHEMA)
        visits = read_ids(statements["visits"], visits_changed, _VISIT_SCHEMA)
        new_members = read_ids(statements["members"], visits_changed, _MEMBER_SCHEMA)
        new_members = new_members.drop_nulls()
        action_ids = pl.Series(actions_changed, dtype=pl.Int64).implode()
        visit_ids = pl.Series(visits_changed, dtype=pl.Int64).implode()
        drop = (
            pl.when(pl.col("source") == "action")
            .then(pl.col("id").is_in(action_ids))
            .otherwise(pl.col("id").is_in(visit_ids))
        )
        contacts = replaced(
            contacts,
            drop,
            _contacts(actions, visits, cached.departments, cached.enterprises),
        )
        members = replaced(members, pl.col("visit_id").is_in(visit_ids), new_members)
    return replace(cached, contacts=contacts, members=members, token=mark.token, mark=mark)


_lock = threading.Lock()
_cached: Facts | None = None


def _tables() -> list[str]:
    found: set[str] = set()
    for qs in _statements().values():
        sql, _params = qs.query.sql_with_params()
        found.update(_TABLES.findall(sql))
    return sorted(found)


_table_names: list[str] | None = None


def facts() -> Facts:
    """The facts, brought up to date when a table they come from has changed since: the
    actions and visits written since read again (refresh.py), or everything."""
    global _cached, _table_names
    if _table_names is None:
        _table_names = _tables()
    now = refresh.tokens(_table_names)
    cached = _cached
    if now is not None and cached is not None and cached.mark.tokens == now:
        return cached
    with _lock:
        mark = refresh.mark(_table_names)
        cached = _cached
        if mark is None:  # untracked, or written in this open transaction: not kept
            return _load(None)
        if cached is not None and cached.mark.tokens == mark.tokens:
            return cached
        changed = refresh.changes(cached.mark, mark.tokens) if cached is not None else None
        _cached = _load(mark) if changed is None else _apply(cached, changed, mark)
        return _cached


def forget() -> None:
    """Drop the facts kept in this process (tests, and the benchmark's cold timings)."""
    global _cached
    _cached = None


def _scope_conditions(scope: Scope, members: pl.DataFrame) -> list[pl.Expr]:
    """What the viewer may see (wurao/accounts/scope.py), as the selectors give it."""
    if scope.sees_all:
        return []
    if scope.sees_nothing:
        return [pl.lit(False)]
    if scope.department_id:
        return [_department_is(scope.department_id, members)]
    if scope.street_id:
        return [pl.col("street_id") == scope.street_id]
    return [pl.col("enterprise_id") == scope.enterprise_id]


def _department_is(department_id: int, members: pl.DataFrame) -> pl.Expr:
    # An action is its department's; a visit is every department's that took part in it.
    took_part = members.filter(pl.col("member_id") == department_id)["visit_id"]
    return (
        pl.when(pl.col("source") == "action")
        .then(pl.col("department_id") == department_id)
        .otherwise(pl.col("id").is_in(took_part.implode()))
    )


def _slice_conditions(slice_: Slice, members: pl.DataFrame) -> list[pl.Expr]:
    """The slice's period and filters."""
    conditions = [pl.col("date").is_between(slice_.date_from, slice_.date_to)]
    if slice_.department_id:
        conditions.append(_department_is(slice_.department_id, members))
    if slice_.level:
        conditions.append(pl.col("level") == slice_.level)
    if slice_.street_id:
        conditions.append(pl.col("street_id") == slice_.street_id)
    if slice_.industry_section:
        conditions.append(pl.col("industry_section") == slice_.industry_section)
    if slice_.grade == UNGRADED:
        conditions.append(pl.col("grade").is_null())
    elif slice_.grade:
        conditions.append(pl.col("grade") == slice_.grade)
    if slice_.size_class:
        conditions.append(pl.col("size_class") == slice_.size_class)
    return conditions


def scoped(frame: pl.DataFrame, scope: Scope, members: pl.DataFrame) -> pl.DataFrame:
    """The contacts the viewer may see."""
    conditions = _scope_conditions(scope, members)
    return frame.filter(*conditions) if conditions else frame


def sliced(frame: pl.DataFrame, slice_: Slice, members: pl.DataFrame) -> pl.DataFrame:
    """The contacts in the slice's period and filters."""
    return frame.filter(*_slice_conditions(slice_, members))


def contacts_lazy(*, scope: Scope, slice: Slice | None = None) -> pl.LazyFrame:  # noqa: A002
    """`contacts()` as a LazyFrame: the figures' group-bys read only the columns they use,
    and several run together (pl.collect_all), instead of copying the whole filtered frame
    (5,000,000 rows of 17 columns) first."""
    f = facts()
    conditions = _scope_conditions(scope, f.members)
    if slice is not None:
        conditions += _slice_conditions(slice, f.members)
    frame = f.contacts.lazy()
    return frame.filter(*conditions) if conditions else frame


def on_site(frame: pl.LazyFrame | pl.DataFrame):
    """The contacts that entered the enterprise: all but off-site inspections, which count as
    inspections and never as visits (入企)."""
    return frame.filter(~pl.col("off_site"))


def contacts(*, scope: Scope, slice: Slice | None = None) -> pl.DataFrame:  # noqa: A002
    """The contacts the viewer may see, in the slice (every date when None)."""
    return contacts_lazy(scope=scope, slice=slice).collect()


def enterprises_in(*, scope: Scope, slice: Slice | None = None) -> pl.DataFrame:
    """The enterprises (and their attributes) the viewer's scope and the slice's enterprise
    filters cover: the denominator of "share of enterprises" figures."""
    frame = facts().enterprises
    if scope.street_id:
        frame = frame.filter(pl.col("street_id") == scope.street_id)
    elif scope.enterprise_id:
        frame = frame.filter(pl.col("enterprise_id") == scope.enterprise_id)
    elif scope.sees_nothing:
        return frame.clear()
    if slice is not None:
        for column, value in (
            ("street_id", slice.street_id),
            ("industry_section", slice.industry_section),
            ("grade", slice.grade),
            ("size_class", slice.size_class),
        ):
            if column == "grade" and value == UNGRADED:
                frame = frame.filter(pl.col("grade").is_null())
            elif value:
                frame = frame.filter(pl.col(column) == value)
    return frame


def department_names() -> dict[int, str]:
    return facts().names


def enterprise_names(ids) -> dict[int, tuple[str, str]]:
    """{enterprise id: (name, credit code)} for `ids` (any iterable of ids)."""
    wanted = pl.Series("enterprise_id", list(ids), dtype=pl.Int64)
    found = facts().enterprise_names.filter(pl.col("enterprise_id").is_in(wanted.implode()))
    return {pk: (name, code) for pk, name, code in found.iter_rows()}
