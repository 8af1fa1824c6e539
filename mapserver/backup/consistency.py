"""What a restore must redo so the platform answers from the restored data at once, without manual steps.

- Sequences: a restored dump carries its own (older) sequence positions; ids handed out after the backup (a
  report number a citizen was given) must never be given again, so each sequence is set to the highest of its
  position before the restore, its restored position and the largest id in its column (plus an optional gap for
  a restore whose previous database is gone).
- Table versions: the count cache and the tile cache are keyed by table versions (layers.versioning). The
  restored `layers_table_version` holds pre-restore numbers that later writes would hand out again, matching tile
  directories of data that no longer exists; so the version sequence goes through the same high-water rule and
  every tracked table gets a fresh version above anything issued before the restore.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

from layers.versioning import tracked_tables

POSITIONS = """SELECT sequencename, coalesce(last_value, 0) FROM pg_sequences WHERE schemaname = current_schema()"""
OWNED = """
SELECT s.relname, t.relname, a.attname
FROM pg_class s
JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid AND d.deptype IN ('a', 'i')
JOIN pg_class t ON t.oid = d.refobjid
JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
WHERE s.relkind = 'S' AND s.relnamespace = current_schema()::regnamespace
"""
VERSIONED = "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE tgname = 'layers_version'"
BUMP = """
INSERT INTO layers_table_version AS v (table_name, version)
SELECT t, nextval('layers_version_seq') FROM unnest(%(tables)s::text[]) AS t ORDER BY t
ON CONFLICT (table_name) DO UPDATE SET version = excluded.version
"""


def sequence_positions(cursor: psycopg.Cursor) -> dict[str, int]:
    """Every sequence's last value in the current schema (0: never used)."""
    cursor.execute(POSITIONS)
    return {name: int(value) for name, value in cursor.fetchall()}


def raise_sequences(cursor: psycopg.Cursor, before: dict[str, int], gap: int = 0) -> dict[str, int]:
    """Set every sequence past anything it handed out before the restore and any id now in its column."""
    now = sequence_positions(cursor)
    cursor.execute(OWNED)
    columns = {seq: (table, column) for seq, table, column in cursor.fetchall()}
    positions = {}
    for seq, restored in now.items():
        largest = 0
        if seq in columns:
            table, column = columns[seq]
            query = sql.SQL("SELECT coalesce(max({}), 0) FROM {}").format(sql.Identifier(column), sql.Identifier(table))
            cursor.execute(query)
            largest = int(cursor.fetchone()[0])
        target = max(before.get(seq, 0), restored, largest) + (gap if seq != "layers_version_seq" else 0)
        if target > restored:
            cursor.execute("SELECT setval(%s::regclass, %s)", [seq, target])
        positions[seq] = max(target, restored)
    return positions


def bump_versions(cursor: psycopg.Cursor) -> list[str]:
    """Give every versioned table a new version (so no cache entry made before the restore is ever reused)."""
    cursor.execute("SELECT to_regclass('layers_table_version') IS NOT NULL")
    if not cursor.fetchone()[0]:
        return []
    cursor.execute(VERSIONED)
    tables = sorted({row[0].strip('"') for row in cursor.fetchall()} | set(tracked_tables()))
    cursor.execute(BUMP, {"tables": tables})
    return tables
