"""Helpers of the import/export tests: small files written with pyogrio, and a layer's fingerprint."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from shapely.geometry import Point, Polygon, box


def fingerprint(table: str) -> tuple[int, str]:
    """Row count and a checksum of every row (attributes and geometry) of a table."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM \"{table}\" t")
        return cursor.fetchone()


def a_commune() -> tuple[str, Point]:
    """A commune code and a point inside it (any commune of the loaded admin units)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT code, ST_X(p), ST_Y(p) FROM (SELECT code, ST_PointOnSurface(geom) p FROM geodata_commune"
            " ORDER BY area_km2 DESC LIMIT 1) s"
        )
        code, x, y = cursor.fetchone()
    return code, Point(x, y)


def parcels(origin: Point, n: int = 3, size: float = 0.0005) -> gpd.GeoDataFrame:
    """n square parcels east of origin, in EPSG:4326, with the land_parcels attributes."""
    geoms = [
        box(origin.x + i * size * 1.5, origin.y, origin.x + i * size * 1.5 + size, origin.y + size) for i in range(n)
    ]
    return gpd.GeoDataFrame(
        {
            "map_sheet_no": [12 + i for i in range(n)],
            "parcel_no": [100 + i for i in range(n)],
            "area_m2": [3025.5 + i for i in range(n)],
            "land_use_code": ["ODT", "LUC", "CLN", "ONT", "RSX"][:n] * 1,
        },
        geometry=geoms,
        crs="EPSG:4326",
    )


def write(frame: gpd.GeoDataFrame, path: Path, **kwargs) -> Path:
    pyogrio.write_dataframe(frame, path, **kwargs)
    return path


def run_import(path: Path, layer: str, *args: str) -> str:
    """Run geodata_import; returns its output; CommandError propagates (a refusal)."""
    from io import StringIO

    out = StringIO()
    try:
        call_command("geodata_import", str(path), "--layer", layer, *args, stdout=out, verbosity=0)
    except CommandError as exc:
        raise AssertionError(f"{exc}\n{out.getvalue()}") from None
    return out.getvalue()


def refused(path: Path, layer: str, *args: str) -> str:
    """Run geodata_import expecting a refusal; returns the printed reasons."""
    from io import StringIO

    out = StringIO()
    with pytest.raises(CommandError):
        call_command("geodata_import", str(path), "--layer", layer, *args, stdout=out, verbosity=0)
    return out.getvalue()


def bow_tie(origin: Point, size: float = 0.001) -> Polygon:
    """A self-intersecting quadrilateral: not safely repairable (make_valid changes its area)."""
    x, y = origin.x, origin.y
    return Polygon([(x, y), (x + size, y + size), (x + size, y), (x, y + size), (x, y)])


def frame_of(table_rows: list[dict], geoms: list, crs: str | None = "EPSG:4326") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.DataFrame(table_rows), geometry=geoms, crs=crs)
