"""The search index: an FTS5 table on SQLite, a tsvector column with a GIN index on PostgreSQL
(wurao/standards/sql.py; docs/decisions/0005-standards-search.md)."""

from django.db import migrations

TABLE = "standards_article"


def _run(schema_editor, statements) -> None:
    for statement in statements:
        schema_editor.execute(statement)


def create(apps, schema_editor) -> None:
    from wurao.standards.sql import index_create_statements

    _run(schema_editor, index_create_statements(schema_editor.connection.vendor, TABLE))


def drop(apps, schema_editor) -> None:
    from wurao.standards.sql import index_drop_statements

    _run(schema_editor, index_drop_statements(schema_editor.connection.vendor, TABLE))


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
