"""Cluster cells (tiles_cluster_cell): kept equal to the rows by triggers, and tiles from them equal the live SQL."""

from __future__ import annotations

import math
from collections import Counter

import mapbox_vector_tile
import pytest
from django.db import connection
from django.db.models import Count

from geodata.models import House, Tree
from layers.registry import registry
from mapserver.scoping import LayerAccess
from tests.tiles.conftest import BIEN_HOA_Z12, insert_houses
from tiles import cluster_cells, queries
from tiles.tilemath import Tile

pytestmark = pytest.mark.django_db
HOUSES = registry.get("houses")
ORIGIN = 20037508.342789244


def cell_totals(layer: str) -> dict[int, Counter]:
    """Per level: count by (commune, category) summed over the cells."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lvl, commune, cat, sum(n) FROM tiles_cluster_cell WHERE layer = %s GROUP BY 1, 2, 3", [layer]
        )
        totals: dict[int, Counter] = {}
        for level, commune, cat, n in cursor.fetchall():
            totals.setdefault(level, Counter())[(commune, cat)] = n
    return totals


def assert_cells_match_houses() -> None:
    """Every level holds exactly the rows of the table, by commune and status (counted by the ORM)."""
    expected = Counter(
        {
            (row["commune_code"], row["status"]): row["n"]
            for row in House.objects.values("commune_code", "status").annotate(n=Count("id"))
        }
    )
    low, high = cluster_cells.levels(HOUSES)
    totals = cell_totals("houses")
    assert sorted(totals) == list(range(low, high + 1))
    for level, counter in totals.items():
        assert +counter == +expected, level


def python_cells(level: int, houses) -> Counter:
    """Independent cell numbers of houses at a level: spherical Mercator in Python, then floor division."""
    cell = 2 * ORIGIN / (1 << level)
    cells: Counter = Counter()
    for house in houses:
        lon, lat = house.geom.x, house.geom.y
        mx = math.radians(lon) * 6378137.0
        my = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) * 6378137.0
        cells[(math.floor((mx + ORIGIN) / cell), math.floor((ORIGIN - my) / cell), house.status)] += 1
    return cells


def stored_cells(level: int, keys) -> Counter:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT gx, gy, cat, sum(n) FROM tiles_cluster_cell WHERE layer = 'houses' AND lvl = %s"
            " AND (gx, gy) IN (SELECT unnest(%s::int[]), unnest(%s::int[])) GROUP BY 1, 2, 3",
            [level, [k[0] for k in keys], [k[1] for k in keys]],
        )
        return Counter({(gx, gy, cat): n for gx, gy, cat, n in cursor.fetchall()})


def test_cells_hold_every_house_at_every_level():
    assert cluster_cells.has_cells(HOUSES)
    assert_cells_match_houses()


def test_inserts_updates_and_deletes_keep_the_cells_exact(bien_hoa_houses):
    assert_cells_match_houses()
    moved = list(House.objects.filter(address_code__startswith="T-").order_by("id")[:50])
    House.objects.filter(id__in=[h.id for h in moved[:25]]).update(status="poor", commune_code="26041")
    with connection.cursor() as cursor:  # move 25 houses 2 km east, in one statement
        cursor.execute(
            "UPDATE geodata_house SET geom = ST_Translate(geom, 0.02, 0) WHERE id = ANY(%s)",
            [[h.id for h in moved[25:]]],
        )
    House.objects.filter(address_code__in=[f"T-{i}" for i in range(1000, 1400)]).delete()
    House.objects.filter(id=moved[0].id).update(members=9)  # no cell change: a zero delta
    assert_cells_match_houses()
    test_houses = list(House.objects.filter(address_code__startswith="T-"))
    for level in (12, 18):
        expected = python_cells(level, test_houses)
        stored = stored_cells(level, list(expected))
        # the stored cells also hold the sample's houses in those cells: every test house is counted
        assert all(stored[key] >= n for key, n in expected.items()), level
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM tiles_cluster_cell WHERE layer = 'houses' AND n <= 0")
        assert cursor.fetchone()[0] == 0  # emptied cells are removed


def test_the_mean_position_follows_a_moved_house():
    house = House.objects.order_by("id").first()
    lon, lat = 106.8123, 10.9532
    House.objects.filter(id=house.id).update(geom=f"SRID=4326;POINT({lon} {lat})")
    level = 18
    key = python_cells(level, [House.objects.get(id=house.id)])
    ((gx, gy, _),) = key
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sum(n), sum(sx), sum(sy) FROM tiles_cluster_cell WHERE layer = 'houses' AND lvl = %s"
            " AND gx = %s AND gy = %s",
            [level, gx, gy],
        )
        n, sx, sy = cursor.fetchone()
        cursor.execute(
            "SELECT sum(ST_X(ST_Transform(geom, 3857))), sum(ST_Y(ST_Transform(geom, 3857)))"
            " FROM geodata_house WHERE ST_Intersects(geom, ST_Transform(ST_MakeEnvelope(%s, %s, %s, %s, 3857), 4326))",
            [
                gx * 2 * ORIGIN / (1 << level) - ORIGIN,
                ORIGIN - (gy + 1) * 2 * ORIGIN / (1 << level),
                (gx + 1) * 2 * ORIGIN / (1 << level) - ORIGIN,
                ORIGIN - gy * 2 * ORIGIN / (1 << level),
            ],
        )
        ex, ey = cursor.fetchone()
    assert n >= 1
    assert sx == pytest.approx(ex, abs=0.5) and sy == pytest.approx(ey, abs=0.5)  # within half a metre


def test_truncate_empties_the_layers_cells():
    assert sum(cell_totals("trees").get(max(cell_totals("trees")), Counter()).values()) == Tree.objects.count() > 0
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE geodata_tree")
    assert cell_totals("trees") == {}


def by_id(data: bytes) -> dict[int, tuple]:
    """{feature id: (properties, geometry)} of a houses tile, decoded."""
    features = mapbox_vector_tile.decode(data).get("houses", {}).get("features", []) if data else []
    return {f["id"]: (f["properties"], f["geometry"]) for f in features}


@pytest.mark.parametrize("commune", [None, "26068"])
@pytest.mark.parametrize("tile", [Tile(8, 203, 120), BIEN_HOA_Z12, Tile(11, 1631, 961), Tile(6, 50, 30)])
def test_tiles_from_cells_equal_the_live_clustering(bien_hoa_houses, monkeypatch, tile, commune):
    layers = [(HOUSES, LayerAccess(read=True, read_commune=commune))]
    from_cells = queries.render_tile(layers, tile)
    monkeypatch.setattr(queries, "has_cells", lambda spec: False)
    live = queries.render_tile(layers, tile)
    assert by_id(from_cells) == by_id(live)  # the same features; their order is the aggregate plan's, not a contract
    if commune is None and tile.z >= 8:
        assert mapbox_vector_tile.decode(from_cells)["houses"]["features"]


def test_install_rebuilds_cells_when_the_definition_changed():
    with connection.cursor() as cursor:
        cursor.execute("UPDATE tiles_cluster_layer SET definition = 'old' WHERE layer = 'houses'")
        cursor.execute("DELETE FROM tiles_cluster_cell WHERE layer = 'houses' AND lvl = 18")
    cluster_cells.install_cluster_cells()
    assert_cells_match_houses()
    with connection.cursor() as cursor:
        cursor.execute("SELECT definition <> 'old' FROM tiles_cluster_layer WHERE layer = 'houses'")
        assert cursor.fetchone()[0]


def test_views_keep_the_live_sql():
    reports = registry.get("field_reports")
    assert reports.cluster_below_zoom and not cluster_cells.has_cells(reports)


def test_insert_houses_helper_rows_reach_the_cells():
    before = sum(cell_totals("houses")[18].values())
    west, south, east, north = BIEN_HOA_Z12.bounds_4326()
    insert_houses(123, (west, south, east, north), ("26068",))
    assert sum(cell_totals("houses")[18].values()) == before + 123


def test_install_forgets_layers_no_longer_clustered_even_if_their_table_is_gone():
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO tiles_cluster_layer VALUES ('gone_layer', 'no_such_table', 'x')")
        cursor.execute("INSERT INTO tiles_cluster_cell VALUES ('gone_layer', 10, 1, 1, '', 'a', 1, 0, 0)")
    cluster_cells.install_cluster_cells()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM tiles_cluster_layer WHERE layer = 'gone_layer'),"
            " (SELECT count(*) FROM tiles_cluster_cell WHERE layer = 'gone_layer')"
        )
        assert cursor.fetchone() == (0, 0)
    assert cluster_cells.has_cells(HOUSES)
