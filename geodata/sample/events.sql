-- Construction sites (with violation hot spots) and incidents of the last year.

-- name: construction_sites
-- Sites in settled land, more where the commune is denser; a few seeded hot spots (in the densest growing
-- communes) gather extra sites, most of them unpermitted and with repeated violations.
INSERT INTO geodata_constructionsite (commune_code, synthetic, updated_at, name, permit_no, status, violations, started_on, geom)
WITH hot AS (
  SELECT s.code, ST_PointOnSurface(s.geom) AS centre, row_number() OVER (ORDER BY pg_temp.rnd('hot:' || s.code) ^ (1.0 / c.weight) DESC) AS rk
  FROM sample_settlement s JOIN sample_commune c USING (code)
),
hot_sites AS (
  SELECT 'h' || h.code AS k, d.path[1] AS i, d.geom AS p, true AS in_hot
  FROM hot h JOIN sample_settlement s USING (code)
  CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(ST_Intersection(ST_Buffer(h.centre, 0.006), s.geom),
                                               ceil(0.2 * %(total)s / %(hot_spots)s)::int, pg_temp.seedint('hot-sites:' || h.code))) d
  WHERE h.rk <= %(hot_spots)s
),
spread AS (
  SELECT 's' || c.code, d.path[1], d.geom, false
  FROM sample_commune c JOIN sample_settlement s USING (code)
  CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(s.geom, ceil(0.8 * %(total)s * c.share)::int, pg_temp.seedint('sites:' || c.code))) d
),
allp AS (SELECT * FROM hot_sites UNION ALL SELECT * FROM spread),
drawn AS (
  SELECT allp.*, pg_temp.commune_of(p) AS at, pg_temp.rnd('site:' || k || i) AS u, pg_temp.rnd('site-v:' || k || i) AS v
  FROM allp
),
typed AS (
  SELECT drawn.*, CASE WHEN in_hot AND u < 0.65 THEN 'unpermitted' WHEN in_hot AND u < 0.8 THEN 'suspended'
                       WHEN u < 0.03 THEN 'unpermitted' WHEN u < 0.06 THEN 'suspended' WHEN u < 0.35 THEN 'completed'
                       ELSE 'permitted' END AS status
  FROM drawn
)
SELECT at, true, %(now)s,
  (ARRAY['Nhà ở riêng lẻ', 'Nhà xưởng', 'Chung cư', 'Trường học', 'Nhà văn hóa', 'Cửa hàng', 'Kho bãi', 'Văn phòng'])[1 + floor(8 * v)::int]
    || ' ' || upper(substr(md5(k || i), 1, 4)),
  CASE WHEN status = 'unpermitted' THEN ''
       ELSE (10 + floor(2990 * pg_temp.rnd('permit:' || k || i)))::int || '/GPXD-' || CASE WHEN v < 0.3 THEN 'SXD' ELSE 'UBND' END END,
  status,
  CASE WHEN status = 'unpermitted' THEN 1 + floor((CASE WHEN in_hot THEN 6 ELSE 2 END) * v)::int
       WHEN status = 'suspended' THEN 1 + floor(3 * v)::int
       WHEN u > 0.9 THEN 1 ELSE 0 END,
  DATE '2026-10-31' - floor(900 * pg_temp.rnd('started:' || k || i) ^ 1.5)::int,
  p
FROM typed WHERE at IS NOT NULL
ORDER BY k, i

