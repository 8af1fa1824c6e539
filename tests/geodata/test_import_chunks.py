"""geodata_import on files larger than one chunk (geodata.io.importer.CHUNK rows): a bad row anywhere still refuses
the whole file by its row number, communes and VN-2000 coordinates come out as PostGIS and pyproj say."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pyproj
import pytest
import shapely
from django.db import connection

from geodata.io.importer import CHUNK
from geodata.io.readers import read_source
from geodata.models import LandParcel
from tests.geodata.io_helpers import a_commune, bow_tie, fingerprint, frame_of, refused, run_import, write

pytestmark = pytest.mark.django_db
TABLE = "geodata_landparcel"
GEOD = pyproj.Geod(ellps="WGS84")
ROOT = Path(__file__).resolve().parents[2]
ROWS = 2 * CHUNK + 2345  # three chunks, the last one short
# VN-2000 / TM-3 107°45' from WGS 84 with the national 7-parameter set, written out here rather than read from
# geodata.crs, so that the test does not share the code it checks.
WGS84_TO_VN2000_TM3_10745 = (
    "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step +proj=cart +ellps=WGS84 +step +inv "
    "+proj=helmert +x=-191.90441429 +y=-39.30318279 +z=-111.45032835 +rx=-0.00928836 +ry=0.01975479 "
    "+rz=-0.00427372 +s=0.252906278 +convention=coordinate_frame +step +inv +proj=cart +ellps=WGS84 "
    "+step +proj=tmerc +lat_0=0 +lon_0=107.75 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84"
)


def grid(origin, n: int, size: float = 0.0002) -> np.ndarray:
    """n small squares on a grid north-east of origin (about 22 m wide, 30 % gaps)."""
    side = int(np.ceil(np.sqrt(n)))
    i = np.arange(n)
    x0, y0 = origin.x + (i % side) * size * 1.3, origin.y + (i // side) * size * 1.3
    return shapely.box(x0, y0, x0 + size, y0 + size)


def parcel_frame(geometries: np.ndarray, crs: str | None = "EPSG:4326", **columns) -> pd.DataFrame:
    n = len(geometries)
    table = {
        "map_sheet_no": np.arange(n) % 90 + 1,
        "parcel_no": np.arange(n) + 1,
        "area_m2": np.round(np.linspace(80, 5000, n), 1),
        "land_use_code": np.array(["ODT", "LUC", "CLN", "ONT"])[np.arange(n) % 4],
        **columns,
    }
    return frame_of(pd.DataFrame(table).to_dict("records"), list(geometries), crs=crs)


def new_rows(after_id: int):
    return LandParcel.objects.filter(id__gt=after_id).order_by("id")


def max_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(max(id), 0) FROM {TABLE}")
        return cursor.fetchone()[0]


def test_rows_read_by_range_are_the_rows_read_whole(tmp_path):
    frame = parcel_frame(grid(a_commune()[1], ROWS))
    path = write(frame, tmp_path / "p.gpkg")
    source = read_source(path)
    whole = pyogrio.read_dataframe(path)
    parts = [source.rows(start, start + CHUNK) for start in range(0, len(source), CHUNK)]
    assert len(source) == ROWS and source.columns == list(whole.columns.drop("geometry"))
    pd.testing.assert_frame_equal(pd.concat([a for a, _ in parts], ignore_index=True), whole.drop(columns="geometry"))
    assert shapely.equals_exact(np.concatenate([g for _, g in parts]), whole.geometry.values, 0).all()


def test_bad_rows_in_later_chunks_refuse_the_whole_file_by_row(tmp_path):
    _, origin = a_commune()
    geometries = grid(origin, ROWS)
    late = 2 * CHUNK + 1234  # row index in the third chunk
    geometries[late] = bow_tie(shapely.centroid(geometries[late]), size=0.0001)
    frame = parcel_frame(geometries)
    frame.loc[CHUNK + 1, "land_use_code"] = "XYZ"  # second chunk
    before = fingerprint(TABLE)
    message = refused(write(frame, tmp_path / "bad.gpkg"), "land_parcels")
    assert f"row {late + 1}, geometry: invalid" in message
    assert f"row {CHUNK + 2}, land_use_code: 'XYZ' is not one of" in message
    assert "refused 2" in message and "written 0" in message
    assert fingerprint(TABLE) == before


def test_infinite_and_fractional_numbers_refused(tmp_path):
    frame = parcel_frame(grid(a_commune()[1], 3))
    frame["area_m2"] = [3025.5, np.inf, 12.0]
    frame["parcel_no"] = [1.0, 2.0, 3.5]  # read as a float column: whole values accepted, 3.5 refused
    before = fingerprint(TABLE)
    message = refused(write(frame, tmp_path / "inf.gpkg"), "land_parcels")
    assert "row 2, area_m2: inf is not a finite number" in message
    assert "row 3, parcel_no: 3.5 is not a whole number" in message
    assert "row 1" not in message
    assert fingerprint(TABLE) == before


def border_point() -> shapely.Point:
    """A point on the border of the smallest commune (a ward of a city: its neighbours are close)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_AsBinary(ST_StartPoint(ST_ExteriorRing(ST_GeometryN(geom, 1)))) FROM geodata_commune"
            " ORDER BY area_km2 LIMIT 1"
        )
        return shapely.from_wkb(bytes(cursor.fetchone()[0]))


