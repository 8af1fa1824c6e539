"""POST /api/query."""

from __future__ import annotations

from django.http import HttpRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from mapserver.jsonio import JsonResponse
from mapserver.ratelimit import check_rate
from scenarios import personal
from scenarios.area_query import run_query
from scenarios.http import json_body


@csrf_exempt  # read-only: POST only carries the query shape
@require_POST
def spatial_query(request: HttpRequest) -> JsonResponse:
    """Counts, groups and sums per layer in an area, or what is at a point (see scenarios.area_query)."""
    check_rate(request, "query")
    answer = run_query(request.principal, json_body(request))
    personal.audit_counts(request, personal.query_counts(answer))
    return JsonResponse(answer)
