"""Trigram indexes for the folded search columns on PostgreSQL.

`search_text__contains` becomes `LIKE '%word%'`, which a B-tree cannot serve; on
PostgreSQL a pg_trgm GIN index can. SQLite scans the (small, folded) column.
"""

from django.db import migrations


def trigram_index(table: str) -> migrations.RunPython:
    name = f"{table}_search_trgm"

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_text gin_trgm_ops)"
        )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(forwards, backwards)
