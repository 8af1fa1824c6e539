"""Part 2 CRS: crs, bbox-crs, Content-Crs, axis order, VN-2000 through the pinned national parameters."""

import pytest

from geodata.crs import SUPPORTED, resolve_crs, transformer
from tests.layers.conftest import HOME_COMMUNE, ids, point_in

pytestmark = pytest.mark.django_db
HOUSES = "/ogcapi/collections/houses/items"
CRS84 = SUPPORTED["http://www.opengis.net/def/crs/OGC/1.3/CRS84"]


def coordinates(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return response, {f["id"]: f["geometry"]["coordinates"] for f in response.json()["features"]}


# (code, axis order of the CRS as EPSG declares it, tolerance in its unit): geographic CRSs are latitude first.
OUTPUT_CRSS = [("3857", "xy", 0.01), ("4756", "yx", 1e-6), ("5899", "xy", 0.01), ("9212", "xy", 0.01)]


@pytest.mark.parametrize("code,order,tolerance", OUTPUT_CRSS)
def test_output_crs_matches_the_pinned_transformation(api, houses, code, order, tolerance):
    client = api("t_leader")
    _, lonlat = coordinates(client, f"{HOUSES}?filter=address_code LIKE 'TST-%'")
    target = resolve_crs(f"EPSG:{code}")
    assert target.lat_lon_order == (order == "yx")
    response, projected = coordinates(client, f"{HOUSES}?filter=address_code LIKE 'TST-%'&crs=EPSG:{code}")
    assert response["Content-Crs"] == f"<{target.uri}>"
    to_target = transformer(CRS84, target)
    for fid, (lon, lat) in lonlat.items():
        x, y = to_target.transform(lon, lat)
        expected = {"xy": [x, y], "yx": [y, x]}[order]
        assert projected[fid] == pytest.approx(expected, abs=tolerance)


def test_epsg_4326_is_latitude_first(api, houses):
    client = api("t_leader")
    _, lonlat = coordinates(client, f"{HOUSES}?filter=address_code LIKE 'TST-%'")
    _, latlon = coordinates(
        client, f"{HOUSES}?filter=address_code LIKE 'TST-%'&crs=http://www.opengis.net/def/crs/EPSG/0/4326"
    )
    assert all(latlon[fid] == [lon_lat[1], lon_lat[0]] for fid, lon_lat in lonlat.items())


def test_bbox_crs_in_epsg_4326_takes_latitude_first(api, houses):
    home = point_in(HOME_COMMUNE)
    lonlat_box = f"{home.x - 0.0001},{home.y - 0.001},{home.x + 0.0003},{home.y + 0.001}"
    latlon_box = f"{home.y - 0.001},{home.x - 0.0001},{home.y + 0.001},{home.x + 0.0003}"
    client = api("t_leader")
    plain = client.get(f"{HOUSES}?bbox={lonlat_box}&limit=1000").json()
    flipped = client.get(f"{HOUSES}?bbox={latlon_box}&bbox-crs=EPSG:4326&limit=1000").json()
    assert set(ids(plain)) == set(ids(flipped)) and {h.id for h in houses[:3]} <= set(ids(plain))


@pytest.mark.parametrize("code", ["3857", "5899"])
def test_bbox_in_a_projected_crs(api, houses, code):
    home = point_in(HOME_COMMUNE)
    to_target = transformer(CRS84, resolve_crs(f"EPSG:{code}"))
    x, y = to_target.transform(home.x, home.y)
    box = f"{x - 30},{y - 30},{x + 60},{y + 30}"  # metres: the three home houses are 0-45 m east
    found = set(ids(api("t_leader").get(f"{HOUSES}?bbox={box}&bbox-crs=EPSG:{code}&limit=1000").json()))
    assert {h.id for h in houses[:3]} <= found and houses[3].id not in found


def test_one_item_in_another_crs(api, houses):
    response = api("t_leader").get(f"{HOUSES}/{houses[0].id}?crs=EPSG:3857")
    assert response.status_code == 200 and response["Content-Crs"] == "<http://www.opengis.net/def/crs/EPSG/0/3857>"
    x, y = response.json()["geometry"]["coordinates"]
    assert x > 1e7 and y > 1e6


def test_filter_crs_applies_to_filter_geometries(api, houses):
    home = point_in(HOME_COMMUNE)
    x, y = transformer(CRS84, resolve_crs("EPSG:3857")).transform(home.x, home.y)
    polygon = f"POLYGON(({x - 5} {y - 5},{x + 5} {y - 5},{x + 5} {y + 5},{x - 5} {y + 5},{x - 5} {y - 5}))"
    document = api("t_leader").get(f"{HOUSES}?filter=S_INTERSECTS(geom,{polygon})&filter-crs=EPSG:3857").json()
    assert houses[0].id in ids(document) and houses[2].id not in ids(document)


@pytest.mark.parametrize(
    "query",
    [
        "crs=EPSG:2000",
        "crs=nonsense",
        "bbox=1,2,3,4&bbox-crs=EPSG:32648",
        "bbox-crs=EPSG:4326",
        "filter-crs=EPSG:1",
        "crs=",
    ],
)
def test_unsupported_crs_is_400(api, query):
    response = api("t_leader").get(f"{HOUSES}?{query}")
    if query == "crs=":
        assert response.status_code == 200  # empty means the default
        return
    assert response.status_code == 400 and response.json()["code"] == "InvalidParameterValue"


def test_out_of_range_projected_bbox_is_400_not_500(api):
    response = api("t_leader").get(f"{HOUSES}?bbox=-1e30,-1e30,1e30,1e30&bbox-crs=EPSG:5899")
    assert response.status_code in (200, 400)
