-- Sectors that had no scenario (issue 15): road-segment speeds and accident black spots, mining licences and
-- activity, shelters and rescue resources, fire stations and premises, school and hospital staffing.
-- Every row is synthetic; draws are keyed by pg_temp.rnd so a seed always gives the same sample.

-- name: road_segments
-- One segment per national, provincial and urban road piece, with the speed measured in the last hour: slower
-- in the denser communes, and in a few seeded jams (a tenth of the urban segments of the densest wards).
INSERT INTO geodata_roadsegment (commune_code, synthetic, updated_at, road_id, name, road_class, speed_kmh, free_flow_kmh, observed_at, geom)
WITH roads AS (
  SELECT r.id, r.commune_code, r.road_class, r.geom,
         coalesce(nullif(r.name, ''), nullif(r.route_no, ''), 'Đường') || ' - đoạn ' || r.id AS name,
         CASE r.road_class WHEN 'national' THEN 70 WHEN 'provincial' THEN 55 ELSE 40 END AS free_flow,
         c.weight / (SELECT max(weight) FROM sample_commune) AS dense, pg_temp.rnd('seg:' || r.id) AS u
  FROM geodata_road r JOIN sample_commune c ON c.code = r.commune_code
  WHERE r.synthetic AND r.road_class IN ('national', 'provincial', 'urban')
    AND pg_temp.rnd('seg-keep:' || r.id) < %(share)s
)
SELECT commune_code, true, %(now)s, id, name, road_class,
       round((free_flow * CASE WHEN road_class = 'urban' AND dense > 0.5 AND u < 0.1 THEN 0.1 + 0.3 * u / 0.1
                               ELSE greatest(0.35, 1.0 - 0.6 * dense * pg_temp.rnd('slow:' || id)) END)::numeric, 1),
       free_flow, %(now)s - pg_temp.rnd('seg-t:' || id) * interval '1 hour', geom
FROM roads ORDER BY id

-- name: black_spots
-- Accident black spots: on a few seeded national and provincial segments of the denser communes, 3 to 6
-- accidents over the year, next to the segment.
INSERT INTO geodata_incident (commune_code, synthetic, updated_at, kind, occurred_at, status, severity, description, cases, geom)
WITH spots AS (
  SELECT s.id, s.geom, s.commune_code
  FROM geodata_roadsegment s JOIN sample_commune c ON c.code = s.commune_code
  WHERE s.synthetic AND s.road_class IN ('national', 'provincial')
  ORDER BY pg_temp.rnd('spot:' || s.id) ^ (1.0 / c.weight) DESC LIMIT %(spots)s
),
acc AS (
  SELECT s.*, j, pg_temp.rnd('spot-acc:' || s.id || ':' || j) AS u
  FROM spots s CROSS JOIN LATERAL generate_series(1, 3 + floor(4 * pg_temp.rnd('spot-n:' || s.id))::int) j
)
SELECT commune_code, true, %(now)s, 'traffic_accident', %(now)s - (u * 360) * interval '1 day',
       'resolved', CASE WHEN u < 0.5 THEN 2 WHEN u < 0.85 THEN 3 ELSE 4 END, 'Va chạm giao thông tại điểm đen', 0,
       ST_LineInterpolatePoint(ST_GeometryN(geom, 1), 0.2 + 0.6 * pg_temp.rnd('spot-at:' || id || ':' || j))
FROM acc ORDER BY id, j

