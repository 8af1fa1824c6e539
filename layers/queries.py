"""The layers app's SQL, run with bound parameters; identifiers come only from the registry."""
from __future__ import annotations

from pathlib import Path

from django.db import connection
from psycopg import sql

from layers.registry import LayerSpec
from layers.sqlfiles import load_sql

SQL = load_sql(str(Path(__file__).with_name("queries.sql")))
EXACT_COUNT_LIMIT = 1_000_000


def communes_geojson() -> str:
    with connection.cursor() as cursor:
        cursor.execute(SQL["communes_geojson"])
        return cursor.fetchone()[0]


def feature_count(spec: LayerSpec, commune_code: str | None = None) -> tuple[int, bool]:
    """(count, is_estimate): exact below a million rows, else the planner's estimate (unscoped only)."""
    table = sql.Identifier(spec.table)
    with connection.cursor() as cursor:
        if commune_code is None:
            cursor.execute(SQL["estimated_rows"], {"table": spec.table})
            estimate = cursor.fetchone()[0]
            if estimate >= EXACT_COUNT_LIMIT:
                return int(estimate), True
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(table).as_string(cursor.connection))
        else:
            query = sql.SQL("SELECT count(*) FROM {} WHERE {} = %s").format(table, sql.Identifier(spec.commune_field))
            cursor.execute(query.as_string(cursor.connection), [commune_code])
        return int(cursor.fetchone()[0]), False
