"""GET /api/indicators, /api/indicators/{code}/values, /api/indicators/alerts and the choropleth tiles."""
from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from scenarios import indicators
from scenarios.shapes import parse_commune_code

MVT_TYPE = "application/vnd.mapbox-vector-tile"


@require_GET
def indicator_list(request: HttpRequest) -> JsonResponse:
    """Every indicator: target, direction, unit, period kind, owner department, periods with values."""
    return JsonResponse({"indicators": indicators.list_indicators()})


@require_GET
def indicator_values(request: HttpRequest, code: str) -> JsonResponse:
    """Values per commune for ?period= (default latest), compared with the previous period and last year."""
    return JsonResponse(indicators.indicator_values(code, request.GET.get("period") or None))


@require_GET
def indicator_alerts(request: HttpRequest) -> JsonResponse:
    """Values missing their target, filtered by ?period=, ?commune=, ?sector=."""
    commune = request.GET.get("commune")
    found = indicators.alerts(
        period=request.GET.get("period") or None, commune=parse_commune_code(commune) if commune else None,
        sector=request.GET.get("sector") or None,
    )
    return JsonResponse({"alerts": found})


@require_GET
def indicator_tile(request: HttpRequest, code: str, period: str, z: int, x: int, y: int) -> HttpResponse:
    """A choropleth vector tile (layer 'indicator': code, name, value, target, met)."""
    data = indicators.tile(code, period, z, x, y)
    response = HttpResponse(data, content_type=MVT_TYPE) if data else HttpResponse(status=204)
    response["Cache-Control"] = "public, max-age=60"
    return response
