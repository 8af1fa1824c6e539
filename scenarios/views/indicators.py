"""GET /api/indicators, /api/indicators/{code}/values and /api/indicators/alerts (the choropleth tiles, under
/api/indicators/{code}/tiles/, are the tiles app's: tiles/indicators.py)."""

from __future__ import annotations

from django.http import HttpRequest
from django.views.decorators.http import require_GET

from mapserver.jsonio import JsonResponse
from scenarios import indicators
from scenarios.shapes import parse_commune_code


@require_GET
def indicator_list(request: HttpRequest) -> JsonResponse:
    """Every indicator: target, direction, unit, period kind, owner department, periods with values."""
    return JsonResponse({"indicators": indicators.list_indicators()})


@require_GET
def indicator_values(request: HttpRequest, code: str) -> JsonResponse:
    """Values per commune for ?period= (default latest) and ?commune=, compared with the previous period and last
    year, with the province figure and the communes that have not reported."""
    commune = request.GET.get("commune")
    return JsonResponse(
        indicators.indicator_values(
            code, request.GET.get("period") or None, parse_commune_code(commune) if commune else None
        )
    )


@require_GET
def indicator_alerts(request: HttpRequest) -> JsonResponse:
    """Values missing their target, filtered by ?period=, ?commune=, ?sector=."""
    commune = request.GET.get("commune")
    found = indicators.alerts(
        period=request.GET.get("period") or None,
        commune=parse_commune_code(commune) if commune else None,
        sector=request.GET.get("sector") or None,
    )
    return JsonResponse({"alerts": found})
