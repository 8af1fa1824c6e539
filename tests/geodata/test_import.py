"""geodata_import: what it accepts, what it refuses (leaving the layer unchanged), and where VN-2000 lands."""

from __future__ import annotations

import pyogrio
import pyproj
import pytest
from shapely.geometry import Point, Polygon

from geodata.models import LandParcel, School
from geodata.signals import layer_data_changed
from tests.geodata.io_helpers import a_commune, bow_tie, fingerprint, frame_of, parcels, refused, run_import, write

pytestmark = pytest.mark.django_db
TABLE = "geodata_landparcel"
GEOD = pyproj.Geod(ellps="WGS84")


@pytest.fixture
def place():
    return a_commune()


def test_geojson_import_writes_rows_fills_commune_and_signals(tmp_path, place):
    code, origin = place
    received = []
    handler = lambda sender, model, **kw: received.append(model)  # noqa: E731
    layer_data_changed.connect(handler)
    try:
        before = LandParcel.objects.count()
        out = run_import(write(parcels(origin), tmp_path / "p.geojson"), "land_parcels")
    finally:
        layer_data_changed.disconnect(handler)
    assert "written 3" in out and "features/s" in out
    new = LandParcel.objects.order_by("-id")[:3]
    assert LandParcel.objects.count() == before + 3
    assert {p.commune_code for p in new} == {code}  # filled by point-in-polygon in PostGIS
    assert {p.land_use_code for p in new} == {"ODT", "LUC", "CLN"} and not any(p.synthetic for p in new)
    assert received == [LandParcel]


def test_dry_run_writes_nothing(tmp_path, place):
    before = fingerprint(TABLE)
    out = run_import(write(parcels(place[1]), tmp_path / "p.gpkg"), "land_parcels", "--dry-run")
    assert "dry run" in out
    assert fingerprint(TABLE) == before


def test_corrupt_file_refused(tmp_path):
    path = tmp_path / "broken.gpkg"
    path.write_bytes(b"SQLite format 3\x00" + b"\x13" * 4000)
    before = fingerprint(TABLE)
    assert "cannot be read" in refused(path, "land_parcels")
    assert fingerprint(TABLE) == before


def test_missing_crs_refused_unless_srs_given(tmp_path, place):
    path = write(parcels(place[1]).set_crs(None, allow_override=True), tmp_path / "noprj.shp")
    assert not path.with_suffix(".prj").exists()
    before = fingerprint(TABLE)
    assert "declares no CRS" in refused(path, "land_parcels")
    assert fingerprint(TABLE) == before
    assert "written 3" in run_import(path, "land_parcels", "--srs", "EPSG:4326")


def test_wrong_crs_refused(tmp_path, place):
    """Longitude/latitude values declared as VN-2000 TM-3 metres land in the sea off Africa: refused."""
    frame = parcels(place[1]).set_crs("EPSG:5899", allow_override=True)
    before = fingerprint(TABLE)
    message = refused(write(frame, tmp_path / "wrong.gpkg"), "land_parcels")
    assert "outside Đồng Nai" in message and "wrong CRS?" in message
    assert fingerprint(TABLE) == before


def test_unknown_columns_refused(tmp_path, place):
    frame = parcels(place[1])
    frame["owner_name"] = "Nguyễn Văn A"
    before = fingerprint(TABLE)
    message = refused(write(frame, tmp_path / "extra.geojson"), "land_parcels")
    assert "unknown columns owner_name" in message
    assert fingerprint(TABLE) == before


def test_bow_tie_refused_with_row_number(tmp_path, place):
    frame = parcels(place[1])
    frame.loc[1, "geometry"] = bow_tie(place[1])
    before = fingerprint(TABLE)
    message = refused(write(frame, tmp_path / "bowtie.gpkg"), "land_parcels")
    assert "row 2, geometry: invalid" in message and "change its area" in message
    assert fingerprint(TABLE) == before


def test_safe_repair_is_applied_and_counted(tmp_path, place):
    x, y = place[1].x, place[1].y
    # a square whose ring passes twice through one corner region with a zero-area spike: repair keeps the area
    spike = Polygon(
        [
            (x, y),
            (x + 0.001, y),
            (x + 0.001, y + 0.0005),
            (x + 0.0015, y + 0.0005),
            (x + 0.001, y + 0.0005),
            (x + 0.001, y + 0.001),
            (x, y + 0.001),
            (x, y),
        ]
    )
    assert not spike.is_valid
    frame = parcels(place[1], n=1)
    frame.loc[0, "geometry"] = spike
    out = run_import(write(frame, tmp_path / "spike.geojson"), "land_parcels")
    assert "repaired 1" in out and "written 1" in out
    stored = LandParcel.objects.order_by("-id").first().geom
    assert stored.valid and abs(stored.area - spike.area) / spike.area < 0.001


def test_geometry_type_checked_against_layer(tmp_path, place):
    frame = frame_of([{"map_sheet_no": 1, "parcel_no": 1, "area_m2": 1.0, "land_use_code": "ODT"}], [place[1]])
    before = fingerprint(TABLE)
    assert "Point where the layer holds MultiPolygon" in refused(write(frame, tmp_path / "pt.geojson"), "land_parcels")
    assert fingerprint(TABLE) == before


