-- Industrial parks, enterprises, tourism sites, OCOP products, construction sites and incidents.

-- name: add_park
-- One real park: a rotated rectangle of its real area around its location, kept inside its commune and off
-- the parks placed before it.
INSERT INTO geodata_industrialpark (commune_code, synthetic, updated_at, name, operator, area_ha, occupancy_pct, geom)
WITH site AS (
  SELECT ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326) AS p, sqrt(%(area_ha)s * 10000.0 / 1.6) / 110600.0 AS h
),
shape AS (
  SELECT ST_Rotate(ST_MakeEnvelope(ST_X(p) - 0.8 * h, ST_Y(p) - 0.5 * h, ST_X(p) + 0.8 * h, ST_Y(p) + 0.5 * h, 4326),
                   pg_temp.rnd('park-angle:' || %(name)s) * pi(), p) AS rect, p
  FROM site
),
clipped AS (
  SELECT ST_CollectionExtract(ST_Difference(ST_Intersection(s.rect, c.geom),
           coalesce((SELECT ST_Union(geom) FROM geodata_industrialpark WHERE synthetic), 'SRID=4326;GEOMETRYCOLLECTION EMPTY'::geometry)), 3) AS g
  FROM shape s JOIN sample_commune c ON c.code = pg_temp.commune_of(s.p)
)
SELECT pg_temp.commune_of(g), true, %(now)s, %(name)s, %(operator)s, round((ST_Area(g::geography) / 1e4)::numeric, 1),
  round((55 + 44 * pg_temp.rnd('occupancy:' || %(name)s))::numeric, 1), ST_Multi(g)
FROM clipped WHERE NOT ST_IsEmpty(g) AND ST_Area(g::geography) > 1e5

-- name: enterprises
-- Most enterprises inside industrial parks (in proportion to park area), the rest in urban settled land.
INSERT INTO geodata_enterprise (commune_code, synthetic, updated_at, name, tax_code, sector, employees, industrial_park_id, geom)
WITH park_alloc AS (
  SELECT id, geom, ceil(0.6 * %(total)s * area_ha / sum(area_ha) OVER ())::int AS n, name
  FROM geodata_industrialpark WHERE synthetic
),
in_parks AS (
  SELECT a.id AS park, a.name AS park_name, 'p' || a.name AS k, d.path[1] AS i, d.geom AS p
  FROM park_alloc a CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(a.geom, a.n, pg_temp.seedint('firms:' || a.name))) d
),
town_alloc AS (
  SELECT s.code, s.geom, ceil(0.4 * %(total)s * c.weight / sum(c.weight) OVER ())::int AS n
  FROM sample_settlement s JOIN sample_commune c USING (code) WHERE c.urban OR c.weight / c.area_km2 > 0.15
),
in_towns AS (
  SELECT NULL::bigint, NULL::text, 't' || a.code, d.path[1], d.geom
  FROM town_alloc a CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(a.geom, a.n, pg_temp.seedint('shops:' || a.code))) d
),
allp AS (SELECT * FROM in_parks UNION ALL SELECT * FROM in_towns),
drawn AS (
  SELECT allp.*, pg_temp.commune_of(p) AS at, pg_temp.rnd('firm:' || k || i) AS u, pg_temp.rnd('firm-size:' || k || i) AS v,
         pg_temp.rnd('firm-name:' || k || i) AS w
  FROM allp
),
typed AS (
  SELECT drawn.*,
    CASE WHEN park IS NOT NULL THEN (ARRAY['electronics', 'textile_garment', 'footwear', 'food_processing', 'chemicals',
                                            'mechanical', 'wood_furniture', 'plastics', 'logistics', 'pharmaceuticals'])[1 + floor(10 * u)::int]
         ELSE (ARRAY['trade', 'services', 'construction', 'transport', 'real_estate', 'hospitality', 'trade',
                     'services', 'agriculture', 'finance'])[1 + floor(10 * u)::int] END AS sector
  FROM drawn
)
SELECT at, true, %(now)s,
  (ARRAY['Công ty TNHH ', 'Công ty CP ', 'Công ty TNHH MTV ', 'Doanh nghiệp tư nhân '])[1 + floor(4 * v)::int]
    || (ARRAY['Phú', 'Tân', 'Hưng', 'Thịnh', 'Đại', 'Nam', 'Việt', 'Đông', 'Hòa', 'An', 'Minh', 'Long', 'Sài Gòn', 'Đồng Nai',
              'Kim', 'Bảo', 'Thành', 'Phát', 'Lộc', 'Toàn'])[1 + floor(20 * w)::int] || ' '
    || (ARRAY['Phát', 'Thành', 'Lợi', 'Hưng', 'Khang', 'Nguyên', 'Tiến', 'Vượng', 'Quang', 'Gia'])[1 + mod(floor(100 * w)::int, 10)]
    || ' ' || upper(substr(md5(k || i), 1, 3)),
  CASE WHEN at LIKE '25%%' THEN '38' ELSE '36' END || lpad(floor(1e8 * pg_temp.rnd('tax:' || k || i))::bigint::text, 8, '0'),
  sector,
  CASE WHEN park IS NOT NULL THEN 20 + floor(4000 * v ^ 3)::int ELSE 2 + floor(150 * v ^ 3)::int END,
  park, p
