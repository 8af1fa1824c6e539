-- The generator's working context: a seed, a keyed random function, communes with density weights and
-- their settled areas. Everything lives in temporary tables of this session.

-- name: set_seed
SELECT set_config('sample.seed', %(seed)s, false)

-- name: rnd_function
-- Keyed uniform random in [0, 1): the same (seed, key) always gives the same number, whatever the row order
-- or plan, which is what makes the generator reproducible. hashtextextended is the (stable, fast) hash that
-- PostgreSQL's hash partitioning relies on; md5 was eight times slower.
CREATE OR REPLACE FUNCTION pg_temp.rnd(k text) RETURNS double precision LANGUAGE sql STABLE AS $$
  SELECT (hashtextextended(k, current_setting('sample.seed')::bigint) & 4503599627370495)::float8 / 4503599627370496.0
$$

-- name: rnorm_function
-- Keyed standard normal (Box-Muller on two keyed uniforms).
CREATE OR REPLACE FUNCTION pg_temp.rnorm(k text) RETURNS double precision LANGUAGE sql STABLE AS $$
  SELECT sqrt(-2 * ln(greatest(pg_temp.rnd(k || '/a'), 1e-12))) * cos(2 * pi() * pg_temp.rnd(k || '/b'))
$$

-- name: seedint_function
-- A positive integer seed for ST_GeneratePoints, derived from a key.
CREATE OR REPLACE FUNCTION pg_temp.seedint(k text) RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT 1 + floor(pg_temp.rnd(k) * 2000000000)::integer
$$

-- name: drop_commune
DROP TABLE IF EXISTS sample_commune

-- name: commune
-- weight ~ population: the number of old wards merged, times the density of their old district, times 1.6
-- for urban wards (phường).
CREATE TEMP TABLE sample_commune AS
WITH dens AS (SELECT key AS district, value::float AS factor FROM jsonb_each_text(%(density)s::jsonb)),
pov AS (SELECT key AS district, value::float AS factor FROM jsonb_each_text(%(poverty)s::jsonb)),
parts AS (
  SELECT c.code, m->>'old_district_code' AS district, coalesce(d.factor, 1.0) AS dens, coalesce(p.factor, 1.0) AS pov
  FROM geodata_commune c
  CROSS JOIN LATERAL jsonb_array_elements(c.merged_from::jsonb) m
  LEFT JOIN dens d ON d.district = m->>'old_district_code'
  LEFT JOIN pov p ON p.district = m->>'old_district_code'
),
agg AS (
  SELECT code, sum(dens) AS wards_weight, avg(pov) AS pov,
         mode() WITHIN GROUP (ORDER BY district) AS district,
         bool_and(district = ANY(%(forest)s)) AS forest_district
  FROM parts GROUP BY code
)
SELECT c.code, c.name, c.kind, c.kind = 'phường' AS urban, a.district,
       a.forest_district AND c.kind <> 'phường' AS forest,
       c.area_km2,
       a.wards_weight * CASE WHEN c.kind = 'phường' THEN 1.6 ELSE 1.0 END AS weight,
       -- poverty factor: district level, lower in wards, a few seeded rural hot spots
       a.pov * CASE WHEN c.kind = 'phường' THEN 0.4 ELSE 1.0 END
             * CASE WHEN c.kind <> 'phường' AND pg_temp.rnd('poverty-hotspot:' || c.code) < 0.15 THEN 2.0 ELSE 1.0 END
         AS poverty,
       c.geom, ST_PointOnSurface(c.geom) AS centre
FROM geodata_commune c JOIN agg a USING (code)

-- name: commune_share
ALTER TABLE sample_commune ADD COLUMN share double precision

-- name: commune_share_fill
UPDATE sample_commune SET share = weight / (SELECT sum(weight) FROM sample_commune)

-- name: commune_pk
ALTER TABLE sample_commune ADD PRIMARY KEY (code)

-- name: drop_part
DROP TABLE IF EXISTS sample_commune_part

-- name: part
-- Communes cut into small pieces so that point-in-polygon look-ups use the index on small geometries.
CREATE TEMP TABLE sample_commune_part AS
SELECT code, ST_Subdivide(geom, 96) AS geom FROM sample_commune

-- name: part_index
CREATE INDEX ON sample_commune_part USING gist (geom)

-- name: anchor_function
-- The point that decides a feature's commune: the point itself, the midpoint of a line (of its first part), a
-- point on the surface of a polygon. An end point of a line cut at a border is no good: rounding puts it on
-- either side.
CREATE OR REPLACE FUNCTION pg_temp.anchor(g geometry) RETURNS geometry LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN ST_Dimension(g) = 1 THEN ST_LineInterpolatePoint(ST_GeometryN(g, 1), 0.5) ELSE ST_PointOnSurface(g) END
$$

-- name: commune_of_function
-- The commune containing a geometry's anchor (lowest code on an exact border).
CREATE OR REPLACE FUNCTION pg_temp.commune_of(g geometry) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT p.code FROM sample_commune_part p WHERE ST_Intersects(p.geom, pg_temp.anchor(g)) ORDER BY p.code LIMIT 1
$$

-- name: drop_line
DROP TABLE IF EXISTS sample_line

-- name: line
CREATE TEMP TABLE sample_line (layer text, ref text, name text, cls text, geom geometry(LineString, 4326))

-- name: line_pieces_function
-- The lines of one sample_line layer cut at commune borders and into pieces of at most max_m metres
-- (roads 1 km, railways 3 km, rivers 5 km), with what decides their order and their seeded draws.
CREATE OR REPLACE FUNCTION pg_temp.line_pieces(line_layer text, max_m float)
RETURNS TABLE (ref text, name text, cls text, code text, path int[], j int, piece geometry) LANGUAGE sql STABLE AS $$
  WITH cut AS (
    SELECT l.ref, l.name, l.cls, c.code, d.path, d.geom AS g
    FROM sample_line l JOIN sample_commune c ON ST_Intersects(l.geom, c.geom)
    CROSS JOIN LATERAL ST_Dump(ST_Intersection(l.geom, c.geom)) d
    WHERE l.layer = line_layer
  )
  SELECT cut.ref, cut.name, cut.cls, cut.code, cut.path, j, ST_LineSubstring(g, j::float / n, (j + 1)::float / n)
  FROM cut CROSS JOIN LATERAL (SELECT greatest(1, ceil(ST_Length(g::geography) / max_m))::int AS n) s
  CROSS JOIN LATERAL generate_series(0, n - 1) j
  WHERE ST_GeometryType(g) = 'ST_LineString' AND ST_Length(g) > 0
$$
