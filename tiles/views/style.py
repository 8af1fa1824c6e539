"""GET /styles/operations.json: the MapLibre style of the operations map for the caller."""

from __future__ import annotations

from django.http import HttpRequest
from django.views.decorators.http import require_GET

from mapserver.jsonio import JsonResponse
from tiles.style import operations_style as build_style
from tiles.views.mvt import cache_headers


@require_GET
def operations_style(request: HttpRequest) -> JsonResponse:
    """Sources from our TileJSON endpoints, only the layers the caller may read; glyphs served locally."""
    document = build_style(request.principal, request.build_absolute_uri)
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
    return cache_headers(response, public=request.principal.is_anonymous)
