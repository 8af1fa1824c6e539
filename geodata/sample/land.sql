-- Planning zones, land parcels, land-use changes and houses.

-- name: drop_parcel_area
DROP TABLE IF EXISTS sample_parcel_area

-- name: parcel_area
-- The land parcels cover: settled land plus the industrial parks, per commune, with its parcel count.
CREATE TEMP TABLE sample_parcel_area AS
WITH parks AS (
  SELECT commune_code AS code, ST_Union(geom) AS g FROM geodata_industrialpark WHERE synthetic GROUP BY commune_code
)
SELECT s.code, c.urban, c.forest, p.g AS park,
       CASE WHEN p.g IS NULL THEN s.geom
            ELSE ST_Multi(ST_CollectionExtract(ST_Intersection(ST_Union(s.geom, p.g), c.geom), 3)) END AS geom,
       greatest(%(min_per_commune)s, ceil(%(total)s * c.share))::int AS n
FROM sample_settlement s JOIN sample_commune c USING (code) LEFT JOIN parks p USING (code)

-- name: drop_parcel_part
DROP TABLE IF EXISTS sample_parcel_part

-- name: parcel_part
-- The same cover cut into small indexed pieces: clipping a cell against the few pieces it overlaps is far
-- cheaper than against a whole commune's ragged settlement.
CREATE TEMP TABLE sample_parcel_part AS SELECT code, ST_Subdivide(geom, 64) AS geom FROM sample_parcel_area

-- name: parcel_part_index
CREATE INDEX ON sample_parcel_part USING gist (geom)

-- name: parcels
-- Parcels tile each commune's settled land: Voronoi cells of seeded points, clipped to the settlement (cells
-- wholly inside it are kept as they are). Land-use codes come from a coarse seeded zoning (geohash
-- cells of about 1 km) so that neighbouring parcels share a use; cells in industrial parks are industrial.
-- Numbers follow the geohash so that map sheets are compact.
INSERT INTO geodata_landparcel (commune_code, synthetic, updated_at, map_sheet_no, parcel_no, area_m2, land_use_code, geom)
WITH cells AS (
  -- most cells lie wholly inside the settled land: a test against the whole (prepared, cached) cover is cheap
  SELECT a.code, a.urban, a.forest, a.park, d.path[1] AS k, d.geom AS cell, ST_Within(d.geom, a.geom) AS inside
  FROM sample_parcel_area a
  CROSS JOIN LATERAL ST_Dump(ST_VoronoiPolygons(
    ST_GeneratePoints(a.geom, a.n, pg_temp.seedint('parcels:' || a.code)), 0, ST_Expand(a.geom, 0.01))) d
),
edge AS (
  -- cells across the edge are clipped piece by piece against the few small pieces they overlap
  SELECT c.code, c.k, ST_UnaryUnion(ST_Collect(ST_CollectionExtract(ST_Intersection(c.cell, p.geom), 3))) AS g
  FROM cells c JOIN sample_parcel_part p ON p.code = c.code AND p.geom && c.cell
  WHERE NOT c.inside
  GROUP BY c.code, c.k
),
clipped AS (
  SELECT c.code, c.urban, c.forest, c.park, CASE WHEN c.inside THEN c.cell ELSE e.g END AS g
  FROM cells c LEFT JOIN edge e ON e.code = c.code AND e.k = c.k
),
keyed AS (
  SELECT code, urban, forest, g, ST_GeoHash(ST_PointOnSurface(g), 9) AS gh, ST_Area(g::geography) AS area,
         park IS NOT NULL AND ST_Intersects(park, ST_PointOnSurface(g)) AS in_park
  FROM clipped WHERE g IS NOT NULL AND NOT ST_IsEmpty(g)
),
ranked AS (
  SELECT *, row_number() OVER (PARTITION BY code ORDER BY in_park, gh) - 1 AS rk,
         pg_temp.rnd('zone:' || left(gh, 6)) AS z, pg_temp.rnd('use:' || code || ':' || gh) AS u
  FROM keyed WHERE area > 20
)
SELECT code, true, %(now)s, 1 + rk / 250, 1 + mod(rk, 250), round(area::numeric, 1),
  CASE
    WHEN in_park THEN CASE WHEN u < 0.9 THEN 'SKC' ELSE 'DGT' END
    WHEN rk = 0 THEN CASE WHEN urban THEN 'ODT' ELSE 'ONT' END
    WHEN urban AND z < 0.12 THEN CASE WHEN u < 0.7 THEN 'SKC' ELSE 'ODT' END
    WHEN urban THEN CASE WHEN u < 0.72 THEN 'ODT' WHEN u < 0.80 THEN 'TMD' WHEN u < 0.84 THEN 'DGD'
                         WHEN u < 0.87 THEN 'TSC' WHEN u < 0.94 THEN 'CLN' ELSE 'HNK' END
    WHEN z < 0.35 THEN CASE WHEN u < 0.70 THEN 'ONT' WHEN u < 0.90 THEN 'CLN' ELSE 'HNK' END
    WHEN z < 0.60 THEN CASE WHEN u < 0.60 THEN 'LUC' WHEN u < 0.85 THEN 'HNK' ELSE 'ONT' END
    WHEN forest THEN CASE WHEN u < 0.55 THEN 'RSX' WHEN u < 0.70 THEN 'RPH' WHEN u < 0.92 THEN 'CLN' ELSE 'ONT' END
    ELSE CASE WHEN u < 0.70 THEN 'CLN' WHEN u < 0.80 THEN 'SKC' WHEN u < 0.90 THEN 'HNK' ELSE 'ONT' END
  END,
  ST_Multi(g)
