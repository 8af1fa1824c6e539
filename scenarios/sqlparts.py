"""Pieces of SQL composed from the registry: the area CTE, the area predicate and attribute filters (the row
scope comes from the gateway, layers.scoped).

Identifiers come only from LayerSpec (via psycopg.sql.Identifier); every value is a bound parameter.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from psycopg import sql

from layers.registry import LayerSpec, registry
from layers.scoped import ScopedLayer
from mapserver.errors import InvalidParameterValue
from scenarios.shapes import Area

OPS = {"eq": "=", "ne": "<>", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
LIST_OPS = {"in": "= ANY", "not_in": "<> ALL"}


@dataclass(frozen=True)
class Filter:
    """One attribute condition: field op value (value may name a run parameter as "$name")."""

    field: str
    op: str
    value: Any

    def resolved(self, params: dict[str, Any]) -> Filter:
        """This filter with a "$param" value replaced by the run's parameter."""
        if isinstance(self.value, str) and self.value.startswith("$"):
            return Filter(self.field, self.op, params[self.value[1:]])
        return self


class Params:
    """Bound parameters with generated names, so composed fragments never collide."""

    def __init__(self, initial: dict[str, Any] | None = None) -> None:
        self.values: dict[str, Any] = dict(initial or {})

    def add(self, value: Any, prefix: str = "p") -> sql.Placeholder:
        name = f"{prefix}{len(self.values)}"
        self.values[name] = value
        return sql.Placeholder(name)


class SharedParams(Params):
    """Bound parameters named by their prefix alone, so every layer's part of a statement reads the same value
    under the same name and the statement text depends only on the query's shape (scenarios.queries caches it)."""

    def add(self, value: Any, prefix: str = "p") -> sql.Placeholder:
        if prefix in self.values and self.values[prefix] != value:
            raise ValueError(f"parameter {prefix!r} bound to two values")
        self.values[prefix] = value
        return sql.Placeholder(prefix)


def radius_bbox(lon: float, lat: float, radius_m: float) -> tuple[float, float, float, float]:
    """A lon/lat box that surely contains the geodesic circle (index prefilter; the exact test follows)."""
    dlat = radius_m / 110_574.0 * 1.01 + 1e-6
    dlon = radius_m / (111_320.0 * max(math.cos(math.radians(min(abs(lat) + dlat, 89.9))), 1e-6)) * 1.01 + 1e-6
    return lon - dlon, lat - dlat, lon + dlon, lat + dlat


def metres_per_degree(lat: float) -> tuple[float, float]:
    """(east, north) metres per degree of longitude and latitude at a latitude, on the WGS 84 ellipsoid."""
    a, e2 = 6_378_137.0, 0.00669437999014
    sin2 = math.sin(math.radians(lat)) ** 2
    east = math.radians(1) * a * math.cos(math.radians(lat)) / math.sqrt(1 - e2 * sin2)
    north = math.radians(1) * a * (1 - e2) / (1 - e2 * sin2) ** 1.5
    return east, north


def band_limits(lat: float, radius: float) -> tuple[float, float, float, float]:
    """(east, north metres per degree, inner², outer²) of the point band (_point_band): a point whose local
    metric distance squared is at most inner² is surely within the radius, beyond outer² surely not."""
    east, north = metres_per_degree(lat)
    slack = 0.002 + radius / 6_371_000 * (1 + abs(math.tan(math.radians(lat))))
    return east, north, (radius * (1 - slack)) ** 2, (radius * (1 + slack)) ** 2


