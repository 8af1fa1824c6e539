-- Roads linking the communes, then each commune's settled land (which strings out along them).

-- name: commune_links
-- Roads between neighbouring communes: the Delaunay edges between commune centres (up to 25 km), bent a
-- little at their midpoint; long links are provincial roads, short ones commune roads.
INSERT INTO sample_line
WITH edges AS (
  SELECT (ST_Dump(ST_DelaunayTriangles(ST_Collect(centre ORDER BY code), 0, 1))).geom AS e FROM sample_commune
),
named AS (
  SELECT e, a.name AS a_name, b.name AS b_name, a.code AS a_code, b.code AS b_code,
         ST_Length(e::geography) AS len, pg_temp.rnd('bend:' || a.code || b.code) - 0.5 AS bend
  FROM edges
  JOIN sample_commune a ON ST_Equals(a.centre, ST_StartPoint(e))
  JOIN sample_commune b ON ST_Equals(b.centre, ST_EndPoint(e))
)
SELECT 'road', 'LX.' || least(a_code, b_code) || '.' || greatest(a_code, b_code),
       'Đường liên xã ' || a_name || ' - ' || b_name,
       CASE WHEN len > 12000 THEN 'provincial' ELSE 'commune' END,
       ST_MakeLine(ARRAY[ST_StartPoint(e),
         ST_Translate(ST_LineInterpolatePoint(e, 0.5),
                      -0.25 * bend * (ST_Y(ST_EndPoint(e)) - ST_Y(ST_StartPoint(e))),
                       0.25 * bend * (ST_X(ST_EndPoint(e)) - ST_X(ST_StartPoint(e)))),
         ST_EndPoint(e)])
FROM named WHERE len < 25000

-- name: drop_settlement
DROP TABLE IF EXISTS sample_settlement

-- name: settlement
-- Settled land of each commune: a main core at the commune's centre and seeded village cores, each a blob of
-- overlapping disks, together about 45 % of an urban ward and 4 to 25 % of a rural commune (by density),
-- plus ribbons along the national, provincial and linking roads, where Vietnamese towns and villages string out.
CREATE TEMP TABLE sample_settlement AS
WITH spec AS (
  SELECT code, geom, centre, urban,
         (CASE WHEN urban THEN 0.45 ELSE least(0.25, 0.04 + 0.6 * weight / area_km2) END) * area_km2 * 1e6 AS settled_m2,
         CASE WHEN urban THEN 1 + floor(area_km2 / 40)::int ELSE 2 + floor(area_km2 / 50)::int END AS cores
  FROM sample_commune
),
cores AS (
  SELECT code, 0 AS k, centre AS p, sqrt(0.5 * settled_m2 / pi()) / 110600.0 AS r FROM spec
  UNION ALL
  SELECT s.code, d.path[1], d.geom, sqrt(0.5 * s.settled_m2 / (s.cores - 1) / pi()) / 110600.0
  FROM spec s CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(ST_Buffer(s.geom, -0.01), s.cores - 1,
                                                            pg_temp.seedint('cores:' || s.code))) d
  WHERE s.cores > 1
),
blobs AS (
  SELECT code, ST_Buffer(p, 0.65 * r, 'quad_segs=8') AS g FROM cores
  UNION ALL
  SELECT c.code, ST_Buffer(ST_Translate(c.p, 1.2 * c.r * (pg_temp.rnd('blob-x:' || c.code || ':' || c.k || ':' || b) - 0.5),
                                              1.2 * c.r * (pg_temp.rnd('blob-y:' || c.code || ':' || c.k || ':' || b) - 0.5)),
                           c.r * (0.3 + 0.3 * pg_temp.rnd('blob-r:' || c.code || ':' || c.k || ':' || b)), 'quad_segs=8')
  FROM cores c CROSS JOIN generate_series(1, 6) b
),
ribbons AS (
  SELECT c.code, ST_Buffer(ST_Intersection(l.geom, c.geom), CASE WHEN c.urban THEN 0.0015 ELSE 0.001 END, 'quad_segs=4') AS g
  FROM sample_line l JOIN sample_commune c ON ST_Intersects(l.geom, c.geom)
  WHERE l.layer = 'road'
),
shapes AS (SELECT code, g FROM blobs UNION ALL SELECT code, g FROM ribbons)
SELECT s.code, s.urban, s.centre,
       ST_Multi(ST_CollectionExtract(ST_Intersection(s.geom, ST_Union(sh.g)), 3)) AS geom,
       pg_temp.rnd('grid-angle:' || s.code) * 0.5 * pi() AS angle
FROM spec s JOIN shapes sh USING (code)
GROUP BY s.code, s.urban, s.centre, s.geom

-- name: settlement_pk
ALTER TABLE sample_settlement ADD PRIMARY KEY (code)
