"""Table versions: a statement trigger on every layer table bumps layers_table_version, so a count cached by
any worker is reused only while the table has not changed (imports and edits included)."""
from __future__ import annotations

from django.db import connections
from psycopg import sql

from layers.pg_catalog import RefreshedNames, is_table
from layers.registry import registry

TRIGGER = ("CREATE OR REPLACE TRIGGER layers_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
           "FOR EACH STATEMENT EXECUTE FUNCTION layers_bump_version()")


def track_layer_tables(using: str = "default", **kwargs) -> None:
    """Attach the version trigger to every registered layer's table (idempotent; runs after migrate)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('layers_table_version') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return
        for table in sorted({spec.table for spec in registry.all()}):
            if is_table(cursor, table):  # tables only: views (e.g. reports_public) are never cached
                cursor.execute(sql.SQL(TRIGGER).format(table=sql.Identifier(table)))


_TRACKED = RefreshedNames("SELECT trim(both '\"' from tgrelid::regclass::text) FROM pg_trigger"
                          " WHERE tgname = 'layers_version'")


def is_tracked(table: str) -> bool:
    """Whether the table carries the version trigger (checked every few minutes per process)."""
    return table in _TRACKED