-- name: mining_licences
-- Sand licences along the rivers (a strip 40 to 120 m wide along 0.5 to 2 km of bank), stone, laterite and
-- clay quarries (squares of 10 to 40 ha) in the forest and rural communes; about one in five has expired.
INSERT INTO geodata_mininglicence (commune_code, synthetic, updated_at, licence_no, holder, mineral, valid_from, valid_until, geom)
WITH rivers AS (
  SELECT w.id, w.geom, row_number() OVER (ORDER BY w.id) AS rk, count(*) OVER () AS n
  FROM geodata_waterway w WHERE w.synthetic AND w.kind = 'river'
),
sand AS (
  SELECT i, 'sand' AS mineral,
         ST_Buffer(ST_LineSubstring(ST_GeometryN(r.geom, 1), a, least(1.0, a + 0.02 + 0.06 * pg_temp.rnd('lic-len:' || i)))::geography,
                   20 + 40 * pg_temp.rnd('lic-w:' || i))::geometry AS g
  FROM generate_series(1, %(sand)s) i
  JOIN rivers r ON r.rk = 1 + floor(pg_temp.rnd('lic-river:' || i) * r.n)::int
  CROSS JOIN LATERAL (SELECT 0.9 * pg_temp.rnd('lic-at:' || i) AS a) s
),
rural AS (
  SELECT code, geom, row_number() OVER (ORDER BY code) AS rk, count(*) OVER () AS n FROM sample_commune WHERE NOT urban
),
quarry AS (
  SELECT 1000 + i AS i, (ARRAY['stone', 'laterite', 'clay', 'stone', 'bauxite'])[1 + floor(5 * pg_temp.rnd('q-min:' || i))::int],
         ST_Buffer(ST_GeneratePoints(c.geom, 1, pg_temp.seedint('q-at:' || i))::geography,
                   160 + 160 * pg_temp.rnd('q-size:' || i), 'quad_segs=1')::geometry
  FROM generate_series(1, %(quarries)s) i
  JOIN rural c ON c.rk = 1 + floor(pg_temp.rnd('q-commune:' || i) * c.n)::int
),
allp AS (SELECT * FROM sand UNION ALL SELECT * FROM quarry),
drawn AS (SELECT allp.*, pg_temp.commune_of(g) AS at, pg_temp.rnd('lic-valid:' || i) AS v FROM allp)
SELECT at, true, %(now)s, (100 + i) || '/GP-UBND', 
       (ARRAY['Công ty TNHH Khoáng sản', 'Công ty CP Vật liệu xây dựng', 'HTX Khai thác cát', 'Công ty CP Đá'])[1 + floor(4 * pg_temp.rnd('lic-h:' || i))::int]
         || ' ' || upper(substr(md5('lic' || i), 1, 3)),
       mineral, DATE '2015-01-01' + floor(3000 * pg_temp.rnd('lic-from:' || i))::int,
       CASE WHEN v < 0.2 THEN DATE '2024-01-01' + floor(900 * pg_temp.rnd('lic-exp:' || i))::int
            ELSE DATE '2027-01-01' + floor(1500 * pg_temp.rnd('lic-exp:' || i))::int END,
       ST_Multi(ST_CollectionExtract(ST_MakeValid(g), 3))
FROM drawn WHERE at IS NOT NULL ORDER BY i

-- name: mining_activities
-- Extraction seen over the last year: most inside a licence in force, some inside a licence after its expiry,
-- and about a quarter outside every licence (sand dredged off the licensed stretch of river).
INSERT INTO geodata_miningactivity (commune_code, synthetic, updated_at, mineral, observed_on, source, description, geom)
WITH lic AS (
  SELECT id, mineral, valid_until, geom, row_number() OVER (ORDER BY id) AS rk, count(*) OVER () AS n
  FROM geodata_mininglicence WHERE synthetic
),
seen AS (
  SELECT i, l.mineral, l.valid_until, pg_temp.rnd('act-where:' || i) AS w,
         ST_GeometryN(ST_GeneratePoints(l.geom, 1, pg_temp.seedint('act-at:' || i)), 1) AS inside,
         ST_Project(ST_Centroid(l.geom)::geography, 400 + 1200 * pg_temp.rnd('act-off:' || i),
                    radians(360 * pg_temp.rnd('act-dir:' || i)))::geometry AS outside
  FROM generate_series(1, %(total)s) i JOIN lic l ON l.rk = 1 + floor(pg_temp.rnd('act-lic:' || i) * l.n)::int
),
placed AS (
  SELECT i, mineral, CASE WHEN w < 0.25 THEN outside ELSE inside END AS p, w,
         CASE WHEN w >= 0.25 AND valid_until < %(now)s::date THEN valid_until + 1 + floor(pg_temp.rnd('act-after:' || i) * greatest(1, %(now)s::date - valid_until - 1))::int
              ELSE %(now)s::date - floor(365 * pg_temp.rnd('act-on:' || i))::int END AS seen_on
  FROM seen
)
SELECT pg_temp.commune_of(p), true, %(now)s, mineral, seen_on,
       (ARRAY['inspection', 'satellite', 'camera'])[1 + floor(3 * pg_temp.rnd('act-src:' || i))::int],
       CASE WHEN w < 0.25 THEN 'Phát hiện khai thác ngoài ranh giới cấp phép' ELSE 'Khai thác trong khu vực mỏ' END, p
