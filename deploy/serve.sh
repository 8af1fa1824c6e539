#!/usr/bin/env bash
# The map server under supervisord (deploy/supervisord.conf, programs in deploy/supervisor.d/):
#   run    in the foreground (Ctrl-C stops every program)
#   start  in the background; prints "serving" only once /healthz answers from the server this supervisor started,
#          else shows the error log and exits non-zero
#   stop   through supervisorctl; a stale pid file is removed, never signalled
#   status what supervisorctl says
# HOST, PORT, WORKERS as in the Makefile; MAPSERVER_STATE (default .data) holds log/ and run/.
set -euo pipefail
cd "$(dirname "$0")/.."
export MAPSERVER_HOME=$PWD
export MAPSERVER_STATE=$(realpath -m "${MAPSERVER_STATE:-$PWD/.data}")
HOST=${HOST:-127.0.0.1} PORT=${PORT:-8000}
export MAPSERVER_BIND="$HOST:$PORT" MAPSERVER_WORKERS=${WORKERS:-4}
CONF=deploy/supervisord.conf
SUPERVISORD=.venv/bin/supervisord
CTL=(.venv/bin/supervisorctl -c "$CONF")
START_TIMEOUT=${START_TIMEOUT:-60}
mkdir -p "$MAPSERVER_STATE/log" "$MAPSERVER_STATE/run"

alive() { "${CTL[@]}" pid >/dev/null 2>&1; }  # supervisord answers on its socket

# /healthz answers 200 and the worker that answered is a child of the gunicorn master this supervisor runs.
ours_healthy() {
  local master body
  master=$("${CTL[@]}" pid web 2>/dev/null) || return 1
  [[ $master =~ ^[1-9][0-9]*$ ]] || return 1
  body=$(curl -sf --max-time 5 "http://$HOST:$PORT/healthz") || return 1
  [ "$(printf '%s' "$body" | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["server"]["master"])')" = "$master" ]
}

case "${1:-}" in
  run)
    if alive; then echo "already running (deploy/serve.sh stop first)" >&2; exit 1; fi
    echo "serving on http://$HOST:$PORT under supervisord (Ctrl-C stops it; logs in $MAPSERVER_STATE/log)"
    exec "$SUPERVISORD" -n -c "$CONF" ;;
  start)
    if alive; then echo "already running (deploy/serve.sh stop first)" >&2; exit 1; fi
    rm -f "$MAPSERVER_STATE/run/supervisord.pid"  # stale (nothing answers on the socket): never signalled
    "$SUPERVISORD" -c "$CONF"
    for _ in $(seq $((START_TIMEOUT * 2))); do
      if ours_healthy; then echo "serving on http://$HOST:$PORT (logs in $MAPSERVER_STATE/log)"; exit 0; fi
      sleep 0.5
    done
    echo "the server did not come up on http://$HOST:$PORT; last lines of the error log:" >&2
    tail -n 30 "$MAPSERVER_STATE/log/web-error.log" >&2 || true
    "${CTL[@]}" shutdown >/dev/null 2>&1 || true
    exit 1 ;;
  stop)
    if alive; then "${CTL[@]}" shutdown >/dev/null; echo "server stopped"
      for _ in $(seq 100); do alive || break; sleep 0.2; done
    else rm -f "$MAPSERVER_STATE/run/supervisord.pid"; echo "server not running"; fi ;;
  status) "${CTL[@]}" status ;;
  *) echo "usage: $0 run|start|stop|status" >&2; exit 2 ;;
esac
