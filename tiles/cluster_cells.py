"""Cluster cells: per-cell point counts of clustered layers, kept exact by statement triggers.

A clustered tile (houses below z13) used to group every point of the tile: 325,000 points for the province at
z8. The cells table holds the same sums (count, sum of Mercator x and y, per commune and category) for every
clustered zoom, so the tile sums at most 64 x 64 cells per category. The triggers apply each statement's
changed rows (transition tables) in the same transaction, so edits, imports and sample loads keep the cells
equal to the rows; `install_cluster_cells` runs after `migrate` and rebuilds a layer's cells whenever its
definition (category, levels, commune field, table) changes. Layers whose table is a view keep the live SQL.
"""

from __future__ import annotations

from pathlib import Path

from psycopg import sql

from layers.celltables import CellKind, install
from layers.pg_catalog import RefreshedNames, is_table
from layers.registry import LayerSpec
from layers.sqlfiles import load_sql

SQL = load_sql(str(Path(__file__).with_name("cluster_cells.sql")))
CLUSTER_SHIFT = 6  # 2^6 = 64 cells per tile side
WORLD = 40075016.68557849  # Web Mercator world width in metres
POINT_TYPES = frozenset({"Point", "MultiPoint"})


def is_clustered_layer(spec: LayerSpec) -> bool:
    return spec.cluster_below_zoom is not None and spec.geometry_type in POINT_TYPES


def levels(spec: LayerSpec) -> tuple[int, int]:
    """(lowest, highest) grid level of the layer's clustered zooms (level = zoom + 6)."""
    return spec.minzoom + CLUSTER_SHIFT, spec.cluster_below_zoom - 1 + CLUSTER_SHIFT


def _name(prefix: str, layer_id: str) -> sql.Identifier:
    return sql.Identifier(f"{prefix}_{layer_id}"[:63])


def mercator(spec: LayerSpec) -> tuple[sql.Composable, sql.Composable]:
    """Mercator x/y of the layer's points: plain arithmetic on lon/lat for EPSG:4326 (several times cheaper
    than ST_Transform over a few hundred thousand points), ST_Transform otherwise."""
    geom = sql.Identifier(spec.geometry_field)
    if spec.srid == 4326:
        return (
            sql.SQL("ST_X({}) * 111319.49079327358").format(geom),
            sql.SQL("ln(tan(radians(45 + least(greatest(ST_Y({}), -85.0511), 85.0511) / 2))) * 6378137.0").format(geom),
        )
    projected = sql.SQL("ST_Transform({}, 3857)").format(geom)
    return sql.SQL("ST_X({})").format(projected), sql.SQL("ST_Y({})").format(projected)


def _source(spec: LayerSpec, rows: sql.Composable, sign: int) -> sql.Composed:
    mx, my = mercator(spec)
    commune = sql.Identifier(spec.commune_field) if spec.commune_field else sql.SQL("NULL")
    category = sql.Identifier(spec.cluster_category) if spec.cluster_category else sql.SQL("NULL")
    return sql.SQL(SQL["source"]).format(
        sign=sql.Literal(sign),
        mx=mx,
        my=my,
        commune=commune,
        category=category,
        rows=rows,
        geom=sql.Identifier(spec.geometry_field),
    )


def _delta(spec: LayerSpec, source: sql.Composable) -> sql.Composed:
    min_level, max_level = levels(spec)
    return sql.SQL(SQL["delta"]).format(
        layer=sql.Literal(spec.id),
        source=source,
        min_level=sql.Literal(min_level),
        max_level=sql.Literal(max_level),
        cell=sql.Literal(WORLD / (1 << max_level)),
    )


def _layer_statement(name: str, layer_id: str) -> sql.Composed:
    return sql.SQL(SQL[name]).format(layer=sql.Literal(layer_id))


def definition(spec: LayerSpec) -> list[sql.Composed]:
    """The trigger function and the four triggers that keep the layer's cells."""
    new_rows, old_rows = sql.Identifier("new_rows"), sql.Identifier("old_rows")
    function = _name("tiles_cells", spec.id)
    body = sql.SQL(SQL["function"]).format(
        function=function,
        on_insert=_delta(spec, _source(spec, new_rows, 1)),
        on_delete=_delta(spec, _source(spec, old_rows, -1)),
        on_update=_delta(
            spec, sql.SQL("{} UNION ALL {}").format(_source(spec, new_rows, 1), _source(spec, old_rows, -1))
        ),
        on_truncate=_layer_statement("clear", spec.id),
        prune=_layer_statement("prune", spec.id),
    )
    table = sql.Identifier(spec.table)
    triggers = [
        sql.SQL(SQL[f"trigger_{event}"]).format(
            trigger=_name(f"tiles_cells_{event[:3]}", spec.id), table=table, function=function
        )
        for event in ("insert", "update", "delete", "truncate")
    ]
    return [body, *triggers]


def _drop(cursor, layer_id: str, table: str) -> None:
    """Remove a layer's triggers (if its table still exists), trigger function, cells and record."""
    for event in ("insert", "update", "delete", "truncate") if is_table(cursor, table) else ():
        cursor.execute(
            sql.SQL(SQL["drop_trigger"])
            .format(trigger=_name(f"tiles_cells_{event[:3]}", layer_id), table=sql.Identifier(table))
            .as_string(cursor.connection)
        )
    cursor.execute(
        sql.SQL(SQL["drop_function"]).format(function=_name("tiles_cells", layer_id)).as_string(cursor.connection)
    )
    cursor.execute(_layer_statement("clear", layer_id).as_string(cursor.connection))
    cursor.execute(SQL["forget"], {"layer": layer_id})


CLUSTER_CELLS = CellKind(
    layers_table="tiles_cluster_layer",
    installed=SQL["installed"],
    record=SQL["record"],
    applies=is_clustered_layer,
    definition=definition,
    drop=_drop,
    clear=lambda layer_id: _layer_statement("clear", layer_id),
    rebuild=lambda spec: _delta(spec, _source(spec, sql.Identifier(spec.table), 1)),
)


def install_cluster_cells(using: str = "default", **kwargs) -> None:
    """Create or refresh the cells and triggers of every clustered layer on a table (runs after migrate)."""
    install(CLUSTER_CELLS, using)
    _INSTALLED.forget()


_INSTALLED = RefreshedNames(SQL["installed_layers"], requires="tiles_cluster_layer")


def has_cells(spec: LayerSpec) -> bool:
    """Whether the layer's clustered tiles can be summed from cells (checked every few minutes per process)."""
    return spec.id in _INSTALLED