FROM typed WHERE at IS NOT NULL
ORDER BY k, i

-- name: add_attraction
INSERT INTO geodata_tourismsite (commune_code, synthetic, updated_at, name, kind, capacity, visitors_today, geom)
SELECT pg_temp.commune_of(p), true, %(now)s, %(name)s, %(kind)s, %(capacity)s,
  -- festivals run over capacity on the reference day
  (%(capacity)s * CASE WHEN %(kind)s = 'festival' THEN 0.9 + 0.5 * pg_temp.rnd('visitors:' || %(name)s)
                       ELSE 0.2 + 0.6 * pg_temp.rnd('visitors:' || %(name)s) END)::int, p
FROM (SELECT ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326) AS p) x WHERE pg_temp.commune_of(p) IS NOT NULL

-- name: tourism_services
-- Lodging, parking, medical, security and toilet points: three quarters within 2.5 km of an attraction,
-- the rest in town centres.
INSERT INTO geodata_tourismsite (commune_code, synthetic, updated_at, name, kind, capacity, visitors_today, geom)
WITH attractions AS (
  SELECT id, name, geom, row_number() OVER (ORDER BY name) AS rk, count(*) OVER () AS n
  FROM geodata_tourismsite WHERE synthetic AND kind IN ('attraction', 'festival')
),
near AS (
  SELECT a.name AS place, 'a' || a.rk AS k, d.path[1] AS i, d.geom AS p
  FROM attractions a CROSS JOIN geodata_province pr
  CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(ST_Intersection(ST_Buffer(a.geom, 0.0225), pr.geom),
                                               ceil(0.75 * %(total)s / a.n)::int, pg_temp.seedint('around:' || a.name))) d
),
towns AS (
  SELECT c.name AS place, 't' || c.code AS k, d.path[1] AS i, d.geom AS p
  FROM sample_commune c JOIN sample_settlement s USING (code)
  CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(s.geom, ceil(0.25 * %(total)s * c.share / (SELECT sum(share) FROM sample_commune WHERE urban))::int,
                                               pg_temp.seedint('hotels:' || c.code))) d
  WHERE c.urban
),
allp AS (SELECT * FROM near UNION ALL SELECT * FROM towns),
drawn AS (
  SELECT allp.*, pg_temp.commune_of(p) AS at, pg_temp.rnd('service:' || k || ':' || i) AS u,
         pg_temp.rnd('service-load:' || k || ':' || i) AS v
  FROM allp
),
typed AS (
  SELECT drawn.*, CASE WHEN u < 0.35 THEN 'lodging' WHEN u < 0.55 THEN 'parking' WHEN u < 0.65 THEN 'medical'
                       WHEN u < 0.75 THEN 'security' ELSE 'toilet' END AS kind
  FROM drawn
),
sized AS (
  SELECT typed.*, CASE kind WHEN 'lodging' THEN 20 + floor(180 * v)::int WHEN 'parking' THEN 50 + floor(450 * v)::int
                            WHEN 'medical' THEN 5 + floor(15 * v)::int WHEN 'security' THEN 10 + floor(20 * v)::int
                            ELSE 4 + floor(16 * v)::int END AS capacity
  FROM typed
)
SELECT at, true, %(now)s,
  CASE kind WHEN 'lodging' THEN (ARRAY['Khách sạn ', 'Nhà nghỉ ', 'Homestay '])[1 + floor(3 * v)::int]
            WHEN 'parking' THEN 'Bãi đỗ xe ' WHEN 'medical' THEN 'Điểm sơ cứu ' WHEN 'security' THEN 'Chốt an ninh '
            ELSE 'Nhà vệ sinh công cộng ' END || place || ' ' || i,
  kind, capacity,
  -- near the busiest places some lodging and parking fill over capacity
  (capacity * CASE WHEN kind IN ('lodging', 'parking') AND pg_temp.rnd('overload:' || k || i) < 0.12 THEN 1.05 + 0.4 * v
                   ELSE 0.1 + 0.8 * pg_temp.rnd('occupied:' || k || i) END)::int,
  p
