"""The OGC API - Tiles paths of the /ogcapi OpenAPI definition (registered by TilesConfig.ready)."""

from __future__ import annotations

from layers.openapi import operation, path_param

COLLECTION = path_param("collectionId", "A collection id")
TMS = path_param("tileMatrixSetId", "The tile matrix set", {"type": "string", "enum": ["WebMercatorQuad"]})
TILE = [
    path_param("tileMatrix", "Zoom level", {"type": "integer", "minimum": 0}),
    path_param("tileRow", "Row (y)", {"type": "integer", "minimum": 0}),
    path_param("tileCol", "Column (x)", {"type": "integer", "minimum": 0}),
]
MVT = {
    "200": {
        "description": "A Mapbox vector tile",
        "content": {"application/vnd.mapbox-vector-tile": {"schema": {"type": "string", "format": "binary"}}},
    },
    "204": {"description": "No feature in this tile (inside the tileset's limits)"},
    "404": {"$ref": "#/components/responses/NotFound"},
}


def paths() -> dict:
    """Tile matrix sets, a collection's tilesets, a tileset and its tiles."""
    base = "/collections/{collectionId}/tiles"
    return {
        "/tileMatrixSets": {"get": operation("tile_matrix_sets", "Tile matrix sets", [], "Tile matrix sets")},
        "/tileMatrixSets/{tileMatrixSetId}": {
            "get": operation("tile_matrix_set", "A tile matrix set", [TMS], "Tile matrix set", 404)
        },
        base: {"get": operation("tilesets", "A collection's tilesets", [COLLECTION], "Tilesets", 401, 404)},
        f"{base}/{{tileMatrixSetId}}": {
            "get": operation("tileset", "Tileset metadata and limits", [COLLECTION, TMS], "Tileset", 401, 404)
        },
        f"{base}/{{tileMatrixSetId}}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}": {
            "get": {
                "summary": "A vector tile; 404 outside tileMatrixSetLimits",
                "operationId": "tile",
                "parameters": [COLLECTION, TMS, *TILE],
                "responses": MVT,
            }
        },
    }
