"""VN-2000 accuracy: the pinned national 7-parameter transform in pyproj and in PostGIS."""

from __future__ import annotations

import pyproj
import pytest
from django.db import connection
from pyproj.crs import CoordinateOperation

from geodata import crs

GEOD = pyproj.Geod(ellps="WGS84")
# Known points: Biên Hòa in TM-3 107°45' (EPSG:5899), Đồng Xoài in TM-3 106°15' (EPSG:9212).
BIEN_HOA_TM3 = (400000.0, 1211000.0)
DONG_XOAI_TM3 = (570000.0, 1275000.0)
ZONES = [(crs.TM3_107_45, 107.75, BIEN_HOA_TM3), (crs.TM3_106_15, 106.25, DONG_XOAI_TM3)]


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    return GEOD.inv(a[0], a[1], b[0], b[1])[2]


def independent_pipeline(lon_0: float) -> pyproj.Transformer:
    """Decision 05/2007/QĐ-BTNMT parameters, written out here as an explicit Coordinate Frame Helmert step."""
    return pyproj.Transformer.from_pipeline(
        f"+proj=pipeline +step +inv +proj=tmerc +lat_0=0 +lon_0={lon_0} +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 "
        "+step +proj=cart +ellps=WGS84 "
        "+step +proj=helmert +x=-191.90441429 +y=-39.30318279 +z=-111.45032835 "
        "+rx=-0.00928836 +ry=0.01975479 +rz=-0.00427372 +s=0.252906278 +convention=coordinate_frame "
        "+step +inv +proj=cart +ellps=WGS84"
    )


@pytest.mark.parametrize(("zone", "lon_0", "point"), ZONES, ids=["107-45", "106-15"])
def test_round_trip_within_1_cm(zone, lon_0, point):
    forward = crs.transformer(zone, crs.WGS84)
    back = crs.transformer(crs.WGS84, zone)
    lon, lat = forward.transform(*point)
    x, y = back.transform(lon, lat)
    assert ((x - point[0]) ** 2 + (y - point[1]) ** 2) ** 0.5 < 0.01


@pytest.mark.parametrize(("zone", "lon_0", "point"), ZONES, ids=["107-45", "106-15"])
def test_lands_within_10_cm_of_independent_helmert(zone, lon_0, point):
    ours = crs.transformer(zone, crs.WGS84).transform(*point)
    lon, lat, _ = independent_pipeline(lon_0).transform(*point, 0.0)
    reference = (lon, lat)
    assert metres(ours, reference) < 0.1
    # and EPSG's own record of the national set (EPSG:6960) agrees
    epsg_6960 = pyproj.Transformer.from_pipeline(CoordinateOperation.from_epsg(6960).to_proj4())
    geog = crs.transformer(zone, crs.VN2000).transform(*point)
    lon6960, lat6960 = epsg_6960.transform(geog[1], geog[0])[::-1]  # EPSG:4756/4326 are lat, lon
    assert metres(ours, (lon6960, lat6960)) < 0.1


def test_default_proj_choice_for_5899_is_about_80_cm_off():
    """PROJ alone picks another set near Biên Hòa (EPSG:5194); our pinned transform must not."""
    default = pyproj.Transformer.from_crs("EPSG:5899", "EPSG:4326", always_xy=True)
    default_lonlat = default.transform(*BIEN_HOA_TM3)
    ours = crs.transformer(crs.TM3_107_45, crs.WGS84).transform(*BIEN_HOA_TM3)
    offset = metres(ours, default_lonlat)
    print(f"PROJ default ({default.get_last_used_operation().description}) vs pinned: {offset:.3f} m")
    assert 0.6 < offset < 1.0
    # the position-vector reading of the same numbers (a common mistake) is another ~0.5 m off
    wrong = pyproj.Transformer.from_crs(
        pyproj.CRS.from_proj4(
            crs.tm3_proj(107.75).replace(crs.TOWGS84_TEXT, ",".join(map(str, crs.VN2000_HELMERT_CF)))
        ),
        "EPSG:4326",
        always_xy=True,
    ).transform(*BIEN_HOA_TM3)
    assert metres(ours, wrong) > 0.3


