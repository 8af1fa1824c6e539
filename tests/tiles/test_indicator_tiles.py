"""Indicator choropleth tiles go through the layer tiles' pipeline: validation, cache by table versions, ETag and
304, 204 when empty, Cache-Control, JSON errors."""

from __future__ import annotations

import mapbox_vector_tile
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from geodata.models import Indicator, IndicatorValue
from tiles.tilemath import Tile, tile_for

pytestmark = pytest.mark.django_db

Z9 = Tile(9, *tile_for(106.9, 10.89, 9))  # holds communes 26068, 26017 and 26020


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.MAPSERVER_TILE_CACHE = True


@pytest.fixture
def indicator(db) -> Indicator:
    """An indicator where higher is better, with values of three communes in 2026-03."""
    made = Indicator.objects.create(
        code="T_TILE",
        name="Tỷ lệ thử",
        unit="%",
        sector="test_sector",
        department="Sở thử",
        target=80,
        higher_is_better=True,
        period_kind="month",
    )
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator=made, commune_code=code, period="2026-03", value=value)
        for code, value in (("26068", 85), ("26017", 76), ("26020", 50))
    )
    return made


def get(client, tile: Tile, code: str = "T_TILE", period: str = "2026-03", **headers):
    return client.get(f"/api/indicators/{code}/tiles/{period}/{tile.z}/{tile.x}/{tile.y}.mvt", **headers)


def communes(response) -> dict[str, dict]:
    assert response.status_code == 200 and response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    return {
        f["properties"]["code"]: f["properties"]
        for f in mapbox_vector_tile.decode(response.content)["indicator"]["features"]
    }


def test_the_tile_is_cached_and_served_without_rendering(api, indicator):
    client = api()
    first = get(client, Z9)
    assert communes(first)["26068"]["value"] == 85 and first["X-Tile-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = get(client, Z9)
    assert not [q for q in queries.captured_queries if "ST_AsMVT" in q["sql"]]
    assert second["X-Tile-Cache"] == "hit" and second.content == first.content and second["ETag"] == first["ETag"]


def test_a_changed_value_or_target_changes_the_tile_and_its_etag(api, indicator):
    client = api()
    first = get(client, Z9)
    IndicatorValue.objects.filter(indicator=indicator, commune_code="26020").update(value=95)  # no signal sent
    second = get(client, Z9)
    assert second["X-Tile-Cache"] == "miss" and second["ETag"] != first["ETag"]
    assert communes(second)["26020"]["value"] == 95 and communes(second)["26020"]["met"] is True
    Indicator.objects.filter(id=indicator.id).update(target=90)
    third = communes(get(client, Z9))
    assert third["26068"]["target"] == 90 and third["26068"]["met"] is False


def test_etag_304_and_cache_control_like_layer_tiles(api, indicator):
    client = api()
    first = get(client, Z9)
    assert first["ETag"].startswith('"') and not first["ETag"].startswith("W/")  # strong
    layer_tile = client.get("/tiles/communes/8/203/120.mvt")
    assert first["Cache-Control"] == layer_tile["Cache-Control"]
    again = get(client, Z9, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == first["Cache-Control"]


def test_an_empty_tile_is_204(api, indicator):
    response = get(api(), Tile(9, 0, 0))  # far from the province
    assert response.status_code == 204 and response["Cache-Control"].startswith("public")


@pytest.mark.parametrize("zxy", ["25/0/0", "3/8/0", "3/0/8", "0/1/0"])
def test_tile_coordinates_are_validated_like_layer_tiles(api, indicator, zxy):
    client = api()
    indicator_tile = client.get(f"/api/indicators/T_TILE/tiles/2026-03/{zxy}.mvt")
    layer_tile = client.get(f"/tiles/communes/{zxy}.mvt")
    assert indicator_tile.status_code == layer_tile.status_code and indicator_tile.status_code in (400, 404)
    assert set(indicator_tile.json()) == {"code", "description"}


@pytest.mark.parametrize(
    "code, period, status", [("NOPE", "2026-03", 404), ("T_TILE", "March", 400), ("T_TILE", "2026-13", 400)]
)
def test_unknown_indicator_or_malformed_period(api, indicator, code, period, status):
    response = get(api(), Z9, code=code, period=period)
    assert response.status_code == status and set(response.json()) == {"code", "description"}
