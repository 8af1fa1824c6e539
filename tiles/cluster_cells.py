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
from layers.pg_catalog import RefreshedNames
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


CLUSTER_CELLS = CellKind(
    layers_table="tiles_cluster_layer",
    prefix="tiles_cells",
    sql=SQL,
    applies=is_clustered_layer,
    source=_source,
    delta=_delta,
)


def install_cluster_cells(using: str = "default", **kwargs) -> None:
    """Create or refresh the cells and triggers of every clustered layer on a table (runs after migrate)."""
    install(CLUSTER_CELLS, using)
    _INSTALLED.forget()


_INSTALLED = RefreshedNames(SQL["installed_layers"], requires="tiles_cluster_layer")


def has_cells(spec: LayerSpec) -> bool:
    """Whether the layer's clustered tiles can be summed from cells (checked every few minutes per process)."""
    return spec.id in _INSTALLED
