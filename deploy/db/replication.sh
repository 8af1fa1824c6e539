#!/bin/sh
# The primary container's first start (docker-compose.yml mounts this into /docker-entrypoint-initdb.d after
# 20-mapserver-roles.sh): the replication role the replica's pg_basebackup and streaming connect as, and its
# pg_hba line (scram-sha-256, the compose network only).
set -e
psql -X -q -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d postgres -v password="$MAPSERVER_DB_REPLICATION_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD %L', :'password')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'replicator') \gexec
SQL
echo "host replication replicator samenet scram-sha-256" >> "$PGDATA/pg_hba.conf"
