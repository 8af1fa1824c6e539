-- name: communes_geojson
-- The 95 communes as one FeatureCollection, assembled in PostGIS.
SELECT json_build_object(
  'type', 'FeatureCollection',
  'features', coalesce(json_agg(json_build_object(
      'type', 'Feature', 'id', code,
      'geometry', ST_AsGeoJSON(geom, 7)::json,
      'properties', json_build_object('code', code, 'name', name, 'kind', kind,
                                      'geometry_source', geometry_source, 'area_km2', round(area_km2::numeric, 3))
  ) ORDER BY code), '[]'::json)
)::text
FROM geodata_commune;

-- name: estimated_rows
-- Planner's row estimate of a table, to avoid counting very large tables.
SELECT reltuples::bigint FROM pg_class WHERE oid = %(table)s::regclass;

-- name: derived_rows_exist
-- Whether a layer still holds geometry marked derived (approximate) rather than official.
SELECT EXISTS (SELECT 1 FROM {table} WHERE geometry_source = 'derived');
