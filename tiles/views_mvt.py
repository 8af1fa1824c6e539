"""GET /tiles/{layers}/{z}/{x}/{y}.mvt and GET /tiles/{layers}.json."""
from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from tiles import service
from tiles.tilejson import tilejson
from tiles.tilemath import parse_tile

MVT_TYPE = "application/vnd.mapbox-vector-tile"
PUBLIC_MAX_AGE = 60  # seconds; edits invalidate the server cache at once, clients revalidate with the ETag


def cache_headers(response: HttpResponse, public: bool) -> HttpResponse:
    """Cache-Control for shared (public) or per-caller (protected) responses."""
    if public:
        response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    else:
        response["Cache-Control"] = "private, max-age=0, must-revalidate"
        response["Vary"] = "Authorization, Cookie"
    return response


def matches_etag(if_none_match: str, etag: str) -> bool:
    """Whether an If-None-Match header names this ETag (weak comparison, as RFC 9110 asks for GET)."""
    candidates = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in candidates or etag in candidates


def tile_response(request: HttpRequest, result: service.TileResult, public: bool) -> HttpResponse:
    """200 with the tile, 204 for an empty tile, 304 when If-None-Match holds the ETag."""
    if not result.data:
        response = HttpResponse(status=204)
    elif matches_etag(request.headers.get("If-None-Match", ""), result.etag):
        response = HttpResponse(status=304)
        response["ETag"] = result.etag
    else:
        response = HttpResponse(result.data, content_type=MVT_TYPE)
        response["ETag"] = result.etag
    response["X-Tile-Cache"] = "hit" if result.cached else "miss"
    return cache_headers(response, public)


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
def tilejson_view(request: HttpRequest, layers: str) -> JsonResponse:
    """TileJSON 3.0.0 of a layer set, with vector_layers, province bounds and zoom range."""
    resolved = service.resolve_layers(request.principal, layers)
    template = request.build_absolute_uri(f"/tiles/{layers}/") + "{z}/{x}/{y}.mvt"
    response = JsonResponse(tilejson(resolved, template), json_dumps_params={"ensure_ascii": False})
    return cache_headers(response, service.all_public(resolved))
