-- Urban technical infrastructure laid along the generated roads and in the settled areas.

-- name: street_lights
-- Lights spaced evenly along urban streets, along national/provincial roads through the settled land of
-- denser communes and along the streets of the densest rural ones (a segment gets its length's share,
-- rounded up or down at random); faults cluster around a few failing feeder cabinets ("hubs"), within a few
-- light spacings of them; kWh follows wattage, burning hours and status.
INSERT INTO geodata_streetlight (commune_code, synthetic, updated_at, status, wattage_w, kwh_month, lamp_type, road_id, geom)
WITH cand AS (
  SELECT r.id - %(first_road)s AS id, r.id AS road_id, r.geom, r.commune_code, r.length_m, r.road_class
  FROM geodata_road r JOIN sample_settlement s ON s.code = r.commune_code JOIN sample_commune c ON c.code = r.commune_code
  WHERE r.synthetic AND (r.road_class = 'urban'
    OR (r.road_class IN ('national', 'provincial') AND c.weight / c.area_km2 > 0.1 AND ST_Intersects(r.geom, s.geom))
    OR (r.road_class = 'commune' AND c.weight / c.area_km2 > 0.25))
),
per AS (
  SELECT cand.*, floor(length_m * 1.1 * %(total)s / sum(length_m) OVER () + pg_temp.rnd('light-k:' || id))::int AS k,
         sum(length_m) OVER () / %(total)s AS spacing_m
  FROM cand
),
pts AS (
  SELECT per.id, per.road_id, per.commune_code, per.road_class, j,
         ST_LineInterpolatePoint(ST_GeometryN(geom, 1), (j - 0.5) / k) AS p
  FROM per CROSS JOIN LATERAL generate_series(1, k) j
),
radius AS MATERIALIZED (SELECT greatest(0.004, 3 * max(spacing_m) / 110600.0) AS r FROM per),
hubs AS MATERIALIZED (SELECT p FROM pts ORDER BY pg_temp.rnd('light-hub:' || id || ':' || j) LIMIT greatest(3, %(total)s / 400)),
drawn AS (
  SELECT pts.*, pg_temp.rnd('light:' || id || ':' || j) AS u, pg_temp.rnd('lamp:' || id || ':' || j) AS v,
         EXISTS (SELECT 1 FROM hubs h, radius WHERE ST_DWithin(h.p, pts.p, radius.r)) AS near_hub
  FROM pts
),
typed AS (
  SELECT drawn.*,
    CASE WHEN near_hub AND u < 0.6 THEN 'fault' WHEN u < 0.02 THEN 'fault' WHEN u < 0.08 THEN 'off' ELSE 'on' END AS status,
    CASE WHEN road_class = 'urban' AND v < 0.8 THEN 'led' WHEN road_class <> 'urban' AND v < 0.45 THEN 'led' ELSE 'sodium' END AS lamp
  FROM drawn
),
watts AS (
  SELECT typed.*, CASE WHEN lamp = 'led' THEN CASE WHEN road_class = 'urban' THEN 100 ELSE 150 END
                       ELSE CASE WHEN road_class = 'urban' THEN 150 ELSE 250 END END AS w
  FROM typed
)
-- 11.5 burning hours a night, 30 nights; a faulty lamp burned part of the month, an "off" one not at all.
SELECT commune_code, true, %(now)s, status, w,
  round((w * 11.5 * 30 / 1000.0 * CASE status WHEN 'on' THEN 0.92 + 0.08 * v WHEN 'fault' THEN 0.6 * u ELSE 0 END)::numeric, 1),
  lamp, road_id, p
FROM watts ORDER BY id, j