-- name: incidents
-- Incidents of the year before the reference time: accidents on the main roads, fires in towns and parks,
-- floods and rescues beside rivers (floods in the rainy season), epidemic clusters in dense communes.
INSERT INTO geodata_incident (commune_code, synthetic, updated_at, kind, occurred_at, status, severity, description, cases, geom)
WITH roads AS (
  SELECT id, geom, row_number() OVER (ORDER BY id) AS rk, count(*) OVER () AS n
  FROM geodata_road WHERE synthetic AND road_class IN ('national', 'provincial')
),
rivers AS (
  SELECT id, geom, row_number() OVER (ORDER BY id) AS rk, count(*) OVER () AS n
  FROM geodata_waterway WHERE synthetic AND kind = 'river'
),
seq AS (SELECT i FROM generate_series(1, %(total)s) i),
raw AS (
  SELECT 'traffic_accident' AS kind, i,
         ST_LineInterpolatePoint(ST_GeometryN(r.geom, 1), pg_temp.rnd('acc-at:' || i)) AS p
  FROM seq JOIN roads r ON r.rk = 1 + floor(pg_temp.rnd('acc-road:' || i) * r.n)::int WHERE i <= 0.35 * %(total)s
  UNION ALL
  SELECT CASE WHEN pg_temp.rnd('wet:' || i) < 0.7 THEN 'flood' ELSE 'rescue' END, i,
         ST_Translate(ST_LineInterpolatePoint(ST_GeometryN(w.geom, 1), pg_temp.rnd('flood-at:' || i)),
                      0.006 * (pg_temp.rnd('flood-dx:' || i) - 0.5), 0.006 * (pg_temp.rnd('flood-dy:' || i) - 0.5))
  FROM seq JOIN rivers w ON w.rk = 1 + floor(pg_temp.rnd('flood-river:' || i) * w.n)::int
  WHERE i > 0.35 * %(total)s AND i <= 0.6 * %(total)s
),
towns AS (
  SELECT c.code, s.geom, c.weight, c.share FROM sample_commune c JOIN sample_settlement s USING (code)
),
fires AS (
  SELECT 'fire' AS kind, 100000 + row_number() OVER (ORDER BY t.code, d.path[1]) AS i, d.geom AS p
  FROM towns t CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(t.geom, ceil(0.2 * %(total)s * t.share)::int, pg_temp.seedint('fires:' || t.code))) d
),
epidemic AS (
  -- dengue clusters: 3 to 6 case reports around a seeded focus in the denser communes
  SELECT 'epidemic' AS kind, 200000 + row_number() OVER (ORDER BY t.code, d.path[1]) AS i, d.geom AS p
  FROM towns t
  CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(
      ST_Intersection(ST_Buffer(ST_PointOnSurface(t.geom), 0.01), t.geom),
      ceil(0.2 * %(total)s * t.share)::int, pg_temp.seedint('dengue:' || t.code))) d
),
allp AS (SELECT * FROM raw UNION ALL SELECT * FROM fires UNION ALL SELECT * FROM epidemic),
drawn AS (
  SELECT allp.*, pg_temp.commune_of(p) AS at, pg_temp.rnd('when:' || kind || i) AS u, pg_temp.rnd('sev:' || kind || i) AS v
  FROM allp
),
timed AS (
  SELECT drawn.*,
    CASE WHEN kind = 'flood'
         -- the rainy season: June to October 2026
         THEN TIMESTAMPTZ '2026-06-01 00:00+07' + (u * 152) * interval '1 day'
         ELSE %(now)s - (u * 365) * interval '1 day' END AS at_time
  FROM drawn
)
SELECT at, true, %(now)s, kind, at_time,
  CASE WHEN %(now)s - at_time < interval '2 days' THEN CASE WHEN v < 0.5 THEN 'reported' ELSE 'responding' END
       WHEN %(now)s - at_time < interval '10 days' AND v < 0.3 THEN 'responding'
       ELSE 'resolved' END,
  CASE WHEN v < 0.5 THEN 1 WHEN v < 0.8 THEN 2 WHEN v < 0.95 THEN 3 ELSE 4 END,
  CASE kind WHEN 'traffic_accident' THEN 'Va chạm giao thông' WHEN 'fire' THEN 'Cháy nhà, xưởng'
            WHEN 'flood' THEN 'Ngập úng ven sông sau mưa lớn, xả lũ' WHEN 'rescue' THEN 'Cứu nạn cứu hộ trên sông'
            ELSE 'Ổ dịch sốt xuất huyết' END,
  CASE WHEN kind = 'epidemic' THEN 1 + floor(40 * v ^ 2)::int ELSE 0 END,
  p
FROM timed WHERE at IS NOT NULL
ORDER BY kind, i
