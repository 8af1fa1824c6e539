"""The tiles app's SQL: one statement per tile, composed from the registry; values always bound."""

from __future__ import annotations

import hashlib
from functools import cache, lru_cache
from pathlib import Path

from psycopg import sql

from layers.pg_catalog import register_process_cache
from layers.registry import LayerSpec
from layers.scoped import ScopedLayer
from layers.sqlfiles import load_sql, serial_cursor
from mapserver.dbrouter import connection  # the replica for safe requests, when one is configured
from mapserver.scoping import LayerAccess
from tiles.cluster_cells import CLUSTER_SHIFT, POINT_TYPES, has_cells, is_clustered_layer, mercator
from tiles.tilemath import Tile, simplify_tolerance_deg

SQL = load_sql(str(Path(__file__).with_name("tiles.sql")))
_CODE = Path(__file__).read_bytes()  # this module chooses what a tile carries: part of the cache key (definition)
CLUSTER_GRID = 1 << CLUSTER_SHIFT  # 64 cells per tile side: 8 display pixels per cell on a 512-pixel tile


@cache
def definition(spec: LayerSpec) -> str:
    """A short digest of what makes the layer's tiles (its declaration, this app's SQL and the code composing it):
    part of the tile cache key, so that a changed declaration, statement or rule never serves tiles cached before
    the change."""
    return hashlib.blake2b(f"{spec!r}\n{SQL!r}".encode() + _CODE, digest_size=4).hexdigest()


def in_zoom(spec: LayerSpec, z: int) -> bool:
    """Whether the layer has features at this zoom: from its minzoom on. Past its maxzoom a source of this layer
    alone is overzoomed by the map, but a source of several (the base map: the administrative units stop at 16,
    the roads go on) asks for deeper tiles, which must still carry it: the communes' boundaries stayed on the map
    past z16 only since this rule."""
    return spec.minzoom <= z


def is_clustered(spec: LayerSpec, z: int) -> bool:
    """Points of this layer are aggregated on a grid at this zoom."""
    return is_clustered_layer(spec) and z < spec.cluster_below_zoom


def has_labels(spec: LayerSpec) -> bool:
    """Polygon layers with a label field also get a <id>_labels point layer in their tiles."""
    return spec.label_field is not None and "Polygon" in spec.geometry_type


def hidden_values(spec: LayerSpec, z: int) -> list[str]:
    """The values of the layer's detail attribute whose features are left out of tiles at this zoom."""
    if not spec.detail_zoom:
        return []
    return [value for value, zoom in spec.detail_zoom[1] if z < zoom]


def _rows(spec: LayerSpec, access: LayerAccess, tile: Tile, index: int) -> tuple[sql.Composable, dict]:
    """The predicate choosing the layer's rows for this tile: the caller's scope, and the detail shown at its zoom."""
    scope, params = _scope(spec, access, index)
    hidden = hidden_values(spec, tile.z)
    if not hidden:
        return scope, params
    name = f"hidden_{index}"
    detail = sql.SQL("NOT coalesce({} = ANY({}), false)").format(
        sql.Identifier(spec.detail_zoom[0]), sql.Placeholder(name)
    )
    return sql.SQL("{} AND {}").format(scope, detail), {**params, name: hidden}


def labels_statement(spec: LayerSpec, access: LayerAccess, tile: Tile, index: int) -> tuple[sql.Composed, dict]:
    """The scalar subquery producing the <id>_labels MVT layer (one point per polygon)."""
    scope, params = _rows(spec, access, tile, index)
    return sql.SQL(SQL["labels"]).format(
        **{
            **_table_parts(spec, scope),
            "layer_name": sql.Literal(f"{spec.id}_labels"),
            "id": sql.Identifier(spec.id_field),
            "label": sql.Identifier(spec.label_field),
        }
    ), params


def tile_columns(spec: LayerSpec) -> tuple[str, ...]:
    """Attributes written into tiles: the layer's tile attributes (default: its public allow-list), never the
    private properties and never the id (every feature carries it as the MVT feature id)."""
    names = spec.properties if spec.tile_properties is None else spec.tile_properties
    return tuple(name for name in names if name not in spec.private_properties and name != spec.id_field)


def _scope(spec: LayerSpec, access: LayerAccess, index: int, column: str | None = None) -> tuple[sql.Composable, dict]:
    """The gateway's commune filter (layers.scoped) on `column` (default: the layer's commune field)."""
    params: dict = {}
    return ScopedLayer(spec, access).predicate(None, params, column=column, name=f"commune_{index}"), params


def _table_parts(spec: LayerSpec, scope: sql.Composable) -> dict:
    """The composed names the statements over the layer's own table share."""
    return {
        "layer_name": sql.Literal(spec.id),
        "table": sql.Identifier(spec.table),
        "geom": sql.Identifier(spec.geometry_field),
        "srid": sql.Literal(spec.srid),
        "scope": scope,
    }


