-- The rest of the 456 indicator set, its targets and values, unreported gaps, and the socio-economic layers.

-- name: add_indicator
INSERT INTO geodata_indicator (code, name, name_en, "group", unit, sector, department, target, higher_is_better,
  period_kind, level, province_rule, weight_indicator, synthetic)
VALUES (%(code)s, %(name)s, %(name_en)s, %(group)s, %(unit)s, %(sector)s, %(department)s,
  round((%(total)s * %(target_factor)s)::numeric, 2), %(higher_is_better)s, %(period_kind)s, %(level)s,
  %(province_rule)s, %(weight_indicator)s, true)

-- name: weights
-- Each reporting unit's weight: its share of a flow (population or industrial park area, normalised), or its
-- level against the province's (flat: urban wards higher), with a seeded standing of its own.
CREATE TEMP TABLE sample_figure_weight AS
WITH spec AS (
  SELECT i.id, i.code, i.level, s->>'basis' AS basis
  FROM geodata_indicator i JOIN jsonb_array_elements(%(specs)s::jsonb) s ON s->>'code' = i.code WHERE i.synthetic
),
parks AS (SELECT commune_code, sum(area_ha) AS ha FROM geodata_industrialpark WHERE synthetic GROUP BY 1),
raw AS (
  SELECT spec.*, c.code AS commune,
    CASE spec.basis WHEN 'parks' THEN coalesce(p.ha, 0) + 2000 * c.share
         WHEN 'share' THEN c.share
         ELSE CASE WHEN c.urban THEN 1.3 ELSE 0.9 END END
      * exp(0.12 * pg_temp.rnorm('fig-standing:' || spec.code || c.code)) AS raw
  FROM spec CROSS JOIN sample_commune c LEFT JOIN parks p ON p.commune_code = c.code
  WHERE spec.level = 'commune'
)
SELECT id, code, commune, CASE WHEN basis = 'flat' THEN raw ELSE raw / sum(raw) OVER (PARTITION BY code) END AS w
FROM raw
UNION ALL
SELECT id, code, '', 1.0 FROM spec WHERE level <> 'commune'