FROM ranked
ORDER BY code, rk

-- name: houses
-- Houses on residential parcels, as many per commune as its population share asks, spread over its
-- residential parcels in proportion to their area. Poverty follows the commune's poverty factor.
INSERT INTO geodata_house (commune_code, synthetic, updated_at, address_code, status, members, floors, parcel_id, geom)
WITH res AS (
  SELECT p.id, p.commune_code, p.geom, p.area_m2, p.map_sheet_no, p.parcel_no,
         sum(p.area_m2) OVER (PARTITION BY p.commune_code) AS total_area
  FROM geodata_landparcel p
  WHERE p.synthetic AND p.land_use_code IN ('ODT', 'ONT')
),
alloc AS (
  SELECT r.*, c.urban, c.poverty,
         ceil(ceil(%(total)s * c.share) * r.area_m2 / r.total_area)::int AS k
  FROM res r JOIN sample_commune c ON c.code = r.commune_code
),
pts AS (
  SELECT a.id, a.commune_code, a.urban, a.poverty, a.map_sheet_no, a.parcel_no, d.path[1] AS i, d.geom
  FROM alloc a
  CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(a.geom, a.k,
                                               pg_temp.seedint('houses:' || a.commune_code || ':' || a.map_sheet_no || ':' || a.parcel_no))) d
),
keyed AS (
  SELECT pts.*, commune_code || '.' || lpad(map_sheet_no::text, 3, '0') || '.' || lpad(parcel_no::text, 3, '0')
                || '.' || lpad(i::text, 3, '0') AS addr
  FROM pts
),
drawn AS (
  SELECT keyed.*, pg_temp.rnd('status:' || addr) AS s, pg_temp.rnd('members:' || addr) AS m
  FROM keyed
)
SELECT commune_code, true, %(now)s, addr,
  CASE WHEN s < 0.010 * poverty THEN 'poor'
       WHEN s < 0.028 * poverty THEN 'near_poor'
       WHEN s < 0.035 * poverty THEN 'temporary_house'
       ELSE 'normal' END,
  1 + floor(6 * m * m)::int,
  CASE WHEN urban THEN 1 + floor(4 * pg_temp.rnd('floors:' || addr) ^ 2)::int
       ELSE 1 + floor(1.6 * pg_temp.rnd('floors:' || addr))::int END,
  id, geom
FROM drawn
ORDER BY commune_code, map_sheet_no, parcel_no, i

