-- Cameras, sensors and their observation series.

-- name: cameras
-- Exactly %(total)s cameras at road midpoints, preferring dense communes (weighted sampling without
-- replacement); the first %(live)s of a seeded ranking are live, the others dead, as the province reports.
INSERT INTO geodata_camera (commune_code, synthetic, updated_at, name, owner_unit, codec, rtsp_url, hls_url, status,
                            view_direction_deg, resolution, needs_transcoding, last_checked_at, geom)
WITH cand AS (
  SELECT r.id - %(first_road)s AS rid, r.geom, r.commune_code, r.road_class, r.name, r.route_no, c.name AS cname,
         c.weight / c.area_km2 AS density
  FROM geodata_road r JOIN sample_commune c ON c.code = r.commune_code
  WHERE r.synthetic AND r.road_class IN ('urban', 'national', 'provincial')
),
picked AS (SELECT * FROM cand ORDER BY pg_temp.rnd('camera:' || rid) ^ (1.0 / (density + 0.01)) DESC LIMIT %(total)s),
ranked AS (
  SELECT picked.*, row_number() OVER (ORDER BY pg_temp.rnd('camera-live:' || rid)) AS rk,
         row_number() OVER (ORDER BY commune_code, rid) AS num,
         pg_temp.rnd('camera-owner:' || rid) AS o, pg_temp.rnd('camera-codec:' || rid) AS k
  FROM picked
),
owned AS (
  SELECT ranked.*,
    CASE WHEN road_class = 'national' AND o < 0.7 THEN 'Phòng Cảnh sát giao thông - Công an tỉnh Đồng Nai'
         WHEN o < 0.2 THEN 'Trung tâm Điều hành thông minh (IOC) tỉnh Đồng Nai'
         WHEN o < 0.3 THEN 'Sở Xây dựng tỉnh Đồng Nai'
         ELSE 'Công an ' || cname END AS owner
  FROM ranked
),
coded AS (
  -- communes now buy H.265 cameras, which browsers cannot play without transcoding
  SELECT owned.*, CASE WHEN owner LIKE 'Công an %%' AND k < 0.6 THEN 'H.265' WHEN k < 0.15 THEN 'H.265' ELSE 'H.264' END AS codec
  FROM owned
)
SELECT commune_code, true, %(now)s,
  'Camera ' || coalesce(nullif(route_no, ''), split_part(name, ',', 1)) || ' - ' || cname || ' (CAM-' || lpad(num::text, 3, '0') || ')',
  owner, codec,
  'rtsp://10.' || (20 + floor(200 * pg_temp.rnd('ip2:' || rid)))::int || '.' || floor(255 * pg_temp.rnd('ip3:' || rid))::int
    || '.' || (2 + floor(250 * pg_temp.rnd('ip4:' || rid)))::int || ':554/Streaming/Channels/101',
  '', CASE WHEN rk <= %(live)s THEN 'live' ELSE 'dead' END,
  round((360 * pg_temp.rnd('camera-dir:' || rid))::numeric, 0),
  CASE WHEN k < 0.6 THEN '1920x1080' WHEN k < 0.85 THEN '2560x1440' ELSE '3840x2160' END,
  codec = 'H.265',
  %(now)s - (15 * pg_temp.rnd('camera-check:' || rid)) * interval '1 minute',
  ST_LineInterpolatePoint(ST_GeometryN(geom, 1), 0.5)
FROM coded ORDER BY num

-- name: camera_hls
UPDATE geodata_camera SET hls_url = '/hls/' || id || '/index.m3u8' WHERE synthetic

-- name: drop_sensor_meta
DROP TABLE IF EXISTS sample_sensor_meta

-- name: sensor_meta
CREATE TEMP TABLE sample_sensor_meta (
  code text, name text, kind text, parameter text, unit text, threshold float8, base float8, amp float8,
  period_h float8, noise float8, excess float8, breach_start timestamptz, breach_end timestamptz,
  lon float8, lat float8, river text, park text, slot int
)

