"""Vector tiles decoded with mapbox-vector-tile: layers, ids, simplification, clustering, size, errors."""

from __future__ import annotations

from collections import Counter

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Polygon
from django.db import connection

from geodata.models import Camera, Commune, House
from tests.tiles.conftest import STATUSES, insert_houses
from tiles.tilemath import Tile

pytestmark = pytest.mark.django_db


def url(layers: str, tile: Tile) -> str:
    return f"/tiles/{layers}/{tile.z}/{tile.x}/{tile.y}.mvt"


def decode(response) -> dict:
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    return mapbox_vector_tile.decode(response.content)


def tile_polygon(tile: Tile, buffered: bool = False) -> Polygon:
    west, south, east, north = tile.bounds_4326()
    pad = (east - west) * 64 / 4096 if buffered else 0  # the MVT clip buffer, about the same in latitude here
    return Polygon.from_bbox((west - pad, south - pad, east + pad, north + pad))


def houses_in(tile: Tile, **filters) -> Counter:
    """Independent count of houses per status inside a tile (ORM, not the tile SQL; edges excluded)."""
    rows = House.objects.filter(geom__within=tile_polygon(tile), **filters).values_list("status", flat=True)
    return Counter(rows)


def houses_on_edges(tile: Tile) -> int:
    """Houses lying exactly on the tile's edges (a tile counts some of them, its neighbour the others)."""
    return House.objects.filter(geom__intersects=tile_polygon(tile).boundary).count()


def assert_counts_match(features: list[dict], tile: Tile, **filters) -> None:
    expected = houses_in(tile, **filters)
    slack = houses_on_edges(tile)
    total = sum(f["properties"]["count"] for f in features)
    assert sum(expected.values()) <= total <= sum(expected.values()) + slack
    for status in STATUSES:
        got = sum(f["properties"].get(f"count_{status}", 0) for f in features)
        assert expected[status] <= got <= expected[status] + slack, status


def vertex_count(geometry: dict) -> int:
    coords = geometry["coordinates"]
    while isinstance(coords[0][0], list):
        coords = [point for part in coords for point in part]
    return len(coords)


def test_base_layers_in_one_tile_with_ids(api):
    tile = Tile(8, 203, 120)
    layers = decode(api().get(url("communes,province,districts_2024", tile)))
    assert [name for name in layers if not name.endswith("_labels")] == ["communes", "province", "districts_2024"]
    labels = layers["communes_labels"]["features"]  # one label point per commune whose point lies in the tile
    assert all(f["geometry"]["type"] == "Point" and f["properties"]["name"] for f in labels)
    assert {f["id"] for f in labels} <= {f["id"] for f in layers["communes"]["features"]}
    inside = set(Commune.objects.filter(geom__intersects=tile_polygon(tile)).values_list("id", flat=True))
    near = set(Commune.objects.filter(geom__intersects=tile_polygon(tile, buffered=True)).values_list("id", flat=True))
    got = {feature["id"] for feature in layers["communes"]["features"]}
    assert inside <= got <= near  # every feature in the tile, plus those in the clip buffer only
    first = layers["communes"]["features"][0]["properties"]
    assert {"code", "name", "kind", "geometry_source"} <= set(first)


def test_the_base_map_keeps_its_administrative_units_past_their_maxzoom(api):
    """The base map's source goes to z22 (roads); the province, districts and communes stop at z16, and the map
    asks that source for z17+ tiles, which must still draw the boundaries (they used to vanish at street level)."""
    from layers.registry import registry
    from tiles.tilemath import tile_for

    assert registry.get("communes").maxzoom == 16 < registry.get("roads").maxzoom
    for z in (16, 17, 19):
        tile = Tile(z, *tile_for(106.82, 10.95, z))  # inside commune boundaries in Biên Hòa
        layers = decode(api().get(url("province,districts_2024,communes,roads,waterways", tile)))
        assert {"province", "districts_2024", "communes"} <= layers.keys(), z
        inside = set(Commune.objects.filter(geom__intersects=tile_polygon(tile)).values_list("id", flat=True))
        assert inside and inside <= {f["id"] for f in layers["communes"]["features"]}, z


