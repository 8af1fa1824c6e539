"""The disk tile cache: served without rendering, keyed by table versions (so every writer invalidates it, a raw
SQL write from another connection included), scope keys, pruning of superseded versions, the seeding command."""

from __future__ import annotations

import time

import mapbox_vector_tile
import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from geodata.models import House, StreetLight
from layers.registry import registry
from layers.versioning import is_tracked
from reports.models import FieldReport
from tests.reports.conftest import make_report
from tests.tiles.conftest import STATUSES
from tiles.cache import CacheKey, TileCache, tile_cache
from tiles.queries import definition
from tiles.tilemath import Tile, tile_for

pytestmark = pytest.mark.django_db

Z14 = Tile(14, 3263 * 4 + 1, 1922 * 4 + 1)
POINT = "SRID=4326;POINT(106.82 10.97)"  # inside Z14
TILE = Tile(10, 815, 480)


@pytest.fixture(autouse=True)
def cache_on(settings):
    """These tests are about the cache: on, whatever the environment says."""
    settings.MAPSERVER_TILE_CACHE = True


@pytest.fixture
def outside_connection():
    """A psycopg connection of its own in autocommit: a writer Django knows nothing of (psql, another process)."""
    db = connection.settings_dict
    with psycopg.connect(
        dbname=db["NAME"],
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        autocommit=True,
    ) as conn:
        conn.execute("SET lock_timeout = '10s'")  # a lock held by the test's transaction fails the test, not hangs it
        yield conn


def get(client, layers: str, tile: Tile, **headers):
    return client.get(f"/tiles/{layers}/{tile.z}/{tile.x}/{tile.y}.mvt", **headers)


def features(response, layer: str) -> dict[int, dict]:
    assert response.status_code == 200, response.content[:200]
    return {f["id"]: f["properties"] for f in mapbox_vector_tile.decode(response.content)[layer]["features"]}


def renders(queries: CaptureQueriesContext) -> list[str]:
    """The tile statements among the captured SQL."""
    return [q["sql"] for q in queries.captured_queries if "ST_AsMVT" in q["sql"]]


def test_served_from_the_cache(api):
    """The second request renders nothing: no tile statement reaches PostgreSQL (fails with the cache off)."""
    client = api()
    first = get(client, "communes", Tile(8, 203, 120))
    with CaptureQueriesContext(connection) as queries:
        second = get(client, "communes", Tile(8, 203, 120))
    assert not renders(queries)
    assert first.status_code == second.status_code == 200 and first.content == second.content
    assert (first["X-Tile-Cache"], second["X-Tile-Cache"]) == ("miss", "hit") and first["ETag"] == second["ETag"]


def test_with_the_cache_off_every_request_renders(api, settings):
    """The probe of the test above sees renders: with the cache off the same second request runs the statement."""
    settings.MAPSERVER_TILE_CACHE = False
    client = api()
    get(client, "communes", Tile(8, 203, 120))
    with CaptureQueriesContext(connection) as queries:
        second = get(client, "communes", Tile(8, 203, 120))
    assert len(renders(queries)) == 1 and second["X-Tile-Cache"] == "miss"


def test_a_raw_sql_write_from_another_connection_shows_in_the_next_tile(api, outside_connection):
    """No signal, no Django: the statement trigger bumps the table version and the next request renders anew."""
    house = House.objects.filter(commune_code="26068").order_by("id").first()  # committed sample data
    tile = Tile(14, *tile_for(house.geom.x, house.geom.y, 14))
    client = api("t_admin")
    before = get(client, "houses", tile)
    assert features(before, "houses")[house.id]["status"] == house.status
    assert get(client, "houses", tile)["X-Tile-Cache"] == "hit"
    new_status = next(status for status in STATUSES if status != house.status)
    try:
        outside_connection.execute("UPDATE geodata_house SET status = %s WHERE id = %s", [new_status, house.id])
        after = get(client, "houses", tile)
        assert after["X-Tile-Cache"] == "miss" and features(after, "houses")[house.id]["status"] == new_status
        assert after["ETag"] != before["ETag"]
        set_dir = tile_cache().tiles / f"houses~all~{definition(registry.get('houses'))}"
        assert len([d for d in set_dir.iterdir() if d.is_dir()]) == 1  # the superseded version's was pruned
    finally:
        outside_connection.execute("UPDATE geodata_house SET status = %s WHERE id = %s", [house.status, house.id])


