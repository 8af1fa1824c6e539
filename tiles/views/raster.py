"""GET /tiles/raster/{layer_id}/{z}/{x}/{y}.png: coloured PNG tiles of the registered raster layers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from geodata.models import RasterLayer
from mapserver.errors import NotFound, ServiceUnavailable
from tiles import raster
from tiles.cache import etag_of
from tiles.tilemath import parse_tile
from tiles.views.mvt import matches_etag

RASTER_MAX_AGE = 3600


@require_GET
def raster_tile(request: HttpRequest, layer_id: str, z: int, x: int, y: int) -> HttpResponse:
    """One 256-pixel PNG tile; transparent outside the raster's data."""
    tile = parse_tile(z, x, y)
    record = RasterLayer.objects.filter(layer_id=layer_id).first()
    if record is None:
        raise NotFound(f"no raster layer {layer_id!r}")
    path = raster.raster_path(record.path)
    if not path.is_file():
        raise ServiceUnavailable(f"raster {layer_id!r} is registered but its file is missing")
    data = raster.render(layer_id, path, tile)
    etag = etag_of(data)
    if matches_etag(request.headers.get("If-None-Match", ""), etag):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(data, content_type="image/png")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={RASTER_MAX_AGE}"
    return response
