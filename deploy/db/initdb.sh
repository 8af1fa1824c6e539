#!/bin/sh
# The PostGIS container's first start (docker-compose.yml mounts this into /docker-entrypoint-initdb.d after the
# image's 10_postgis.sh): the owner and app roles, the database's owner and the grants (deploy/db/roles.sql).
set -e
PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d postgres -v owner=mapserver -v app=mapserver_app \
  -v db="$POSTGRES_DB" -v owner_createdb=NOCREATEDB -f /mapserver-db/roles.sql