def test_an_orm_edit_changes_the_key_without_any_signal(api):
    client = api("t_admin")
    light = StreetLight.objects.create(status="on", wattage_w=100, kwh_month=30, lamp_type="led", geom=POINT)
    assert features(get(client, "street_lights", Z14), "street_lights")[light.id]["status"] == "on"
    StreetLight.objects.filter(id=light.id).update(status="fault")
    fresh = get(client, "street_lights", Z14)
    assert fresh["X-Tile-Cache"] == "miss" and features(fresh, "street_lights")[light.id]["status"] == "fault"


def test_a_write_leaves_the_tiles_of_other_tables_cached(api):
    client = api("t_admin")
    house = House.objects.create(address_code="X-1", status="normal", members=3, geom=POINT, commune_code="26041")
    get(client, "houses", Z14), get(client, "communes", Z14), get(client, "communes,houses", Z14)
    House.objects.filter(id=house.id).update(status="poor")
    assert get(client, "communes", Z14)["X-Tile-Cache"] == "hit"
    mixed = get(client, "communes,houses", Z14)
    assert mixed["X-Tile-Cache"] == "miss" and features(mixed, "houses")[house.id]["status"] == "poor"


def test_a_layer_on_a_view_follows_its_base_table(api):
    """field_reports reads the reports_public view; writes to reports_fieldreport change its tiles' key."""
    assert is_tracked("reports_fieldreport") and is_tracked("reports_servicecategory")
    report = make_report()
    tile = Tile(15, *tile_for(report.geom.x, report.geom.y, 15))
    client = api()
    assert features(get(client, "field_reports", tile), "field_reports")[report.id]["status"] == "received"
    assert get(client, "field_reports", tile)["X-Tile-Cache"] == "hit"
    FieldReport.objects.filter(id=report.id).update(status="in_progress")
    fresh = get(client, "field_reports", tile)
    assert fresh["X-Tile-Cache"] == "miss" and features(fresh, "field_reports")[report.id]["status"] == "in_progress"


def test_scopes_are_cached_apart(api, bien_hoa_houses):
    admin = get(api("t_admin"), "houses", Z14)
    commune = get(api("t_commune"), "houses", Z14)
    assert commune["X-Tile-Cache"] == "miss"  # not served the admin's tile
    assert set(features(commune, "houses")) < set(features(admin, "houses"))


def test_cache_state_is_shared_between_processes(tmp_path):
    """Two cache objects on one directory behave like two gunicorn workers."""
    one, two = TileCache(tmp_path), TileCache(tmp_path)
    assert one.put(CacheKey("roads~all", (7,)), TILE, b"tile")
    assert two.get(CacheKey("roads~all", (7,)), TILE) == b"tile"
    assert two.get(CacheKey("roads~all", (8,)), TILE) is None  # the table changed: another key


