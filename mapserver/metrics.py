"""Prometheus metrics: the counters every part of the server increments, and the operators' `/metrics` view.

Under gunicorn (several worker processes) prometheus_client runs in multiprocess mode: PROMETHEUS_MULTIPROC_DIR
is set by deploy/gunicorn.conf.py, which also empties it at start and marks dead workers. Without it (manage.py,
the test suite) the metrics live in the process. The API for the other apps:

    from mapserver import metrics
    metrics.tile_cache(hit=True)                       # the tile cache answered (False: rendered)
    metrics.scheduler_job("scenarios_run_due", "ok", seconds=2.5)   # outcome: ok, failed, skipped
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

REQUESTS = Counter("mapserver_http_requests", "HTTP requests answered", ["method", "route", "status"])
LATENCY = Histogram(
    "mapserver_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
ERRORS = Counter("mapserver_http_errors", "Requests answered with a server error, by kind", ["kind"])
TILE_CACHE = Counter("mapserver_tile_cache", "Tile requests by cache result", ["result"])
SCHEDULER_JOBS = Counter("mapserver_scheduler_jobs", "Scheduled jobs run, by job and outcome", ["job", "outcome"])
SCHEDULER_SECONDS = Histogram(
    "mapserver_scheduler_job_duration_seconds", "Duration of scheduled jobs", ["job"], buckets=(1, 5, 15, 60, 300, 900)
)
# Per worker process; summed over the live workers when scraped.
POOL = Gauge(
    "mapserver_db_pool_connections",
    "Database pool connections of the workers, by state",
    ["state"],
    multiprocess_mode="livesum",
)
DB_CONNECTIONS = Gauge(
    "mapserver_db_server_connections",
    "Connections to the server's database as PostgreSQL counts them (pg_stat_activity), by state",
    ["state"],
    multiprocess_mode="liveall",
)


def tile_cache(hit: bool) -> None:
    """Count one tile request answered from the cache (hit) or rendered (miss)."""
    TILE_CACHE.labels("hit" if hit else "miss").inc()


def scheduler_job(job: str, outcome: str, seconds: float | None = None) -> None:
    """Count one run of a scheduled job (outcome: ok, failed or skipped) and, if given, its duration."""
    SCHEDULER_JOBS.labels(job, outcome).inc()
    if seconds is not None:
        SCHEDULER_SECONDS.labels(job).observe(seconds)


def request_done(method: str, route: str, status: int, seconds: float) -> None:
    """Count one answered request (route: the URL pattern's name, never the raw path, so labels stay few)."""
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(route).observe(seconds)


def server_error(kind: str) -> None:
    """Count one 5xx answer by kind (exception, database_unavailable, timeout)."""
    ERRORS.labels(kind).inc()


def pool_stats(stats: dict[str, int]) -> None:
    """Record this worker's database pool sizes (psycopg_pool get_stats())."""
    size = stats.get("pool_size", 0)
    available = stats.get("pool_available", 0)
    POOL.labels("open").set(size)
    POOL.labels("idle").set(available)
    POOL.labels("in_use").set(size - available)
    POOL.labels("waiting").set(stats.get("requests_waiting", 0))


def render() -> tuple[bytes, str]:
    """The exposition text of every process's metrics (multiprocess mode) or of this process's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    from prometheus_client import REGISTRY

    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
