"""The visit registry's SQL, kept here in one place: what every registration runs is written
out by hand where the ORM cost more than the database (decision 0002).

Building these statements with the ORM cost 2.3 ms of CPU a registration (the lock's three
subqueries 1.4 ms), more than the rest of its reads together; as SQL they cost 0.4 ms. Every
table and column name comes from the models (`Model._meta`), so a renamed field or table
changes the SQL with it; the statements are built once per database vendor. They run on
SQLite and PostgreSQL, and the tests of the rules run them on both.

Locks are taken by the registration service, through `registration_lookup` or
`enterprise_lock`, inside its transaction: nothing here opens one.
"""

import json
from dataclasses import dataclass
from datetime import date
from functools import cache

from django.db import connection
from django.db.models import Model

from wurao.audit.services import chain_lock_sql
from wurao.catalogue.models import InspectionItem
from wurao.common import rawsql
from wurao.credit.models import EnterpriseGrade, PointsTableVersion
from wurao.registry.models import Department, Enterprise, Inspector
from wurao.visits.models import ClientRequest, Visit


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _col(model: type[Model], field: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(field).column)


@dataclass(frozen=True)
class Locked:
    """What a registration learns while it holds the enterprise's row lock."""

    existing_visit_id: int | None  # the visit registered earlier under the same client id
    grade: str
    grade_effect: dict | None


@dataclass(frozen=True)
class RegistrationLookup:
    """What a registration names, found by its codes: whether this user already sent this
    client id (the ClientRequest's id), the enterprise (locked, with its grade and any visit
    registered under the client id), and the officers and items by code (a code not found is
    missing from the dict)."""

    earlier_request_id: int | None
    enterprise: Enterprise | None
    locked: Locked | None  # what enterprise_lock reads (None for an unknown enterprise)
    officers: dict[str, Inspector]
    items: dict[str, InspectionItem]


def _grade_effect(vendor: str) -> str:
    """What the credit table that graded the enterprise says its grade means, as JSON text,
    from `g` (the enterprise's grade) joined to `t` (the points table version)."""
    table, grade = _col(PointsTableVersion, "table"), _col(EnterpriseGrade, "grade")
    if vendor == "postgresql":
        return f"t.{table} -> 'effects' ->> g.{grade}"
    return f"json_extract(t.{table}, '$.effects.' || g.{grade})"


def _grade_joins() -> str:
    """The enterprise `e`'s grade `g` and the table version `t` that gave it."""
    g, t = EnterpriseGrade, PointsTableVersion
    return (
        f"LEFT JOIN {_table(g)} g ON g.{_col(g, 'enterprise')} = e.{_col(Enterprise, 'id')} "
        f"LEFT JOIN {_table(t)} t ON t.{_col(t, 'id')} = g.{_col(g, 'table_version')}"
    )


def _visit_by_client_id() -> str:
    v = Visit
    return f"(SELECT v.{_col(v, 'id')} FROM {_table(v)} v WHERE v.{_col(v, 'client_id')} = %s)"


_DEPARTMENT_FIELDS = ("id", "code", "name", "level", "is_enforcement")
_OFFICER_FIELDS = ("id", "badge_no", "name", "certificate_valid_until", "active")
_ITEM_FIELDS = ("id", "code", "name", "law", "article", "active")


