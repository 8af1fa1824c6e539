"""Fixtures of the OGC API Features tests: explicit features at known places, inserted inside each test."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.gis.geos import Point
from django.db import connection

HOME_COMMUNE = "26068"  # Phường Biên Hòa: t_commune's commune


def point_in(commune_code: str, dx: float = 0.0, dy: float = 0.0) -> Point:
    """A point well inside the commune (its point on surface, nudged by dx/dy degrees)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) AS p FROM geodata_commune WHERE code = %s) s",
            [commune_code],
        )
        x, y = cursor.fetchone()
    return Point(x + dx, y + dy, srid=4326)


@pytest.fixture
def other_commune() -> str:
    """A commune that is not t_commune's."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT code FROM geodata_commune WHERE code <> %s ORDER BY code LIMIT 1", [HOME_COMMUNE])
        return cursor.fetchone()[0]


@pytest.fixture
def houses(db, other_commune):
    """Five test houses (address codes TST-0..4): three at home, two in another commune."""
    from geodata.models import House

    rows = []
    for index in range(5):
        commune = HOME_COMMUNE if index < 3 else other_commune
        rows.append(
            House.objects.create(
                address_code=f"TST-{index}",
                status=("poor", "normal", "near_poor", "poor", "normal")[index],
                members=index + 1,
                floors=1,
                commune_code=commune,
                geom=point_in(commune, dx=index * 1e-4),
            )
        )
    return rows


@pytest.fixture
def incidents(db, other_commune):
    """Four test incidents with known times: two at home, two elsewhere."""
    from geodata.models import Incident

    base = dt.datetime(2031, 3, 1, 8, 0, tzinfo=dt.UTC)
    rows = []
    for index in range(4):
        commune = HOME_COMMUNE if index % 2 == 0 else other_commune
        rows.append(
            Incident.objects.create(
                kind=("fire", "flood", "traffic_accident", "fire")[index],
                occurred_at=base + dt.timedelta(days=index),
                status="reported",
                severity=index + 1,
                description=f"test incident {index}",
                cases=index,
                commune_code=commune,
                geom=point_in(commune, dx=index * 1e-4),
            )
        )
    return rows


def ids(document: dict) -> list[int]:
    """Feature ids of a FeatureCollection."""
    return [feature["id"] for feature in document["features"]]
