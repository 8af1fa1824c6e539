"""GET /tiles/{layers}/{z}/{x}/{y}.mvt, GET /tiles/{layers}.json and the indicator choropleth tiles
GET /api/indicators/{code}/tiles/{period}/{z}/{x}/{y}.mvt (one pipeline: tiles.service, tiles.responses)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from mapserver.jsonio import JsonResponse
from tiles import indicators, service
from tiles.responses import MVT_TYPE, cache_headers, matches_etag, tile_response
from tiles.tilejson import tilejson
from tiles.tilemath import parse_tile

# MVT_TYPE, cache_headers and matches_etag stay importable from here (OGC API Tiles, raster tiles, styles)
__all__ = ["MVT_TYPE", "cache_headers", "indicator_tile", "matches_etag", "mvt_tile", "serve_tile", "tilejson_view"]


def serve_tile(request: HttpRequest, layer_ids: str, z: int, x: int, y: int) -> HttpResponse:
    """Authorise, fetch or render, and answer one vector tile (shared with OGC API Tiles)."""
    layers = service.resolve_layers(request.principal, layer_ids)
    tile = parse_tile(z, x, y)
    return tile_response(request, service.get_tile(layers, tile), service.all_public(layers))


@require_GET
def mvt_tile(request: HttpRequest, layers: str, z: int, x: int, y: int) -> HttpResponse:
    """One Mapbox vector tile holding one MVT layer per requested layer id."""
    return serve_tile(request, layers, z, x, y)


@require_GET
def indicator_tile(request: HttpRequest, code: str, period: str, z: int, x: int, y: int) -> HttpResponse:
    """An indicator's choropleth tile (MVT layer 'indicator': code, name, value, target, met), public."""
    tile = parse_tile(z, x, y)
    return tile_response(request, indicators.choropleth_tile(code, period, tile), public=True)


@require_GET
def tilejson_view(request: HttpRequest, layers: str) -> JsonResponse:
    """TileJSON 3.0.0 of a layer set, with vector_layers, province bounds and zoom range."""
    resolved = service.resolve_layers(request.principal, layers)
    template = request.build_absolute_uri(f"/tiles/{layers}/") + "{z}/{x}/{y}.mvt"
    response = JsonResponse(tilejson(resolved, template), json_dumps_params={"ensure_ascii": False})
    return cache_headers(response, service.all_public(resolved))