@cache
def _lookup_statement(vendor: str) -> str:
    if vendor == "postgresql":
        obj, codes, as_text, lock = "json_build_object", "= ANY(%s::text[])", "::text", "FOR UPDATE"
    else:  # SQLite: the transaction holds the whole database (BEGIN IMMEDIATE)
        obj, codes, as_text, lock = "json_object", "IN (SELECT value FROM json_each(%s))", "", ""
    d = Department
    department = ", ".join(f"'d_{f}', d.{_col(d, f)}" for f in _DEPARTMENT_FIELDS)
    e, r, o, i = Enterprise, ClientRequest, Inspector, InspectionItem

    def pairs(model, alias: str, fields) -> str:
        return ", ".join(f"'{f}', {alias}.{_col(model, f)}" for f in fields)

    return f"""
        WITH e AS (
            SELECT {_col(e, "id")}, {_col(e, "credit_code")}, {_col(e, "name")}
            FROM {_table(e)} WHERE {_col(e, "credit_code")} = %s
            {lock}
        )
        SELECT 'c', {obj}('id', r.{_col(r, "id")}){as_text} FROM {_table(r)} r
        WHERE r.{_col(r, "user")} = %s AND r.{_col(r, "client_id")} = %s
        UNION ALL
        SELECT 'e', {obj}({pairs(e, "e", ("id", "credit_code", "name"))},
            'visit', {_visit_by_client_id()},
            'grade', g.{_col(EnterpriseGrade, "grade")}, 'effect', {_grade_effect(vendor)}){as_text}
        FROM e {_grade_joins()}
        UNION ALL
        SELECT 'o', {obj}({pairs(o, "o", _OFFICER_FIELDS)}, {department}){as_text}
        FROM {_table(o)} o JOIN {_table(d)} d ON d.{_col(d, "id")} = o.{_col(o, "department")}
        WHERE o.{_col(o, "badge_no")} {codes}
        UNION ALL
        SELECT 'i', {obj}({pairs(i, "i", _ITEM_FIELDS)}, {department}){as_text}
        FROM {_table(i)} i JOIN {_table(d)} d ON d.{_col(d, "id")} = i.{_col(i, "department")}
        WHERE i.{_col(i, "code")} {codes}
        """


def registration_lookup(
    *, user_id: int, client_id, credit_code: str, badges: list[str], item_codes: list[str]
) -> RegistrationLookup:
    """Everything a registration reads before it judges, in one statement: four look-ups,
    one row each for what was found, as JSON; the enterprise locked as `enterprise_lock`
    locks it, with what that reads. Call inside the transaction that registers. Officers and
    items come with their department; any department's, and withdrawn items too, so that the
    checks can say what is wrong with them. Fields not read here load on access."""
    if connection.vendor == "postgresql":
        badge_param, item_param = list(badges), list(item_codes)
    else:
        badge_param, item_param = json.dumps(badges), json.dumps(item_codes)
    client = ClientRequest._meta.get_field("client_id").get_db_prep_value(client_id, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            _lookup_statement(connection.vendor),
            [credit_code, user_id, client, client, badge_param, item_param],
        )
        rows = [(kind, json.loads(text)) for kind, text in cursor.fetchall()]
    departments: dict[int, Department] = {}

    def with_department(model, row: dict, fields) -> Model:
        d = row["d_id"]
        if d not in departments:
            columns = {f: row[f"d_{f}"] for f in _DEPARTMENT_FIELDS}
            columns["is_enforcement"] = bool(columns["is_enforcement"])  # SQLite: 0 or 1
            departments[d] = rawsql.loaded(Department, columns)
        values = {f: row[f] for f in fields} | {"department_id": d, "active": bool(row["active"])}
        instance = rawsql.loaded(model, values)
        instance.department = departments[d]
        return instance

    earlier, enterprise, locked, officers, items = None, None, None, {}, {}
    for kind, row in rows:
        if kind == "c":
            earlier = row["id"]
        elif kind == "e":
            effect = row.pop("effect")  # JSON text, or (SQLite) already nested
            locked = Locked(
                row.pop("visit"),
                row.pop("grade") or "U",
                json.loads(effect) if isinstance(effect, str) else effect,
            )
            enterprise = rawsql.loaded(Enterprise, row)
        elif kind == "o":
            valid_until = row["certificate_valid_until"]
            row["certificate_valid_until"] = valid_until and date.fromisoformat(valid_until)
            officer = with_department(
                Inspector, row, ("id", "badge_no", "name", "certificate_valid_until")
            )
            officers[row["badge_no"]] = officer
        else:
            items[row["code"]] = with_department(
                InspectionItem, row, ("id", "code", "name", "law", "article")
            )
    return RegistrationLookup(earlier, enterprise, locked, officers, items)


