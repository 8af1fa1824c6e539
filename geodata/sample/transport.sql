-- Roads, waterways, railways and bridges. Named lines (national routes, rivers, railways) come from places.py
-- into sample_line; commune links, streams and local street grids are generated here.

-- name: streams
-- Streams: from seeded springs in rural communes down to the nearest river, with one bend.
INSERT INTO sample_line
WITH rivers AS (SELECT ST_Union(geom) AS g FROM sample_line WHERE layer = 'river'),
springs AS (
  SELECT c.code, c.name, d.path[1] AS i, d.geom AS p
  FROM sample_commune c
  CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(c.geom, 1 + floor(c.area_km2 / 90)::int, pg_temp.seedint('springs:' || c.code))) d
  WHERE NOT c.urban
),
mouths AS (SELECT s.*, ST_ClosestPoint(r.g, s.p) AS q FROM springs s, rivers r)
SELECT 'river', 'suoi.' || code || '.' || i, 'Suối ' || (ARRAY['Cát', 'Đá', 'Tre', 'Sâu', 'Rạt', 'Mơ', 'Cả', 'Le', 'Nho', 'Trầu'])[1 + floor(10 * pg_temp.rnd('stream-name:' || code || i))::int]
       || ' (' || name || ')', 'stream',
       ST_MakeLine(ARRAY[p,
         ST_Translate(ST_LineInterpolatePoint(ST_MakeLine(p, q), 0.5),
                      0.3 * (pg_temp.rnd('meander:' || code || i) - 0.5) * (ST_Y(q) - ST_Y(p)),
                      0.3 * (pg_temp.rnd('meander:' || code || i) - 0.5) * (ST_X(p) - ST_X(q))),
         q])
FROM mouths WHERE ST_Distance(p::geography, q::geography) BETWEEN 500 AND 20000

-- name: roads_from_lines
-- Named and linking roads, cut at commune borders and into pieces of at most 1 km.
INSERT INTO geodata_road (commune_code, synthetic, updated_at, road_class, route_no, name, surface, condition, length_m, geom)
WITH drawn AS (
  SELECT p.*, pg_temp.rnd('road:' || ref || ':' || code || ':' || array_to_string(path, '.') || ':' || j) AS u
  FROM pg_temp.line_pieces('road', 1000) p
)
SELECT pg_temp.commune_of(piece), true, %(now)s, cls, CASE WHEN ref LIKE 'LX.%%' THEN '' ELSE ref END, name,
  CASE WHEN cls IN ('national', 'provincial') OR u < 0.4 THEN 'asphalt' WHEN u < 0.8 THEN 'concrete' ELSE 'gravel' END,
  CASE WHEN cls = 'national' THEN CASE WHEN u < 0.7 THEN 'good' WHEN u < 0.95 THEN 'fair' ELSE 'poor' END
       ELSE CASE WHEN u < 0.45 THEN 'good' WHEN u < 0.8 THEN 'fair' WHEN u < 0.95 THEN 'poor' ELSE 'bad' END END,
  round(ST_Length(piece::geography)::numeric, 1), ST_Multi(piece)
FROM drawn
ORDER BY cls, ref, code, path, j