def _point_band(
    geom: sql.Composable, lon: float, lat: float, radius: float, exact: sql.Composable, params: Params
) -> sql.Composed:
    """Points settled by a local metric approximation, and only those near the circle by the exact test.

    Hand-tuned: the spheroid distance costs microseconds per row, which is most of a 3 km query over 300,000
    houses. Within a radius of at most 50 km the local equirectangular distance differs from the geodesic one
    by far less than `slack` (about (r / R_earth)·(1 + |tan φ|) plus a margin), so points inside r·(1 - slack)
    are certainly in, those beyond r·(1 + slack) certainly out, and the band between gets ST_DWithin."""
    east, north, inner, outer = band_limits(lat, radius)
    squared = sql.SQL("(((ST_X({g}) - {lon}) * {kx}) ^ 2 + ((ST_Y({g}) - {lat}) * {ky}) ^ 2)").format(
        g=geom,
        lon=params.add(lon, "lon"),
        lat=params.add(lat, "lat"),
        kx=params.add(east, "kx"),
        ky=params.add(north, "ky"),
    )
    return sql.SQL("{d} <= {inner} OR ({d} <= {outer} AND {exact})").format(
        d=squared,
        inner=params.add(inner, "inner"),
        outer=params.add(outer, "outer"),
        exact=exact,
    )


_INNER: list[tuple[str, bytes]] = []


def _province_inner() -> tuple[str, bytes]:
    """(md5 of the province's EWKB, its inner polygon as EWKB), cached; the SQL recomputes when the md5 differs."""
    if not _INNER:
        from django.db import connection

        province = registry.get("province")
        statement = sql.SQL(
            "SELECT md5(ST_AsEWKB(g)), ST_AsEWKB(ST_SimplifyPreserveTopology(ST_Buffer(g, -0.006, 'quad_segs=2'), "
            "0.005)) FROM (SELECT ST_Union({geom}) AS g FROM {table}) AS u"
        ).format(geom=sql.Identifier(province.geometry_field), table=sql.Identifier(province.table))
        with connection.cursor() as cursor:
            cursor.execute(statement.as_string(cursor.connection))
            key, inner = cursor.fetchone()
        _INNER.append((key, bytes(inner)))
    return _INNER[0]


def area_cte(area: Area, params: Params) -> sql.Composed:
    """`area AS (SELECT g, inner_g, area_m2)`: the area as a 4326 polygon (a radius becomes its geodesic buffer),
    for the province a simpler polygon surely inside it (NULL otherwise) that settles most rows cheaply, and for a
    radius its size, π r² (NULL otherwise: the statements measure g when they need its size). That is the size of
    the circle the features are counted in (by their true distance), within 10⁻⁷ of the geodesic circle's at 10 km;
    ST_Area of its 128-gon is 0.06 % short and costs 0.5 ms of the statement."""
    if area.kind == "radius":
        lon, lat = area.point
        body = sql.SQL(
            "SELECT ST_Buffer(ST_SetSRID(ST_MakePoint({lon}, {lat}), 4326)::geography, {r}, 'quad_segs=32')::geometry AS g, "
            "NULL::geometry AS inner_g, pi() * {r} ^ 2 AS area_m2"
        ).format(lon=params.add(lon, "lon"), lat=params.add(lat, "lat"), r=params.add(area.radius_m, "r"))
    elif area.kind == "polygon":
        body = sql.SQL(
            "SELECT ST_SetSRID(ST_GeomFromGeoJSON({g}), 4326) AS g, NULL::geometry AS inner_g, NULL::float8 AS area_m2"
        ).format(g=params.add(json.dumps(area.geometry), "g"))
    elif area.kind == "commune":
        communes = registry.get("communes")
        body = sql.SQL(
            "SELECT {geom} AS g, NULL::geometry AS inner_g, NULL::float8 AS area_m2 FROM {table} WHERE {code} = {c}"
        ).format(
            geom=sql.Identifier(communes.geometry_field),
            table=sql.Identifier(communes.table),
            code=sql.Identifier(communes.commune_field),
            c=params.add(area.commune_code, "c"),
        )
    elif area.kind == "province":
        province = registry.get("province")
        # inner_g: a polygon surely inside the province (buffered 0.006° inwards, then simplified by less than
        # that, so its edges stay inside), with a few hundred vertices instead of thousands: most rows pass
        # the cheap test and only those near the border meet the exact one (area_predicate)
        # (computed once per process and province version: the buffer costs 50-90 ms, every statement of a run
        # would pay it)
        body = sql.SQL(
            "SELECT g, CASE WHEN md5(ST_AsEWKB(g)) = {key} THEN ST_GeomFromEWKB({inner}) "
            "ELSE ST_SimplifyPreserveTopology(ST_Buffer(g, -0.006, 'quad_segs=2'), 0.005) END AS inner_g, "
            "NULL::float8 AS area_m2 "
            "FROM (SELECT ST_Union({geom}) AS g FROM {table}) AS u"
        ).format(
            geom=sql.Identifier(province.geometry_field),
            table=sql.Identifier(province.table),
            key=params.add(_province_inner()[0], "pk"),
            inner=params.add(_province_inner()[1], "pi"),
        )
    else:
        raise InvalidParameterValue(f"an area of type {area.kind!r} has no extent")
    return sql.SQL("area AS ({})").format(body)


