#!/bin/sh
# The replica container (docker-compose.yml db-replica): on its first start (an empty volume) it clones the
# primary with pg_basebackup -R (which writes primary_conninfo and standby.signal) over a replication slot, then
# runs as a hot standby, streaming from the primary. Runs as the postgres user; PGPASSWORD is the replication
# role's password (deploy/db/replication.sh creates the role on the primary).
set -eu
PGDATA=${PGDATA:-/var/lib/postgresql/data}
PRIMARY=${MAPSERVER_PRIMARY_HOST:-db}
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h "$PRIMARY" -U replicator -d postgres >/dev/null 2>&1; do sleep 1; done
  pg_basebackup -h "$PRIMARY" -U replicator -D "$PGDATA" -R -X stream -C -S mapserver_replica -c fast
  chmod 700 "$PGDATA"
fi
exec postgres -D "$PGDATA" -c hot_standby=on -c hot_standby_feedback=on -c max_standby_streaming_delay=30s
