-- Indicator statements. {braced} names are identifiers from the registry; %(named)s are bound values.

-- name: indicator_tile
-- Choropleth tile: every commune in the tile with its value, the target and whether it is met.
WITH bounds AS (SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS b),
vals AS (
    SELECT v.commune_code, v.value FROM {values} AS v WHERE v.indicator_id = %(indicator)s AND v.period = %(period)s
),
features AS (
    SELECT c.{code} AS code, c.{name} AS name, vals.value, %(target)s::float8 AS target,
           CASE WHEN vals.value IS NULL THEN NULL
                WHEN %(higher)s THEN vals.value >= %(target)s ELSE vals.value <= %(target)s END AS met,
           ST_AsMVTGeom(ST_SimplifyPreserveTopology(ST_Transform(c.{geom}, 3857), %(tolerance)s), bounds.b, 4096, 64, true) AS geom
    FROM {communes} AS c
    CROSS JOIN bounds
    LEFT JOIN vals ON vals.commune_code = c.{code}
    WHERE c.{geom} && ST_Transform(bounds.b, 4326)
)
SELECT ST_AsMVT(features, 'indicator', 4096, 'geom') FROM features WHERE geom IS NOT NULL
