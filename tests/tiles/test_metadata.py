"""TileJSON and OGC API Tiles metadata: derived from the registry, consistent with the tiles served."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.tiles.conftest import BIEN_HOA_Z12
from tiles.tilemath import tile_range

pytestmark = pytest.mark.django_db


def province_extent() -> tuple[float, ...]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom) e FROM geodata_province) b"
        )
        return cursor.fetchone()


def test_tilejson_describes_the_layers(api):
    doc = api("t_admin").get("/tiles/communes,houses.json").json()
    assert doc["tilejson"] == "3.0.0"
    assert [layer["id"] for layer in doc["vector_layers"]] == ["communes", "communes_labels", "houses"]
    communes, labels, houses = doc["vector_layers"]
    assert labels["fields"] == {"name": "String"}
    assert communes["fields"]["name"] == "String" and communes["fields"]["area_km2"] == "Number"
    assert "geometry_note" in communes
    assert houses["fields"]["count"] == "Number" and houses["cluster_below_zoom"] == 13
    assert doc["bounds"] == pytest.approx(province_extent(), abs=1e-5)
    assert doc["minzoom"] == 0 and doc["maxzoom"] == 22
    template = doc["tiles"][0]
    assert template.endswith("/tiles/communes,houses/{z}/{x}/{y}.mvt")
    path = template.split("testserver", 1)[1].format(z=8, x=203, y=120)
    assert api("t_admin").get(path).status_code == 200


def test_tilejson_of_a_protected_layer_needs_the_right(api):
    assert api().get("/tiles/houses.json").status_code == 401
    assert api("t_dept_construction").get("/tiles/houses.json").status_code == 403


def test_tile_matrix_sets(api):
    listing = api().get("/ogcapi/tileMatrixSets").json()
    assert [tms["id"] for tms in listing["tileMatrixSets"]] == ["WebMercatorQuad"]
    tms = api().get("/ogcapi/tileMatrixSets/WebMercatorQuad").json()
    assert tms["crs"].endswith("/EPSG/0/3857") and len(tms["tileMatrices"]) == 25
    z12 = tms["tileMatrices"][12]
    assert z12["matrixWidth"] == 4096 and z12["scaleDenominator"] == pytest.approx(136494.693, rel=1e-6)
    assert api().get("/ogcapi/tileMatrixSets/WorldCRS84Quad").status_code == 404


def test_collection_tilesets_and_metadata(api):
    tilesets = api().get("/ogcapi/collections/communes/tiles").json()["tilesets"]
    assert tilesets[0]["dataType"] == "vector" and tilesets[0]["tileMatrixSetURI"].endswith("WebMercatorQuad")
    meta = api().get("/ogcapi/collections/communes/tiles/WebMercatorQuad").json()
    limits = {limit["tileMatrix"]: limit for limit in meta["tileMatrixSetLimits"]}
    x0, y0, x1, y1 = tile_range(province_extent(), 12)
    assert (limits["12"]["minTileCol"], limits["12"]["maxTileRow"]) == (x0, y1)
    assert limits["12"]["minTileRow"] <= BIEN_HOA_Z12.y <= limits["12"]["maxTileRow"]
    assert meta["layers"][0]["propertiesSchema"]["properties"]["name"] == {"type": "string"}
    item = next(link for link in meta["links"] if link["rel"] == "item")
    assert item["templated"] and item["href"].endswith("/{tileMatrix}/{tileRow}/{tileCol}")


def test_ogc_tile_is_the_same_tile_with_row_and_col(api):
    ogc = api().get("/ogcapi/collections/communes/tiles/WebMercatorQuad/8/120/203")
    xyz = api().get("/tiles/communes/8/203/120.mvt")
    assert ogc.status_code == 200 and ogc.content == xyz.content


def test_ogc_tiles_follow_the_same_access_rules(api):
    assert api().get("/ogcapi/collections/houses/tiles").status_code == 401
    assert api().get("/ogcapi/collections/houses/tiles/WebMercatorQuad/12/1922/3263").status_code == 401
    assert api("t_dept_construction").get("/ogcapi/collections/houses/tiles/WebMercatorQuad").status_code == 403
    assert api().get("/ogcapi/collections/nope/tiles").status_code == 404
