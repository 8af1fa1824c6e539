-- Tile statements. Braced names are identifiers and fragments composed from the layer registry with
-- psycopg.sql; %(name)s are bound values. One tile = one statement: the per-layer parts below are scalar
-- subqueries concatenated with || (an MVT tile is the concatenation of its layers).

-- name: features
-- One MVT layer of the layer's own features. The && filter runs in the stored SRID so the spatial index is
-- used; lines and polygons are simplified in that SRID before the transform, so fewer points are projected.
SELECT coalesce(ST_AsMVT(t, {layer_name}, 4096, 'geom', 'fid'), ''::bytea)
FROM (
  SELECT {id} AS fid, {columns},
         ST_AsMVTGeom(ST_Transform({geom_expr}, 3857), ST_TileEnvelope(%(z)s, %(x)s, %(y)s), 4096, 64, true) AS geom
  FROM {table}
  WHERE {geom} && ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => 0.015625), {srid}) AND {scope}
) AS t

-- name: labels
-- One label point per polygon (ST_PointOnSurface) in the one tile that holds it, so a polygon cut by many
-- tiles is labelled once instead of once per tile; published as the MVT layer <layer id>_labels.
SELECT coalesce(ST_AsMVT(t, {layer_name}, 4096, 'geom', 'fid'), ''::bytea)
FROM (
  SELECT fid, {label}, ST_AsMVTGeom(ST_Transform(p, 3857), ST_TileEnvelope(%(z)s, %(x)s, %(y)s), 4096, 0, true) AS geom
  FROM (
    SELECT {id} AS fid, {label}, ST_PointOnSurface({geom}) AS p
    FROM {table}
    WHERE {geom} && ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s), {srid}) AND {scope}
  ) AS s
  WHERE p && ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s), {srid})
) AS t

-- name: clusters
-- Points aggregated on a grid of %(grid)s x %(grid)s cells per tile: one feature per non-empty cell at the
-- mean position of its points, with `count` and one `count_<category>` per category value (a jsonb column,
-- which ST_AsMVT expands into attributes). {cells} gives rows (gx, gy, cat, n, sx, sy) of the tile's zoom:
-- `stored_cells` or `live_cells` below. Only cells inside the tile are counted, so the counts of the tiles of
-- a zoom add up to the layer.
SELECT coalesce(ST_AsMVT(t, {layer_name}, 4096, 'geom', 'fid'), ''::bytea)
FROM (
  SELECT gy::bigint * %(cells_world)s + gx AS fid, true AS cluster, n AS count, counts,
         ST_AsMVTGeom(ST_SetSRID(ST_MakePoint(sx / n, sy / n), 3857), ST_TileEnvelope(%(z)s, %(x)s, %(y)s),
                      4096, 0, true) AS geom
  FROM (
    SELECT gx, gy, sum(n)::integer AS n, sum(sx) AS sx, sum(sy) AS sy,
           jsonb_object_agg('count_' || cat, n) AS counts
    FROM (
      SELECT gx, gy, cat, sum(n) AS n, sum(sx) AS sx, sum(sy) AS sy
      FROM ({cells}) AS cell
      WHERE gy BETWEEN %(gy0)s AND %(gy0)s + %(grid)s - 1 AND gx BETWEEN %(gx0)s AND %(gx0)s + %(grid)s - 1
      GROUP BY gx, gy, cat
    ) AS bycat
    GROUP BY gx, gy
  ) AS cells
) AS t

-- name: stored_cells
-- The cells kept by triggers in tiles_cluster_cell (see cluster_cells.sql): the 64 x 64 cells of a tile at
-- zoom z are level z + 6, one row per commune and category.
SELECT gx, gy, cat, n, sx, sy
FROM tiles_cluster_cell
WHERE layer = {layer_id} AND lvl = %(level)s AND n > 0 AND {scope}

-- name: live_cells
-- Cells computed from the points of the tile, for clustered layers without stored cells (views). The &&
-- filter includes both tile edges; the cell range of `clusters` then gives every point to one tile. Mercator
-- x/y come from {mx}/{my}: plain arithmetic on lon/lat for EPSG:4326 layers.
SELECT floor((mx + 20037508.342789244) / %(cell)s)::bigint AS gx,
       floor((20037508.342789244 - my) / %(cell)s)::bigint AS gy, cat, 1 AS n, mx AS sx, my AS sy
FROM (
  SELECT {mx} AS mx, {my} AS my, coalesce({category}::text, 'unknown') AS cat
  FROM {table}
  WHERE {geom} && ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s), {srid}) AND {scope}
) AS pts

-- name: province_bounds
-- The province's extent (west, south, east, north), for TileJSON and tileset metadata.
SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom) AS e FROM geodata_province) AS b

-- name: category_values
-- Distinct values of a cluster category, to document the count_<value> attributes.
SELECT DISTINCT coalesce({category}::text, 'unknown') FROM {table} ORDER BY 1

-- name: indicator_choropleth
-- An indicator's choropleth (MVT layer `indicator`): every commune in the tile with its value for the period, the
-- target and whether it is met (NULL without a value). Communes are simplified by about one tile pixel in 3857.
WITH bounds AS (SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS b),
vals AS (
    SELECT v.commune_code, v.value FROM {values} AS v WHERE v.indicator_id = %(indicator)s AND v.period = %(period)s
),
features AS (
    SELECT c.{code} AS code, c.{name} AS name, vals.value, %(target)s::float8 AS target,
           CASE WHEN vals.value IS NULL THEN NULL
                WHEN %(higher)s THEN vals.value >= %(target)s ELSE vals.value <= %(target)s END AS met,
           ST_AsMVTGeom(ST_SimplifyPreserveTopology(ST_Transform(c.{geom}, 3857), %(tolerance)s), bounds.b, 4096, 64, true) AS geom
    FROM {communes} AS c
    CROSS JOIN bounds
    LEFT JOIN vals ON vals.commune_code = c.{code}
    WHERE c.{geom} && ST_Transform(bounds.b, {srid})
)
SELECT ST_AsMVT(features, 'indicator', 4096, 'geom') FROM features WHERE geom IS NOT NULL
