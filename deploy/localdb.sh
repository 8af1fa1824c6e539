#!/usr/bin/env bash
# The project-local PostGIS cluster in .data/pg (port 5433, database and user "mapserver", loopback only).
# initdb refuses to run as root, so as root the cluster runs as the "postgres" system user.
set -euo pipefail
cd "$(dirname "$0")/.."
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || dirname "$(command -v initdb)")}
PORT=${MAPSERVER_DB_PORT:-5433}
DATA=$PWD/.data/pg
SOCK=$PWD/.data/run
LOG=$PWD/.data/pg.log

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

init() {
  mkdir -p "$DATA" "$SOCK"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$DATA" "$SOCK"; chmod 700 "$DATA"; touch "$LOG"; chown postgres "$LOG"; fi
  as_owner "$PGBIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >> "$DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$SOCK'
shared_buffers = 1GB
work_mem = 64MB
maintenance_work_mem = 512MB
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
jit = off
CONF
  start_server
  as_owner "$PGBIN/psql" -h "$SOCK" -p "$PORT" -U postgres -q -c "CREATE ROLE mapserver LOGIN SUPERUSER PASSWORD 'mapserver'" \
    -c "CREATE DATABASE mapserver OWNER mapserver"
  as_owner "$PGBIN/psql" -h "$SOCK" -p "$PORT" -U postgres -d mapserver -q -c "CREATE EXTENSION IF NOT EXISTS postgis"
}

start_server() {
  as_owner "$PGBIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null
}

case "${1:-start}" in
  start)
    if [ ! -f "$DATA/PG_VERSION" ]; then init; echo "localdb: created cluster in .data/pg (port $PORT)";
    elif ! as_owner "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then start_server; echo "localdb: started (port $PORT)";
    else echo "localdb: running (port $PORT)"; fi ;;
  stop)
    if [ -f "$DATA/PG_VERSION" ] && as_owner "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
      as_owner "$PGBIN/pg_ctl" -D "$DATA" -m fast stop >/dev/null; echo "localdb: stopped"; fi ;;
  psql) shift; as_owner "$PGBIN/psql" -h "$SOCK" -p "$PORT" -U postgres -d mapserver "$@" ;;
  *) echo "usage: $0 start|stop|psql" >&2; exit 2 ;;
esac
