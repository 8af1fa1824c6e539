"""geodata_export: import -> export -> import keeps geometry and attributes in every format; nothing private leaks."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyogrio
import pytest
import shapely
from django.core.management import CommandError, call_command
from django.db import connection
from shapely.geometry import LineString, Point

from geodata.io.targets import TARGETS
from tests.geodata.io_helpers import a_commune, frame_of, parcels, run_import, write

pytestmark = pytest.mark.django_db
FORMATS = ["geojson", "gpkg", "shp", "csv", "xlsx"]


def snapshot(layer_id: str) -> list[tuple]:
    """Every row's exposed attributes and geometry (as shapely), in id order."""
    target = TARGETS[layer_id]
    columns = ", ".join(f'"{c}"' for c in target.exposed)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT {columns}, ST_AsBinary(geom) FROM "{target.table}" ORDER BY id')
        return [(*row[:-1], shapely.from_wkb(bytes(row[-1]))) for row in cursor.fetchall()]


def assert_same(before: list[tuple], after: list[tuple], tolerance: float) -> None:
    assert len(after) == len(before) > 0
    for old, new in zip(before, after):
        assert old[:-1] == new[:-1]
        assert old[-1].geom_type == new[-1].geom_type
        assert shapely.equals_exact(
            shapely.normalize(old[-1]), shapely.normalize(new[-1]), tolerance
        )  # ring order may change


def seed(layer_id: str, tmp_path, origin: Point) -> None:
    """Replace the layer's rows with a few known features (inside the test's transaction)."""
    if layer_id == "land_parcels":
        frame = parcels(origin, n=4)
        frame.loc[0, "area_m2"] = 1234.5678901
    elif layer_id == "incidents":
        frame = frame_of(
            [
                {
                    "kind": "fire",
                    "occurred_at": "2026-03-01T08:15:30+07:00",
                    "status": "reported",
                    "severity": 3,
                    "description": "Cháy kho, phường Trấn Biên",
                    "cases": 0,
                },
                {
                    "kind": "flood",
                    "occurred_at": "2026-03-02T23:59:59+07:00",
                    "status": "resolved",
                    "severity": 1,
                    "description": "",
                    "cases": 2,
                },
            ],
            [origin, Point(origin.x + 0.001, origin.y + 0.002)],
        )
    else:  # roads: lines
        frame = frame_of(
            [
                {
                    "road_class": "provincial",
                    "route_no": "ĐT.768",
                    "name": "Đường tỉnh 768",
                    "surface": "asphalt",
                    "condition": "good",
                    "length_m": 221.4,
                },
            ],
            [LineString([(origin.x, origin.y), (origin.x + 0.002, origin.y + 0.001)])],
        )
    run_import(write(frame, tmp_path / f"seed_{layer_id}.geojson"), layer_id, "--mode", "replace")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("layer_id", ["land_parcels", "incidents", "roads"])
def test_round_trip(tmp_path, fmt, layer_id):
    seed(layer_id, tmp_path, a_commune()[1])
    before = snapshot(layer_id)
    out = tmp_path / f"export.{fmt}"
    call_command("geodata_export", "--layer", layer_id, "--format", fmt, "--output", str(out), verbosity=0)
    srs = ["--srs", "OGC:CRS84"] if fmt in ("csv", "xlsx") else []
    run_import(out, layer_id, "--mode", "replace", *srs)
    assert_same(before, snapshot(layer_id), 1e-12)


@pytest.mark.parametrize("fmt", ["gpkg", "shp"])
def test_round_trip_through_vn2000(tmp_path, fmt):
    """Exported in VN-2000 TM-3 107°45' and read back: same place within a millimetre."""
    seed("land_parcels", tmp_path, a_commune()[1])
    before = snapshot("land_parcels")
    out = tmp_path / f"vn2000.{fmt}"
    call_command(
        "geodata_export",
        "--layer",
        "land_parcels",
        "--format",
        fmt,
        "--output",
        str(out),
        "--srs",
        "EPSG:5899",
        verbosity=0,
    )
    info = pyogrio.read_info(out)
    assert "5899" in info["crs"] and info["total_bounds"][0] > 100000  # metres, not degrees
    run_import(out, "land_parcels", "--mode", "replace")
    assert_same(before, snapshot("land_parcels"), 1e-8)  # 1e-8 degrees is about 1 mm


def test_private_and_unexposed_attributes_never_exported(tmp_path):
    origin = a_commune()[1]
    frame = frame_of(
        [
            {
                "name": "Cam 1",
                "owner_unit": "Công an tỉnh",
                "codec": "H.265",
                "rtsp_url": "rtsp://user:secret@10.0.0.1/stream",
                "status": "dead",
            }
        ],
        [origin],
    )
    run_import(write(frame, tmp_path / "cam.geojson"), "cameras", "--mode", "replace")
    for fmt in FORMATS:
        out = tmp_path / f"cameras.{fmt}"
        call_command("geodata_export", "--layer", "cameras", "--format", fmt, "--output", str(out), verbosity=0)
        if fmt == "shp":
            out = out.with_suffix(".dbf")
        data = out.read_bytes()
        assert b"secret" not in data and b"rtsp" not in data.lower()
    columns = list(pd.read_csv(tmp_path / "cameras.csv").columns)
    assert columns == [*TARGETS["cameras"].exposed, "wkt"]


def test_house_export_has_no_parcel_link_or_other_extras(tmp_path):
    origin = a_commune()[1]
    frame = frame_of([{"address_code": "DN-0001", "status": "poor", "members": 4, "parcel_id": 77}], [origin])
    run_import(write(frame, tmp_path / "h.geojson"), "houses", "--mode", "replace")
    out = tmp_path / "houses.gpkg"
    call_command("geodata_export", "--layer", "houses", "--format", "gpkg", "--output", str(out), verbosity=0)
    exported = pyogrio.read_dataframe(out)
    assert set(exported.columns) == {*TARGETS["houses"].exposed, "geometry"}


def test_datetime_kept_exactly(tmp_path):
    seed("incidents", tmp_path, a_commune()[1])
    out = tmp_path / "i.shp"
    call_command("geodata_export", "--layer", "incidents", "--format", "shp", "--output", str(out), verbosity=0)
    run_import(out, "incidents", "--mode", "replace")
    from geodata.models import Incident

    assert Incident.objects.order_by("id").first().occurred_at == dt.datetime(2026, 3, 1, 1, 15, 30, tzinfo=dt.UTC)


def test_bad_export_arguments(tmp_path):
    with pytest.raises(CommandError, match="unsupported CRS"):
        call_command(
            "geodata_export",
            "--layer",
            "roads",
            "--format",
            "gpkg",
            "--output",
            str(tmp_path / "x.gpkg"),
            "--srs",
            "EPSG:2000",
        )
    with pytest.raises(CommandError, match="unknown layer"):
        call_command("geodata_export", "--layer", "nope", "--format", "gpkg", "--output", str(tmp_path / "x.gpkg"))
