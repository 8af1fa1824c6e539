"""Routing against an independent point-in-polygon test (shapely) on the commune polygons, border points too."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from shapely import wkb
from shapely.geometry import Point as ShapelyPoint
from shapely.strtree import STRtree

from mapserver.errors import InvalidParameterValue
from reports.models import ServiceCategory
from reports.routing import commune_at, route

pytestmark = pytest.mark.django_db


def shapely_communes() -> tuple[list[str], list]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT code, ST_AsBinary(geom) FROM geodata_commune ORDER BY code")
        rows = cursor.fetchall()
    return [r[0] for r in rows], [wkb.loads(bytes(r[1])) for r in rows]


def random_points(n: int) -> list[tuple[float, float]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_X(g), ST_Y(g) FROM (SELECT (ST_Dump(ST_GeneratePoints(geom, %s, 7))).geom AS g "
            "FROM geodata_province) s",
            [n],
        )
        return cursor.fetchall()


def test_routing_matches_point_in_polygon_for_random_points():
    codes, polygons = shapely_communes()
    tree = STRtree(polygons)
    checked = 0
    for x, y in random_points(300):
        hits = sorted(codes[i] for i in tree.query(ShapelyPoint(x, y), predicate="intersects"))
        if not hits:
            continue  # a sliver between derived polygons: covered by the nearest-commune rule below
        assert commune_at(Point(x, y, srid=4326))[0] == hits[0]
        checked += 1
    assert checked > 250


def shared_vertex() -> tuple[str, str, float, float]:
    """Two neighbouring communes and a vertex of their common border (the point intersects both)."""
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT a.code, b.code, ST_X(p), ST_Y(p) FROM geodata_commune a
            JOIN geodata_commune b ON a.code < b.code AND ST_Intersects(a.geom, b.geom)
            CROSS JOIN LATERAL (SELECT (ST_DumpPoints(ST_Intersection(a.geom, b.geom))).geom AS p) d
            WHERE ST_Intersects(a.geom, p) AND ST_Intersects(b.geom, p)
            ORDER BY a.code, b.code LIMIT 1""")
        return cursor.fetchone()


def test_border_point_goes_to_the_lowest_code_of_the_communes_it_touches():
    low, high, x, y = shared_vertex()
    codes, polygons = shapely_communes()
    touching = sorted(c for c, g in zip(codes, polygons) if g.intersects(ShapelyPoint(x, y)))
    assert low in touching and high in touching
    assert commune_at(Point(x, y, srid=4326))[0] == touching[0]
    again = {commune_at(Point(x, y, srid=4326))[0] for _ in range(3)}
    assert again == {touching[0]}


def test_outside_the_province_is_refused():
    for lon, lat in [(105.85, 21.03), (106.70, 10.78), (0, 0)]:  # Hà Nội, Hồ Chí Minh City centre, null island
        with pytest.raises(InvalidParameterValue):
            commune_at(Point(lon, lat, srid=4326))


def test_route_names_commune_and_department():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT code, name, ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) "
            "FROM geodata_commune ORDER BY code DESC LIMIT 1"
        )
        code, name, x, y = cursor.fetchone()
    target = route(Point(x, y, srid=4326), ServiceCategory.objects.get(code="food_safety"))
    assert (target.commune_code, target.sector) == (code, "health")
    assert target.agency_responsible == f"UBND {name} / Sở Y tế"
