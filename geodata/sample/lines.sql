-- Named lines of places.py (routes, rivers, railways), one row at a time.

-- name: add_line
INSERT INTO sample_line VALUES (%(layer)s, %(ref)s, %(name)s, %(cls)s, ST_GeomFromText(%(wkt)s, 4326))
