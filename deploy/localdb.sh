#!/usr/bin/env bash
# The project-local PostGIS cluster in .data/pg (port 5433, database "mapserver", loopback only) with two roles:
# "mapserver" (password mapserver) owns the database and runs migrations, NOSUPERUSER but CREATEDB for the test
# suite's database; "mapserver_app" (password mapserver_app) is what the server connects as: rows only
# (deploy/db/roles.sql, mapserver/grants.sql). Durability stays on: fsync, full_page_writes and synchronous_commit.
# Every start rewrites the tuning file (.data/pg/mapserver.conf) and checks the roles and grants, so a cluster made
# by an older version of this script is upgraded in place (a running one by a reload, no restart).
# initdb refuses to run as root, so as root the cluster runs as the "postgres" system user.
# MAPSERVER_DB_DATA (data directory; socket and log go next to it) and MAPSERVER_DB_PORT put a cluster elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || dirname "$(command -v initdb)")}
PORT=${MAPSERVER_DB_PORT:-5433}
DATA=$(realpath -m "${MAPSERVER_DB_DATA:-$ROOT/.data/pg}")
SOCK=$(dirname "$DATA")/run
LOG=$(dirname "$DATA")/pg.log
DB=mapserver OWNER=mapserver OWNER_PASSWORD=mapserver APP=mapserver_app APP_PASSWORD=mapserver_app

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

psql_su() {  # psql as the cluster's superuser over the socket (notices such as "already exists" not shown)
  as_owner env PGOPTIONS="-c client_min_messages=warning" "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PORT" -U postgres "$@"
}

running() {
  [ -f "$DATA/PG_VERSION" ] && as_owner "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

init() {
  mkdir -p "$DATA" "$SOCK"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$DATA" "$SOCK"; chmod 700 "$DATA"; touch "$LOG"; chown postgres "$LOG"; fi
  as_owner "$PGBIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
}

# The tuning lives in mapserver.conf, included last by postgresql.conf, so it wins over what is above it.
# Clusters made before appended it to postgresql.conf itself with fsync, synchronous_commit and full_page_writes
# off; those lines are removed (UPGRADED=1 then: the data written without fsync is flushed after the reload).
configure() {
  local conf=$DATA/postgresql.conf
  local old="^(listen_addresses = '127\.0\.0\.1'|port = [0-9]+|unix_socket_directories = '.*'|shared_buffers = 1GB"
  old="$old|work_mem = 64MB|maintenance_work_mem = 512MB|max_connections = 200|fsync = off|synchronous_commit = off"
  old="$old|full_page_writes = off|jit = off)$"
  UPGRADED=0
  if grep -qE '^fsync = off$' "$conf"; then UPGRADED=1; fi
  if grep -qE "$old" "$conf"; then as_owner sed -i -E "/$old/d" "$conf"; fi
  if ! grep -q "^include_if_exists = 'mapserver.conf'" "$conf"; then
    printf "\n# The map server's settings, rewritten by deploy/localdb.sh on every start.\ninclude_if_exists = 'mapserver.conf'\n" \
      | as_owner tee -a "$conf" >/dev/null
  fi
  as_owner tee "$DATA/mapserver.conf" >/dev/null <<CONF
# Written by deploy/localdb.sh on every start: edit the script, not this file.
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$SOCK'
shared_buffers = 1GB
work_mem = 64MB
maintenance_work_mem = 512MB
max_connections = 200
jit = off
# Durable: a crash loses nothing committed and cannot corrupt the cluster. Only the test suite's database turns
# synchronous_commit off for itself (ALTER DATABASE in tests/conftest.py), which may lose its last commits on a
# crash but never corrupts anything.
fsync = on
full_page_writes = on
synchronous_commit = on
CONF
}

start_server() {
  as_owner "$PGBIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null
}

reload_server() {
  as_owner "$PGBIN/pg_ctl" -D "$DATA" reload >/dev/null
  for _ in $(seq 50); do  # the reload is asynchronous: wait until the server has read the new file
    [ "$(psql_su -d postgres -Atc 'SHOW fsync')" = on ] && break; sleep 0.1
  done
}

# Roles, database, PostGIS (also in template1) and the app role's grants; idempotent.
roles() {
  MAPSERVER_DB_PASSWORD=$OWNER_PASSWORD MAPSERVER_DB_APP_PASSWORD=$APP_PASSWORD psql_su -d postgres \
    -v owner="$OWNER" -v app="$APP" -v db="$DB" -v owner_createdb=CREATEDB <deploy/db/roles.sql
  { echo "SET ROLE $OWNER; SET mapserver.app_role = '$APP';"; cat mapserver/grants.sql; } | psql_su -d "$DB"
}

flush_if_upgraded() {
  if [ "$UPGRADED" = 1 ]; then psql_su -d postgres -c CHECKPOINT; sync -f "$DATA"; fi
}

case "${1:-start}" in
  start)
    if [ ! -f "$DATA/PG_VERSION" ]; then
      init; configure; start_server; roles; echo "localdb: created cluster in $DATA (port $PORT)"
    elif ! running; then
      configure; start_server; flush_if_upgraded; roles; echo "localdb: started (port $PORT)"
    else
      configure; reload_server; flush_if_upgraded; roles; echo "localdb: running (port $PORT)"
    fi ;;
  stop)
    if running; then as_owner "$PGBIN/pg_ctl" -D "$DATA" -m fast stop >/dev/null; echo "localdb: stopped"; fi ;;
  psql) shift; as_owner "$PGBIN/psql" -h "$SOCK" -p "$PORT" -U postgres -d "$DB" "$@" ;;
  *) echo "usage: $0 start|stop|psql" >&2; exit 2 ;;
esac