@cache
def _lock_statement(vendor: str) -> str:
    # SQLite needs no row lock: a transaction holds the whole database (BEGIN IMMEDIATE).
    lock = "FOR UPDATE OF e" if vendor == "postgresql" else ""
    e = Enterprise
    return f"""
        SELECT {_visit_by_client_id()}, g.{_col(EnterpriseGrade, "grade")}, {_grade_effect(vendor)}
        FROM {_table(e)} e {_grade_joins()}
        WHERE e.{_col(e, "id")} = %s
        {lock}
        """


def enterprise_lock(*, enterprise_id: int, client_id=None) -> Locked:
    """Lock the enterprise's row until the transaction ends (registrations for one enterprise
    are judged one at a time) and read, in the same statement, its grade with what the table
    that gave it says the grade means, and the visit an earlier attempt with this client id
    registered. Call inside a transaction."""
    client = Visit._meta.get_field("client_id").get_db_prep_value(client_id, connection)
    with connection.cursor() as cursor:
        cursor.execute(_lock_statement(connection.vendor), [client, enterprise_id])
        existing, grade, effect_json = cursor.fetchone()
    # The effect comes as JSON text from both databases (->> and json_extract).
    return Locked(existing, grade or "U", json.loads(effect_json) if effect_json else None)


@cache
def _history_statement(vendor: str) -> str:
    v, i, d = Visit, InspectionItem, Department
    departments, items = Visit._meta.get_field("departments"), Visit._meta.get_field("items")
    quote = connection.ops.quote_name
    vd, vi = quote(departments.m2m_db_table()), quote(items.m2m_db_table())
    vd_visit, vd_department = (
        quote(departments.m2m_column_name()),
        quote(departments.m2m_reverse_name()),
    )
    vi_visit, vi_item = quote(items.m2m_column_name()), quote(items.m2m_reverse_name())
    columns = ", ".join(
        f"v.{_col(v, f)}" for f in ("id", "code", "date", "kind", "origin", "status")
    )
    return f"""
        SELECT {columns}, vd.{vd_department},
               i.{_col(i, "law")}, i.{_col(i, "article")}, i.{_col(i, "name")}, d.{_col(d, "level")}
        FROM {_table(v)} v
        LEFT JOIN {vd} vd ON vd.{vd_visit} = v.{_col(v, "id")}
        LEFT JOIN {vi} vi ON vi.{vi_visit} = v.{_col(v, "id")}
        LEFT JOIN {_table(i)} i ON i.{_col(i, "id")} = vi.{vi_item}
        LEFT JOIN {_table(d)} d ON d.{_col(d, "id")} = i.{_col(i, "department")}
        WHERE v.{_col(v, "enterprise")} = %s AND v.{_col(v, "date")} >= %s
          AND v.{_col(v, "date")} <= %s
          AND v.{_col(v, "status")} IN (%s, %s, %s) AND v.{_col(v, "id")} <> %s
        """


