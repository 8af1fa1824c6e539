-- Cluster cells: point counts of a clustered layer per grid cell of every clustered zoom, per commune and
-- per category value, in tiles_cluster_cell. Level L is the grid of 2^L cells per world side, so the 64x64
-- cells of a tile at zoom z are level z + 6 and every level nests exactly in the one above. Statement triggers
-- with transition tables apply each change (an edit, an import, a whole sample load) as signed deltas in the
-- same transaction, so the cells always match the committed rows. Braced names are composed from the layer
-- registry with psycopg.sql; %(name)s are bound values.

-- name: delta
-- Add the signed rows of {source} (sign, mx, my, commune, cat) to the cells of every level: grouped once at
-- the finest level, then rolled up by shifting cell numbers (floor division by a power of two).
INSERT INTO tiles_cluster_cell AS c (layer, lvl, gy, gx, commune, cat, n, sx, sy)
SELECT {layer}, lvl, gy >> ({max_level} - lvl), gx >> ({max_level} - lvl), commune, cat, sum(n), sum(sx), sum(sy)
FROM (
  SELECT floor((20037508.342789244 - my) / {cell})::integer AS gy,
         floor((mx + 20037508.342789244) / {cell})::integer AS gx,
         commune, cat, sum(sign)::integer AS n, sum(sign * mx) AS sx, sum(sign * my) AS sy
  FROM ({source}) AS changed
  GROUP BY 1, 2, 3, 4
) AS finest, generate_series({min_level}, {max_level}) AS lvl
GROUP BY 2, 3, 4, 5, 6
HAVING sum(n) <> 0 OR sum(sx) <> 0 OR sum(sy) <> 0
ORDER BY 2, 3, 4, 5, 6
ON CONFLICT (layer, lvl, gy, gx, commune, cat)
DO UPDATE SET n = c.n + excluded.n, sx = c.sx + excluded.sx, sy = c.sy + excluded.sy

-- name: source
-- The rows of a table or transition table as signed Mercator points.
SELECT {sign}::integer AS sign, {mx} AS mx, {my} AS my, coalesce({commune}::text, '') AS commune,
       coalesce({category}::text, 'unknown') AS cat
FROM {rows}
WHERE {geom} IS NOT NULL

-- name: prune
DELETE FROM tiles_cluster_cell WHERE layer = {layer} AND n <= 0

-- name: clear
DELETE FROM tiles_cluster_cell WHERE layer = {layer}

-- name: installed
SELECT layer, table_name, definition FROM tiles_cluster_layer

-- name: installed_layers
SELECT layer FROM tiles_cluster_layer

-- name: record
INSERT INTO tiles_cluster_layer (layer, table_name, definition) VALUES (%(layer)s, %(table)s, %(definition)s)
ON CONFLICT (layer) DO UPDATE SET table_name = excluded.table_name, definition = excluded.definition

-- name: forget
DELETE FROM tiles_cluster_layer WHERE layer = %(layer)s
