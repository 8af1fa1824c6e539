-- Indicator definitions and monthly values per commune.

-- name: add_indicator
INSERT INTO geodata_indicator (code, name, name_en, "group", unit, sector, department, target, higher_is_better,
  period_kind, level, province_rule, weight_indicator, synthetic)
VALUES (%(code)s, %(name)s, %(name_en)s, %(group)s, %(unit)s, %(sector)s, %(department)s, %(target)s,
  %(higher_is_better)s, 'month', 'commune', 'mean', '', true)

-- name: add_target
INSERT INTO geodata_indicatortarget (indicator_id, year, commune_code, value)
SELECT id, %(year)s, '', %(value)s FROM geodata_indicator WHERE code = %(code)s

-- name: values
-- standing: how well a commune does on this indicator (about N(0.9, 1) after the basis shift, so about one
-- commune in five sits below the target); each month adds the trend and keyed noise.
INSERT INTO geodata_indicatorvalue (indicator_id, commune_code, period, value, entered_by, entered_at, source)
WITH spec AS (
  SELECT i.id, i.code, i.target, i.higher_is_better, (s->>'spread')::float8 AS spread, (s->>'lo')::float8 AS lo,
         (s->>'hi')::float8 AS hi, s->>'basis' AS basis, (s->>'drift')::float8 AS drift
  FROM geodata_indicator i JOIN jsonb_array_elements(%(specs)s::jsonb) s ON s->>'code' = i.code
  WHERE i.synthetic
),
periods AS (
  SELECT to_char(d, 'YYYY-MM') AS period, row_number() OVER (ORDER BY d) - 1 AS m, count(*) OVER () AS n
  FROM generate_series(%(first)s::date, %(last)s::date, interval '1 month') d
),
standing AS (
  SELECT spec.*, c.code AS commune,
    0.9 + CASE basis
      WHEN 'urban' THEN CASE WHEN c.urban THEN 0.6 ELSE -0.4 END + 0.7 * pg_temp.rnorm('ind:' || spec.code || c.code)
      WHEN 'rural' THEN CASE WHEN c.urban THEN -0.7 ELSE 0.3 END + 0.7 * pg_temp.rnorm('ind:' || spec.code || c.code)
      WHEN 'poverty' THEN 0.8 - 0.9 * c.poverty + 0.5 * pg_temp.rnorm('ind:' || spec.code || c.code)
      WHEN 'forest' THEN CASE WHEN c.forest THEN 2.5 WHEN c.urban THEN -2.2 ELSE -0.6 END + 0.8 * pg_temp.rnorm('ind:' || spec.code || c.code)
      ELSE pg_temp.rnorm('ind:' || spec.code || c.code) END AS g
  FROM spec CROSS JOIN sample_commune c
)
SELECT s.id, s.commune, p.period,
  round(least(s.hi, greatest(s.lo,
    s.target + CASE WHEN s.higher_is_better THEN 1 ELSE -1 END * s.spread
      * (s.g + s.drift * (p.m::float8 / greatest(1, p.n - 1) - 0.5) + 0.35 * pg_temp.rnorm('ind-month:' || s.code || s.commune || p.period))
  ))::numeric, 2), 'sample', %(now)s, 'sample'
FROM standing s CROSS JOIN periods p
ORDER BY s.code, s.commune, p.period
