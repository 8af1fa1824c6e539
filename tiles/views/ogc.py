"""OGC API Tiles: tile matrix sets, a collection's tilesets, tileset metadata and tiles."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from layers.registry import LayerSpec
from layers.render import html_response, wants
from mapserver.errors import NotFound
from mapserver.jsonio import JsonResponse
from mapserver.scoping import LayerAccess
from tiles import service, tms
from tiles.tilejson import scoped_bounds, vector_layer
from tiles.views.mvt import MVT_TYPE, cache_headers, serve_tile

TILING_SCHEME = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"
GEOMETRY_DIMENSION = {
    "Point": 0,
    "MultiPoint": 0,
    "LineString": 1,
    "MultiLineString": 1,
    "Polygon": 2,
    "MultiPolygon": 2,
}
JSON_TYPES = {"Number": "number", "Boolean": "boolean", "String": "string"}  # aggregated cells' counts and flags


def _json(request: HttpRequest, data: dict, public: bool = True, title: str = "") -> HttpResponse:
    """The document as JSON, or as the small HTML page when f=html (or the browser's Accept) asks for it."""
    if wants(request) == "html":
        response = cache_headers(html_response(request, title or str(data.get("title", "")), data), public)
    else:
        response = cache_headers(JsonResponse(data, json_dumps_params={"ensure_ascii": False}), public)
    patch_vary_headers(response, ["Accept"])  # one URL, two formats
    return response


def _tms_link(request: HttpRequest) -> dict:
    return {
        "rel": TILING_SCHEME,
        "type": "application/json",
        "title": tms.TMS_ID,
        "href": request.build_absolute_uri(f"/ogcapi/tileMatrixSets/{tms.TMS_ID}"),
    }


def _check_tms(tms_id: str) -> None:
    if tms_id != tms.TMS_ID:
        raise NotFound(f"tile matrix set {tms_id!r} is not offered (only {tms.TMS_ID})")


@require_GET
def tile_matrix_sets(request: HttpRequest) -> HttpResponse:
    """The tile matrix sets offered: WebMercatorQuad."""
    return _json(
        request,
        {
            "tileMatrixSets": [
                {
                    "id": tms.TMS_ID,
                    "title": "Google Maps Compatible for the World",
                    "uri": tms.TMS_URI,
                    "crs": tms.CRS_3857,
                    "links": [{**_tms_link(request), "rel": "self"}],
                }
            ],
            "links": [{"rel": "self", "type": "application/json", "href": request.build_absolute_uri()}],
        },
        title="Tile matrix sets",
    )


@require_GET
def tile_matrix_set(request: HttpRequest, tms_id: str) -> HttpResponse:
    """The definition of WebMercatorQuad."""
    _check_tms(tms_id)
    return _json(request, tms.tile_matrix_set(), title=tms.TMS_ID)


def _tileset_summary(request: HttpRequest, spec: LayerSpec) -> dict:
    base = request.build_absolute_uri(f"/ogcapi/collections/{spec.id}/tiles/{tms.TMS_ID}")
    return {
        "title": f"{spec.title} ({tms.TMS_ID})",
        "dataType": "vector",
        "crs": tms.CRS_3857,
        "tileMatrixSetURI": tms.TMS_URI,
        "links": [{"rel": "self", "type": "application/json", "href": base}, _tms_link(request)],
    }


@require_GET
def collection_tilesets(request: HttpRequest, collection_id: str) -> HttpResponse:
    """The tilesets of a collection (vector tiles in WebMercatorQuad)."""
    spec, _ = service.resolve_layer(request.principal, collection_id)
    return _json(
        request,
        {
            "tilesets": [_tileset_summary(request, spec)],
            "links": [{"rel": "self", "type": "application/json", "href": request.build_absolute_uri()}],
        },
        spec.public,
        title=f"{spec.title}: tilesets",
    )


def _property_schema(spec: LayerSpec, name: str, kind: str) -> dict:
    """An attribute typed by its record (as the layer's queryables), a cluster cell's field by its TileJSON kind."""
    if name not in spec.records:
        return {"type": JSON_TYPES[kind]}
    record = spec.attribute(name)
    json_type, json_format = record.json_type
    schema: dict = {"type": json_type}
    if json_format:
        schema["format"] = json_format
    if record.vocabulary:
        schema["enum"] = list(record.vocabulary.keys)
    return schema


def _layer_description(spec: LayerSpec) -> dict:
    entry = vector_layer(spec)
    properties = {name: _property_schema(spec, name, kind) for name, kind in entry["fields"].items()}
    return {
        "id": spec.id,
        "title": spec.title,
        "dataType": "vector",
        "geometryDimension": GEOMETRY_DIMENSION.get(spec.geometry_type, 2),
        "minTileMatrix": str(spec.minzoom),
        "maxTileMatrix": str(min(spec.maxzoom, tms.MAX_ZOOM)),
        "propertiesSchema": {"type": "object", "properties": properties},
    }


def _limits(bbox: tuple[float, float, float, float], spec: LayerSpec) -> list[dict]:
    return tms.matrix_limits(bbox, spec.minzoom, min(spec.maxzoom, 18))


def _check_limits(spec: LayerSpec, access: LayerAccess, z: int, row: int, col: int) -> None:
    """404 for a tile outside the tileset's tileMatrixSetLimits (/req/core/tc-error); empty ones inside: 204."""
    for limit in _limits(scoped_bounds([(spec, access)]), spec):
        if limit["tileMatrix"] == str(z):
            if limit["minTileRow"] <= row <= limit["maxTileRow"] and limit["minTileCol"] <= col <= limit["maxTileCol"]:
                return
            break
    raise NotFound(f"tile {z}/{row}/{col} is outside the tileset's tileMatrixSetLimits")


@require_GET
def tileset(request: HttpRequest, collection_id: str, tms_id: str) -> HttpResponse:
    """Tileset metadata: limits per tile matrix, the layer and its attributes, links to the tiles."""
    _check_tms(tms_id)
    spec, access = service.resolve_layer(request.principal, collection_id)
    bbox = scoped_bounds([(spec, access)])  # a commune-scoped caller: the extent of their commune's rows
    summary = _tileset_summary(request, spec)
    template = summary["links"][0]["href"] + "/{tileMatrix}/{tileRow}/{tileCol}"
    summary["links"].append({"rel": "item", "type": MVT_TYPE, "href": template, "templated": True})
    summary.update(
        {
            "tileMatrixSetLimits": _limits(bbox, spec),
            "layers": [_layer_description(spec)],
            "boundingBox": {"lowerLeft": list(bbox[:2]), "upperRight": list(bbox[2:]), "crs": tms.CRS84},
        }
    )
    return _json(request, summary, spec.public)


@require_GET
def ogc_tile(
    request: HttpRequest, collection_id: str, tms_id: str, tile_matrix: int, tile_row: int, tile_col: int
) -> HttpResponse:
    """One vector tile of a collection (row = y, column = x)."""
    _check_tms(tms_id)
    if "," in collection_id:
        raise NotFound("one collection per tile request")
    spec, access = service.resolve_layer(request.principal, collection_id)
    _check_limits(spec, access, tile_matrix, tile_row, tile_col)
    return serve_tile(request, collection_id, tile_matrix, tile_col, tile_row)
