-- Statements of the step kinds in scenarios/steps/operations.py. {braced} names are identifiers or fragments
-- composed from the layer registry (psycopg.sql); generated placeholders are bound values.

-- name: load
-- One row per feature (key: its id) or per group: the numerator and each denominator summed, the features
-- counted, and per denominator with a norm the units missing feature by feature (never offset by a surplus):
-- {columns} is one sum per denominator, then one shortfall per denominator (plain columns: no JSON to decode).
WITH {area}
SELECT {key}::text AS key, max({label}::text) AS label, max(t.{tcommune}) AS commune, max(c.{cname}) AS commune_name,
       count(*) AS n, sum(t.{num}) AS num, {geometry} AS geometry{columns}
FROM {table} AS t CROSS JOIN area
LEFT JOIN {communes} AS c ON c.{ccode} = t.{tcommune}
WHERE {where}
GROUP BY 1
ORDER BY 1

-- name: snapped
-- Each event in the area joined to the nearest target line within the distance (true metres; a degree box
-- first so the index serves), then counted per target feature and per period.
WITH {area}, ev AS (
  SELECT s.{sid} AS id, {period} AS period, near.id AS tid
  FROM {source} AS s CROSS JOIN area
  JOIN LATERAL (
    SELECT t.{tid} AS id FROM {target} AS t
    WHERE {twhere} AND ST_DWithin(t.{tgeom}, s.{sgeom}, {degrees})
      AND ST_DWithin(t.{tgeom}::geography, s.{sgeom}::geography, {within})
    ORDER BY ST_Distance(t.{tgeom}::geography, s.{sgeom}::geography), t.{tid} LIMIT 1
  ) AS near ON TRUE
  WHERE {swhere}
), per AS (
  SELECT tid, period, count(*) AS n FROM ev GROUP BY 1, 2
), tot AS (
  SELECT tid, sum(n)::int AS n, json_object_agg(period, n ORDER BY period) AS by_period FROM per GROUP BY tid
)
SELECT json_build_object(
  'events', (SELECT count(*) FROM ev),
  'features', (SELECT count(*) FROM tot),
  'rows', (SELECT coalesce(json_agg(json_build_object(
              'id', t.{tid}, 'label', {tlabel}::text, 'commune', t.{tcommune}, 'commune_name', c.{cname},
              'count', tot.n, 'by_period', tot.by_period, 'geometry', ST_AsGeoJSON(t.{tgeom}, 7)::json)
            ORDER BY tot.n DESC, t.{tid}), '[]'::json)
           FROM tot JOIN {target} AS t ON t.{tid} = tot.tid
           LEFT JOIN {communes} AS c ON c.{ccode} = t.{tcommune}
           WHERE tot.n >= {min_count}))

-- name: outside
-- Each source feature in the area with the targets it lies in and whether one of them is in force at its date.
WITH {area}
SELECT s.{sid} AS id, {slabel}::text AS label, s.{scommune} AS commune, c.{cname} AS commune_name,
       {sdate} AS on_date, ST_AsGeoJSON(s.{sgeom}, 7) AS geometry,
       (SELECT json_agg(json_build_object('id', t.{tid}, 'label', {tlabel}::text, 'valid_until', {tuntil}) ORDER BY t.{tid})
          FROM {target} AS t WHERE {twhere} AND ST_Intersects(t.{tgeom}, s.{sgeom})) AS containing,
       EXISTS (SELECT 1 FROM {target} AS t
                WHERE {twhere2} AND ST_Intersects(t.{tgeom}, s.{sgeom}) AND {in_force}) AS in_force
FROM {source} AS s CROSS JOIN area
LEFT JOIN {communes} AS c ON c.{ccode} = s.{scommune}
WHERE {swhere}
ORDER BY s.{sid}

-- name: reach
-- Each source feature's nearest target in true metres (the 16 nearest by the index, then the geodesic distance).
WITH {area}
SELECT s.{sid} AS id, {slabel}::text AS label, s.{scommune} AS commune, c.{cname} AS commune_name,
       ST_AsGeoJSON(s.{sgeom}, 7) AS geometry, near.id, near.label, near.distance_m
FROM {source} AS s CROSS JOIN area
LEFT JOIN {communes} AS c ON c.{ccode} = s.{scommune}
LEFT JOIN LATERAL (
  SELECT k.id, k.label, k.distance_m FROM (
    SELECT t.{tid} AS id, {tlabel}::text AS label, ST_Distance(t.{tgeom}::geography, s.{sgeom}::geography) AS distance_m
    FROM {target} AS t WHERE {twhere}
    ORDER BY t.{tgeom} <-> s.{sgeom} LIMIT 16
  ) AS k ORDER BY k.distance_m, k.id LIMIT 1
) AS near ON TRUE
WHERE {swhere}
ORDER BY s.{sid}