def radius_test(area: Area, alias: str, spec: LayerSpec, params: Params) -> sql.Composed:
    """The exact radius test of area_predicate, without its bbox prefilter: the true distance on the ellipsoid,
    settled for most points by the local metric band."""
    geom = sql.Identifier(alias, spec.geometry_field)
    lon, lat = area.point
    exact = sql.SQL(
        "ST_DWithin({geom}::geography, ST_SetSRID(ST_MakePoint({lon}, {lat}), 4326)::geography, {r})"
    ).format(geom=geom, lon=params.add(lon, "lon"), lat=params.add(lat, "lat"), r=params.add(area.radius_m, "r"))
    if spec.geometry_type == "Point" and abs(lat) < 70:
        exact = _point_band(geom, lon, lat, area.radius_m, exact, params)
    return exact


def area_predicate(area: Area, alias: str, spec: LayerSpec, params: Params) -> sql.Composed:
    """Rows of the layer inside the area: exact geodesic distance for a radius, intersection otherwise."""
    geom = sql.Identifier(alias, spec.geometry_field)
    if area.kind == "radius":
        xmin, ymin, xmax, ymax = radius_bbox(*area.point, area.radius_m)
        # bbox prefilter on the 4326 GiST index, then the true distance on the ellipsoid
        return sql.SQL("{geom} && ST_MakeEnvelope({x0}, {y0}, {x1}, {y1}, 4326) AND ({exact})").format(
            geom=geom,
            x0=params.add(xmin, "xmin"),
            y0=params.add(ymin, "ymin"),
            x1=params.add(xmax, "xmax"),
            y1=params.add(ymax, "ymax"),
            exact=radius_test(area, alias, spec, params),
        )
    if area.kind == "commune":
        return commune_predicate(area.commune_code, geom, spec, params)
    if area.kind == "province":
        # Hand-tuned: the whole province holds nearly every row, yet the planner cannot see the area (an InitPlan)
        # and estimates a handful, so ST_Intersects' index condition made it walk the GiST index over the whole
        # table in index order (random heap reads: 325,000 houses in 7 s); _ST_Intersects has no index support,
        # which leaves the sequential scan (same predicate, 2-3x faster); the inner polygon settles most rows
        return sql.SQL(
            "(_ST_Intersects({geom}, (SELECT inner_g FROM area)) OR _ST_Intersects({geom}, (SELECT g FROM area)))"
        ).format(geom=geom)
    return sql.SQL("ST_Intersects({geom}, (SELECT g FROM area))").format(geom=geom)


