"""The disk tile cache: hits, scope keys, invalidation by the change signal, the seeding command."""
from __future__ import annotations

import mapbox_vector_tile
import pytest
from django.core.management import call_command

from geodata.models import House, StreetLight
from geodata.signals import layer_data_changed
from tiles.cache import TileCache
from tiles.tilemath import Tile

pytestmark = pytest.mark.django_db

Z14 = Tile(14, 3263 * 4 + 1, 1922 * 4 + 1)
POINT = "SRID=4326;POINT(106.82 10.97)"  # inside Z14


def get(client, layers: str, tile: Tile):
    return client.get(f"/tiles/{layers}/{tile.z}/{tile.x}/{tile.y}.mvt")


def features(response, layer: str) -> dict[int, dict]:
    return {f["id"]: f["properties"] for f in mapbox_vector_tile.decode(response.content)[layer]["features"]}


def test_second_request_is_a_hit_with_the_same_etag(api):
    client = api()
    first, second = get(client, "communes", Tile(8, 203, 120)), get(client, "communes", Tile(8, 203, 120))
    assert (first["X-Tile-Cache"], second["X-Tile-Cache"]) == ("miss", "hit")
    assert first["ETag"] == second["ETag"] and first.content == second.content


def test_scopes_are_cached_apart(api, bien_hoa_houses):
    admin = get(api("t_admin"), "houses", Z14)
    commune = get(api("t_commune"), "houses", Z14)
    assert commune["X-Tile-Cache"] == "miss"  # not served the admin's tile
    assert set(features(commune, "houses")) < set(features(admin, "houses"))


def test_edit_plus_signal_invalidates_the_tiles_of_the_area(api, tile_cache_dir):
    client = api("t_admin")
    light = StreetLight.objects.create(status="on", wattage_w=100, kwh_month=30, lamp_type="led", geom=POINT)
    assert features(get(client, "street_lights", Z14), "street_lights")[light.id]["status"] == "on"
    far = Tile(14, 13100, 7650)
    get(client, "street_lights", far)  # cached, empty, far from the edit

    StreetLight.objects.filter(id=light.id).update(status="fault")
    assert features(get(client, "street_lights", Z14), "street_lights")[light.id]["status"] == "on"  # stale: cached

    layer_data_changed.send(sender=None, model=StreetLight, bbox=(106.819, 10.969, 106.821, 10.971))
    fresh = get(client, "street_lights", Z14)
    assert fresh["X-Tile-Cache"] == "miss"
    assert features(fresh, "street_lights")[light.id]["status"] == "fault"
    assert get(client, "street_lights", far)["X-Tile-Cache"] == "hit"  # outside the bbox: kept


def test_signal_without_bbox_drops_every_tile_of_the_layer_only(api):
    client = api("t_admin")
    house = House.objects.create(address_code="X-1", status="normal", members=3, geom=POINT, commune_code="26041")
    get(client, "houses", Z14), get(client, "communes", Z14), get(client, "communes,houses", Z14)
    House.objects.filter(id=house.id).update(status="poor")
    layer_data_changed.send(sender=None, model=House)
    assert get(client, "communes", Z14)["X-Tile-Cache"] == "hit"
    mixed = get(client, "communes,houses", Z14)
    assert mixed["X-Tile-Cache"] == "miss" and features(mixed, "houses")[house.id]["status"] == "poor"


def test_cache_state_is_shared_between_processes(tmp_path):
    """Two cache objects on one directory behave like two gunicorn workers."""
    one, two = TileCache(tmp_path), TileCache(tmp_path)
    tile = Tile(10, 815, 480)
    key, epochs = one.key([("roads", "all")])
    assert one.put(key, tile, b"tile", ["roads"], epochs)
    assert two.get(two.key([("roads", "all")])[0], tile) == b"tile"
    two.invalidate("roads")
    assert one.get(one.key([("roads", "all")])[0], tile) is None


def test_a_render_that_raced_an_invalidation_is_not_stored(tmp_path):
    cache = TileCache(tmp_path)
    tile = Tile(10, 815, 480)
    key, epochs = cache.key([("roads", "all")])  # a worker starts rendering ...
    cache.invalidate("roads", (106.0, 10.0, 108.0, 12.0))  # ... an edit lands meanwhile
    assert not cache.put(key, tile, b"stale", ["roads"], epochs)
    assert cache.get(key, tile) is None


def test_tiles_seed_prewarms_the_public_scope(api, tile_cache_dir):
    call_command("tiles_seed", layers="communes,province", zoom="7-9", bbox="106.7,10.8,107.0,11.1", verbosity=0)
    response = get(api(), "communes,province", Tile(9, 407, 240))
    assert response.status_code == 200 and response["X-Tile-Cache"] == "hit"
    assert any((tile_cache_dir / "tiles").rglob("*.mvt"))


def test_tiles_seed_refuses_protected_layers(tile_cache_dir):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("tiles_seed", layers="houses", zoom="8", verbosity=0)
