-- Radius cells: per cell of a lon/lat grid and per commune, the number of points of a layer and the sums of its
-- integer summable attributes, in scenarios_radius_cell. Statement triggers with transition tables apply each
-- change (an edit, an import, a whole sample load) as signed deltas in the same transaction, so the cells always
-- match the committed rows. Braced names are composed from the layer registry with psycopg.sql; %(name)s are
-- bound values.

-- name: source
-- The rows of a table or transition table as signed points with their cell. The cell expressions are the ones
-- the query's edge test uses (cell_x / cell_y in scenarios/cells.py), so a row's cell is the same everywhere.
SELECT {sign}::integer AS sign, {cx} AS cx, {cy} AS cy, {commune}::text AS commune, {values}
FROM {rows} AS t
WHERE t.{geom} IS NOT NULL AND NOT ST_IsEmpty(t.{geom})

-- name: delta
-- Sums (numeric: exact, so cells add up to what summing the rows gives) in declaration order of the layer's
-- summable attributes; a NULL value adds nothing (as sum() skips it).
INSERT INTO scenarios_radius_cell AS c (layer, cy, cx, commune, n, sums)
SELECT {layer}, cy, cx, commune, sum(sign), ARRAY[{sums}]::numeric[]
FROM ({source}) AS changed
GROUP BY cy, cx, commune
ORDER BY cy, cx, commune
ON CONFLICT (layer, cy, cx, commune)
DO UPDATE SET n = c.n + excluded.n,
              sums = ARRAY(SELECT a + b FROM unnest(c.sums, excluded.sums) WITH ORDINALITY AS u(a, b, i) ORDER BY i)

-- name: prune
DELETE FROM scenarios_radius_cell WHERE layer = {layer} AND n <= 0

-- name: clear
DELETE FROM scenarios_radius_cell WHERE layer = {layer}

-- name: index
-- The rows by cell (the same expressions as the cells'), for the rows of the edge cells of a radius.
CREATE INDEX IF NOT EXISTS {index} ON {table} (({key}))

-- name: drop_index
DROP INDEX IF EXISTS {index}

-- name: installed
SELECT layer, table_name, definition FROM scenarios_radius_layer

-- name: installed_layers
SELECT layer FROM scenarios_radius_layer

-- name: record
INSERT INTO scenarios_radius_layer (layer, table_name, definition) VALUES (%(layer)s, %(table)s, %(definition)s)
ON CONFLICT (layer) DO UPDATE SET table_name = excluded.table_name, definition = excluded.definition

-- name: forget
DELETE FROM scenarios_radius_layer WHERE layer = %(layer)s

-- name: part
-- A radius over a layer with cells, one (layer, grp) row per group as aggregate_part: the cells wholly inside
-- the circle's inner band (rows r: cell row cy, first and last inside cell), plus the rows of the other cells
-- near the circle (edge cells, read through the index of the rows by cell), each through the exact radius test.
SELECT {layer} AS layer, u.grp, sum(u.n)::bigint AS n, {sums} AS sums
FROM (
    SELECT {cell_grp} AS grp, c.n, {cell_values}
    FROM unnest({rows_y}::integer[], {rows_x0}::integer[], {rows_x1}::integer[]) AS r(cy, x0, x1)
    JOIN scenarios_radius_cell AS c ON c.layer = {layer} AND c.cy = r.cy AND c.cx BETWEEN r.x0 AND r.x1
    WHERE {cell_scope}
    UNION ALL
    SELECT {row_grp} AS grp, 1::bigint AS n, {row_values}
    FROM {table} AS t
    WHERE {key} = ANY({edge_keys}::bigint[]) AND ({exact}) AND {scope}
) AS u
GROUP BY u.grp
