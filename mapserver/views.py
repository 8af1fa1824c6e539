"""Project-level endpoints: health."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest
from django.views.decorators.http import require_GET

from geodata.models import Commune
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
        return JsonResponse({"database": "unavailable", "reason": reason}, status=503)
    return JsonResponse(
        {
            "database": "ok",
            "postgis": postgis,
            "postgresql": server.split(" on ")[0],
            "communes": communes,
            "status": "ok" if communes == 95 else "degraded",
        }
    )
