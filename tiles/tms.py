"""The WebMercatorQuad tile matrix set (OGC 2D Tile Matrix Set 2.0, JSON encoding)."""

from __future__ import annotations

from tiles.tilemath import MAX_ZOOM, ORIGIN, WORLD, tile_range

TMS_ID = "WebMercatorQuad"
TMS_URI = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
CRS_3857 = "http://www.opengis.net/def/crs/EPSG/0/3857"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
PIXEL_M = 0.00028  # the standardized rendering pixel size
TILE_PX = 256


def tile_matrix(z: int) -> dict:
    """One tile matrix (zoom level) of WebMercatorQuad."""
    cell = WORLD / TILE_PX / (1 << z)
    return {
        "id": str(z),
        "scaleDenominator": cell / PIXEL_M,
        "cellSize": cell,
        "cornerOfOrigin": "topLeft",
        "pointOfOrigin": [-ORIGIN, ORIGIN],
        "tileWidth": TILE_PX,
        "tileHeight": TILE_PX,
        "matrixWidth": 1 << z,
        "matrixHeight": 1 << z,
    }


def tile_matrix_set() -> dict:
    """The full definition of WebMercatorQuad, zooms 0 to MAX_ZOOM."""
    return {
        "id": TMS_ID,
        "title": "Google Maps Compatible for the World",
        "uri": TMS_URI,
        "crs": CRS_3857,
        "orderedAxes": ["X", "Y"],
        "wellKnownScaleSet": "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
        "tileMatrices": [tile_matrix(z) for z in range(MAX_ZOOM + 1)],
    }


def matrix_limits(bbox: tuple[float, float, float, float], minzoom: int, maxzoom: int) -> list[dict]:
    """tileMatrixSetLimits: the rows and columns covering a lon/lat bbox at each zoom."""
    limits = []
    for z in range(minzoom, maxzoom + 1):
        x0, y0, x1, y1 = tile_range(bbox, z)
        limits.append({"tileMatrix": str(z), "minTileRow": y0, "maxTileRow": y1, "minTileCol": x0, "maxTileCol": x1})
    return limits