def commune_predicate(code: str, geom: sql.Composable, spec: LayerSpec, params: Params) -> sql.Composed:
    """Rows in a commune: a point on a shared border belongs to the lowest-code commune covering it (as in the
    point query); a line or polygon belongs to every commune whose interior it enters."""
    if spec.geometry_type != "Point":
        return sql.SQL(
            "ST_Intersects({g}, (SELECT g FROM area)) AND (ST_Covers((SELECT g FROM area), {g}) "
            "OR NOT ST_Touches({g}, (SELECT g FROM area)))"
        ).format(g=geom)
    communes = registry.get("communes")
    # ContainsProperly (prepared, fast) settles interior points; only border points reach the NOT EXISTS
    return sql.SQL(
        "ST_Intersects({g}, (SELECT g FROM area)) AND (ST_ContainsProperly((SELECT g FROM area), {g}) OR NOT EXISTS "
        "(SELECT 1 FROM {table} AS other WHERE other.{code} < {c} AND ST_Intersects(other.{cgeom}, {g})))"
    ).format(
        g=geom,
        table=sql.Identifier(communes.table),
        code=sql.Identifier(communes.commune_field),
        cgeom=sql.Identifier(communes.geometry_field),
        c=params.add(code, "c"),
    )


def filterable_fields(spec: LayerSpec) -> set[str]:
    """Attributes a filter may name: the published properties, the commune and the datetime field."""
    return set(spec.properties) | {f for f in (spec.commune_field, spec.datetime_field) if f}


def filter_predicate(spec: LayerSpec, filters: tuple[Filter, ...], alias: str, params: Params) -> sql.Composable:
    """AND of the attribute filters; fields must be published attributes of the layer."""
    parts: list[sql.Composable] = []
    allowed = filterable_fields(spec)
    for item in filters:
        if item.field not in allowed:
            raise InvalidParameterValue(f"layer {spec.id} has no filterable attribute {item.field!r}")
        column = sql.Identifier(alias, item.field)
        if item.op in OPS:
            parts.append(sql.SQL("{} {} {}").format(column, sql.SQL(OPS[item.op]), params.add(item.value, "f")))
        elif item.op in LIST_OPS:
            parts.append(
                sql.SQL("{} {} ({})").format(column, sql.SQL(LIST_OPS[item.op]), params.add(list(item.value), "f"))
            )
        elif item.op == "nonempty":
            parts.append(sql.SQL("coalesce({}::text, '') <> ''").format(column))
        else:
            raise InvalidParameterValue(f"unknown filter operator {item.op!r}")
    return sql.SQL(" AND ").join(parts) if parts else sql.SQL("TRUE")


def where(
    scope: ScopedLayer, area: Area | None, filters: tuple[Filter, ...], alias: str, params: Params
) -> sql.Composed:
    """The full WHERE condition of a layer selection (area, the gateway's row scope, filters)."""
    spec = scope.spec
    parts = [scope.predicate(alias, params, name="scope"), filter_predicate(spec, filters, alias, params)]
    if area is not None:
        parts.insert(0, area_predicate(area, alias, spec, params))
    return sql.SQL(" AND ").join(parts)


def clipped_measure(spec: LayerSpec, alias: str) -> tuple[str, sql.Composable] | None:
    """(name, expression) of the geodesic length or area of the part of each feature inside the area."""
    geom = sql.Identifier(alias, spec.geometry_field)
    # ST_Covers(area, g), not ST_CoveredBy(g, area): PostGIS prepares the repeated first argument (measured on the
    # province and 12,000 roads: 85 ms against 11.7 s)
    # the area as an InitPlan value ((SELECT g FROM area)), not the joined column area.g: a joined column rides along
    # every row into the sort of the GROUP BY (the province's 60 kB polygon times 14,000 roads spilled 850 MB to disk:
    # 5.9 s against 0.4 s)
    area = sql.SQL("(SELECT g FROM area)")
    inner = sql.SQL("(SELECT inner_g FROM area)")
    clipped = sql.SQL(
        "CASE WHEN ST_Covers({i}, {g}) OR ST_Covers({a}, {g}) THEN {g} ELSE ST_Intersection({g}, {a}) END"
    ).format(g=geom, a=area, i=inner)
    if "LineString" in spec.geometry_type:
        return "clipped_length_m", sql.SQL("ST_Length(({})::geography)").format(clipped)
    if "Polygon" in spec.geometry_type:
        return "clipped_area_m2", sql.SQL("ST_Area(({})::geography)").format(clipped)
    return None
