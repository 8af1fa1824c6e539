"""geodata_import_admin: a valid file replaces all 95 boundaries at once; a bad one changes nothing."""

from __future__ import annotations

from io import StringIO

import geopandas as gpd
import numpy as np
import pytest
import shapely
from django.core.management import CommandError, call_command
from django.db import connection

from geodata import crs
from geodata.models import Commune
from geodata.signals import layer_data_changed
from tests.geodata.io_helpers import bow_tie, fingerprint

pytestmark = pytest.mark.django_db
TABLE = "geodata_commune"
SHIFT = 0.0002  # degrees (about 20 m): "official" boundaries slightly different from the derived ones


def official_frame(code_column: str = "code") -> gpd.GeoDataFrame:
    """The current communes, shifted and simplified a little, keyed by code: a stand-in for real boundaries."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT code, name, ST_AsBinary(geom) FROM geodata_commune ORDER BY code")
        rows = cursor.fetchall()
    geoms = [
        shapely.affinity.translate(shapely.simplify(shapely.from_wkb(bytes(w)), 0.0003), SHIFT, SHIFT)
        for _, _, w in rows
    ]
    geoms = [g if g.is_valid else shapely.make_valid(g) for g in geoms]
    return gpd.GeoDataFrame(
        {code_column: [r[0] for r in rows], "ten": [r[1] for r in rows]}, geometry=geoms, crs="EPSG:4326"
    )


def run(path, *args) -> str:
    out = StringIO()
    call_command("geodata_import_admin", str(path), *args, stdout=out, verbosity=0)
    return out.getvalue()


def refused(path, *args) -> str:
    out = StringIO()
    before = fingerprint(TABLE)
    with pytest.raises(CommandError):
        call_command("geodata_import_admin", str(path), *args, stdout=out, verbosity=0)
    assert fingerprint(TABLE) == before, "a refused file must change nothing"
    return out.getvalue()


@pytest.mark.parametrize(("column", "suffix"), [("code", "geojson"), ("MA_XA", "gpkg"), ("commune_code", "shp")])
def test_valid_file_replaces_all_boundaries(tmp_path, column, suffix):
    frame = official_frame(column)
    path = tmp_path / f"official.{suffix}"
    frame.to_file(path, engine="pyogrio")
    received = []
    handler = lambda sender, model, **kw: received.append(model)  # noqa: E731
    layer_data_changed.connect(handler)
    try:
        assert "written 95" in run(path)
    finally:
        layer_data_changed.disconnect(handler)
    assert received == [Commune]
    assert set(Commune.objects.values_list("geometry_source", flat=True)) == {Commune.OFFICIAL}
    for code, geom in zip(frame[column], frame.geometry):
        stored = Commune.objects.get(code=code)
        assert stored.geom.valid
        assert shapely.from_wkb(bytes(stored.geom.wkb)).symmetric_difference(geom).area < 1e-6 * max(geom.area, 1e-6)
        assert stored.area_km2 > 0
    sample = Commune.objects.get(code=frame[column][0])
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_Area(geom::geography) / 1e6 FROM geodata_commune WHERE code = %s", [sample.code])
        assert abs(cursor.fetchone()[0] - sample.area_km2) < 1e-6


def test_missing_code_refused(tmp_path):
    frame = official_frame()
    frame.loc[3, "code"] = None
    frame.to_file(tmp_path / "f.geojson", engine="pyogrio")
    message = refused(tmp_path / "f.geojson")
    assert "row 4, code: missing commune code" in message and "no boundary in the file" in message


def test_unknown_code_refused(tmp_path):
    frame = official_frame()
    frame.loc[0, "code"] = "99999"
    frame.to_file(tmp_path / "f.gpkg", engine="pyogrio")
    assert "unknown commune code '99999'" in refused(tmp_path / "f.gpkg")


def test_duplicate_code_refused(tmp_path):
    frame = official_frame()
    frame.loc[1, "code"] = frame.loc[0, "code"]
    frame.to_file(tmp_path / "f.gpkg", engine="pyogrio")
    assert "duplicate of row 1" in refused(tmp_path / "f.gpkg")


def test_invalid_geometry_refused(tmp_path):
    frame = official_frame()
    frame.loc[5, "geometry"] = bow_tie(frame.geometry[5].representative_point(), 0.01)
    frame.to_file(tmp_path / "f.gpkg", engine="pyogrio")
    assert "row 6, geometry: invalid" in refused(tmp_path / "f.gpkg")


def test_wrong_crs_refused(tmp_path):
    frame = official_frame().set_crs("EPSG:3857", allow_override=True)  # degrees read as Web Mercator metres
    frame.to_file(tmp_path / "f.gpkg", engine="pyogrio")
    assert "wrong CRS?" in refused(tmp_path / "f.gpkg")


def test_missing_crs_refused(tmp_path):
    frame = official_frame().set_crs(None, allow_override=True)
    frame.to_file(tmp_path / "f.shp", engine="pyogrio")
    assert "declares no CRS" in refused(tmp_path / "f.shp")


def test_vn2000_file_accepted(tmp_path):
    """Official boundaries usually come in VN-2000 TM-3: they are read through the pinned transformation."""
    expected = official_frame()
    to_tm3 = crs.transformer(crs.WGS84, crs.TM3_107_45)
    tm3 = shapely.transform(expected.geometry.values, lambda xy: np.column_stack(to_tm3.transform(xy[:, 0], xy[:, 1])))
    gpd.GeoDataFrame({"code": expected["code"]}, geometry=tm3, crs="EPSG:5899").to_file(tmp_path / "tm3.gpkg")
    assert "written 95" in run(tmp_path / "tm3.gpkg")
    stored = Commune.objects.get(code=expected["code"][0]).geom
    assert shapely.from_wkb(bytes(stored.wkb)).symmetric_difference(expected.geometry[0]).area < 1e-9
