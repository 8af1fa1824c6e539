"""The scenarios app's SQL runner: statements from the .sql files, composed from registry identifiers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection as primary
from psycopg import sql

from geodata.sqlfiles import load_sql_files
from layers.registry import LayerSpec, registry
from layers.scoped import ScopedLayer
from layers.sqlfiles import serial_cursor
from mapserver import prepared
from mapserver.dbrouter import connection  # the replica for safe requests, when one is configured
from scenarios import cells, sqlparts
from scenarios.shapes import Area
from scenarios.sqlparts import Filter, Params, SharedParams

HERE = Path(__file__).parent
SERIAL_GENERIC = (
    "SELECT set_config('max_parallel_workers_per_gather', '0', true), "
    "set_config('plan_cache_mode', 'force_generic_plan', true)"
)
SQL = load_sql_files(*(HERE / file for file in ("query.sql", "steps.sql")))


@dataclass(frozen=True)
class Selection:
    """Rows of one layer the caller may read: the layer bound to the caller's access (the gateway), filters."""

    scope: ScopedLayer
    filters: tuple[Filter, ...] = ()
    group_by: str | None = None  # an attribute, "commune", or None
    sums: tuple[str, ...] = field(default=())

    @property
    def spec(self) -> LayerSpec:
        return self.scope.spec


def fetch(statement: sql.Composable | str, params: dict[str, Any] | None = None, serial: bool = False) -> list[tuple]:
    """Run one statement with bound parameters and return all rows.

    serial: no parallel workers. Small-area queries touch a few thousand rows; starting and gathering
    workers costs more than it saves (measured: 230 ms parallel vs 72 ms serial for 16,000 houses)."""
    if serial:
        with serial_cursor() as cursor:
            return _execute(cursor, statement, params)
    with connection.cursor() as cursor:
        return _execute(cursor, statement, params)


def fetch_prepared(text: str, params: dict[str, Any]) -> list[tuple]:
    """Run a statement whose text is reused (queries of one shape) serially, prepared with a generic plan
    (mapserver.prepared: planning the 21-layer radius statement costs 3-4 ms, as much as running it; its generic
    plan takes the same index scans, measured 6.7 ms against 6.6 for a custom plan)."""
    return prepared.fetch(text, params, prefix="scenarios", setup=[SERIAL_GENERIC], connection=primary)


def _execute(cursor, statement: sql.Composable | str, params: dict[str, Any] | None) -> list[tuple]:
    text = statement if isinstance(statement, str) else statement.as_string(cursor.connection)
    cursor.execute(text, params or {})
    return cursor.fetchall()


def fetch_json(statement: sql.Composable | str, params: dict[str, Any] | None = None) -> Any:
    """Run a statement whose single cell is JSON and decode it."""
    value = fetch(statement, params)[0][0]
    return json.loads(value) if isinstance(value, str) else value


def properties_json(spec: LayerSpec, alias: str = "t") -> sql.Composed:
    """json_build_object of the layer's published (non-private) properties."""
    pairs = [sql.SQL("{}, {}").format(sql.Literal(name), sql.Identifier(alias, name)) for name in spec.properties]
    return sql.SQL("json_build_object({})").format(sql.SQL(", ").join(pairs))


def group_expression(selection: Selection, alias: str = "t") -> sql.Composable:
    if selection.group_by is None:
        return sql.SQL("NULL::text")
    column = selection.spec.commune_field if selection.group_by == "commune" else selection.group_by
    return sql.SQL("{}::text").format(sql.Identifier(alias, column))


def sums_expression(selection: Selection, alias: str = "t") -> sql.Composable:
    """json_build_object of the sums: additive attributes, or the clipped geodesic length/area."""
    if not selection.sums:
        return sql.SQL("NULL::json")
    spec = selection.spec
    clipped = sqlparts.clipped_measure(spec, alias)
    pairs = []
    for name in selection.sums:
        # floating-point values are summed exactly (numeric): a float sum depends on the order rows arrive in,
        # which changes with the plan (and the table's physical order), and so did the last digit of the answer
        if clipped and name == clipped[0]:
            expression = sql.SQL("sum(({})::numeric)::float8").format(clipped[1])
        elif spec.field_type(name) == "FloatField":
            expression = sql.SQL("sum({}::numeric)::float8").format(sql.Identifier(alias, name))
        else:
            expression = sql.SQL("sum({})").format(sql.Identifier(alias, name))
        pairs.append(sql.SQL("{}, {}").format(sql.Literal(name), expression))
    return sql.SQL("json_build_object({})").format(sql.SQL(", ").join(pairs))