-- name: trees
-- Street trees a few metres off urban and commune streets.
INSERT INTO geodata_tree (commune_code, synthetic, updated_at, species, height_m, planted_year, condition, geom)
WITH cand AS (
  SELECT r.id - %(first_road)s AS id, r.geom, r.length_m FROM geodata_road r JOIN sample_commune c ON c.code = r.commune_code
  WHERE r.synthetic AND (r.road_class = 'urban' OR (r.road_class = 'commune' AND c.weight / c.area_km2 > 0.1))
),
per AS (SELECT cand.*, floor(length_m * 1.1 * %(total)s / sum(length_m) OVER () + pg_temp.rnd('tree-k:' || id))::int AS k FROM cand),
pts AS (
  SELECT id, j, ST_Translate(ST_LineInterpolatePoint(ST_GeometryN(geom, 1), (j - 0.5) / k),
                             0.00008 * (pg_temp.rnd('tree-x:' || id || ':' || j) - 0.5),
                             0.00008 * (pg_temp.rnd('tree-y:' || id || ':' || j) - 0.5)) AS p
  FROM per CROSS JOIN LATERAL generate_series(1, k) j
),
drawn AS (
  SELECT pts.*, pg_temp.rnd('tree:' || id || ':' || j) AS u, pg_temp.rnd('tree-age:' || id || ':' || j) AS a,
         pg_temp.commune_of(p) AS at
  FROM pts
)
SELECT at, true, %(now)s,
  (ARRAY['Sao đen', 'Dầu rái', 'Bằng lăng', 'Phượng vĩ', 'Me tây', 'Lim xẹt', 'Osaka hoa vàng', 'Muồng hoàng yến',
         'Xà cừ', 'Sấu', 'Giáng hương', 'Viết'])[1 + floor(12 * u)::int],
  round((3 + 22 * a)::numeric, 1), 2025 - floor(40 * a)::int,
  CASE WHEN pg_temp.rnd('tree-cond:' || id || ':' || j) < 0.7 THEN 'good'
       WHEN pg_temp.rnd('tree-cond:' || id || ':' || j) < 0.9 THEN 'fair'
       WHEN pg_temp.rnd('tree-cond:' || id || ':' || j) < 0.97 THEN 'poor' ELSE 'dangerous' END,
  p
FROM drawn WHERE at IS NOT NULL ORDER BY id, j

-- name: water_supply
-- Pipes beside roads, picked with probability growing with the commune's density (weighted sampling).
INSERT INTO geodata_watersupply (commune_code, synthetic, updated_at, kind, diameter_mm, operator, geom)
WITH picked AS (
  SELECT r.id, r.road_class, ST_OffsetCurve(ST_GeometryN(r.geom, 1), 0.00005) AS g, c.urban, c.code
  FROM geodata_road r JOIN sample_commune c ON c.code = r.commune_code
  WHERE r.synthetic
  ORDER BY pg_temp.rnd('water:' || r.id - %(first_road)s) ^ (1.0 / (c.weight / c.area_km2 + 0.02)) DESC
  LIMIT %(total)s
),
located AS (SELECT picked.*, pg_temp.commune_of(g) AS at FROM picked WHERE ST_GeometryType(g) = 'ST_LineString' AND NOT ST_IsEmpty(g))
SELECT at, true, %(now)s,
  CASE WHEN road_class IN ('national', 'provincial') THEN 'main' ELSE 'distribution' END,
  CASE WHEN road_class IN ('national', 'provincial') THEN 400 + 200 * floor(3 * pg_temp.rnd('dn:' || id - %(first_road)s))::int
       ELSE (ARRAY[63, 90, 110, 160, 200])[1 + floor(5 * pg_temp.rnd('dn:' || id - %(first_road)s))::int] END,
  CASE WHEN code LIKE '25%%' THEN 'Công ty CP Cấp thoát nước Bình Phước' ELSE 'Công ty CP Cấp nước Đồng Nai' END,
  ST_Multi(g)
FROM located WHERE at IS NOT NULL
ORDER BY id

-- name: drainage
INSERT INTO geodata_drainage (commune_code, synthetic, updated_at, kind, diameter_mm, condition, geom)
WITH picked AS (
  SELECT r.id, r.road_class, ST_OffsetCurve(ST_GeometryN(r.geom, 1), -0.00005) AS g, c.urban
  FROM geodata_road r JOIN sample_commune c ON c.code = r.commune_code
  WHERE r.synthetic
  ORDER BY pg_temp.rnd('drain:' || r.id - %(first_road)s) ^ (1.0 / (c.weight / c.area_km2 + 0.02)) DESC
  LIMIT %(total)s
),
drawn AS (
  SELECT picked.*, pg_temp.rnd('drain-kind:' || id - %(first_road)s) AS u, pg_temp.commune_of(g) AS at
  FROM picked WHERE ST_GeometryType(g) = 'ST_LineString' AND NOT ST_IsEmpty(g)
)
SELECT at, true, %(now)s,
  CASE WHEN urban AND u < 0.6 THEN 'sewer' WHEN u < 0.8 THEN 'channel' ELSE 'culvert' END,
  (ARRAY[400, 600, 800, 1000, 1200, 1500])[1 + floor(6 * u)::int],
  CASE WHEN u * 7 - floor(u * 7) < 0.55 THEN 'good' WHEN u * 7 - floor(u * 7) < 0.8 THEN 'fair'
       WHEN u * 7 - floor(u * 7) < 0.95 THEN 'clogged' ELSE 'damaged' END,
  ST_Multi(g)
