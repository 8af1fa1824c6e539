-- Scenario step statements. {braced} names are identifiers or fragments composed from the layer registry
-- (psycopg.sql); generated placeholders are bound values.

-- name: area_communes
-- The area's geodesic size and the communes it covers, with the km² of each inside it: on a commune run that
-- commune only ({only}); otherwise those it overlaps by more than boundary slivers (100 m², or 1 % of a smaller
-- area: shared borders that do not match exactly leave intersections of a few m²).
WITH {area}, size AS (SELECT coalesce(area_m2, ST_Area(g::geography)) AS m2 FROM area),
entered AS (
    SELECT c.{code} AS code, c.{name} AS name,
           ST_Area((CASE WHEN ST_Covers(area.g, c.{geom}) THEN c.{geom} ELSE ST_Intersection(c.{geom}, area.g) END)::geography) AS m2
    FROM {communes} AS c CROSS JOIN area
    -- no ST_Touches test: a touching commune overlaps by no area, and the relate costs 10 ms a commune
    WHERE ST_Intersects(c.{geom}, area.g) AND ({only}::text IS NULL OR c.{code} = {only}::text)
)
SELECT (SELECT m2 FROM size) AS area_m2,
       (SELECT coalesce(json_agg(json_build_object('code', o.code, 'name', o.name, 'area_km2', o.m2 / 1e6)
                ORDER BY o.code), '[]'::json)
          FROM entered AS o
         WHERE {only}::text IS NOT NULL OR o.m2 > least(100.0, 0.01 * (SELECT m2 FROM size))) AS communes

-- name: share_part
-- The % of rows per group matching the share filters (kept apart from aggregate_part for clarity).
SELECT {grp} AS grp, count(*) AS n, 100.0 * count(*) FILTER (WHERE {cond}) / count(*) AS share_pct
FROM {table} AS t
WHERE {where}
GROUP BY 1

-- name: proximity
-- Each source feature with the number of targets within the radius and its nearest target (true metres).
WITH {area}
SELECT s.{sid} AS id, {slabel}::text AS label, ST_AsGeoJSON(s.{sgeom}, 7) AS geometry, {sprops} AS properties,
       s.{scommune} AS commune,
       (SELECT count(*) FROM {target} AS t
         WHERE {twhere} AND t.{tgeom} && {expand} AND ST_DWithin(t.{tgeom}::geography, s.{sgeom}::geography, {radius})) AS within,
       {within_by} AS within_by,
       near.id AS nearest_id, near.label AS nearest_label, near.distance_m AS nearest_distance_m
FROM {source} AS s
LEFT JOIN LATERAL (
    SELECT c.id, c.label, c.distance_m FROM (
        SELECT t.{tid} AS id, {tlabel}::text AS label, ST_Distance(t.{tgeom}::geography, s.{sgeom}::geography) AS distance_m
        FROM {target} AS t WHERE {twhere2}
        ORDER BY t.{tgeom} <-> s.{sgeom} LIMIT 16
    ) AS c ORDER BY c.distance_m LIMIT 1
) AS near ON TRUE
WHERE {swhere}
ORDER BY s.{sid}
LIMIT {cap}

-- name: within_by
(SELECT json_object_agg(k, n) FROM (
    SELECT coalesce(t.{tgroup}::text, '') AS k, count(*) AS n FROM {target} AS t
    WHERE {twhere} AND t.{tgeom} && {expand} AND ST_DWithin(t.{tgeom}::geography, s.{sgeom}::geography, {radius})
    GROUP BY 1) AS w)

-- name: overlay
-- Source features overlapping target features whose attribute differs (e.g. a land-use change into a zone
-- planned for another use), with the overlap's geodesic area.
WITH {area}
SELECT s.{sid} AS id, z.{zid} AS target_id, {slabel}::text AS label, {zlabel}::text AS target_label,
       s.{sfield}::text AS source_value, z.{zfield}::text AS target_value, s.{scommune} AS commune,
       ST_Area(ST_Intersection(s.{sgeom}, z.{zgeom})::geography) AS overlap_m2,
       ST_AsGeoJSON(ST_Intersection(s.{sgeom}, z.{zgeom}), 7) AS geometry
FROM {source} AS s
JOIN {target} AS z ON ST_Intersects(s.{sgeom}, z.{zgeom}) AND s.{sfield}::text IS DISTINCT FROM z.{zfield}::text
WHERE {swhere} AND {zwhere}
  AND ST_Area(ST_Intersection(s.{sgeom}, z.{zgeom})::geography) >= {min_overlap}
ORDER BY overlap_m2 DESC
LIMIT {cap}

-- name: exceedance
-- Readings over each sensor's threshold in the window, with the nearest group feature (e.g. industrial park).
WITH {area}, sensors AS (
    SELECT t.{sid} AS id, t.{code} AS code, t.{name} AS name, t.{parameter} AS parameter, t.{unit} AS unit,
           t.{threshold} AS threshold, t.{scommune} AS commune, t.{sgeom} AS geom
    FROM {sensors} AS t WHERE {swhere}
), readings AS (
    SELECT s.*, o.{observed_at} AS observed_at, o.{value} AS value,
           row_number() OVER (PARTITION BY s.id ORDER BY o.{observed_at} DESC) AS recency
    FROM sensors AS s
    JOIN {observations} AS o ON o.{fk} = s.id AND o.{observed_at} > {since} AND o.{observed_at} <= {until}
)
SELECT r.id, r.code, r.name, r.parameter, r.unit, r.threshold, r.commune, r.observed_at, r.value,
       ST_AsGeoJSON(r.geom, 7) AS geometry, grp.id AS group_id, grp.label AS group_label
