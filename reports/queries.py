"""The reports app's SQL (reports/queries.sql), run with bound parameters."""

from __future__ import annotations

from pathlib import Path

from django.db import connection

from layers.sqlfiles import load_sql

SQL = load_sql(str(Path(__file__).with_name("queries.sql")))


def _rows(name: str, params: dict | None = None) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(SQL[name], params or {})
        columns = [c.name for c in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]


def nearby_open(
    lon: float, lat: float, category_id: int, radius_m: float, exclude_id: int = 0, limit: int = 10
) -> list[dict]:
    """Open reports of the category within radius_m metres of the point, nearest first."""
    return _rows(
        "nearby_open",
        {
            "lon": lon,
            "lat": lat,
            "category_id": category_id,
            "radius_m": radius_m,
            "exclude_id": exclude_id,
            "limit": limit,
        },
    )


def open_overdue_by_commune() -> list[dict]:
    """{code, open, overdue} for every commune."""
    return _rows("open_overdue_by_commune")


def sample_points(per_commune: int, seed: int) -> list[dict]:
    """{code, name, lon, lat}: per_commune seeded random points inside each commune."""
    return _rows("sample_points", {"per_commune": per_commune, "seed": seed})
