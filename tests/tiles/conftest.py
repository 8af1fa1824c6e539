"""Fixtures of the tiles tests: a private tile cache, houses, cameras and a small raster made here."""

from __future__ import annotations

import pytest
from django.db import connection

from tiles.tilemath import Tile

BIEN_HOA_Z12 = Tile(12, 3263, 1922)  # the benchmark tile over Biên Hòa (shared/PEERS.md)
STATUSES = ("normal", "near_poor", "poor", "temporary_house")


@pytest.fixture(autouse=True)
def tile_cache_dir(settings, tmp_path):
    """Every test gets its own empty tile cache."""
    settings.MAPSERVER_TILE_CACHE_DIR = tmp_path / "tilecache"
    return settings.MAPSERVER_TILE_CACHE_DIR


def insert_houses(
    count: int, bbox: tuple[float, float, float, float], communes: tuple[str, ...], seed: float = 0.42
) -> None:
    """Insert `count` synthetic houses at seeded random points of a lon/lat bbox (rolled back with the test)."""
    west, south, east, north = bbox
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [seed])
        cursor.execute(
            """
            INSERT INTO geodata_house (commune_code, synthetic, updated_at, address_code, status, members, floors, geom)
            SELECT (%(communes)s::text[])[1 + (i %% cardinality(%(communes)s::text[]))], true, now(),
                   'T-' || i, (%(statuses)s::text[])[1 + floor(random() * 4)::int], 1 + (i %% 6), 1,
                   ST_SetSRID(ST_MakePoint(%(west)s + random() * (%(east)s - %(west)s),
                                           %(south)s + random() * (%(north)s - %(south)s)), 4326)
            FROM generate_series(1, %(count)s) AS i
            """,
            {
                "communes": list(communes),
                "statuses": list(STATUSES),
                "west": west,
                "east": east,
                "south": south,
                "north": north,
                "count": count,
            },
        )


@pytest.fixture
def bien_hoa_houses(db):
    """2,000 houses over the Biên Hòa z12 tile and a margin around it, in two communes."""
    west, south, east, north = BIEN_HOA_Z12.bounds_4326()
    margin = (east - west) / 4
    insert_houses(2000, (west - margin, south - margin, east + margin, north + margin), ("26068", "26041"))
    return BIEN_HOA_Z12
