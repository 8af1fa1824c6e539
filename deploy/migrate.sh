#!/bin/sh
# One deployment step of the app image (docker-compose.yml's `migrate` service), as the database owner role
# (MAPSERVER_MIGRATE_DATABASE_URL): migrations (they also grant the app role its rows: mapserver/grants.py), the
# static files into their shared volume, the real admin units when the database has none, and the synthetic
# sample data only when MAPSERVER_LOAD_SAMPLE=1.
set -eu
export DATABASE_URL="${MAPSERVER_MIGRATE_DATABASE_URL:?set MAPSERVER_MIGRATE_DATABASE_URL (the owner role)}"
python manage.py migrate --noinput
python manage.py collectstatic --noinput -v 0
if [ "${MAPSERVER_LOAD_SAMPLE:-0}" = 1 ]; then
  python manage.py geodata_load_sample --if-empty
  python manage.py reports_load_sample --if-empty
  python manage.py reports_indicators
else
  python manage.py geodata_load_sample --if-empty --admin-only
fi