def history_rows(
    *, enterprise_id: int, start: date, end: date, statuses, exclude_pk: int | None
) -> list[tuple]:
    """An enterprise's visits between two days in the given (three) statuses, as plain rows
    (id, code, date, kind, origin, status, department id, item law, article, name, level):
    a visit's row once per department × item (an enterprise has a few visits a year)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _history_statement(connection.vendor),
            [
                enterprise_id,
                connection.ops.adapt_datefield_value(start),
                connection.ops.adapt_datefield_value(end),
                *map(str, statuses),
                exclude_pk or 0,
            ],
        )
        return cursor.fetchall()


def visit_insert(visit: Visit, **links) -> bool:
    """Save a new visit with its departments, officers and items, in SQL: every registration
    does it, and the ORM took longer to build these statements than the database to run
    them (a new visit has no links, so `.set()`'s look-ups are not needed either). On
    PostgreSQL one statement writes all four tables (each link table in a data-modifying
    WITH, with the ids as an array) and takes the audit chain's lock for the event that
    follows (True: taken); on SQLite, in-process, one statement a table."""
    quote = connection.ops.quote_name
    sql, params = rawsql.insert_statement(visit)
    tables = []
    for name, objects in links.items():
        field = Visit._meta.get_field(name)
        table = quote(field.m2m_db_table())
        columns = f"{quote(field.m2m_column_name())}, {quote(field.m2m_reverse_name())}"
        tables.append((f"{table} ({columns})", sorted({o.pk for o in objects})))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            writes = [f"visit AS ({sql})"] + [
                f"link{n} AS (INSERT INTO {target} SELECT visit.id, unnest(%s::bigint[]) FROM visit)"
                for n, (target, _) in enumerate(tables)
            ]
            lock, lock_params = chain_lock_sql()
            cursor.execute(
                f"WITH {', '.join(writes)} SELECT id, {lock} FROM visit",
                params + [pks for _, pks in tables] + lock_params,
            )
            rawsql.inserted(visit, cursor.fetchone()[0])
            return True
        cursor.execute(sql, params)
        rawsql.inserted(visit, cursor.fetchone()[0])
        for target, pks in tables:
            if pks:
                cursor.execute(
                    f"INSERT INTO {target} VALUES " + ", ".join(["(%s, %s)"] * len(pks)),
                    [value for pk in pks for value in (visit.pk, pk)],
                )
    return False


# ---------------------------------------------------------------- the public code check


def _order_by(model: type[Model], alias: str) -> str:
    """The model's default ordering (Meta.ordering) as SQL, as the ORM's prefetch applies it."""
    parts = []
    for name in model._meta.ordering:
        descending = name.startswith("-")
        field = model._meta.get_field(name.lstrip("-"))
        parts.append(
            f"{alias}.{connection.ops.quote_name(field.column)}" + (" DESC" if descending else "")
        )
    return ", ".join(parts)


@cache
def _code_check_statements(vendor: str) -> tuple[str, dict[str, str]]:
    v, e, d = Visit, Enterprise, Department
    visit = f"""
        SELECT {rawsql.columns(v, "v")}, {rawsql.columns(e, "e")}, {rawsql.columns(d, "d")}
        FROM {_table(v)} v
        JOIN {_table(e)} e ON e.{_col(e, "id")} = v.{_col(v, "enterprise")}
        JOIN {_table(d)} d ON d.{_col(d, "id")} = v.{_col(v, "department")}
        WHERE v.{_col(v, "code")} = %s
        """
    links = {}
    for name in ("departments", "officers", "items"):
        field = Visit._meta.get_field(name)
        model = field.related_model
        quote = connection.ops.quote_name
        links[name] = f"""
            SELECT {rawsql.columns(model, "r")}
            FROM {_table(model)} r
            JOIN {quote(field.m2m_db_table())} m ON m.{quote(field.m2m_reverse_name())} = r.{_col(model, "id")}
            WHERE m.{quote(field.m2m_column_name())} = %s
            ORDER BY {_order_by(model, "r")}
            """
    return visit, links


def visit_for_check(code: str) -> Visit | None:
    """The visit with this code, with its enterprise, lead department, departments, officers
    and items loaded, as `select_related` and `prefetch_related` would load them (the public
    code check, the most frequent request of all: as the ORM, its five statements cost more
    CPU to build than to run)."""
    visit_sql, links = _code_check_statements(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(visit_sql, [code])
        row = cursor.fetchone()
        if row is None:
            return None
        widths = [rawsql.width(m) for m in (Visit, Enterprise, Department)]
        visit = rawsql.from_row(Visit, row[: widths[0]])
        enterprise = rawsql.from_row(Enterprise, row[widths[0] : widths[0] + widths[1]])
        lead = rawsql.from_row(Department, row[widths[0] + widths[1] :])
        Visit._meta.get_field("enterprise").set_cached_value(visit, enterprise)
        Visit._meta.get_field("department").set_cached_value(visit, lead)
        visit._prefetched_objects_cache = {}
        for name, sql in links.items():
            cursor.execute(sql, [visit.pk])
            manager = getattr(visit, name)
            related = manager._apply_rel_filters(manager.model._default_manager.all())
            related._result_cache = [rawsql.from_row(manager.model, r) for r in cursor.fetchall()]
            related._prefetch_done = True
            visit._prefetched_objects_cache[name] = related
    return visit