def commune_exists(code: str) -> bool:
    communes = registry.get("communes")
    statement = sql.SQL(SQL["commune_exists"]).format(
        table=sql.Identifier(communes.table), code=sql.Identifier(communes.commune_field)
    )
    return bool(fetch(statement, {"code": code})[0][0])


def commune_name(code: str) -> str:
    """The commune's name ('' when the code is unknown)."""
    communes = registry.get("communes")
    statement = sql.SQL("SELECT {name} FROM {table} WHERE {code} = %(code)s").format(
        name=sql.Identifier(communes.label_field),
        table=sql.Identifier(communes.table),
        code=sql.Identifier(communes.commune_field),
    )
    found = fetch(statement, {"code": code})
    return found[0][0] if found else ""


def aggregate(
    area: Area, selections: list[Selection], want_geojson: bool = False, want_communes: bool = True
) -> dict[str, Any]:
    """Area size, communes touched (unless not wanted), and per layer the grouped counts and sums, in one statement."""
    found = _radius_statement(area, selections, want_geojson, want_communes) if area.kind == "radius" else None
    if found is None:
        params = Params()
        found = _aggregate_statement(area, selections, params, want_geojson, want_communes), params.values
    if isinstance(found[0], str):
        area_m2, touched, rows, geojson = fetch_prepared(*found)[0]
    else:
        area_m2, touched, rows, geojson = fetch(*found, serial=area.kind == "radius")[0]
    return {
        "area_m2": area_m2,
        "communes": decode(touched),
        "rows": decode(rows),
        "geojson": json.loads(geojson) if geojson else None,
    }


def _aggregate_statement(
    area: Area, selections: list[Selection], params: Params, want_geojson: bool, want_communes: bool
) -> sql.Composed:
    area_sql = sqlparts.area_cte(area, params)
    parts = [_aggregate_part(area, selection, params) for selection in selections]
    if not parts:
        parts = [
            sql.SQL("SELECT NULL::text AS layer, NULL::text AS grp, 0::bigint AS n, NULL::json AS sums WHERE FALSE")
        ]
    communes = registry.get("communes")
    return sql.SQL(SQL["aggregate"]).format(
        area=area_sql,
        parts=sql.SQL(" UNION ALL ").join(sql.SQL("({})").format(p) for p in parts),
        code=sql.Identifier(communes.commune_field),
        name=sql.Identifier(communes.label_field),
        communes=sql.Identifier(communes.table),
        cgeom=sql.Identifier(communes.geometry_field),
        want_geojson=sql.Literal(want_geojson),
        want_communes=sql.Literal(want_communes),
    )


_RADIUS_TEXTS: dict[tuple, str] = {}  # statement text by query shape (_radius_statement)
_RADIUS_TEXTS_MAX = 256


def _radius_statement(
    area: Area, selections: list[Selection], want_geojson: bool, want_communes: bool
) -> tuple[str, dict[str, Any]] | None:
    """(text, values) of a radius aggregate, or None when the layers' scopes differ (then numbered parameters).

    Hand-tuned: composing 20 layers' parts is most of a radius request's Python time (about 5 ms), yet with the
    values under shared names (SharedParams) the text is the same for every centre, so it is composed once per
    shape (layers, groups, sums, scoped or not, the point band on or off) and only the values are bound anew."""
    if any(selection.filters for selection in selections):
        return None
    params = SharedParams()
    try:
        sqlparts.area_cte(area, params)
        for selection in selections:
            selection.scope.predicate("t", params, name="scope")
        for kind in {selection.spec.geometry_type == "Point": selection for selection in selections}.values():
            sqlparts.area_predicate(area, "t", kind.spec, params)
        with_cells = tuple(cells.usable(area, s.group_by, s.filters, s.spec) for s in selections)
        if any(with_cells):
            cells.bind(area, params)
    except ValueError:  # two scopes under one name
        return None
    key = (
        abs(area.point[1]) < 70,
        want_geojson,
        want_communes,
        with_cells,
        tuple((s.spec.id, s.group_by, s.sums, s.scope.commune is not None) for s in selections),
    )
    text = _RADIUS_TEXTS.get(key)
    if text is None:
        text = _aggregate_statement(area, selections, params, want_geojson, want_communes).as_string(None)
        if len(_RADIUS_TEXTS) >= _RADIUS_TEXTS_MAX:
            _RADIUS_TEXTS.clear()
        _RADIUS_TEXTS[key] = text
    return text, params.values


