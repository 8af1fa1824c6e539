"""Table versions: a statement trigger on every layer table bumps layers_table_version, so a count cached by
any worker is reused only while the table has not changed (imports and edits included)."""
from __future__ import annotations

import time

from django.db import connection, connections
from psycopg import sql

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
            cursor.execute("SELECT relkind IN ('r', 'p') FROM pg_class WHERE oid = to_regclass(%s)", [table])
            row = cursor.fetchone()
            if row and row[0]:  # tables only: views (e.g. reports_public) are never cached
                cursor.execute(sql.SQL(TRIGGER).format(table=sql.Identifier(table)))


_TRACKED: tuple[float, frozenset[str]] = (0.0, frozenset())
TRACKED_TTL = 300.0


def is_tracked(table: str) -> bool:
    """Whether the table carries the version trigger (checked every few minutes per process)."""
    global _TRACKED
    checked, tables = _TRACKED
    if time.monotonic() - checked > TRACKED_TTL:
        with connection.cursor() as cursor:
            cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = 'layers_version'")
            tables = frozenset(row[0].strip('"') for row in cursor.fetchall())
        _TRACKED = (time.monotonic(), tables)
    return table in tables
