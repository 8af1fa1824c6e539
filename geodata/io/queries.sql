-- name: max_id
SELECT COALESCE(max(id), 0) FROM {table};

-- name: delete_all
DELETE FROM {table};

-- name: province_wkb
SELECT ST_AsBinary(ST_Union(geom)) FROM geodata_province;

-- name: commune_shapes
SELECT code, ST_AsBinary(geom) FROM geodata_commune ORDER BY code;

-- name: export_rows
-- Exposed attributes and the geometry in the requested SRID (pinned VN-2000 rows of spatial_ref_sys).
SELECT {columns}, ST_AsBinary(ST_Transform(geom, %(srid)s)) FROM {table} ORDER BY id;

-- name: replace_commune_geometry
UPDATE geodata_commune SET geom = ST_GeomFromWKB(%(wkb)s, 4326), geometry_source = %(source)s WHERE code = %(code)s;