def test_bad_values_reported_per_row(tmp_path, place):
    frame = parcels(place[1])
    frame["parcel_no"] = frame["parcel_no"].astype(object)
    frame.loc[2, "parcel_no"] = "mười"
    before = fingerprint(TABLE)
    assert "row 3, parcel_no: 'mười' is not a integer" in refused(write(frame, tmp_path / "v.geojson"), "land_parcels")
    assert fingerprint(TABLE) == before


def test_vn2000_shapefile_lands_at_the_right_place(tmp_path):
    """A point in TM-3 107°45' (as a cadastral office sends it) is stored within 0.1 m of the pinned result."""
    truth = (106.8369, 10.9493)  # Biên Hòa, WGS 84
    helmert_inverse = pyproj.Transformer.from_pipeline(
        "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step +proj=cart +ellps=WGS84 +step +inv +proj=helmert +x=-191.90441429 +y=-39.30318279 "
        "+z=-111.45032835 +rx=-0.00928836 +ry=0.01975479 +rz=-0.00427372 +s=0.252906278 +convention=coordinate_frame "
        "+step +inv +proj=cart +ellps=WGS84 +step +proj=tmerc +lat_0=0 +lon_0=107.75 +k=0.9999 +x_0=500000 "
        "+y_0=0 +ellps=WGS84"
    )
    x, y, _ = helmert_inverse.transform(*truth, 0.0)
    frame = frame_of([{"name": "Trường VN-2000", "level": "primary", "students": 10}], [Point(x, y)], crs=None)
    path = write(frame, tmp_path / "vn2000.shp")
    path.with_suffix(".prj").write_text(pyproj.CRS("EPSG:5899").to_wkt("WKT1_ESRI"))  # as ArcGIS/MapInfo write it
    run_import(path, "schools")
    stored = School.objects.order_by("-id").first().geom
    assert GEOD.inv(stored.x, stored.y, *truth)[2] < 0.1
    default = pyproj.Transformer.from_crs("EPSG:5899", "EPSG:4326", always_xy=True).transform(x, y)
    assert GEOD.inv(stored.x, stored.y, *default)[2] > 0.5  # not PROJ's default parameter set


@pytest.mark.parametrize(
    ("encoding", "raw", "expected"),
    [
        ("tcvn3", "Tr\xadêng tiÓu häc Biªn Hßa", "Trường tiểu học Biên Hòa"),
        ("vni", "Tröôøng tieåu hoïc Bieân Hoøa", "Trường tiểu học Biên Hòa"),
    ],
)
def test_legacy_encoded_dbf_names_decoded(tmp_path, place, encoding, raw, expected):
    frame = frame_of([{"name": raw, "level": "primary", "students": 10}], [place[1]])
    path = write(frame, tmp_path / f"{encoding}.shp", encoding="latin1")
    assert raw.encode("latin1") in path.with_suffix(".dbf").read_bytes()  # the DBF holds the legacy bytes
    run_import(path, "schools", "--encoding", encoding)
    assert School.objects.order_by("-id").first().name == expected


def test_csv_with_lon_lat_and_xlsx_with_wkt(tmp_path, place):
    code, origin = place
    csv = tmp_path / "schools.csv"
    csv.write_text(f"Name,LEVEL,students,public,lon,lat\nTrường CSV,primary,12,có,{origin.x},{origin.y}\n", "utf-8")
    assert "declares no CRS" in refused(csv, "schools")
    run_import(csv, "schools", "--srs", "EPSG:4326")
    school = School.objects.order_by("-id").first()
    assert (school.name, school.public, school.commune_code) == ("Trường CSV", True, code)
    import pandas as pd

    xlsx = tmp_path / "schools.xlsx"
    pd.DataFrame([{"name": "Trường XLSX", "level": "primary", "students": 7, "wkt": origin.wkt}]).to_excel(
        xlsx, index=False
    )
    run_import(xlsx, "schools", "--srs", "EPSG:4326")
    assert School.objects.order_by("-id").first().name == "Trường XLSX"


def test_replace_mode_replaces(tmp_path, place):
    run_import(write(parcels(place[1], n=2), tmp_path / "two.gpkg"), "land_parcels", "--mode", "replace")
    assert LandParcel.objects.count() == 2


def test_admin_layers_are_not_imported_here(tmp_path, place):
    assert "geodata_import_admin" in refused(write(parcels(place[1]), tmp_path / "c.geojson"), "communes")


def test_gpkg_layer_listing_is_read(tmp_path, place):
    path = write(parcels(place[1]), tmp_path / "multi.gpkg", layer="a")
    write(parcels(place[1]), path, layer="b", append=False)
    assert set(dict(pyogrio.list_layers(path))) == {"a", "b"}
    assert "2 spatial layers" in refused(path, "land_parcels")
    assert "written 3" in run_import(path, "land_parcels", "--source-layer", "b")