FROM drawn WHERE at IS NOT NULL
ORDER BY id

-- name: power_stations
-- Real plants and 500 kV substations (from places.py, inserted before), then 110 kV substations at the
-- centres of settled land, the busiest communes first.
INSERT INTO geodata_powerstation (commune_code, synthetic, updated_at, name, kind, capacity_mw, geom)
WITH ranked AS (
  SELECT c.code, c.name, d.path[1] AS i, d.geom AS p
  FROM sample_commune c JOIN sample_settlement s USING (code)
  CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(s.geom, 1 + floor(6 * c.share * %(total)s / 10)::int, pg_temp.seedint('substation:' || c.code))) d
),
picked AS (
  SELECT * FROM ranked ORDER BY pg_temp.rnd('substation-pick:' || code || ':' || i) ^ (1.0 / (1 + i)) DESC LIMIT %(total)s
)
SELECT code, true, %(now)s, 'Trạm biến áp 110 kV ' || replace(replace(name, 'Phường ', ''), 'Xã ', '') || CASE WHEN i > 1 THEN ' ' || i ELSE '' END,
  'substation', (ARRAY[40, 63, 80, 126])[1 + floor(4 * pg_temp.rnd('mva:' || code || i))::int], p
FROM picked ORDER BY code, i

-- name: power_lines
-- High-voltage lines from each plant to its nearest 500 kV substation and between substations, then 22 kV
-- distribution lines beside roads (weighted by density), all cut at commune borders.
INSERT INTO geodata_powerline (commune_code, synthetic, updated_at, voltage_kv, operator, geom)
WITH big AS (SELECT id, name, kind, geom FROM geodata_powerstation WHERE synthetic AND (kind <> 'substation' OR capacity_mw >= 500)),
hv AS (
  SELECT DISTINCT ON (a.id) a.id, CASE WHEN a.kind = 'substation' THEN 500 ELSE 220 END AS kv, ST_MakeLine(a.geom, b.geom) AS g
  FROM big a JOIN big b ON b.kind = 'substation' AND b.id <> a.id
  ORDER BY a.id, ST_Distance(a.geom, b.geom)
),
hv_cut AS (
  SELECT kv, d.geom AS g FROM hv JOIN sample_commune c ON ST_Intersects(hv.g, c.geom)
  CROSS JOIN LATERAL ST_Dump(ST_Intersection(hv.g, c.geom)) d
  WHERE ST_GeometryType(d.geom) = 'ST_LineString'
),
dist AS (
  SELECT 22 AS kv, ST_OffsetCurve(ST_GeometryN(r.geom, 1), 0.0001) AS g
  FROM geodata_road r JOIN sample_commune c ON c.code = r.commune_code
  WHERE r.synthetic
  ORDER BY pg_temp.rnd('power:' || r.id - %(first_road)s) ^ (1.0 / (c.weight / c.area_km2 + 0.05)) DESC
  LIMIT %(total)s
),
lines AS (SELECT kv, g FROM hv_cut UNION ALL SELECT kv, g FROM dist WHERE ST_GeometryType(g) = 'ST_LineString' AND NOT ST_IsEmpty(g)),
located AS (SELECT lines.*, pg_temp.commune_of(g) AS at FROM lines)
SELECT at, true, %(now)s, kv,
  CASE WHEN kv >= 220 THEN 'Truyền tải điện 4 (EVNNPT)' ELSE 'Công ty Điện lực Đồng Nai' END, ST_Multi(g)
FROM located WHERE at IS NOT NULL ORDER BY kv DESC, ST_GeoHash(ST_StartPoint(g), 10)

