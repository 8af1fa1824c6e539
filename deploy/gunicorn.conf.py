"""gunicorn settings of the map server: ASGI (uvicorn workers), limits, timeouts, metrics across workers.

Used by every way the server is started: `make run`/`make start` (deploy/supervisor.d/web.conf), the image
(docker-compose), the benchmarks. MAPSERVER_BIND (default 127.0.0.1:8000) and MAPSERVER_WORKERS (default 4);
`-b`/`-w` on the command line win over both.
"""

import ctypes
import os
import shutil
import signal
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent

bind = os.environ.get("MAPSERVER_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("MAPSERVER_WORKERS", "4"))
worker_class = "mapserver.asgi_worker.UvicornWorker"
# A long CQL2 filter in the query string needs a long request line (the worker passes it on to the HTTP parser):
# the app's 20,000-character filter limit, percent-encoded, fits in 256 KiB, as nginx's large_client_header_buffers.
limit_request_line = 262144
# A worker whose event loop has not ticked for this long is killed and replaced (requests run in threads, so a
# long request does not count; the request deadline of mapserver/timeouts.py stops those).
timeout = 60
graceful_timeout = 30  # on stop or restart, requests in progress get this long
keepalive = 5  # seconds an idle keep-alive connection is kept (nginx in front keeps its own)
errorlog = "-"  # stderr: under the supervisor, .data/log/web-error.log
accesslog = None  # the JSON request log (mapserver.requestlog) replaces it

# prometheus_client multiprocess mode: each worker writes its metrics to files here, /metrics sums them.
_STATE = Path(os.environ.get("MAPSERVER_STATE", _ROOT / ".data"))
_METRICS_DIR = Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(_STATE / "run" / "prometheus")))


def on_starting(server) -> None:
    """A fresh master starts with no metric files of an earlier run."""
    shutil.rmtree(_METRICS_DIR, ignore_errors=True)
    _METRICS_DIR.mkdir(parents=True)


def post_fork(server, worker) -> None:
    """A worker gets SIGTERM when its master dies (kill -9 included), so no orphan keeps serving on the port and
    the master the supervisor starts next can bind it (Linux prctl PR_SET_PDEATHSIG)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() != server.pid:  # the master died between fork and prctl
        os.kill(os.getpid(), signal.SIGTERM)


def child_exit(server, worker) -> None:
    """Drop a dead worker's live gauges from the metrics."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker) -> None:
    """Load the URL configuration (every view module and what it imports) before the worker takes a request, so
    that after a start or restart no visitor's request waits for those imports (about 0.8 s per worker)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (the property imports them)
