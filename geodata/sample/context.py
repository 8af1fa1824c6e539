"""The generator's session context: seed, keyed random functions, weighted communes, settled areas."""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import UTC, datetime

from django.apps import apps
from psycopg import sql

from geodata.sample import places
from geodata.sample.sqlrun import run, run_all

# The sample's "now": observations end here, incidents and indicator periods lead up to it. Fixed (not the
# wall clock) so that tests and alert rules are deterministic. 2026-11-01 00:00 in Vietnam (UTC+7).
REFERENCE_TIME = datetime(2026, 10, 31, 17, 0, tzinfo=UTC)


def geodata_tables(synthetic_only: bool = False) -> tuple[str, ...]:
    """Tables of the geodata models; with synthetic_only, those whose rows this generator writes and flags
    (raster registrations are managed by geodata.rasters, not cleared here)."""
    models = [m for m in apps.get_app_config("geodata").get_models() if m._meta.db_table != "geodata_rasterlayer"]
    return tuple(
        m._meta.db_table for m in models if not synthetic_only or any(f.name == "synthetic" for f in m._meta.fields)
    )


# Single-column foreign keys pointing at a table: (referencing table, its column, the referenced column).
REFERENCING = """SELECT r.relname, a.attname, pa.attname
    FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
    JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1]
    WHERE c.contype = 'f' AND c.confrelid = %s::regclass AND cardinality(c.conkey) = 1 AND c.conrelid <> c.confrelid
    ORDER BY 1, 2"""


def _delete(cursor, table: str, condition: sql.Composable, depth: int = 0) -> None:
    """Delete rows of `table` meeting `condition`, after the rows of any table that reference them (sensor
    observations, indicator values, other apps' camera probes...), which would otherwise block the delete."""
    cursor.execute(REFERENCING, [table])
    for child, column, parent_column in cursor.fetchall() if depth < 4 else []:
        child_condition = sql.SQL("{} IN (SELECT {} FROM {} WHERE {})").format(
            sql.Identifier(column), sql.Identifier(parent_column), sql.Identifier(table), condition
        )
        _delete(cursor, child, child_condition, depth + 1)
    cursor.execute(sql.SQL("DELETE FROM {} WHERE {}").format(sql.Identifier(table), condition))


def clear(cursor) -> None:
    """Delete every synthetic row and what hangs on it (imported, non-synthetic rows stay)."""
    for table in geodata_tables(synthetic_only=True):
        _delete(cursor, table, sql.SQL("synthetic"))


def prepare(cursor, volumes, seed: int) -> dict[str, int]:
    """Create the temporary functions and tables every later step uses."""
    params = {
        "seed": str(seed),
        "density": json.dumps(places.DISTRICT_DENSITY),
        "poverty": json.dumps(places.DISTRICT_POVERTY),
        "forest": list(places.FOREST_DISTRICTS),
    }
    run_all(cursor, "context.sql", params)
    load_named_lines(cursor)
    run_all(cursor, "settlement.sql")
    cursor.execute("SELECT count(*), round(sum(ST_Area(geom::geography)) / 1e6) FROM sample_settlement")
    communes, settled_km2 = cursor.fetchone()
    return {"communes": communes, "settled km2": int(settled_km2)}


BULK_ROWS = 50_000  # below this, keeping the indexes is cheaper than rebuilding them


@contextmanager
def indexes_rebuilt(cursor, tables: tuple[str, ...], rows: int):
    """For a bulk insert of `rows` rows, drop the secondary indexes of the tables and rebuild them after (far
    faster, notably the GiST ones); constraint indexes stay. Inside the caller's transaction."""
    if rows < BULK_ROWS:
        yield
        return
    cursor.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
        [list(tables)],
    )
    definitions = cursor.fetchall()
    for name, _ in definitions:
        cursor.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
    yield
    # deferred foreign-key checks of the new rows must run before an index can be built on their table
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for _, definition in definitions:
        cursor.execute(definition)  # the definition PostgreSQL itself reported for this index
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _wkt(points: list[tuple[float, float]]) -> str:
    return "LINESTRING(" + ", ".join(f"{x} {y}" for x, y in points) + ")"


def load_named_lines(cursor) -> None:
    """Routes, rivers and railways of places.py into the session's sample_line table."""
    rows = [("road", ref, name, cls, pts) for ref, name, cls, pts in places.ROUTES]
    rows += [("river", name, name, kind, pts) for name, kind, pts in places.RIVERS]
    rows += [("rail", name, name, status, pts) for name, status, pts in places.RAILWAYS]
    for layer, ref, name, cls, pts in rows:
        run(cursor, "lines.sql", "add_line", {"layer": layer, "ref": ref, "name": name, "cls": cls, "wkt": _wkt(pts)})


def finish(cursor) -> None:
    """Drop the session's temporary tables."""
    for table in (
        "sample_parcel_part",
        "sample_parcel_area",
        "sample_settlement",
        "sample_commune_part",
        "sample_commune",
        "sample_line",
        "sample_sensor_meta",
    ):
        cursor.execute(f"DROP TABLE IF EXISTS {table}")  # constant names


def sql_params(**extra) -> dict:
    """Parameters every statement may use: the reference time as `now`, plus the step's own."""
    return {"now": REFERENCE_TIME, **extra}


def count(cursor, table: str) -> int:
    """Synthetic rows of one table."""
    cursor.execute(f"SELECT count(*) FROM {table} WHERE synthetic")  # constant names from the steps
    return cursor.fetchone()[0]


__all__ = ["REFERENCE_TIME", "clear", "prepare", "finish", "sql_params", "count", "run"]