-- name: schools
-- Schools per population share, in settled land; each commune gets at least a kindergarten, a primary and a
-- lower-secondary school.
INSERT INTO geodata_school (commune_code, synthetic, updated_at, name, level, students, public, geom)
WITH alloc AS (
  SELECT c.code, c.name, c.urban, s.geom, greatest(3, ceil(%(total)s * c.share))::int AS n
  FROM sample_commune c JOIN sample_settlement s USING (code)
),
pts AS (
  SELECT a.code, a.name, a.urban, d.path[1] AS i, d.geom AS p
  FROM alloc a CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(a.geom, a.n, pg_temp.seedint('schools:' || a.code))) d
),
typed AS (
  SELECT pts.*, (ARRAY['kindergarten', 'primary', 'lower_secondary', 'kindergarten', 'primary', 'lower_secondary',
                       'kindergarten', 'primary', 'upper_secondary', 'kindergarten', 'primary', 'lower_secondary'])[1 + mod(i - 1, 12)] AS level,
         replace(replace(name, 'Phường ', ''), 'Xã ', '') AS place
  FROM pts
)
SELECT code, true, %(now)s,
  CASE level WHEN 'kindergarten' THEN 'Trường Mầm non ' WHEN 'primary' THEN 'Trường Tiểu học '
             WHEN 'lower_secondary' THEN 'Trường THCS ' ELSE 'Trường THPT ' END || place || ' ' || ((i - 1) / 12 + 1)
    || CASE WHEN mod(i - 1, 12) >= 3 THEN '-' || (mod(i - 1, 12) / 3 + 1) ELSE '' END,
  level,
  (CASE level WHEN 'kindergarten' THEN 150 WHEN 'primary' THEN 500 WHEN 'lower_secondary' THEN 700 ELSE 1100 END
     * (0.5 + pg_temp.rnd('students:' || code || i)) * CASE WHEN urban THEN 1.5 ELSE 1.0 END)::int,
  NOT (urban AND level = 'kindergarten' AND pg_temp.rnd('private:' || code || i) < 0.4),
  p
FROM typed ORDER BY code, i

-- name: health_stations
-- One health station per commune, at the centre of its settled land.
INSERT INTO geodata_healthfacility (commune_code, synthetic, updated_at, name, kind, beds, geom)
SELECT c.code, true, %(now)s, 'Trạm Y tế ' || c.name, 'health_station', 5 + floor(10 * pg_temp.rnd('beds:' || c.code))::int,
  CASE WHEN ST_Intersects(c.centre, s.geom) THEN c.centre ELSE ST_PointOnSurface(s.geom) END
FROM sample_commune c JOIN sample_settlement s USING (code) ORDER BY c.code

-- name: clinics
-- Private clinics by population share, in settled land.
INSERT INTO geodata_healthfacility (commune_code, synthetic, updated_at, name, kind, beds, geom)
WITH alloc AS (
  SELECT c.code, c.name, s.geom, ceil(%(total)s * c.share)::int AS n
  FROM sample_commune c JOIN sample_settlement s USING (code)
)
SELECT a.code, true, %(now)s, 'Phòng khám đa khoa ' || replace(replace(a.name, 'Phường ', ''), 'Xã ', '') || ' ' || d.path[1],
  'clinic', floor(10 * pg_temp.rnd('clinic:' || a.code || d.path[1]))::int, d.geom
FROM alloc a CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(a.geom, a.n, pg_temp.seedint('clinics:' || a.code))) d
WHERE a.n > 0
ORDER BY a.code, d.path[1]

-- name: add_plant
INSERT INTO geodata_powerstation (commune_code, synthetic, updated_at, name, kind, capacity_mw, geom)
SELECT pg_temp.commune_of(p), true, %(now)s, %(name)s, %(kind)s, %(capacity)s, p
FROM (SELECT ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326) AS p) x WHERE pg_temp.commune_of(p) IS NOT NULL

-- name: add_hospital
INSERT INTO geodata_healthfacility (commune_code, synthetic, updated_at, name, kind, beds, geom)
SELECT pg_temp.commune_of(p), true, %(now)s, %(name)s, 'hospital', %(beds)s, p
FROM (SELECT ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326) AS p) x WHERE pg_temp.commune_of(p) IS NOT NULL
