"""Project-level endpoints: health and the operators' metrics."""

from __future__ import annotations

import ipaddress
import os

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from geodata.models import Commune
from mapserver import metrics
from mapserver.audit import client_address
from mapserver.errors import Forbidden, Unauthorized
from mapserver.jsonio import JsonResponse


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and PostGIS status with the commune count; 503 with the reason when the database is down."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT postgis_lib_version(), version()")
            postgis, server = cursor.fetchone()
        communes = Commune.objects.count()
    except DatabaseError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        return JsonResponse({"database": "unavailable", "reason": reason, "server": _server()}, status=503)
    return JsonResponse(
        {
            "database": "ok",
            "postgis": postgis,
            "postgresql": server.split(" on ")[0],
            "communes": communes,
            "status": "ok" if communes == 95 else "degraded",
            "server": _server(),
        }
    )


def _server() -> dict[str, int]:
    """The answering worker's pid and its master's (deploy/serve.sh checks the answer comes from its own server)."""
    return {"pid": os.getpid(), "master": os.getppid()}


@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics for the operators: an admin's bearer token, or a client in MAPSERVER_METRICS_NETWORKS."""
    principal = getattr(request, "principal", None)
    address = client_address(request)
    allowed = address is not None and any(
        ipaddress.ip_address(address) in ipaddress.ip_network(n) for n in settings.MAPSERVER_METRICS_NETWORKS
    )
    if not allowed:
        if principal is None or principal.is_anonymous:
            raise Unauthorized("the metrics need an admin's token")
        if principal.role != "admin":
            raise Forbidden("the metrics are for administrators")
    _database_connections()
    body, content_type = metrics.render()
    return HttpResponse(body, content_type=content_type)


def _database_connections() -> None:
    """Refresh the gauge of connections to this database by state (pg_stat_activity), if the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(state, 'other'), count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "GROUP BY 1"
            )
            rows = cursor.fetchall()
    except DatabaseError:
        return
    metrics.DB_CONNECTIONS.clear()
    for state, count in rows:
        metrics.DB_CONNECTIONS.labels(state).set(count)
