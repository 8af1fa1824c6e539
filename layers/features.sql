-- OGC API Features statements. {braced} slots are filled only with psycopg.sql compositions built from the
-- layer registry (identifiers) and the CQL2/params translator (placeholders); every value is bound.

-- name: items_page
-- One round trip per items request: the whole FeatureCollection text. The page fetches one row more than the
-- limit to learn whether a next page exists without counting. numberMatched reuses the caller's cached count
-- while the table's version (bumped by a statement trigger) is unchanged: the count subquery is an InitPlan,
-- never executed then. ST_AsGeoJSON runs only on the page's rows.
WITH page AS (
  SELECT {feature} AS f, row_number() OVER () AS n
  FROM ({source}) t
), version AS (
  SELECT coalesce((SELECT version FROM layers_table_version WHERE table_name = %(table_name)s), 0) AS v
), matched AS (
  SELECT CASE WHEN version.v = %(cached_version)s THEN %(cached_count)s::bigint
              ELSE (SELECT count(*) FROM {table} t WHERE {where}) END AS n
  FROM version
), returned AS (
  SELECT count(*) AS c FROM page
)
SELECT concat(
  '{{"type":"FeatureCollection","numberMatched":', matched.n,
  ',"numberReturned":', least(returned.c, %(limit)s),
  ',"timeStamp":"', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), '"',
  %(extra)s::text,
  ',"links":[', %(links)s::text, CASE WHEN returned.c > %(limit)s THEN %(next)s::text ELSE '' END, ']',
  ',"features":[', (SELECT string_agg(f, ',' ORDER BY n) FROM page WHERE n <= %(limit)s), ']}}'
), matched.n, version.v
FROM matched, version, returned;

-- name: items_page_estimated
-- The same page for an unfiltered table over a million rows: numberMatched is the planner's estimate.
WITH page AS (
  SELECT {feature} AS f, row_number() OVER () AS n
  FROM ({source}) t
), returned AS (
  SELECT count(*) AS c FROM page
)
SELECT concat(
  '{{"type":"FeatureCollection","numberMatched":',
  (SELECT reltuples::bigint FROM pg_class WHERE oid = %(table_name)s::regclass),
  ',"numberMatchedIsEstimate":true,"numberReturned":', least(returned.c, %(limit)s),
  ',"timeStamp":"', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), '"',
  %(extra)s::text,
  ',"links":[', %(links)s::text, CASE WHEN returned.c > %(limit)s THEN %(next)s::text ELSE '' END, ']',
  ',"features":[', (SELECT string_agg(f, ',' ORDER BY n) FROM page WHERE n <= %(limit)s), ']}}'
), -1, -1
FROM returned;

-- name: page_direct
-- The page's rows in index order (the primary key serves ORDER BY id).
SELECT * FROM {table} t WHERE {where} ORDER BY {order} LIMIT %(fetch)s OFFSET %(offset)s

-- name: page_by_ids
-- The page's rows when they must be sorted: sort only the ids of the matches, then fetch the page's rows by
-- primary key, so the sort never carries geometries.
SELECT t.* FROM unnest(ARRAY(SELECT t.{id} FROM {table} t WHERE {where} ORDER BY {order}
                             LIMIT %(fetch)s OFFSET %(offset)s)) WITH ORDINALITY AS u(fid, n)
JOIN {table} t ON t.{id} = u.fid ORDER BY u.n

-- name: item
-- One feature with its links, and its ETag: the md5 of the whole stored row, so any change (also by imports)
-- changes the tag whatever the representation asked for.
SELECT {feature}, md5(t::text) FROM {table} t WHERE t.{id} = %(fid)s AND {where};

-- name: row_version
-- The ETag and commune of one stored row, locked for the write that follows.
SELECT md5(t::text), t.{commune} FROM {table} t WHERE t.{id} = %(fid)s AND {where} FOR UPDATE;

-- name: row_version_nocommune
SELECT md5(t::text), NULL FROM {table} t WHERE t.{id} = %(fid)s AND {where} FOR UPDATE;

-- name: check_geometry
-- Validate a submitted geometry once: type, validity, inside the province, and the commune it falls in
-- (the commune holding its point on surface, so a polygon on a border gets one commune).
WITH g AS (
  SELECT {geom} AS geom
)
SELECT GeometryType(g.geom), ST_IsValid(g.geom), ST_IsValidReason(g.geom),
       coalesce((SELECT ST_Covers(p.geom, g.geom) FROM geodata_province p LIMIT 1), false),
       (SELECT c.code FROM geodata_commune c WHERE ST_Intersects(c.geom, ST_PointOnSurface(g.geom))
        ORDER BY c.code LIMIT 1),
       ST_XMin(g.geom), ST_YMin(g.geom), ST_XMax(g.geom), ST_YMax(g.geom)
FROM g;

-- name: insert_feature
INSERT INTO {table} AS t ({columns}) VALUES ({values}) RETURNING t.{id}, md5(t::text);

-- name: update_feature
UPDATE {table} t SET {assignments} WHERE t.{id} = %(fid)s RETURNING md5(t::text);

-- name: delete_feature
DELETE FROM {table} t WHERE t.{id} = %(fid)s;

-- name: geometry_bbox
SELECT ST_XMin(t.{geom}), ST_YMin(t.{geom}), ST_XMax(t.{geom}), ST_YMax(t.{geom}) FROM {table} t WHERE t.{id} = %(fid)s;

-- name: extent
-- The layer's spatial and temporal extent for its collection document, over the rows the caller may read.
SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(t.{geom}) AS e FROM {table} t WHERE {where}) s;

-- name: temporal_extent
SELECT min(t.{datetime}), max(t.{datetime}) FROM {table} t WHERE {where};
