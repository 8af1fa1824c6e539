-- Spatial query statements. {braced} names are identifiers or fragments composed from the layer registry
-- (psycopg.sql); %(named)s and generated placeholders are bound values.

-- name: aggregate_part
-- No join with the area CTE: the predicates read it as an InitPlan value ((SELECT g FROM area)); a join is a
-- nested loop over every row (325,000 houses: 1.3 s of a province run)
SELECT {layer} AS layer, {grp} AS grp, count(*) AS n, {sums} AS sums
FROM {table} AS t
WHERE {where}
GROUP BY 1, 2

-- name: aggregate
-- One round trip: the area's geodesic area, the communes it touches, and every layer's grouped counts.
WITH {area}, per_layer AS ({parts})
SELECT (SELECT coalesce(area_m2, ST_Area(g::geography)) FROM area) AS area_m2,
       -- the communes only when asked: ST_Touches against a large area costs more than most layers' counts
       CASE WHEN {want_communes} THEN (SELECT coalesce(json_agg(json_build_object('code', c.{code}, 'name', c.{name}) ORDER BY c.{code}), '[]'::json)
          FROM {communes} AS c CROSS JOIN area
         WHERE ST_Intersects(c.{cgeom}, area.g) AND NOT ST_Touches(c.{cgeom}, area.g)) ELSE '[]'::json END AS communes,
       (SELECT coalesce(json_agg(per_layer), '[]'::json) FROM per_layer) AS layers,
       CASE WHEN {want_geojson} THEN (SELECT ST_AsGeoJSON(g, 7) FROM area) END AS geojson

-- name: features_page
-- A page of features in the area as a GeoJSON FeatureCollection, ordered by id for stable paging.
WITH {area}, page AS (
    SELECT t.{id} AS id, t.{geom} AS geom, {properties} AS properties
    FROM {table} AS t
    WHERE {where}
    ORDER BY t.{id}
    LIMIT {limit} OFFSET {offset}
)
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
    'type', 'Feature', 'id', id, 'geometry', ST_AsGeoJSON(geom, 7)::json, 'properties', properties) ORDER BY id), '[]'::json))
FROM page

-- name: covering_part
-- Polygons of a layer that cover the point (boundary included), in a stable order: the first one wins.
SELECT * FROM (
    SELECT {layer} AS layer, t.{id} AS id, {properties} AS properties, row_number() OVER (ORDER BY {order}) AS rank
    FROM {table} AS t
    WHERE ST_Covers(t.{geom}, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)) AND {where}
    ORDER BY {order}
    LIMIT 20
) AS c

-- name: nearest_part
-- Nearest features: candidates by the planar KNN index, re-ranked by the true distance on the ellipsoid.
SELECT * FROM (
    SELECT {layer} AS layer, c.id, c.label, c.properties, c.distance_m FROM (
        SELECT t.{id} AS id, {label} AS label, {properties} AS properties,
               ST_Distance(t.{geom}::geography, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography) AS distance_m
        FROM {table} AS t
        WHERE {where}
        ORDER BY t.{geom} <-> ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)
        LIMIT %(candidates)s
    ) AS c
    ORDER BY c.distance_m, c.id
    LIMIT %(k)s
) AS n

-- name: commune_exists
SELECT EXISTS (SELECT 1 FROM {table} WHERE {code} = %(code)s)