FROM placed WHERE pg_temp.commune_of(p) IS NOT NULL ORDER BY i

-- name: shelters
-- Every commune office (at the centre of its settled land) and about a third of the primary and lower
-- secondary schools are designated shelters; capacity from the building's size.
INSERT INTO geodata_shelter (commune_code, synthetic, updated_at, name, kind, capacity, geom)
SELECT c.code, true, %(now)s, 'Trụ sở UBND ' || c.name, 'commune_office', 100 + 20 * floor(10 * pg_temp.rnd('sh-o:' || c.code))::int,
       ST_PointOnSurface(s.geom)
FROM sample_commune c JOIN sample_settlement s USING (code)
UNION ALL
SELECT commune_code, true, %(now)s, 'Điểm sơ tán ' || name, 'school', greatest(100, (students * 0.6)::int / 10 * 10), geom
FROM geodata_school WHERE synthetic AND level IN ('primary', 'lower_secondary') AND pg_temp.rnd('sh-s:' || id) < 0.33
UNION ALL
SELECT c.code, true, %(now)s, 'Nhà văn hóa ấp ' || d.path[1] || ', ' || c.name, 'cultural_house', 60 + 10 * floor(8 * pg_temp.rnd('sh-c:' || c.code || d.path[1]))::int, d.geom
FROM sample_commune c JOIN sample_settlement s USING (code)
CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(s.geom, 1 + floor(3 * pg_temp.rnd('sh-cn:' || c.code))::int, pg_temp.seedint('sh-c:' || c.code))) d
WHERE pg_temp.commune_of(d.geom) = c.code

-- name: rescue_resources
-- Each commune keeps a response team; boats and pumps in the communes a river crosses, vehicles in the wards.
INSERT INTO geodata_rescueresource (commune_code, synthetic, updated_at, name, kind, quantity, geom)
WITH riverside AS (
  SELECT DISTINCT c.code FROM sample_commune c JOIN geodata_waterway w ON w.synthetic AND w.kind = 'river' AND ST_Intersects(w.geom, c.geom)
),
wanted AS (
  SELECT c.code, c.name, k.kind, s.geom FROM sample_commune c JOIN sample_settlement s USING (code)
  CROSS JOIN LATERAL (VALUES ('team'), ('boat'), ('pump'), ('vehicle')) AS k(kind)
  WHERE k.kind = 'team' OR (k.kind IN ('boat', 'pump') AND c.code IN (SELECT code FROM riverside))
     OR (k.kind = 'vehicle' AND (c.urban OR pg_temp.rnd('rr-v:' || c.code) < 0.3))
)
SELECT w.code, true, %(now)s,
       CASE w.kind WHEN 'team' THEN 'Đội xung kích PCTT ' WHEN 'boat' THEN 'Xuồng cứu hộ ' WHEN 'pump' THEN 'Máy bơm tiêu úng '
                   ELSE 'Xe cứu hộ ' END || w.name,
       w.kind, CASE w.kind WHEN 'team' THEN 10 + floor(30 * pg_temp.rnd('rr-q:' || w.code || w.kind))::int
                           ELSE 1 + floor(4 * pg_temp.rnd('rr-q:' || w.code || w.kind))::int END,
       d.geom
FROM wanted w CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(w.geom, 1, pg_temp.seedint('rr-at:' || w.code || w.kind))) d
WHERE pg_temp.commune_of(d.geom) = w.code

-- name: fire_stations
-- Fire and rescue stations in the most populous communes (weighted draw), at the centre of their settled land.
INSERT INTO geodata_firestation (commune_code, synthetic, updated_at, name, vehicles, staff, geom)
SELECT c.code, true, %(now)s, 'Đội Cảnh sát PCCC và CNCH ' || c.name, 2 + floor(5 * pg_temp.rnd('fs-v:' || c.code))::int,
       20 + floor(40 * pg_temp.rnd('fs-s:' || c.code))::int, ST_PointOnSurface(s.geom)