FROM readings AS r
LEFT JOIN LATERAL ({group_lookup}) AS grp ON TRUE
WHERE r.value > r.threshold AND (NOT {latest_only} OR r.recency = 1)
ORDER BY r.observed_at DESC, r.code
LIMIT {cap}

-- name: sensor_newest
-- Each selected sensor's newest reading up to the window's end (the (sensor, observed_at) index answers each).
WITH {area}
SELECT t.{sid}, t.{code}, t.{name},
       (SELECT max(o.{observed_at}) FROM {observations} AS o WHERE o.{fk} = t.{sid} AND o.{observed_at} <= {until})
FROM {sensors} AS t WHERE {swhere}
ORDER BY t.{code}

-- name: group_lookup
SELECT p.{gid} AS id, {glabel}::text AS label FROM {groups} AS p
WHERE ST_DWithin(p.{ggeom}::geography, r.geom::geography, {within})
ORDER BY p.{ggeom} <-> r.geom LIMIT 1

-- name: clusters
-- DBSCAN in metres (UTM zone 48N covers the province), each cluster's weight, centroid and outbreak zone, and
-- the resources (e.g. health facilities) within the zone radius of the centroid.
WITH {area}, src AS (
    SELECT t.{sid} AS id, t.{sgeom} AS geom, {weight} AS w, t.{scommune} AS commune,
           ST_ClusterDBSCAN(ST_Transform(t.{sgeom}, 32648), eps := {eps}, minpoints := {minpoints}) OVER () AS cid
    FROM {source} AS t WHERE {swhere}
), clusters AS (
    SELECT cid, count(*) AS n, sum(w) AS weight, ST_Centroid(ST_Collect(geom)) AS centre, array_agg(id ORDER BY id) AS ids,
           mode() WITHIN GROUP (ORDER BY commune) AS commune
    FROM src WHERE cid IS NOT NULL GROUP BY cid
)
SELECT k.cid, k.n, k.weight, ST_X(k.centre), ST_Y(k.centre), k.ids,
       ST_AsGeoJSON(ST_Buffer(k.centre::geography, {zone}, 'quad_segs=16')::geometry, 7) AS zone,
       {resources} AS resources, k.commune
FROM clusters AS k
ORDER BY k.weight DESC, k.cid

-- name: cluster_resources
(SELECT json_build_object('count', count(*), 'names', coalesce(json_agg({rlabel}::text ORDER BY {rlabel}::text), '[]'::json))
   FROM {resources} AS t
  WHERE {rwhere} AND ST_DWithin(t.{rgeom}::geography, k.centre::geography, {zone}))

-- name: feature_ratio
-- One row per feature with numerator / denominator (NULL when the denominator is 0).
WITH {area}
SELECT t.{id} AS id, {label}::text AS label, t.{num} AS numerator, t.{den} AS denominator,
       CASE WHEN t.{den} > 0 THEN t.{num}::float8 / t.{den} END AS ratio, t.{commune} AS commune,
       ST_AsGeoJSON(t.{geom}, 7) AS geometry, t.{time} AS at
FROM {table} AS t
WHERE {where}
ORDER BY ratio DESC NULLS LAST, t.{id}
LIMIT {cap}

-- name: points
-- Point features in the area with coordinates (for raster sampling) and the attributes to sum.
WITH {area}
SELECT t.{id} AS id, ST_X(t.{geom}) AS x, ST_Y(t.{geom}) AS y, t.{commune} AS commune, {values} AS vals
FROM {table} AS t
WHERE {where}
ORDER BY t.{id}

-- name: station_levels
-- Every selected water-level station with its newest reading up to the reference time (index on sensor, time).
SELECT t.{sid}, t.{code}, {label}::text, t.{threshold}, ST_X(t.{geom}), ST_Y(t.{geom}), t.{commune}, o.observed_at, o.value
FROM {sensors} AS t
LEFT JOIN LATERAL (
    SELECT r.observed_at, r.value FROM {observations} AS r
    WHERE r.{fk} = t.{sid} AND r.observed_at <= {until}
    ORDER BY r.observed_at DESC LIMIT 1
) AS o ON TRUE
WHERE {swhere}
ORDER BY t.{code}

-- name: points_in_cells
-- The same points, only inside the given lon/lat cells (half-open, so a point on a shared edge is read once):
-- one index probe per cell instead of a scan of the whole area (houses under a flood raster's wet cells).
WITH {area}, cells AS (
    SELECT ST_MakeEnvelope(x0, y0, x1, y1, 4326) AS box, x0, y0, x1, y1
    FROM unnest({x0}::float8[], {y0}::float8[], {x1}::float8[], {y1}::float8[]) AS c(x0, y0, x1, y1)
)
SELECT t.{id} AS id, ST_X(t.{geom}) AS x, ST_Y(t.{geom}) AS y, t.{commune} AS commune, {values} AS vals
FROM cells AS k
CROSS JOIN LATERAL (  -- lateral: each cell probes the index (as a join the planner scanned the whole area first)
    SELECT t.* FROM {table} AS t
    WHERE t.{geom} && k.box AND ST_X(t.{geom}) >= k.x0 AND ST_X(t.{geom}) < k.x1
      AND ST_Y(t.{geom}) >= k.y0 AND ST_Y(t.{geom}) < k.y1
    OFFSET 0  -- a fence against pulling the subquery up into that join
) AS t
WHERE {where}  -- out here, so the area test keeps one prepared geometry for every cell
ORDER BY t.{id}