def wait_for_empty_trash(cache: TileCache) -> None:
    deadline = time.monotonic() + 10
    while any(cache.trash.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not any(cache.trash.iterdir())


def test_a_new_version_prunes_the_older_ones_of_its_set_only(tmp_path):
    cache = TileCache(tmp_path)
    old, new, other = CacheKey("roads~all", (5, 7)), CacheKey("roads~all", (6, 7)), CacheKey("roads~c26068", (5, 7))
    cache.put(old, TILE, b"old"), cache.put(other, TILE, b"other")
    assert cache.put(new, TILE, b"new")
    assert not cache.directory(old).exists() and cache.get(other, TILE) == b"other"
    # a slow request still at the old versions stores its tile, but never removes a newer version
    assert cache.put(old, TILE, b"stale") and cache.get(new, TILE) == b"new"
    cache.put(CacheKey("roads~all", (6, 9)), TILE, b"newer")
    assert [d.name for d in (tmp_path / "tiles" / "roads~all").iterdir()] == ["6-9"]
    wait_for_empty_trash(cache)


def test_a_new_set_supersedes_the_other_sets_of_its_family_only(tmp_path):
    """A set made under another declaration or release (another name, the same family) goes, and so do the sets
    of releases before families were recorded (no family); other families stay."""
    cache = TileCache(tmp_path)
    old = CacheKey("roads~all~d1", (5,), "roads~all")
    other = CacheKey("roads~c26068~d1", (5,), "roads~c26068")
    unrecorded = CacheKey("roads~all~d0", (5,))
    for key in (old, other, unrecorded):
        cache.put(key, TILE, b"tile")
    new = CacheKey("roads~all~d2", (5,), "roads~all")
    assert cache.put(new, TILE, b"new")
    assert not cache.directory(old).exists() and not cache.directory(unrecorded).exists()
    assert cache.get(other, TILE) == b"tile"
    assert cache.put(CacheKey("roads~all~d2", (6,), "roads~all"), TILE, b"newer")  # a new version: its set stays
    assert cache.get(other, TILE) == b"tile"
    wait_for_empty_trash(cache)


def test_a_changed_declaration_removes_the_tiles_cached_under_the_old_one(api, tile_cache_dir, monkeypatch):
    from tiles import queries

    client = api("t_admin")
    assert get(client, "street_lights", Z14)["X-Tile-Cache"] == "miss"
    before = {d.name for d in tile_cache().tiles.iterdir()}
    assert f"street_lights~all~{definition(registry.get('street_lights'))}" in before
    monkeypatch.setattr(queries, "definition", lambda spec: "changed1")  # as a new release would digest it
    assert get(client, "street_lights", Z14)["X-Tile-Cache"] == "miss"
    assert {d.name for d in tile_cache().tiles.iterdir()} == before - {
        f"street_lights~all~{definition(registry.get('street_lights'))}"
    } | {"street_lights~all~changed1"}


def test_long_names_and_version_lists_are_digests_and_still_pruned(tmp_path):
    cache = TileCache(tmp_path)
    name = "+".join(f"layer_{i}~all" for i in range(40))
    old, new = CacheKey(name, tuple(range(1_000_000, 1_000_040))), CacheKey(name, tuple(range(1_000_001, 1_000_041)))
    cache.put(old, TILE, b"old"), cache.put(new, TILE, b"new")
    assert len(cache.directory(new).parent.name) < 40 and len(cache.directory(new).name) < 40
    assert cache.get(new, TILE) == b"new" and not cache.directory(old).exists()
    wait_for_empty_trash(cache)


def test_tiles_seed_prewarms_the_public_scope(api, tile_cache_dir):
    call_command("tiles_seed", layers="communes,province", zoom="7-9", bbox="106.7,10.8,107.0,11.1", verbosity=0)
    response = get(api(), "communes,province", Tile(9, 407, 240))
    assert response.status_code == 200 and response["X-Tile-Cache"] == "hit"
    assert any(tile_cache_dir.rglob("*.mvt"))


def test_tiles_seed_refuses_protected_layers(tile_cache_dir):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("tiles_seed", layers="houses", zoom="8", verbosity=0)


def test_a_changed_layer_declaration_is_never_served_from_tiles_cached_before(api, monkeypatch):
    """The cache key holds a digest of the layer's declaration: a release that changes what a layer's tiles carry
    (here: fewer tile attributes) renders them again instead of serving the old tiles (no table changed)."""
    from dataclasses import replace

    client = api()
    before = features(get(client, "communes", Tile(8, 203, 120)), "communes")
    assert all("kind" in props for props in before.values())
    spec = registry.get("communes")
    monkeypatch.setitem(registry._layers, "communes", replace(spec, tile_properties=("code", "name")))
    after = get(client, "communes", Tile(8, 203, 120))
    assert after["X-Tile-Cache"] == "miss"
    props = features(after, "communes")
    assert set(props) == set(before) and all(set(p) == {"code", "name"} for p in props.values())