def test_polygons_are_simplified_at_low_zoom(api):
    tile = Tile(8, 203, 120)
    features = decode(api().get(url("communes", tile)))["communes"]["features"]
    in_tile = {f["id"]: vertex_count(f["geometry"]) for f in features}
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, ST_NPoints(geom) FROM geodata_commune WHERE id = ANY(%s)", [list(in_tile)])
        stored = dict(cursor.fetchall())
    assert sum(in_tile.values()) < 0.5 * sum(stored.values())
    # more detail at a higher zoom: the same commune drawn over a z11 tile has more vertices than at z8
    biggest = max(in_tile, key=in_tile.get)
    centre = Commune.objects.get(id=biggest).geom.point_on_surface
    from tiles.tilemath import tile_for

    z11 = Tile(11, *tile_for(centre.x, centre.y, 11))
    detailed = {
        f["id"]: vertex_count(f["geometry"]) for f in decode(api().get(url("communes", z11)))["communes"]["features"]
    }
    assert detailed[biggest] > in_tile[biggest]


def test_houses_are_clustered_below_the_zoom_with_category_counts(api, bien_hoa_houses):
    layer = decode(api("t_admin").get(url("houses", bien_hoa_houses)))["houses"]
    assert_counts_match(layer["features"], bien_hoa_houses)
    expected = houses_in(bien_hoa_houses)
    assert all(f["properties"]["cluster"] is True for f in layer["features"])
    assert len({f["id"] for f in layer["features"]}) == len(layer["features"])
    assert len(layer["features"]) < sum(expected.values())  # aggregated, not one per house


def test_houses_are_plain_points_from_the_cluster_zoom(api, bien_hoa_houses):
    tile = Tile(14, 3263 * 4 + 1, 1922 * 4 + 1)
    layer = decode(api("t_admin").get(url("houses", tile)))["houses"]
    ids = set(House.objects.filter(geom__within=tile_polygon(tile)).values_list("id", flat=True))
    got = {f["id"] for f in layer["features"]}
    assert ids <= got and ids  # plus any house within the clip buffer
    props = layer["features"][0]["properties"]
    assert set(props) == {"status", "members", "floors", "commune_code"}  # the registry's tile attributes


def test_attributes_left_out_of_tiles_are_in_the_ogc_item_and_the_catalogue_says_so(api, bien_hoa_houses):
    tile = Tile(14, 3263 * 4 + 1, 1922 * 4 + 1)
    client = api("t_admin")
    feature = decode(client.get(url("houses", tile)))["houses"]["features"][0]
    assert "address_code" not in feature["properties"]
    item = client.get(f"/ogcapi/collections/houses/items/{feature['id']}", HTTP_ACCEPT="application/geo+json").json()
    house = House.objects.get(id=feature["id"])
    assert item["properties"]["address_code"] == house.address_code
    assert item["properties"]["status"] == feature["properties"]["status"] == house.status
    layers = {entry["id"]: entry for entry in client.get("/api/layers").json()["layers"]}
    assert layers["houses"]["tile_properties_complete"] is False and layers["roads"]["tile_properties_complete"]
    fields = client.get("/tiles/houses.json").json()["vector_layers"][0]["fields"]
    assert "address_code" not in fields and "status" in fields


def test_province_wide_z8_houses_tile_stays_small(api):
    bbox = (106.45, 10.6, 107.55, 12.25)  # about the province
    insert_houses(300_000, bbox, ("26068", "26041", "25993"))
    tile = Tile(8, 203, 120)
    response = api("t_admin").get(url("houses", tile))
    assert len(response.content) < 500 * 1024
    layer = decode(response)["houses"]
    assert_counts_match(layer["features"], tile)
    assert max(f["properties"].get("count_poor", 0) for f in layer["features"]) > 0


