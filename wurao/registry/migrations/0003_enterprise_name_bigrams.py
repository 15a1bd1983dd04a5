"""A name search (企业名称包含“科技”) on PostgreSQL through an index: a GIN index over each
name's two-character substrings (wurao/registry/selectors_search.py). Built CONCURRENTLY,
outside a transaction: 433,407 names take about ten seconds, during which imports go on."""

from django.db import migrations

from wurao.registry.selectors_search import BIGRAMS_FUNCTION, BIGRAMS_INDEX


def _names(apps, schema_editor):
    enterprise = apps.get_model("registry", "Enterprise")
    quote = schema_editor.quote_name
    return quote(enterprise._meta.db_table), quote(enterprise._meta.get_field("name").column)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite reads every name: small districts only
    table, column = _names(apps, schema_editor)
    schema_editor.execute(
        f"""
        CREATE OR REPLACE FUNCTION {BIGRAMS_FUNCTION}(t text) RETURNS text[]
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
            SELECT coalesce(array_agg(substr(t, i, 2)), '{{}}')
            FROM generate_series(1, char_length(t) - 1) AS i
        $$
        """
    )
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {BIGRAMS_INDEX} "
        f"ON {table} USING gin ({BIGRAMS_FUNCTION}({column}))"
    )
    # The planner's statistics of the indexed expression: how many names hold “有限” (most)
    # or “辉凯” (a few) decides between the index and reading the table in code order.
    schema_editor.execute(f"ANALYZE {table}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {BIGRAMS_INDEX}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {BIGRAMS_FUNCTION}(text)")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY

    dependencies = [("registry", "0002_tableversion")]

    operations = [migrations.RunPython(create, drop)]
