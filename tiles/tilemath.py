"""WebMercatorQuad arithmetic: tile bounds, tile ranges and request parameter validation."""

from __future__ import annotations

import math
from dataclasses import dataclass

from mapserver.errors import InvalidParameterValue

ORIGIN = 20037508.342789244  # half the Web Mercator world width in metres
WORLD = 2 * ORIGIN
MAX_ZOOM = 24
EXTENT = 4096  # MVT tile extent
BUFFER = 64  # MVT clip buffer in extent units
DISPLAY_PX = 512  # MapLibre draws a vector tile on 512 screen pixels


@dataclass(frozen=True)
class Tile:
    """One tile of the WebMercatorQuad matrix set."""

    z: int
    x: int
    y: int

    @property
    def size_m(self) -> float:
        """Edge length of the tile in Web Mercator metres."""
        return WORLD / (1 << self.z)

    def bounds_3857(self) -> tuple[float, float, float, float]:
        """(minx, miny, maxx, maxy) in EPSG:3857."""
        size = self.size_m
        minx = -ORIGIN + self.x * size
        maxy = ORIGIN - self.y * size
        return minx, maxy - size, minx + size, maxy

    def bounds_4326(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) in degrees."""
        west, north = lonlat(self.x, self.y, self.z)
        east, south = lonlat(self.x + 1, self.y + 1, self.z)
        return west, south, east, north

    def path(self) -> str:
        return f"{self.z}/{self.x}/{self.y}"


def lonlat(x: float, y: float, z: int) -> tuple[float, float]:
    """Longitude/latitude of a tile corner."""
    n = 1 << z
    lon = x / n * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / n))))
    return lon, lat


def tile_for(lon: float, lat: float, z: int) -> tuple[int, int]:
    """(x, y) of the tile holding a point at zoom z."""
    n = 1 << z
    lat = max(min(lat, 85.0511287798), -85.0511287798)
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def tile_range(bbox: tuple[float, float, float, float], z: int) -> tuple[int, int, int, int]:
    """(minx, miny, maxx, maxy) tile indexes covering a lon/lat bbox at zoom z (inclusive)."""
    west, south, east, north = bbox
    x0, y0 = tile_for(west, north, z)
    x1, y1 = tile_for(east, south, z)
    return x0, y0, x1, y1


def parse_tile(z: str | int, x: str | int, y: str | int) -> Tile:
    """Validate z/x/y from a URL (400 when out of the matrix)."""
    try:
        zi, xi, yi = int(z), int(x), int(y)
    except (TypeError, ValueError) as exc:
        raise InvalidParameterValue("tile indexes must be integers") from exc
    if not 0 <= zi <= MAX_ZOOM:
        raise InvalidParameterValue(f"zoom must be between 0 and {MAX_ZOOM}")
    n = 1 << zi
    if not (0 <= xi < n and 0 <= yi < n):
        raise InvalidParameterValue(f"tile {zi}/{xi}/{yi} is outside the tile matrix (0..{n - 1})")
    return Tile(zi, xi, yi)


def simplify_tolerance_deg(tile: Tile) -> float:
    """Simplification tolerance in degrees: about one display pixel of this tile at its latitude band.

    Geometries are stored in EPSG:4326 and simplified before the transform to 3857 (fewer points to
    project); one display pixel is size_m / 512 Mercator metres; a degree of longitude spans 111320
    Mercator metres and a degree of latitude 111320 / cos(phi): the latitude figure is the smaller one.
    """
    _, south, _, north = tile.bounds_4326()
    lat = math.radians(max(min((south + north) / 2, 85.0), -85.0))
    return tile.size_m / DISPLAY_PX * math.cos(lat) / 111320.0