def test_communes_of_rows_without_one_are_the_communes_postgis_finds(tmp_path):
    corner = shapely.Point(border_point().x - 0.02, border_point().y - 0.02)
    frame = parcel_frame(grid(corner, ROWS))  # about 4 km across, around a commune border
    before = max_id()
    assert f"written {ROWS}" in run_import(write(frame, tmp_path / "p.gpkg"), "land_parcels")
    with connection.cursor() as cursor:  # every commune holding each stored parcel's point on surface
        cursor.execute(
            f"SELECT t.id, array_remove(array_agg(c.code), NULL) FROM {TABLE} t LEFT JOIN geodata_commune c "
            "ON ST_Intersects(c.geom, ST_PointOnSurface(t.geom)) WHERE t.id > %s GROUP BY t.id",
            [before],
        )
        holders = dict(cursor.fetchall())
    stored = dict(new_rows(before).values_list("id", "commune_code"))
    assert len(stored) == ROWS and len(set(stored.values())) > 1
    assert all(code in holders[i] if holders[i] else code == "" for i, code in stored.items())
    first = shapely.from_wkb(bytes(new_rows(before).first().geom.wkb))
    assert shapely.equals_exact(first, shapely.MultiPolygon([frame.geometry.iloc[0]]), 1e-12)  # stored as multi


def test_a_vn2000_geopackage_of_polygons_lands_at_the_right_place(tmp_path):
    """Parcels sent in TM-3 107°45' metres are stored within 0.1 m of where pyproj's pinned pipeline puts them."""
    truth = grid(shapely.Point(106.8369, 10.9493), CHUNK + 500)  # Biên Hòa, WGS 84
    to_vn2000 = pyproj.Transformer.from_pipeline(WGS84_TO_VN2000_TM3_10745)
    sent = shapely.transform(truth, lambda xy: np.column_stack(to_vn2000.transform(xy[:, 0], xy[:, 1])))
    path = write(parcel_frame(sent, crs="EPSG:5899"), tmp_path / "vn2000.gpkg")
    before = max_id()
    run_import(path, "land_parcels")
    stored = shapely.from_wkb([bytes(p.geom.wkb) for p in new_rows(before)])
    assert len(stored) == len(truth)
    for i in (0, CHUNK - 1, CHUNK, len(truth) - 1):  # both sides of the chunk border
        got = shapely.get_coordinates(stored[i])
        want = shapely.get_coordinates(truth[i])
        _, _, metres = GEOD.inv(got[:, 0], got[:, 1], want[:, 0], want[:, 1])
        assert metres.max() < 0.1, (i, metres.max())


def _cli(path, *args: str) -> subprocess.CompletedProcess:
    """`manage.py geodata_import` in its own process, on the test database (run_from_argv, start-up checks)."""
    db = connection.settings_dict
    url = f"postgis://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    command = [sys.executable, "manage.py", "geodata_import", str(path), "--layer", "land_parcels", *args]
    return subprocess.run(command, cwd=ROOT, env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True)


def test_the_command_line_checks_and_refuses_in_its_own_process(tmp_path):
    frame = parcel_frame(grid(a_commune()[1], 3))
    before = fingerprint(TABLE)
    done = _cli(write(frame, tmp_path / "ok.gpkg"), "--dry-run", "--verbosity", "0")
    assert done.returncode == 0 and "dry run, nothing written; rows read 3, written 3" in done.stdout, done.stderr
    frame.loc[1, "land_use_code"] = "XYZ"
    done = _cli(write(frame, tmp_path / "bad.gpkg"), "--verbosity", "0")
    assert done.returncode == 1 and "row 2, land_use_code: 'XYZ' is not one of" in done.stdout
    assert "import refused: 0 file problems, 1 rows refused" in done.stderr
    assert fingerprint(TABLE) == before
