"""HTTP answers of every vector tile endpoint (layer tiles, OGC API Tiles, indicator choropleths): one status,
ETag and Cache-Control policy."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from tiles.service import TileResult

MVT_TYPE = "application/vnd.mapbox-vector-tile"
PUBLIC_MAX_AGE = 60  # seconds; every write changes the server cache's key at once, clients revalidate with the ETag


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


def tile_response(request: HttpRequest, result: TileResult, public: bool) -> HttpResponse:
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
