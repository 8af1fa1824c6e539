"""Fixtures of the scenarios tests: commune shapes, seeded points, and small explicit features."""

from __future__ import annotations

import json
import random

import pytest
from pyproj import Geod
from shapely import wkb
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

GEOD = Geod(ellps="WGS84")
BIEN_HOA = "26068"


def commune_shape(code: str) -> BaseGeometry:
    """The stored commune polygon as shapely (read through the ORM, not the API under test)."""
    from geodata.models import Commune

    return wkb.loads(bytes(Commune.objects.get(code=code).geom.wkb))


def points_in(geometry: BaseGeometry, n: int, seed: int) -> list[tuple[float, float]]:
    """n seeded random points strictly inside a polygon."""
    rng = random.Random(seed)
    minx, miny, maxx, maxy = geometry.bounds
    found = []
    while len(found) < n:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if geometry.contains(Point(x, y)):
            found.append((x, y))
    return found


def geos_point(lon: float, lat: float):
    from django.contrib.gis.geos import Point as GeosPoint

    return GeosPoint(lon, lat, srid=4326)


def geos(geometry: BaseGeometry):
    from django.contrib.gis.geos import GEOSGeometry

    return GEOSGeometry(json.dumps(geometry.__geo_interface__), srid=4326)


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic distance on WGS 84 (pyproj), the independent reference."""
    return GEOD.inv(a[0], a[1], b[0], b[1])[2]


def coords(model, **filters) -> dict[int, tuple[float, float]]:
    """id -> (lon, lat) of every point row of a model (the independent export)."""
    return {pk: (g.x, g.y) for pk, g in model.objects.filter(**filters).values_list("id", "geom")}


@pytest.fixture
def query(api):
    """query(body, user=None) -> the response of POST /api/query."""

    def post(body: dict, user: str | None = None):
        return api(user).post("/api/query", json.dumps(body), content_type="application/json")

    return post


@pytest.fixture
def bien_hoa(db) -> BaseGeometry:
    return commune_shape(BIEN_HOA)


def school(lon: float, lat: float, commune: str = BIEN_HOA, **kw):
    from geodata.models import School

    values = {"name": "Trường thử", "level": "primary", "students": 100, "public": True} | kw
    return School.objects.create(geom=geos_point(lon, lat), commune_code=commune, **values)


def house(lon: float, lat: float, commune: str = BIEN_HOA, **kw):
    from geodata.models import House

    values = {"address_code": "T-1", "status": "normal", "members": 4} | kw
    return House.objects.create(geom=geos_point(lon, lat), commune_code=commune, **values)


def shape_of(geojson: dict) -> BaseGeometry:
    return shape(geojson)