FROM sample_commune c JOIN sample_settlement s USING (code)
ORDER BY pg_temp.rnd('fs:' || c.code) ^ (1.0 / c.weight) DESC LIMIT %(stations)s

-- name: fire_premises
-- Premises the fire law lists for automatic alarms, more in the denser communes; factories and warehouses in
-- the industrial parks. About half are connected to the centre, one in six has no alarm.
INSERT INTO geodata_firepremises (commune_code, synthetic, updated_at, name, kind, alarm, geom)
WITH town AS (
  SELECT 't' || c.code AS k, d.path[1] AS i, d.geom AS p
  FROM sample_commune c JOIN sample_settlement s USING (code)
  CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(s.geom, ceil(0.7 * %(total)s * c.share)::int, pg_temp.seedint('fp:' || c.code))) d
),
parks AS (
  SELECT 'p' || p.id, d.path[1], d.geom
  FROM geodata_industrialpark p
  CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(p.geom, ceil(0.3 * %(total)s / (SELECT count(*) FROM geodata_industrialpark))::int,
                                               pg_temp.seedint('fp-park:' || p.id))) d
),
allp AS (SELECT *, false AS park FROM town UNION ALL SELECT *, true FROM parks),
drawn AS (SELECT allp.*, pg_temp.commune_of(p) AS at, pg_temp.rnd('fp-k:' || k || i) AS u, pg_temp.rnd('fp-a:' || k || i) AS v FROM allp)
SELECT at, true, %(now)s,
       CASE kind WHEN 'market' THEN 'Chợ ' WHEN 'high_rise' THEN 'Tòa nhà ' WHEN 'factory' THEN 'Nhà xưởng '
                 WHEN 'warehouse' THEN 'Kho ' WHEN 'karaoke' THEN 'Karaoke ' ELSE 'Bệnh viện ' END || upper(substr(md5(k || i), 1, 4)),
       kind, CASE WHEN v < 0.5 THEN 'connected' WHEN v < 0.83 THEN 'standalone' ELSE 'none' END, p
FROM (SELECT drawn.*, CASE WHEN park THEN CASE WHEN u < 0.7 THEN 'factory' ELSE 'warehouse' END
                           WHEN u < 0.3 THEN 'market' WHEN u < 0.55 THEN 'high_rise' WHEN u < 0.85 THEN 'karaoke'
                           WHEN u < 0.95 THEN 'warehouse' ELSE 'hospital' END AS kind FROM drawn) t
WHERE at IS NOT NULL ORDER BY k, i

-- name: school_staff
-- Teachers and classrooms from the pupils: norms of about 20 pupils per teacher and 35 per classroom, with a
-- seeded shortfall in a tenth of the schools (too few teachers or crowded classrooms).
UPDATE geodata_school SET
  teachers = greatest(1, round(students / (16 + 8 * pg_temp.rnd('tch:' || id)) * CASE WHEN pg_temp.rnd('tch-short:' || id) < 0.1 THEN 0.6 ELSE 1.0 END)),
  classrooms = greatest(1, round(students / (28 + 12 * pg_temp.rnd('cls:' || id)) * CASE WHEN pg_temp.rnd('cls-short:' || id) < 0.1 THEN 0.65 ELSE 1.0 END))
WHERE synthetic

-- name: health_staff
-- Doctors per facility (a hospital about one per 4 beds, a station 1 to 3) and patients admitted now: most
-- facilities half to 95 per cent full, a seeded tenth over their beds.
UPDATE geodata_healthfacility SET
  doctors = CASE WHEN kind = 'hospital' THEN greatest(2, round(beds / (3 + 3 * pg_temp.rnd('doc:' || id))))
                 ELSE 1 + floor(3 * pg_temp.rnd('doc:' || id)) END,
  inpatients = round(beds * CASE WHEN pg_temp.rnd('over:' || id) < 0.1 THEN 1.05 + 0.4 * pg_temp.rnd('load:' || id)
                                 ELSE 0.5 + 0.45 * pg_temp.rnd('load:' || id) END)
WHERE synthetic
