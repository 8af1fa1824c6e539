"""Radius cells: per-cell point counts and exact sums of large point layers, kept exact by statement triggers.

A 3 km radius over central Biên Hòa holds 15,000 houses; testing each one was most of the query (11 of 14 ms).
For layers declared with `radius_cells`, scenarios_radius_cell holds per cell of a 0.002° grid (about 220 m) and
per commune the number of points and the sums (numeric) of every summable attribute. A radius query sums the cells
whose four corners lie inside the circle's inner band (sqlparts.band_limits: every point there is surely within
the radius) and sends only the rows of the other cells near the circle through the same exact test as before, so
the answer is the one the row-by-row query gives. Scoping by commune reads the cells' commune, as the rows'.

The triggers apply each statement's changed rows (transition tables) in the same transaction;
`install_radius_cells` runs after `migrate` and rebuilds a layer's cells whenever its definition changes.
"""

from __future__ import annotations

import math
from pathlib import Path

from psycopg import sql

from geodata.attributes import NUMERIC_KINDS
from layers.celltables import CellKind, install
from layers.pg_catalog import RefreshedNames
from layers.registry import LayerSpec
from layers.sqlfiles import load_sql
from scenarios import sqlparts
from scenarios.shapes import Area

SQL = load_sql(str(Path(__file__).with_name("cells.sql")))
CELL_DEG = 0.002  # cell side in degrees of longitude and latitude
NUMBER_TYPES = frozenset(
    {"SmallIntegerField", "IntegerField", "BigIntegerField", "PositiveSmallIntegerField", "PositiveIntegerField"}
    | {"FloatField", "DecimalField"}
)
EPSILON = 1e-9  # degrees (0.1 mm) the edge ranges reach beyond the outer band, against rounding


def summed(spec: LayerSpec) -> tuple[str, ...]:
    """The attributes the cells sum: the numeric published attributes, in declaration order."""
    return tuple(name for name in spec.properties if spec.attribute(name).kind in NUMERIC_KINDS)


def is_cell_layer(spec: LayerSpec) -> bool:
    """Declared with radius_cells, points in lon/lat whose summable attributes are stored numbers."""
    return (
        spec.radius_cells
        and spec.geometry_type == "Point"
        and spec.srid == 4326
        and all(spec.field_type(name) in NUMBER_TYPES for name in summed(spec))
    )


def cell_x(geom: sql.Composable) -> sql.Composed:
    return sql.SQL("floor(ST_X({}) / {})::integer").format(geom, sql.Literal(CELL_DEG))


def cell_y(geom: sql.Composable) -> sql.Composed:
    return sql.SQL("floor(ST_Y({}) / {})::integer").format(geom, sql.Literal(CELL_DEG))


KEY_ROW = 1 << 22  # cell numbers of longitude lie within ±180 / CELL_DEG < 2^21


def cell_key(geom: sql.Composable) -> sql.Composed:
    """One bigint per cell (row and column), the expression of the rows' cell index."""
    return sql.SQL("({} * {}::bigint + {})").format(cell_y(geom), sql.Literal(KEY_ROW), cell_x(geom))


def key(cy: int, cx: int) -> int:
    """cell_key of a cell in Python."""
    return cy * KEY_ROW + cx


def _source(spec: LayerSpec, rows: sql.Composable, sign: int) -> sql.Composed:
    geom = sql.Identifier("t", spec.geometry_field)
    values = [
        sql.SQL("{} * t.{}::numeric AS s{}").format(sql.Literal(sign), sql.Identifier(n), sql.SQL(str(i)))
        for i, n in enumerate(summed(spec))
    ]
    return sql.SQL(SQL["source"]).format(
        sign=sql.Literal(sign),
        cx=cell_x(geom),
        cy=cell_y(geom),
        commune=sql.Identifier("t", spec.commune_field) if spec.commune_field else sql.SQL("NULL"),
        values=sql.SQL(", ").join(values) if values else sql.SQL("NULL AS s"),
        rows=rows,
        geom=sql.Identifier(spec.geometry_field),
    )


def _delta(spec: LayerSpec, source: sql.Composable) -> sql.Composed:
    sums = [sql.SQL("coalesce(sum(s{}), 0)").format(sql.SQL(str(i))) for i in range(len(summed(spec)))]
    return sql.SQL(SQL["delta"]).format(layer=sql.Literal(spec.id), source=source, sums=sql.SQL(", ").join(sums))


def _index(spec: LayerSpec) -> list[sql.Composed]:
    """The index of the layer's rows by cell, through which radius queries read the rows of edge cells."""
    index = sql.SQL(SQL["index"]).format(
        index=RADIUS_CELLS.name(spec.id),
        table=sql.Identifier(spec.table),
        key=cell_key(sql.Identifier(spec.geometry_field)),
    )
    return [index]


RADIUS_CELLS = CellKind(
    layers_table="scenarios_radius_layer",
    prefix="scenarios_cells",
    sql=SQL,
    applies=is_cell_layer,
    source=_source,
    delta=_delta,
    extra=_index,
)


def install_radius_cells(using: str = "default", **kwargs) -> None:
    """Create or refresh the cells and triggers of every cell layer on a table (runs after migrate)."""
    install(RADIUS_CELLS, using)
    _INSTALLED.forget()


_INSTALLED = RefreshedNames(SQL["installed_layers"], requires="scenarios_radius_layer")


def has_cells(spec: LayerSpec) -> bool:
    """Whether the layer's radius counts can be summed from cells (checked every few minutes per process)."""
    return is_cell_layer(spec) and spec.id in _INSTALLED


