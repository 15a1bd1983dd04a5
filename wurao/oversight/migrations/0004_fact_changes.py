"""Which rows of the dashboard's busy source tables changed, so that a process keeping the
facts frame (wurao/oversight/facts.py, facts_panels.py) reads only those rows again after a
write instead of every row (docs/decisions/0004-oversight-facts.md).

PostgreSQL only: statement triggers with transition tables append, per written statement,
one row (writing transaction, table, key) for every row inserted, updated or deleted in the
enforcement actions, the visits, the visits' departments and items (key: the action's or the
visit's id); a TRUNCATE appends one row without a key (everything changed). Enabled ALWAYS,
as the change tokens are, so a bulk load in replica mode is logged too. SQLite: nothing (the
frame is read again whole, a small district).
"""

from django.db import migrations

LOG = "oversight_factchange"


def _tables(apps) -> dict[str, str]:
    action = apps.get_model("enforcement", "EnforcementAction")
    visit = apps.get_model("visits", "Visit")
    through = {
        name: visit._meta.get_field(name).remote_field.through._meta.db_table
        for name in ("departments", "items")
    }
    return {
        action._meta.db_table: "id",
        visit._meta.db_table: "id",
        through["departments"]: "visit_id",
        through["items"]: "visit_id",
    }


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    q = schema_editor.quote_name
    schema_editor.execute(
        f"CREATE TABLE {LOG} ("
        "id bigserial PRIMARY KEY, "
        "xid xid8 NOT NULL DEFAULT pg_current_xact_id(), "
        "at timestamptz NOT NULL DEFAULT clock_timestamp(), "
        "tbl text NOT NULL, "
        "key bigint)"
    )
    schema_editor.execute(f"CREATE INDEX {LOG}_xid ON {LOG} (xid)")
    schema_editor.execute(
        f"""
        CREATE OR REPLACE FUNCTION wurao_fact_change() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'TRUNCATE' THEN
                INSERT INTO {LOG} (tbl, key) VALUES (TG_TABLE_NAME, NULL);
            ELSIF TG_OP = 'DELETE' THEN
                EXECUTE format('INSERT INTO {LOG} (tbl, key) SELECT %L, %I FROM old_rows',
                               TG_TABLE_NAME, TG_ARGV[0]);
            ELSE  -- INSERT, UPDATE: the new rows (an UPDATE keeps its key; both when not)
                EXECUTE format('INSERT INTO {LOG} (tbl, key) SELECT DISTINCT %L, %I FROM new_rows',
                               TG_TABLE_NAME, TG_ARGV[0]);
                IF TG_OP = 'UPDATE' THEN
                    EXECUTE format('INSERT INTO {LOG} (tbl, key) SELECT DISTINCT %L, o.%I '
                                   'FROM old_rows o WHERE o.%I NOT IN (SELECT %I FROM new_rows)',
                                   TG_TABLE_NAME, TG_ARGV[0], TG_ARGV[0], TG_ARGV[0]);
                END IF;
            END IF;
            RETURN NULL;
        END $$
        """,
        None,  # no parameters: the % of format() stay as they are
    )
    for table, key in _tables(apps).items():
        name = q(table)
        events = {
            "i": ("INSERT", "REFERENCING NEW TABLE AS new_rows"),
            "u": ("UPDATE", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            "d": ("DELETE", "REFERENCING OLD TABLE AS old_rows"),
            "t": ("TRUNCATE", ""),
        }
        for suffix, (event, referencing) in events.items():
            trigger = q(f"wurao_f{suffix}_{table}"[:63])
            schema_editor.execute(
                f"CREATE TRIGGER {trigger} AFTER {event} ON {name} {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION wurao_fact_change('{key}')"
            )
            schema_editor.execute(f"ALTER TABLE {name} ENABLE ALWAYS TRIGGER {trigger}")


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    q = schema_editor.quote_name
    for table in _tables(apps):
        for suffix in "iudt":
            trigger = q(f"wurao_f{suffix}_{table}"[:63])
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {q(table)}")
    schema_editor.execute("DROP FUNCTION IF EXISTS wurao_fact_change()")
    schema_editor.execute(f"DROP TABLE IF EXISTS {LOG}")


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0003_track_visit_items"),
        ("enforcement", "__first__"),
        ("visits", "__first__"),
    ]

    operations = [migrations.RunPython(install, remove)]