def decode(value: Any) -> Any:
    """JSON cells arrive decoded or as text, depending on the driver path."""
    return json.loads(value) if isinstance(value, str) else value


def _aggregate_part(area: Area, selection: Selection, params: Params) -> sql.Composed:
    spec = selection.spec
    if cells.usable(area, selection.group_by, selection.filters, spec):
        return cells.part(area, selection.scope, selection.group_by, selection.sums, params)
    return sql.SQL(SQL["aggregate_part"]).format(
        layer=sql.Literal(spec.id),
        grp=group_expression(selection),
        sums=sums_expression(selection),
        table=sql.Identifier(spec.table),
        where=sqlparts.where(selection.scope, area, selection.filters, "t", params),
    )


def features_page(area: Area, selection: Selection, limit: int, offset: int) -> dict[str, Any]:
    """One page of the selection's features inside the area as a FeatureCollection."""
    params = Params()
    spec = selection.spec
    statement = sql.SQL(SQL["features_page"]).format(
        area=sqlparts.area_cte(area, params),
        id=sql.Identifier(spec.id_field),
        geom=sql.Identifier(spec.geometry_field),
        properties=properties_json(spec),
        table=sql.Identifier(spec.table),
        where=sqlparts.where(selection.scope, area, selection.filters, "t", params),
        limit=params.add(limit, "limit"),
        offset=params.add(offset, "offset"),
    )
    return fetch_json(statement, params.values)


def covering(lon: float, lat: float, selections: list[Selection]) -> dict[str, list[dict]]:
    """Per polygon layer, the features covering the point (ordered by the layer's commune code or id)."""
    params = Params({"lon": lon, "lat": lat})
    parts = []
    for selection in selections:
        spec = selection.spec
        order_field = spec.commune_field if spec.id == "communes" else spec.id_field
        parts.append(
            sql.SQL(SQL["covering_part"]).format(
                layer=sql.Literal(spec.id),
                id=sql.Identifier(spec.id_field),
                properties=properties_json(spec),
                table=sql.Identifier(spec.table),
                geom=sql.Identifier(spec.geometry_field),
                where=sqlparts.where(selection.scope, None, selection.filters, "t", params),
                order=sql.SQL("{}, {}").format(sql.Identifier("t", order_field), sql.Identifier("t", spec.id_field)),
            )
        )
    found: dict[str, list[dict]] = {s.spec.id: [] for s in selections}
    if parts:
        rows = fetch(sql.SQL(" UNION ALL ").join(parts), params.values)
        for layer, feature_id, properties, _rank in sorted(rows, key=lambda row: (row[0], row[3])):
            found[layer].append({"id": feature_id, "properties": decode(properties)})
    return found


def nearest(lon: float, lat: float, selections: list[Selection], k: int) -> dict[str, list[dict]]:
    """Per layer, the k nearest features with their geodesic distance in metres."""
    params = Params({"lon": lon, "lat": lat, "k": k, "candidates": k * 4 + 16})
    parts = []
    for selection in selections:
        spec = selection.spec
        label = sql.Identifier("t", spec.label_field) if spec.label_field else sql.SQL("NULL")
        parts.append(
            sql.SQL(SQL["nearest_part"]).format(
                layer=sql.Literal(spec.id),
                id=sql.Identifier(spec.id_field),
                label=sql.SQL("{}::text").format(label),
                properties=properties_json(spec),
                geom=sql.Identifier(spec.geometry_field),
                table=sql.Identifier(spec.table),
                where=sqlparts.where(selection.scope, None, selection.filters, "t", params),
            )
        )
    found: dict[str, list[dict]] = {s.spec.id: [] for s in selections}
    if parts:
        rows = fetch(sql.SQL(" UNION ALL ").join(sql.SQL("({})").format(p) for p in parts), params.values)
        for layer, feature_id, label, properties, distance in sorted(rows, key=lambda row: (row[0], row[4], row[1])):
            found[layer].append(
                {"id": feature_id, "label": label, "distance_m": round(distance, 2), "properties": decode(properties)}
            )
    return found
