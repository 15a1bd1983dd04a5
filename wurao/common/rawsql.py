"""Model instances from rows read in plain SQL, for the few statements on a hot path that are
written out by hand (the ORM can take longer to build a small statement than the database
takes to run it; see docs/decisions/0002). The columns come from the models' own metadata, so
these statements follow the schema; values are converted as the ORM converts them.
"""

from functools import cache

from django.db import connection
from django.db.models import Model
from django.db.models.expressions import Col


def loaded(model: type[Model], values: dict) -> Model:
    """An instance as if read from the database with these columns (by attname, values
    already Python's); the model's other fields are deferred and load when first read."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(connection.alias, names, [values[n] for n in names])


def columns(model: type[Model], alias: str) -> str:
    """Every concrete column of the model, for a SELECT list: `alias.col, alias.col, ...`."""
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(f.column)}" for f in model._meta.concrete_fields)


@cache
def _converters(model: type[Model], vendor: str) -> list[tuple[int, Col, list]]:
    """For each column needing it, what the ORM would apply to the value the driver gives."""
    found = []
    for index, field in enumerate(model._meta.concrete_fields):
        col = Col(model._meta.db_table, field)
        applied = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if applied:
            found.append((index, col, applied))
    return found


def from_row(model: type[Model], row) -> Model:
    """An instance from the values of `columns(model, ...)`, in their order."""
    values = list(row)
    for index, col, applied in _converters(model, connection.vendor):
        for converter in applied:
            values[index] = converter(values[index], col, connection)
    names = [f.attname for f in model._meta.concrete_fields]
    return model.from_db(connection.alias, names, values)


def width(model: type[Model]) -> int:
    """How many values `columns(model, ...)` selects."""
    return len(model._meta.concrete_fields)


def insert_statement(instance: Model) -> tuple[str, list]:
    """INSERT ... RETURNING the key, for a new instance, with the values `save()` would write
    (defaults and auto_now_add filled in on the instance as `save()` fills them). Model
    signals are not sent: for models without receivers."""
    meta = instance._meta
    fields = [f for f in meta.concrete_fields if f is not meta.auto_field]
    values = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    quote = connection.ops.quote_name
    return (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)})"
        f" VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote(meta.pk.column)}",
        values,
    )


def inserted(instance: Model, pk) -> Model:
    """The instance, now saved under `pk` (after `insert_statement`)."""
    instance.pk = pk
    instance._state.adding = False
    instance._state.db = connection.alias
    return instance


def insert(instance: Model, *, also: tuple[str, list] | None = None) -> Model:
    """Save a new instance with `insert_statement`; `also`: an expression (with parameters)
    the statement evaluates once the row is in, e.g. audit.services.chain_lock_sql()."""
    sql, params = insert_statement(instance)
    if also:
        sql, params = f"{sql}, {also[0]}", params + also[1]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return inserted(instance, cursor.fetchone()[0])