@pytest.mark.django_db
@pytest.mark.parametrize(("zone", "lon_0", "point"), ZONES, ids=["107-45", "106-15"])
def test_postgis_uses_the_pinned_rows(zone, lon_0, point):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_X(g), ST_Y(g), ST_X(b), ST_Y(b) FROM (SELECT ST_Transform(p, 4326) AS g,"
            " ST_Transform(ST_Transform(p, 4326), %s) AS b FROM (SELECT ST_SetSRID(ST_MakePoint(%s, %s), %s) AS p) s) t",
            [zone.srid, point[0], point[1], zone.srid],
        )
        lon, lat, bx, by = cursor.fetchone()
        cursor.execute("SELECT proj4text FROM spatial_ref_sys WHERE srid = %s", [zone.srid])
        assert crs.TOWGS84_TEXT in cursor.fetchone()[0]
    ours = crs.transformer(zone, crs.WGS84).transform(*point)
    assert metres((lon, lat), ours) < 0.01
    assert ((bx - point[0]) ** 2 + (by - point[1]) ** 2) ** 0.5 < 0.01


@pytest.mark.django_db
def test_postgis_plain_epsg_5899_differs():
    """The EPSG row itself keeps PROJ's default: only our private SRIDs carry the pinned set."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_X(a), ST_Y(a), ST_X(b), ST_Y(b) FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(%s, %s), 5899),"
            " 4326) AS a, ST_Transform(ST_SetSRID(ST_MakePoint(%s, %s), %s), 4326) AS b) t",
            [*BIEN_HOA_TM3, *BIEN_HOA_TM3, crs.TM3_107_45.srid],
        )
        ax, ay, bx, by = cursor.fetchone()
    assert 0.6 < metres((ax, ay), (bx, by)) < 1.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("http://www.opengis.net/def/crs/OGC/1.3/CRS84", crs.WGS84),
        ("EPSG:4326", crs.EPSG4326),
        ("urn:ogc:def:crs:EPSG::3857", crs.WEB_MERCATOR),
        ("http://www.opengis.net/def/crs/EPSG/0/5899", crs.TM3_107_45),
        ("epsg:9212", crs.TM3_106_15),
        ("urn:ogc:def:crs:EPSG::4756", crs.VN2000),
    ],
)
def test_resolve_crs(text, expected):
    assert crs.resolve_crs(text) == expected


@pytest.mark.parametrize("text", ["EPSG:2000", "foo", "", "http://www.opengis.net/def/crs/EPSG/0/abc"])
def test_resolve_crs_refuses(text):
    with pytest.raises(ValueError, match="CRS"):
        crs.resolve_crs(text)


def test_axis_order_flags():
    assert crs.EPSG4326.lat_lon_order and crs.VN2000.lat_lon_order
    assert not (crs.WGS84.lat_lon_order or crs.WEB_MERCATOR.lat_lon_order or crs.TM3_107_45.lat_lon_order)


@pytest.mark.parametrize(
    ("srs", "expected"),
    [("EPSG:5899", crs.TM3_107_45), ("EPSG:9212", crs.TM3_106_15), ("EPSG:4756", crs.VN2000), ("EPSG:4326", None)],
)
def test_file_srs_maps_to_pinned(srs, expected):
    for wkt in (pyproj.CRS(srs).to_wkt("WKT1_ESRI"), pyproj.CRS(srs).to_wkt("WKT1_GDAL")):
        assert crs.crs_from_file_srs(wkt) == expected


def test_other_vn2000_zone_gets_the_pinned_shift():
    defn = crs.crs_from_file_srs(pyproj.CRS("EPSG:3405").to_wkt("WKT1_ESRI"))  # VN-2000 / UTM 48N
    assert defn is not None and defn.srid == 0 and crs.TOWGS84_TEXT in defn.definition
    lonlat = crs.transformer(defn, crs.WGS84).transform(700000.0, 1211000.0)
    via_geog = crs.transformer(crs.VN2000, crs.WGS84).transform(
        *pyproj.Transformer.from_crs("EPSG:3405", "EPSG:4756", always_xy=True).transform(700000.0, 1211000.0)
    )
    assert metres(lonlat, via_geog) < 0.01