def _inside_runs(area: Area) -> tuple[int, list[int], list[int], list[float]]:
    """(first cell row, per row the first and last cell wholly inside the inner band, per row the x extent of
    the outer band) over the rows of the radius' bbox. A row with no inside cell has first > last."""
    lon, lat = area.point
    east, north, inner2, outer2 = sqlparts.band_limits(lat, area.radius_m)
    inner2 *= 1 - 1e-9  # corners must be inside by a margin: the rows' coordinates round within their cells
    _, ymin, _, ymax = sqlparts.radius_bbox(lon, lat, area.radius_m)
    first, last = math.floor(ymin / CELL_DEG), math.floor(ymax / CELL_DEG)
    x0s, x1s, reach = [], [], []
    for cy in range(first, last + 1):
        bottom, top = cy * CELL_DEG, (cy + 1) * CELL_DEG
        far = max(abs(bottom - lat), abs(top - lat)) * north
        near = 0.0 if bottom <= lat <= top else min(abs(bottom - lat), abs(top - lat)) * north
        reach.append(math.sqrt(max(outer2 - near**2, 0.0)) / east * (1 + 1e-9) + EPSILON)
        x0, x1 = 1, 0
        if far**2 < inner2:
            half = math.sqrt(inner2 - far**2) / east
            x0, x1 = math.ceil((lon - half) / CELL_DEG), math.floor((lon + half) / CELL_DEG) - 1
            while x0 <= x1 and ((lon - x0 * CELL_DEG) * east) ** 2 + far**2 > inner2:
                x0 += 1
            while x0 <= x1 and (((x1 + 1) * CELL_DEG - lon) * east) ** 2 + far**2 > inner2:
                x1 -= 1
        x0s.append(x0)
        x1s.append(x1)
    return first, x0s, x1s, reach


def bind(area: Area, params: sqlparts.Params) -> dict[str, sql.Composable]:
    """Bind the inside cells and the edge cell ranges of a radius; the placeholders by name, for `part`.

    Edge cells: per cell row, the cells left and right of the inside run out to the outer band, as the keys the
    rows' index holds (cell_key), so no row of an inside cell is read twice."""
    lon, _ = area.point
    first, x0s, x1s, reach = _inside_runs(area)
    edges: list[int] = []
    for index, (x0, x1, half) in enumerate(zip(x0s, x1s, reach, strict=True)):
        if half <= EPSILON:
            continue
        cy, left, right = first + index, math.floor((lon - half) / CELL_DEG), math.floor((lon + half) / CELL_DEG)
        edges.extend(key(cy, cx) for cx in range(left, right + 1) if not x0 <= cx <= x1)
    placeholders = {"edge_keys": params.add(edges, "edge_keys")}
    placeholders["rows_y"] = params.add(list(range(first, first + len(x0s))), "rows_y")
    placeholders["rows_x0"] = params.add(x0s, "rows_x0")
    placeholders["rows_x1"] = params.add(x1s, "rows_x1")
    return placeholders


def usable(area: Area, group_by: str | None, filters: tuple, spec: LayerSpec) -> bool:
    """Whether a radius selection can be answered from the cells: no filters, ungrouped or by commune."""
    return (
        area.kind == "radius"
        and abs(area.point[1]) < 70  # the band's bound (sqlparts.band_limits) holds there
        and not filters
        and group_by in (None, "commune")
        and has_cells(spec)
    )


def part(area: Area, scope, group_by: str | None, sums: tuple[str, ...], params: sqlparts.Params) -> sql.Composed:
    """The (layer, grp, n, sums) rows of a cell layer in a radius, as queries.aggregate_part gives them."""
    spec = scope.spec
    order = summed(spec)
    picked = [(f"s{order.index(name)}", name) for name in sums]
    geom = sql.Identifier("t", spec.geometry_field)
    cell_values = [
        sql.SQL("c.sums[{}] AS {}").format(sql.Literal(int(s[1:]) + 1), sql.Identifier(s)) for s, _ in picked
    ]
    row_values = [sql.SQL("t.{}::numeric AS {}").format(sql.Identifier(n), sql.Identifier(s)) for s, n in picked]
    # numeric sums, exact like queries.sums_expression's (a float attribute's sum goes back to float8 there too)
    total = {n: "sum(u.{})::float8" if spec.field_type(n) == "FloatField" else "sum(u.{})" for _, n in picked}
    pairs = [sql.SQL("{}, " + total[n]).format(sql.Literal(n), sql.Identifier(s)) for s, n in picked]
    by_commune = group_by == "commune"
    return sql.SQL(SQL["part"]).format(
        layer=sql.Literal(spec.id),
        sums=sql.SQL("json_build_object({})").format(sql.SQL(", ").join(pairs)) if pairs else sql.SQL("NULL::json"),
        cell_grp=sql.SQL("c.commune") if by_commune else sql.SQL("NULL::text"),
        cell_values=sql.SQL(", ").join(cell_values or [sql.SQL("0::numeric AS s")]),
        cell_scope=scope.predicate("c", params, column="commune", name="scope"),
        row_grp=sql.SQL("{}::text").format(sql.Identifier("t", spec.commune_field))
        if by_commune
        else sql.SQL("NULL::text"),
        row_values=sql.SQL(", ").join(row_values or [sql.SQL("0::numeric AS s")]),
        table=sql.Identifier(spec.table),
        key=cell_key(geom),
        exact=sqlparts.radius_test(area, "t", spec, params),
        scope=scope.predicate("t", params, name="scope"),
        **bind(area, params),
    )
