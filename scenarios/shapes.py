"""Query shapes (point, radius, polygon, commune): parsed and validated before any SQL runs."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from pyproj import Geod
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.validation import explain_validity

from mapserver.errors import InvalidParameterValue

GEOD = Geod(ellps="WGS84")
MAX_RADIUS_M = 50_000.0
MAX_POLYGON_KM2 = 20_000.0  # the province is about 12,700 km²; anything larger is a mistake or an abuse
MAX_POLYGON_VERTICES = 20_000
KINDS = ("point", "radius", "polygon", "commune", "province")


@dataclass(frozen=True)
class Area:
    """A validated query shape; `as_dict()` is its normalised input form (stored with runs)."""

    kind: str
    point: tuple[float, float] | None = None
    radius_m: float | None = None
    geometry: dict | None = None  # GeoJSON Polygon/MultiPolygon (kind polygon)
    commune_code: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The shape as the API accepts it."""
        if self.kind == "point":
            return {"type": "point", "point": list(self.point)}
        if self.kind == "radius":
            return {"type": "radius", "center": list(self.point), "radius_m": self.radius_m}
        if self.kind == "polygon":
            return {"type": "polygon", "geometry": self.geometry}
        if self.kind == "province":
            return {"type": "province"}
        return {"type": "commune", "code": self.commune_code}


def parse_area(body: Any) -> Area:
    """Validate a query shape from a request body; raises InvalidParameterValue with a message."""
    if not isinstance(body, dict):
        raise InvalidParameterValue("the area must be a JSON object with a 'type'")
    kind = body.get("type")
    if kind not in KINDS:
        raise InvalidParameterValue(f"area type must be one of {', '.join(KINDS)}, got {kind!r}")
    if kind == "point":
        return Area("point", point=parse_lonlat(body.get("point"), "point"))
    if kind == "radius":
        return Area(
            "radius", point=parse_lonlat(body.get("center"), "center"), radius_m=parse_radius(body.get("radius_m"))
        )
    if kind == "polygon":
        return Area("polygon", geometry=parse_polygon(body.get("geometry")))
    if kind == "province":
        return Area("province")
    return Area("commune", commune_code=parse_commune_code(body.get("code")))


def finite_number(value: Any, name: str) -> float:
    """A JSON number as a finite float; 400 for anything else (also integers too large for a float)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidParameterValue(f"{name} must be a finite number, got {str(value)[:40]!r}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise InvalidParameterValue(f"{name} must be a finite number, got {str(value)[:40]}")
    return number


def parse_lonlat(value: Any, name: str) -> tuple[float, float]:
    """[lon, lat] in WGS 84 degrees, range-checked."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise InvalidParameterValue(f"{name} must be [lon, lat]")
    lon, lat = finite_number(value[0], f"{name} longitude"), finite_number(value[1], f"{name} latitude")
    if not -180 <= lon <= 180:
        raise InvalidParameterValue(f"{name} longitude {lon} is out of range [-180, 180]")
    if not -90 <= lat <= 90:
        raise InvalidParameterValue(f"{name} latitude {lat} is out of range [-90, 90]")
    return lon, lat


def parse_radius(value: Any) -> float:
    """A radius in metres, in (0, MAX_RADIUS_M]."""
    radius = finite_number(value, "radius_m")
    if radius <= 0:
        raise InvalidParameterValue(f"radius_m must be positive, got {radius:g}")
    if radius > MAX_RADIUS_M:
        raise InvalidParameterValue(f"radius_m {radius:g} exceeds the limit of {MAX_RADIUS_M:g} m")
    return radius


def parse_commune_code(value: Any) -> str:
    """A commune code: digits only (existence is checked against the database by the query)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.isdigit() or len(value) > 8:
        raise InvalidParameterValue(f"commune code must be a string of digits, got {value!r}")
    return value


def parse_polygon(value: Any) -> dict:
    """A valid GeoJSON Polygon or MultiPolygon in WGS 84, not self-intersecting and not huge."""
    if not isinstance(value, dict) or value.get("type") not in ("Polygon", "MultiPolygon"):
        raise InvalidParameterValue("geometry must be a GeoJSON Polygon or MultiPolygon")
    try:
        geometry = shape(value)
    except (ValueError, TypeError, IndexError, AttributeError, KeyError) as exc:
        raise InvalidParameterValue(f"geometry is not valid GeoJSON: {exc}") from None
    if not isinstance(geometry, (Polygon, MultiPolygon)) or geometry.is_empty:
        raise InvalidParameterValue("geometry must be a non-empty Polygon or MultiPolygon")
    _check_coordinates(geometry)
    if not geometry.is_valid:
        raise InvalidParameterValue(f"geometry is invalid: {explain_validity(geometry)}")
    area_km2 = abs(GEOD.geometry_area_perimeter(geometry)[0]) / 1e6
    if area_km2 > MAX_POLYGON_KM2:
        raise InvalidParameterValue(f"polygon area {area_km2:,.0f} km² exceeds the limit of {MAX_POLYGON_KM2:,.0f} km²")
    return mapping(geometry)


def _check_coordinates(geometry: Polygon | MultiPolygon) -> None:
    polygons = geometry.geoms if isinstance(geometry, MultiPolygon) else [geometry]
    count = 0
    for polygon in polygons:
        for ring in (polygon.exterior, *polygon.interiors):
            for lon, lat, *_ in ring.coords:
                if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
                    raise InvalidParameterValue(f"polygon coordinate ({lon}, {lat}) is out of range")
                count += 1
    if count > MAX_POLYGON_VERTICES:
        raise InvalidParameterValue(f"polygon has {count} vertices, more than the limit of {MAX_POLYGON_VERTICES}")