def _clusters_statement(spec: LayerSpec, access: LayerAccess, index: int) -> tuple[sql.Composed, dict]:
    """The clustered layer from its stored cells, or from cells computed over its points (views)."""
    if has_cells(spec):
        scope, params = _scope(spec, access, index, column="commune")
        cells = sql.SQL(SQL["stored_cells"]).format(layer_id=sql.Literal(spec.id), scope=scope)
    else:
        scope, params = _scope(spec, access, index)
        mx, my = mercator(spec)
        category = sql.Identifier(spec.cluster_category) if spec.cluster_category else sql.SQL("NULL")
        cells = sql.SQL(SQL["live_cells"]).format(mx=mx, my=my, category=category, **_table_parts(spec, scope))
    return sql.SQL(SQL["clusters"]).format(layer_name=sql.Literal(spec.id), cells=cells), params


def layer_statement(spec: LayerSpec, access: LayerAccess, tile: Tile, index: int) -> tuple[sql.Composed, dict]:
    """The scalar subquery producing one layer's MVT bytes for this tile, and its bound values."""
    if is_clustered(spec, tile.z):
        return _clusters_statement(spec, access, index)
    scope, params = _rows(spec, access, tile, index)
    geom = sql.Identifier(spec.geometry_field)
    geom_expr = geom
    if spec.simplify and spec.geometry_type not in POINT_TYPES:
        geom_expr = sql.SQL("ST_Simplify({}, %(tolerance)s)").format(geom)
    columns = [sql.Identifier(name) for name in tile_columns(spec)]
    return sql.SQL(SQL["features"]).format(
        id=sql.Identifier(spec.id_field),
        columns=sql.SQL(", ").join(columns) if columns else sql.SQL("NULL AS _"),
        geom_expr=geom_expr,
        **_table_parts(spec, scope),
    ), params


def tile_statement(layers: list[tuple[LayerSpec, LayerAccess]], tile: Tile) -> tuple[sql.Composed, dict] | None:
    """The whole tile as one statement (None when no layer has features at this zoom)."""
    parts: list[sql.Composable] = []
    params: dict = {
        "z": tile.z,
        "x": tile.x,
        "y": tile.y,
        "tolerance": simplify_tolerance_deg(tile),
        "grid": CLUSTER_GRID,
        "cell": tile.size_m / CLUSTER_GRID,
        "cells_world": (1 << tile.z) * CLUSTER_GRID,
        "gx0": tile.x * CLUSTER_GRID,
        "gy0": tile.y * CLUSTER_GRID,
        "level": tile.z + CLUSTER_SHIFT,
    }
    for index, (spec, access) in enumerate(layers):
        if not in_zoom(spec, tile.z):
            continue
        part, values = layer_statement(spec, access, tile, index)
        parts.append(sql.SQL("({})").format(part))
        params.update(values)
        if has_labels(spec):
            part, values = labels_statement(spec, access, tile, index)
            parts.append(sql.SQL("({})").format(part))
            params.update(values)
    if not parts:
        return None
    return sql.SQL("SELECT ") + sql.SQL(" || ").join(parts), params


def render_tile(layers: list[tuple[LayerSpec, LayerAccess]], tile: Tile) -> bytes:
    """The MVT bytes of a tile (b'' when it holds no feature)."""
    statement = tile_statement(layers, tile)
    if statement is None:
        return b""
    query, params = statement
    with serial_cursor() as cursor:  # parallel workers cost more than they save on one tile
        cursor.execute(query.as_string(cursor.connection), params)
        data = cursor.fetchone()[0]
    return bytes(data) if data else b""


def render_indicator_tile(communes: LayerSpec, values_table: str, params: dict) -> bytes:
    """The MVT bytes of an indicator's choropleth tile (b'' when no commune is in it); params as in tiles.sql."""
    query = sql.SQL(SQL["indicator_choropleth"]).format(
        values=sql.Identifier(values_table),
        code=sql.Identifier(communes.commune_field),
        name=sql.Identifier(communes.label_field),
        geom=sql.Identifier(communes.geometry_field),
        communes=sql.Identifier(communes.table),
        srid=sql.Literal(communes.srid),
    )
    with serial_cursor() as cursor:
        cursor.execute(query.as_string(cursor.connection), params)
        data = cursor.fetchone()[0]
    return bytes(data) if data else b""


@lru_cache(maxsize=1)
def province_bounds() -> tuple[float, float, float, float]:
    """(west, south, east, north) of the province (read once per process)."""
    with connection.cursor() as cursor:
        cursor.execute(SQL["province_bounds"])
        row = cursor.fetchone()
    if not row or row[0] is None:
        return (105.4, 10.4, 107.7, 12.4)  # no admin units loaded yet: roughly Đồng Nai
    return tuple(round(float(v), 6) for v in row)  # type: ignore[return-value]


register_process_cache(province_bounds.cache_clear)


def category_values(spec: LayerSpec) -> list[str]:
    """The values of the layer's cluster category (documented as count_<value> attributes)."""
    if not spec.cluster_category:
        return []
    query = sql.SQL(SQL["category_values"]).format(
        category=sql.Identifier(spec.cluster_category), table=sql.Identifier(spec.table)
    )
    with connection.cursor() as cursor:
        cursor.execute(query.as_string(cursor.connection))
        return [row[0] for row in cursor.fetchall()]