FROM sized WHERE at IS NOT NULL
ORDER BY k, i

-- name: ocop
-- OCOP products from rural producers, weighted to farming communes; the product follows the old district.
INSERT INTO geodata_ocopproduct (commune_code, synthetic, updated_at, name, producer, category, stars, geom)
WITH alloc AS (
  SELECT c.code, c.name, c.district, s.geom,
         ceil(%(total)s * (CASE WHEN c.urban THEN 0.3 ELSE 1.0 END) / (SELECT sum(CASE WHEN urban THEN 0.3 ELSE 1.0 END) FROM sample_commune))::int AS n
  FROM sample_commune c JOIN sample_settlement s USING (code)
),
pts AS (
  SELECT a.code, a.name, a.district, d.path[1] AS i, d.geom AS p
  FROM alloc a CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(a.geom, a.n, pg_temp.seedint('ocop:' || a.code))) d
),
drawn AS (SELECT pts.*, pg_temp.rnd('ocop-product:' || code || i) AS u, pg_temp.rnd('ocop-stars:' || code || i) AS v FROM pts),
typed AS (
  SELECT drawn.*,
    CASE WHEN district IN ('732', '739', '741') AND u < 0.6 THEN (ARRAY['Sầu riêng', 'Chôm chôm', 'Bơ', 'Cà phê'])[1 + floor(4 * u / 0.6)::int]
         WHEN district IN ('689', '691', '692', '693', '695', '696', '698', '694', '690', '688', '697') AND u < 0.6
           THEN (ARRAY['Hạt điều rang muối', 'Hồ tiêu', 'Mật ong rừng', 'Hạt điều sấy'])[1 + floor(4 * u / 0.6)::int]
         WHEN district IN ('735', '731') AND u < 0.5 THEN 'Bưởi Tân Triều'
         ELSE (ARRAY['Rượu đế', 'Bánh tráng', 'Nấm linh chi', 'Trà mãng cầu', 'Tinh dầu sả', 'Chả lụa', 'Gạo sạch',
                     'Khô cá', 'Mứt trái cây', 'Cà phê bột'])[1 + floor(10 * v)::int] END AS product
  FROM drawn
)
SELECT code, true, %(now)s, product || ' ' || replace(replace(name, 'Phường ', ''), 'Xã ', ''),
  (ARRAY['HTX Nông nghiệp ', 'Cơ sở sản xuất ', 'Tổ hợp tác ', 'Hộ kinh doanh '])[1 + floor(4 * pg_temp.rnd('producer:' || code || i))::int]
    || replace(replace(name, 'Phường ', ''), 'Xã ', '') || ' ' || i,
  CASE WHEN product IN ('Rượu đế', 'Trà mãng cầu', 'Cà phê', 'Cà phê bột') THEN 'beverage'
       WHEN product IN ('Sầu riêng', 'Chôm chôm', 'Bơ', 'Bưởi Tân Triều') THEN 'fresh_produce'
       WHEN product IN ('Nấm linh chi', 'Tinh dầu sả', 'Mật ong rừng') THEN 'herbal'
       ELSE 'food' END,
  CASE WHEN v < 0.7 THEN 3 WHEN v < 0.95 THEN 4 ELSE 5 END, p
FROM typed ORDER BY code, i