-- name: grid_roads
-- Local streets: a rotated grid over each commune's settled land, with spacing set so that the commune gets
-- its population share of segments (dense wards get fine grids); each block side is one segment.
INSERT INTO geodata_road (commune_code, synthetic, updated_at, road_class, route_no, name, surface, condition, length_m, geom)
WITH spec AS (
  SELECT s.code, s.geom, s.centre, s.angle, c.urban, c.name,
         sqrt(2 * ST_Area(s.geom) / greatest(4, ceil(%(total)s * c.share))) AS step,
         ST_Rotate(s.geom, -s.angle, s.centre) AS rot
  FROM sample_settlement s JOIN sample_commune c USING (code)
),
raw AS (
  SELECT code, urban, name, geom, step, 'N' AS dir, i,
         ST_Rotate(ST_SetSRID(ST_MakeLine(ST_MakePoint(ST_XMin(rot) - step, ST_YMin(rot) + (i + 0.5) * step),
                                          ST_MakePoint(ST_XMax(rot) + step, ST_YMin(rot) + (i + 0.5) * step)), 4326),
                   angle, centre) AS l
  FROM spec CROSS JOIN LATERAL generate_series(0, ceil((ST_YMax(rot) - ST_YMin(rot)) / step)::int) i
  UNION ALL
  SELECT code, urban, name, geom, step, 'D', i,
         ST_Rotate(ST_SetSRID(ST_MakeLine(ST_MakePoint(ST_XMin(rot) + (i + 0.5) * step, ST_YMin(rot) - step),
                                          ST_MakePoint(ST_XMin(rot) + (i + 0.5) * step, ST_YMax(rot) + step)), 4326),
                   angle, centre)
  FROM spec CROSS JOIN LATERAL generate_series(0, ceil((ST_XMax(rot) - ST_XMin(rot)) / step)::int) i
),
cut AS (
  SELECT code, urban, name, step, dir, i, d.path, d.geom AS g
  FROM raw CROSS JOIN LATERAL ST_Dump(ST_Intersection(l, geom)) d
),
pieces AS (
  SELECT cut.*, j, n, ST_LineSubstring(g, j::float / n, (j + 1)::float / n) AS piece
  -- one segment per block side, and never longer than about 1 km (0.009 degrees)
  FROM cut CROSS JOIN LATERAL (SELECT greatest(1, round(ST_Length(g) / step), ceil(ST_Length(g) / 0.009))::int AS n) s
  CROSS JOIN LATERAL generate_series(0, n - 1) j
  WHERE ST_GeometryType(g) = 'ST_LineString' AND ST_Length(g) > 0
),
drawn AS (SELECT pieces.*, pg_temp.rnd('street:' || code || dir || i || ':' || array_to_string(path, '.') || ':' || j) AS u FROM pieces)
SELECT pg_temp.commune_of(piece), true, %(now)s, CASE WHEN urban THEN 'urban' ELSE 'commune' END, '',
  'Đường ' || dir || (i + 1) || ', ' || name,
  CASE WHEN urban THEN CASE WHEN u < 0.7 THEN 'asphalt' ELSE 'concrete' END
       ELSE CASE WHEN u < 0.2 THEN 'asphalt' WHEN u < 0.7 THEN 'concrete' WHEN u < 0.9 THEN 'gravel' ELSE 'earth' END END,
  CASE WHEN urban THEN CASE WHEN u < 0.6 THEN 'good' WHEN u < 0.9 THEN 'fair' ELSE 'poor' END
       ELSE CASE WHEN u < 0.35 THEN 'good' WHEN u < 0.7 THEN 'fair' WHEN u < 0.92 THEN 'poor' ELSE 'bad' END END,
  round(ST_Length(piece::geography)::numeric, 1), ST_Multi(piece)
FROM drawn
ORDER BY code, dir, i, path, j

-- name: waterways
-- Rivers and streams cut at commune borders and into pieces of at most 5 km.
INSERT INTO geodata_waterway (commune_code, synthetic, updated_at, name, kind, navigable, geom)
SELECT pg_temp.commune_of(piece), true, %(now)s, name, cls, cls = 'river' AND name IN ('Sông Đồng Nai', 'Sông Thị Vải', 'Sông Sài Gòn'), ST_Multi(piece)
FROM pg_temp.line_pieces('river', 5000) ORDER BY ref, code, path, j

-- name: railways
INSERT INTO geodata_railway (commune_code, synthetic, updated_at, name, status, geom)
SELECT pg_temp.commune_of(piece), true, %(now)s, name, cls, ST_Multi(piece) FROM pg_temp.line_pieces('rail', 3000) ORDER BY ref, code, path, j

-- name: bridges
-- A bridge wherever a road crosses a waterway (one per 100 m grid cell).
INSERT INTO geodata_bridge (commune_code, synthetic, updated_at, name, road_class, length_m, load_limit_t, condition, geom)
WITH hits AS (
  SELECT r.road_class, w.name AS river, w.kind, d.geom AS p
  FROM geodata_road r JOIN geodata_waterway w ON ST_Intersects(r.geom, w.geom)
  CROSS JOIN LATERAL ST_Dump(ST_Intersection(r.geom, w.geom)) d
  WHERE r.synthetic AND w.synthetic AND ST_GeometryType(d.geom) = 'ST_Point'
),
uniq AS (
  SELECT DISTINCT ON (ST_SnapToGrid(p, 0.001)) *, ST_GeoHash(p, 10) AS gh
  FROM hits ORDER BY ST_SnapToGrid(p, 0.001), road_class, river, ST_X(p), ST_Y(p)
),
placed AS (SELECT uniq.*, pg_temp.commune_of(p) AS code, pg_temp.rnd('bridge:' || gh) AS u FROM uniq)
SELECT code, true, %(now)s,
  'Cầu ' || CASE WHEN kind = 'river' THEN replace(river, 'Sông ', '') ELSE split_part(river, ' (', 1) END || ' ' || upper(substr(gh, 7, 3)),
  road_class,
  round((CASE WHEN kind = 'river' THEN 120 + 400 * u ELSE 8 + 40 * u END)::numeric, 1),
  CASE WHEN road_class IN ('national', 'provincial') THEN 30 WHEN u < 0.5 THEN 13 ELSE 8 END,
  CASE WHEN u < 0.55 THEN 'good' WHEN u < 0.85 THEN 'fair' WHEN u < 0.97 THEN 'poor' ELSE 'bad' END,
  p
FROM placed WHERE code IS NOT NULL
ORDER BY gh
