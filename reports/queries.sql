-- name: nearby_open
-- Open reports of one category within a radius in metres (geography, uses reports_fieldreport_geog_idx).
SELECT r.id, r.status, r.requested_at, r.description,
       ST_Distance(r.geom::geography, p.g) AS distance_m
FROM reports_fieldreport r,
     (SELECT ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography AS g) AS p
WHERE r.category_id = %(category_id)s
  AND r.status IN ('received', 'accepted', 'assigned', 'in_progress')
  AND r.id <> %(exclude_id)s
  AND ST_DWithin(r.geom::geography, p.g, %(radius_m)s)
ORDER BY distance_m, r.id
LIMIT %(limit)s;

-- name: open_overdue_by_commune
-- Every commune, with zero when it has no report, so indicator values cover all 95.
SELECT c.code,
       count(r.id) FILTER (WHERE r.status IN ('received', 'accepted', 'assigned', 'in_progress')) AS open,
       count(r.id) FILTER (WHERE r.status IN ('received', 'accepted', 'assigned', 'in_progress')
                           AND r.due_at < now()) AS overdue
FROM geodata_commune c
LEFT JOIN reports_fieldreport r ON r.commune_code = c.code
GROUP BY c.code
ORDER BY c.code;

-- name: sample_points
-- Seeded random points inside every commune, for the synthetic sample reports.
SELECT c.code, c.name, ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat
FROM geodata_commune c,
     LATERAL (SELECT (ST_Dump(ST_GeneratePoints(c.geom, %(per_commune)s, %(seed)s))).geom) AS p
ORDER BY c.code;