-- name: targets
-- The year's target: the province's (the trend times the target factor; a flow's year total), and for a flow
-- at commune level each commune's share of it.
INSERT INTO geodata_indicatortarget (indicator_id, year, commune_code, value)
WITH spec AS (
  SELECT i.id, i.province_rule AS rule, i.level, (s->>'total')::float8 AS total, (s->>'growth')::float8 AS growth,
         (s->>'target_factor')::float8 AS factor, s->>'basis' AS basis
  FROM geodata_indicator i JOIN jsonb_array_elements(%(specs)s::jsonb) s ON s->>'code' = i.code WHERE i.synthetic
),
province AS (
  SELECT spec.*, y AS year, spec.total * power(1 + spec.growth, y - 2026) * spec.factor AS value
  FROM spec CROSS JOIN unnest(%(years)s::int[]) y
)
SELECT id, year, '', round(value::numeric, 2) FROM province
UNION ALL
SELECT p.id, p.year, w.commune, round((p.value * w.w)::numeric, 2)
FROM province p JOIN sample_figure_weight w ON w.id = p.id AND w.commune <> ''
WHERE p.rule = 'sum' AND p.level = 'commune'

-- name: values
-- A unit's figure for a period: the trend at the period's end, its weight, a flow divided over the year's
-- periods, times keyed log-normal noise.
INSERT INTO geodata_indicatorvalue (indicator_id, commune_code, period, value, entered_by, entered_at, source)
WITH spec AS (
  SELECT i.id, i.code, i.period_kind, i.province_rule AS rule, (s->>'total')::float8 AS total,
         (s->>'growth')::float8 AS growth, (s->>'noise')::float8 AS noise, (s->>'decimals')::int AS decimals
  FROM geodata_indicator i JOIN jsonb_array_elements(%(specs)s::jsonb) s ON s->>'code' = i.code WHERE i.synthetic
),
periods AS (
  SELECT p->>'kind' AS kind, p->>'period' AS period, (p->>'t')::float8 AS t, (p->>'per_year')::int AS per_year
  FROM jsonb_array_elements(%(periods)s::jsonb) p
)
SELECT s.id, w.commune, p.period,
  round((s.total * w.w * power(1 + s.growth, p.t) / CASE WHEN s.rule = 'sum' THEN p.per_year ELSE 1 END
    * exp(s.noise * pg_temp.rnorm('fig:' || s.code || w.commune || p.period) - s.noise * s.noise / 2))::numeric,
    s.decimals), 'sample', %(now)s, 'sample'
FROM spec s JOIN sample_figure_weight w ON w.id = s.id JOIN periods p ON p.kind = s.period_kind
ORDER BY s.code, w.commune, p.period

-- name: unreported
-- The latest periods are not complete: a seeded share of communes has not reported at all, and a few more
-- have left single indicators out (the submission tracker lists them; nothing is filled in with zero).
DELETE FROM geodata_indicatorvalue v USING geodata_indicator i
WHERE i.id = v.indicator_id AND i.synthetic AND v.commune_code <> ''
  AND v.period IN ('2026-09', '2026-10', '2026-Q3', '2025')
  AND (pg_temp.rnd('unreported-unit:' || v.commune_code || v.period) < %(share)s
       OR pg_temp.rnd('unreported:' || i.code || v.commune_code || v.period) < %(share)s / 4)

-- name: enterprise_status
-- Registration dates skewed to recent years; a few in a hundred suspended, fewer dissolved, mostly lately.
UPDATE geodata_enterprise e SET
  registered_on = d.registered_on,
  status = CASE WHEN d.u < 0.03 THEN 'dissolved' WHEN d.u < 0.08 THEN 'suspended' ELSE 'active' END,
  status_changed_on = CASE WHEN d.u < 0.08 THEN
    least(date '2026-10-31', greatest(d.registered_on + 30, date '2026-10-31' - floor(730 * pg_temp.rnd('ent-change:' || e.tax_code || e.name))::int))
  END
FROM (
  SELECT id, date '2026-10-31' - floor(7300 * power(pg_temp.rnd('ent-reg:' || tax_code || name), 1.8))::int AS registered_on,
         pg_temp.rnd('ent-status:' || tax_code || name) AS u
  FROM geodata_enterprise WHERE synthetic
) d
WHERE d.id = e.id

-- name: dissolution_spike
-- Two seeded communes where dissolutions jump in the last two months (what the scenario must flag).
UPDATE geodata_enterprise e SET status = 'dissolved',
  status_changed_on = date '2026-10-31' - floor(55 * pg_temp.rnd('spike-day:' || e.tax_code || e.name))::int
FROM (
  SELECT e.id, row_number() OVER (PARTITION BY e.commune_code ORDER BY pg_temp.rnd('spike-pick:' || e.tax_code || e.name)) AS k
  FROM geodata_enterprise e
  WHERE e.synthetic AND e.status = 'active' AND e.registered_on < date '2026-06-01' AND e.commune_code IN (
    SELECT commune_code FROM geodata_enterprise WHERE synthetic GROUP BY 1 HAVING count(*) >= 60
    ORDER BY pg_temp.rnd('spike:' || commune_code) LIMIT 2)
) pick
WHERE pick.id = e.id AND pick.k <= 18

-- name: key_projects
-- Key public-investment projects in settled land: a footprint, this year's capital plan and what has been
-- disbursed by the end of October (about 83 % of the year; slow ones well below), progress and schedule.
INSERT INTO geodata_keyproject (commune_code, synthetic, updated_at, name, investor, capital_plan_bn, disbursed_bn,
  progress_pct, status, start_on, planned_end_on, obstacles, geom)
WITH picks AS (
  SELECT i, s.code, s.geom, c.name AS commune_name, pg_temp.rnd('kp:' || i) AS u, pg_temp.rnd('kp-b:' || i) AS b,
         pg_temp.rnd('kp-c:' || i) AS c3, pg_temp.rnorm('kp-d:' || i) AS d
  FROM generate_series(1, %(total)s) i
  CROSS JOIN LATERAL (SELECT * FROM sample_settlement ORDER BY pg_temp.rnd('kp-where:' || i || code) LIMIT 1) s
  JOIN sample_commune c ON c.code = s.code
),
placed AS (
  SELECT picks.*, (ST_Dump(ST_GeneratePoints(geom, 1, pg_temp.seedint('kp-pt:' || i)))).geom AS pt,
         date '2024-01-01' + floor(900 * u)::int AS start_on
  FROM picks
),
shaped AS (
  SELECT placed.*, start_on + 365 + floor(900 * b)::int AS planned_end_on,
         CASE WHEN c3 < 0.18 THEN 'stalled' ELSE 'in_progress' END AS st,
         round((80 + 2900 * power(b, 2))::numeric, 1)::float8 AS plan
  FROM placed
)
SELECT pg_temp.commune_of(pt), true, %(now)s,
  (ARRAY['Đường liên xã ', 'Cầu ', 'Bệnh viện đa khoa khu vực ', 'Trường THCS ', 'Khu tái định cư ',
         'Nâng cấp đường ', 'Hồ chứa nước ', 'Trung tâm hành chính '])[1 + floor(8 * c3)::int] || commune_name
    || ' (' || i || ')',
  (ARRAY['Ban QLDA đầu tư xây dựng công trình giao thông tỉnh', 'Ban QLDA đầu tư xây dựng công trình dân dụng tỉnh',
         'UBND ' || commune_name, 'Ban QLDA đầu tư xây dựng công trình nông nghiệp'])[1 + floor(4 * u)::int],
  plan,
  round((plan * least(1.0, greatest(0.02, CASE WHEN st = 'stalled' THEN 0.3 ELSE 0.78 END * exp(0.35 * d))))::numeric, 1)::float8,
  round(least(99, greatest(3, 100 * (date '2026-10-31' - start_on)::float8 / (planned_end_on - start_on)
    * CASE WHEN st = 'stalled' THEN 0.5 ELSE 0.9 + 0.1 * d END))::numeric, 0)::float8,
  st, start_on, planned_end_on,
  CASE WHEN st = 'stalled' THEN (ARRAY['Vướng bồi thường, giải phóng mặt bằng', 'Thiếu vật liệu san lấp',
       'Chưa điều chỉnh chủ trương đầu tư', 'Nhà thầu chậm tiến độ'])[1 + floor(4 * b)::int] ELSE '' END,
  ST_Multi(ST_Buffer(pt::geography, 120 + 380 * u)::geometry)
FROM shaped

-- name: tasks
-- Tasks assigned by central government and the province, at the responsible commune or department's area:
-- deadlines from May 2026 to February 2027; before the sample's "now" most are done, some late, some overdue.
INSERT INTO geodata_assignedtask (commune_code, synthetic, updated_at, title, source, document, responsible_unit,
  deadline, status, completed_on, geom)
WITH picks AS (
  SELECT i, c.code, c.name, c.geom, pg_temp.rnd('task:' || i) AS u, pg_temp.rnd('task-b:' || i) AS b,
         date '2026-05-01' + floor(300 * pg_temp.rnd('task-d:' || i))::int AS deadline
  FROM generate_series(1, %(total)s) i
  CROSS JOIN LATERAL (SELECT * FROM sample_commune ORDER BY pg_temp.rnd('task-where:' || i || code) LIMIT 1) c
),
judged AS (
  SELECT picks.*, CASE
    WHEN deadline < date '2026-10-31' THEN CASE WHEN b < 0.5 THEN 'done' WHEN b < 0.7 THEN 'done_late' ELSE 'in_progress' END
    ELSE CASE WHEN b < 0.2 THEN 'done' ELSE 'in_progress' END END AS st
  FROM picks
)
SELECT code, true, %(now)s,
  (ARRAY['Rà soát, báo cáo tình hình giải ngân vốn đầu tư công', 'Hoàn thành bồi thường giải phóng mặt bằng dự án',
         'Triển khai chuyển đổi số cấp xã', 'Xử lý dứt điểm vi phạm trật tự xây dựng', 'Báo cáo sắp xếp đơn vị hành chính',
         'Cấp giấy chứng nhận quyền sử dụng đất lần đầu', 'Rà soát hộ nghèo, hộ cận nghèo', 'Kiểm tra phòng cháy chữa cháy cơ sở'])[1 + floor(8 * u)::int]
    || ' tại ' || name,
  CASE WHEN u < 0.3 THEN 'central' ELSE 'province' END,
  CASE WHEN u < 0.3 THEN 'Công điện ' || (100 + floor(900 * b))::int || '/CĐ-TTg'
       ELSE 'Công văn ' || (1000 + floor(9000 * b))::int || '/UBND-KT' END,
  CASE WHEN b < 0.5 THEN 'UBND ' || name
       ELSE (ARRAY['Sở Tài chính', 'Sở Xây dựng', 'Sở Nông nghiệp và Môi trường', 'Sở Nội vụ'])[1 + floor(4 * u)::int] END,
  deadline, st,
  CASE WHEN st = 'done' THEN deadline - floor(20 * u)::int
       WHEN st = 'done_late' THEN least(date '2026-10-31', deadline + 1 + floor(25 * u)::int) END,
  (ST_Dump(ST_GeneratePoints(geom, 1, pg_temp.seedint('task-pt:' || i)))).geom
FROM judged

-- name: drop_weights
DROP TABLE IF EXISTS sample_figure_weight