-- name: add_sensor_meta
INSERT INTO sample_sensor_meta VALUES (%(code)s, %(name)s, %(kind)s, %(parameter)s, %(unit)s, %(threshold)s, %(base)s,
  %(amp)s, %(period_h)s, %(noise)s, %(excess)s, %(breach_start)s, %(breach_end)s, %(lon)s, %(lat)s, %(river)s, %(park)s, %(slot)s)

-- name: sensors
-- Water-level stations snapped onto the part of their river inside the province (or at their reservoir,
-- pulled inside the province when the given point is outside); quality sensors inside their park.
INSERT INTO geodata_sensor (commune_code, synthetic, updated_at, code, name, kind, parameter, unit, threshold,
                            industrial_park_id, geom)
WITH given AS (
  SELECT m.*, ST_SetSRID(ST_MakePoint(m.lon, m.lat), 4326) AS p0 FROM sample_sensor_meta m
),
placed AS (
  SELECT g.*, k.id AS park_id,
    CASE WHEN g.park IS NOT NULL
         THEN (SELECT d.geom FROM ST_Dump(ST_GeneratePoints(k.geom, 2, pg_temp.seedint('sensor:' || g.park))) d WHERE d.path[1] = g.slot)
         WHEN g.river IS NOT NULL
         THEN (SELECT ST_ClosestPoint(ST_Union(w.geom), g.p0) FROM geodata_waterway w WHERE w.synthetic AND w.name = g.river)
         WHEN ST_Intersects(pr.geom, g.p0) THEN g.p0
         ELSE ST_PointOnSurface(ST_Intersection(ST_Buffer(g.p0, 0.03), pr.geom)) END AS p
  FROM given g CROSS JOIN geodata_province pr
  LEFT JOIN geodata_industrialpark k ON k.synthetic AND k.name = g.park
),
located AS (SELECT placed.*, pg_temp.commune_of(p) AS at FROM placed)
SELECT at, true, %(now)s, code, name, kind, parameter, unit, threshold, park_id, p
FROM located WHERE at IS NOT NULL
ORDER BY code

-- name: observations
-- %(steps)s readings at 15-minute steps ending at the reference time: a base level, a cycle (tide or day),
-- a slow swell and keyed noise, held below 97 %% of the threshold; breaching sensors rise above the threshold
-- inside their breach window only.
INSERT INTO geodata_sensorobservation (sensor_id, observed_at, value)
WITH series AS (
  SELECT s.id, m.*, t, extract(epoch FROM t - %(now)s) / 3600.0 AS h
  FROM sample_sensor_meta m JOIN geodata_sensor s ON s.code = m.code AND s.synthetic
  CROSS JOIN generate_series(%(now)s - (%(steps)s - 1) * interval '15 minutes', %(now)s, interval '15 minutes') t
),
valued AS (
  SELECT id, t, threshold, breach_start, breach_end, excess,
    least(0.97 * threshold, greatest(0.02 * threshold,
      base + amp * sin(2 * pi() * h / period_h + 6.28 * pg_temp.rnd('phase:' || code))
           + 0.5 * amp * sin(2 * pi() * h / 260.0)
           + noise * pg_temp.rnorm('obs:' || code || ':' || extract(epoch FROM t)::bigint))) AS normal
  FROM series
)
SELECT id, t,
  round(CASE WHEN t >= breach_start AND t <= breach_end
             THEN threshold + excess * (0.1 + 0.9 * sin(pi() * extract(epoch FROM t - breach_start) / extract(epoch FROM breach_end - breach_start)))
             ELSE normal END::numeric, 3)
FROM valued ORDER BY id, t

-- name: sensor_last
UPDATE geodata_sensor s SET last_value = o.value, last_observed_at = o.observed_at
FROM (SELECT DISTINCT ON (sensor_id) sensor_id, value, observed_at FROM geodata_sensorobservation
      ORDER BY sensor_id, observed_at DESC) o
WHERE o.sensor_id = s.id AND s.synthetic