def test_cluster_counts_partition_the_parent_tile(api, bien_hoa_houses):
    """Each point is counted in exactly one tile of a zoom: the four children add up to their parent."""
    parent = Tile(11, 3263 // 2, 1922 // 2)
    client = api("t_admin")

    def total(tile: Tile) -> int:
        response = client.get(url("houses", tile))
        return (
            sum(f["properties"]["count"] for f in decode(response)["houses"]["features"])
            if response.status_code == 200
            else 0
        )

    children = [Tile(12, parent.x * 2 + dx, parent.y * 2 + dy) for dx in (0, 1) for dy in (0, 1)]
    assert sum(total(child) for child in children) == total(parent) > 0


def test_commune_staff_see_only_their_commune(api, bien_hoa_houses):
    tile = Tile(14, 3263 * 4 + 1, 1922 * 4 + 1)
    features = decode(api("t_commune").get(url("houses", tile)))["houses"]["features"]
    assert features and {f["properties"]["commune_code"] for f in features} == {"26068"}
    clusters = decode(api("t_commune").get(url("houses", bien_hoa_houses)))["houses"]["features"]
    assert_counts_match(clusters, bien_hoa_houses, commune_code="26068")


@pytest.mark.parametrize(
    "user, status",
    [
        (None, 401),
        ("t_dept_construction", 403),
        ("t_external", 403),
        ("t_dept_home", 200),
        ("t_external_houses", 200),
        ("t_leader", 200),
    ],
)
def test_protected_layer_access(api, bien_hoa_houses, user, status):
    response = api(user).get(url("houses", bien_hoa_houses))
    assert response.status_code == status
    if status >= 400:
        assert response.json()["code"] in {"Unauthorized", "Forbidden"}


def test_one_protected_layer_refuses_the_whole_set(api):
    assert api().get(url("communes,houses", Tile(8, 203, 120))).status_code == 401


def test_private_properties_never_in_tiles(api):
    Camera.objects.create(
        name="Cam T",
        owner_unit="UBND",
        codec="H.265",
        rtsp_url="rtsp://secret/1",
        status="live",
        commune_code="26041",
        geom="SRID=4326;POINT(106.82 10.97)",
    )
    tile = Tile(14, 3263 * 4 + 1, 1922 * 4 + 1)
    features = decode(api("t_admin").get(url("cameras", tile)))["cameras"]["features"]
    assert features and all("rtsp_url" not in f["properties"] for f in features)
    assert b"rtsp://secret" not in api("t_admin").get(url("cameras", tile)).content


def test_multi_layer_tile(api, bien_hoa_houses):
    tile = Tile(14, 3263 * 4 + 1, 1922 * 4 + 1)
    layers = decode(api("t_admin").get(url("communes,houses", tile)))
    assert set(layers) == {"communes", "houses"}


def test_empty_and_out_of_zoom_tiles_are_204(api):
    assert api().get(url("communes", Tile(8, 0, 0))).status_code == 204  # far from the province
    assert api().get(url("land_parcels", Tile(8, 203, 120))).status_code == 204  # below the layer's minzoom


def test_etag_and_if_none_match(api):
    client = api()
    first = client.get(url("communes", Tile(8, 203, 120)))
    assert first["Cache-Control"].startswith("public")
    again = client.get(url("communes", Tile(8, 203, 120)), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == first["ETag"]
    assert again["X-Tile-Cache"] == "hit"


def test_protected_tiles_are_private(api, bien_hoa_houses):
    response = api("t_admin").get(url("houses", bien_hoa_houses))
    assert response["Cache-Control"].startswith("private") and "Authorization" in response["Vary"]


@pytest.mark.parametrize(
    "path, status",
    [
        ("/tiles/communes/25/0/0.mvt", 400),
        ("/tiles/communes/3/8/0.mvt", 400),
        ("/tiles/nope/3/0/0.mvt", 404),
        ("/tiles/communes,communes/3/0/0.mvt", 400),
        ("/tiles/Communes;drop/3/0/0.mvt", 404),
    ],
)
def test_bad_requests(api, path, status):
    response = api().get(path)
    assert response.status_code == status
    assert set(response.json()) == {"code", "description"}


def roads_in(tile: Tile) -> Counter:
    """Independent count of roads by class crossing a tile (ORM; the clip buffer excluded)."""
    from geodata.models import Road

    return Counter(Road.objects.filter(geom__intersects=tile_polygon(tile)).values_list("road_class", flat=True))


def test_minor_roads_enter_the_tiles_at_street_zooms(api):
    """At the province view only national and provincial roads are drawn (their count as in the table); urban
    roads join from z10 and commune roads from z11, as the roads layer declares (detail_zoom)."""
    from layers.registry import registry
    from tiles.tilemath import tile_for

    lon, lat = 106.84, 10.95  # Biên Hòa, where every class of road runs
    for z, absent in ((8, {"urban", "commune"}), (10, {"commune"}), (11, set())):
        tile = Tile(z, *tile_for(lon, lat, z))
        expected = roads_in(tile)
        assert expected.keys() >= {"national", "provincial", "urban", "commune"}, z
        drawn = Counter(
            f["properties"]["road_class"] for f in decode(api().get(url("roads", tile)))["roads"]["features"]
        )
        assert not absent & drawn.keys(), z
        for road_class in expected.keys() - absent:  # every road of the classes shown (plus the clip buffer's)
            assert drawn[road_class] >= expected[road_class], (z, road_class)
    declared = dict(registry.get("roads").detail_zoom[1])
    assert declared == {"urban": 10, "commune": 11}