-- name: land_use_changes
-- Land-use changes: parcels now residential, commercial or industrial that were farmland, most of them
-- permitted; unpermitted conversions cluster in the fast-growing communes.
INSERT INTO geodata_landusechange (commune_code, synthetic, updated_at, from_code, to_code, changed_on, permitted, geom)
WITH cand AS (
  SELECT p.commune_code, p.map_sheet_no, p.parcel_no, p.land_use_code, p.geom, c.weight / c.area_km2 AS density,
         pg_temp.rnd('luc:' || p.commune_code || ':' || p.map_sheet_no || ':' || p.parcel_no) AS u
  FROM geodata_landparcel p JOIN sample_commune c ON c.code = p.commune_code
  WHERE p.synthetic AND p.land_use_code IN ('ODT', 'ONT', 'TMD', 'SKC')
),
picked AS (
  SELECT * FROM cand ORDER BY u ^ (1.0 / (0.2 + density)) DESC LIMIT %(total)s
)
SELECT commune_code, true, %(now)s,
  (ARRAY['LUC', 'HNK', 'CLN', 'CLN', 'RSX'])[1 + floor(5 * pg_temp.rnd('from:' || commune_code || map_sheet_no || ':' || parcel_no))::int],
  land_use_code,
  DATE '2023-01-01' + floor(1400 * pg_temp.rnd('when:' || commune_code || map_sheet_no || ':' || parcel_no))::int,
  pg_temp.rnd('permit:' || commune_code || map_sheet_no || ':' || parcel_no) > 0.08 + least(0.25, density / 20),
  geom
FROM picked
ORDER BY commune_code, map_sheet_no, parcel_no

-- name: planning_zones
-- Planning zones tile each commune (Voronoi of seeded points): a master plan for the whole province, zoning
-- plans in towns and detailed 1/500 plans in the denser wards.
INSERT INTO geodata_planningzone (commune_code, synthetic, updated_at, plan_name, plan_level, decision_no, decision_date,
                                  land_use_code, max_height_m, max_density_pct, drawing_url, text_url, decision_url, geom)
WITH alloc AS (
  SELECT code, name, urban, geom, greatest(2, ceil(%(total)s * (0.5 * share + 0.5 / count(*) OVER ())))::int AS n
  FROM sample_commune
),
cells AS (
  SELECT a.code, a.name, a.urban, d.path[1] AS k,
         ST_CollectionExtract(ST_Intersection(d.geom, a.geom), 3) AS g
  FROM alloc a
  CROSS JOIN LATERAL ST_Dump(ST_VoronoiPolygons(ST_GeneratePoints(a.geom, a.n, pg_temp.seedint('zones:' || a.code)),
                                                0, ST_Expand(a.geom, 0.01))) d
),
drawn AS (
  SELECT cells.*, pg_temp.rnd('zone-level:' || code || ':' || k) AS l, pg_temp.rnd('zone-use:' || code || ':' || k) AS u,
         pg_temp.rnd('zone-date:' || code || ':' || k) AS t
  FROM cells WHERE NOT ST_IsEmpty(g) AND ST_Area(g::geography) > 100
),
levelled AS (
  SELECT drawn.*, CASE WHEN urban AND l < 0.45 THEN 'detailed' WHEN l < 0.75 THEN 'zoning' ELSE 'master' END AS lvl,
         CASE WHEN urban THEN (ARRAY['ODT', 'ODT', 'TMD', 'SKC', 'DGT', 'CXD', 'DGD'])[1 + floor(7 * u)::int]
              ELSE (ARRAY['ONT', 'LUC', 'CLN', 'RSX', 'SKC', 'HNK', 'DGT'])[1 + floor(7 * u)::int] END AS use
  FROM drawn
)
SELECT code, true, %(now)s,
  CASE lvl WHEN 'master' THEN 'Quy hoạch tỉnh Đồng Nai thời kỳ 2021-2030, tầm nhìn 2050'
           WHEN 'zoning' THEN 'Quy hoạch phân khu ' || name || ' tỷ lệ 1/2000 - khu ' || k
           ELSE 'Quy hoạch chi tiết ' || name || ' tỷ lệ 1/500 - lô ' || k END,
  lvl,
  (100 + floor(4800 * pg_temp.rnd('zone-no:' || code || ':' || k)))::int || '/QĐ-UBND',
  DATE '2019-01-01' + floor(2400 * t)::int,
  use,
  CASE WHEN use IN ('ODT', 'TMD') THEN 12 + 6 * floor(8 * u) WHEN use IN ('ONT', 'SKC', 'DGD') THEN 15 ELSE NULL END,
  CASE WHEN use IN ('ODT', 'TMD') THEN 40 + round(40 * t) WHEN use IN ('ONT', 'SKC', 'DGD') THEN 50 + round(20 * t) ELSE NULL END,
  '/documents/planning/' || code || '/' || k || '/drawing.pdf',
  '/documents/planning/' || code || '/' || k || '/text.pdf',
  '/documents/planning/' || code || '/' || k || '/decision.pdf',
  ST_Multi(g)
FROM levelled
ORDER BY code, k
