"""What every map of a run shows: the outlines of its communes, its area, and its features coloured by step."""

from __future__ import annotations

from typing import Any

from shapely import wkb
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from layers.registry import registry
from scenarios import documents
from scenarios.models import ScenarioRun
from scenarios.shapes import GEOD
from scenarios.specs import ScenarioSpec

OUTLINE_TOLERANCE = 0.0005  # degrees (about 50 m): outlines only


def commune_outlines(run: ScenarioRun) -> list[tuple[str, BaseGeometry]]:
    """(name, simplified polygon) of each commune the run's area enters."""
    codes = [c["code"] for c in (run.result or {}).get("communes", [])]
    spec = registry.get("communes")
    rows = spec.model.objects.filter(**{f"{spec.commune_field}__in": codes}).values_list(
        spec.label_field, spec.geometry_field
    )
    return [(name, wkb.loads(bytes(geom.wkb)).simplify(OUTLINE_TOLERANCE)) for name, geom in rows]


def feature_colour(feature: dict, style: dict[str, dict]) -> str:
    """The colour of a result feature: by attribute when the step declares one, else the step colour."""
    step = style.get(feature["properties"].get("step"), {})
    by = step.get("by")
    if by and by in feature["properties"]:
        key = str(feature["properties"][by]).lower()
        if key in step.get("colors", {}):
            return step["colors"][key]
    return step.get("color", "#333333")


def features_with_colours(run: ScenarioRun, spec: ScenarioSpec) -> list[tuple[dict, BaseGeometry, str]]:
    """(feature, shapely geometry, colour) for every map feature of the run."""
    style = documents.map_style(spec)
    found = []
    for feature in (run.map_geojson or {}).get("features", []):
        if feature.get("geometry"):
            found.append((feature, shape(feature["geometry"]), feature_colour(feature, style)))
    return found


def area_geometry(run: ScenarioRun) -> dict[str, Any] | None:
    """The drawn polygon, or the geodesic circle of a radius or point run (communes show the other areas)."""
    kind = run.area.get("type")
    if kind == "polygon":
        return run.area.get("geometry")
    if kind in ("radius", "point"):
        lon, lat = run.area.get("center") or run.area.get("point")
        radius = run.area.get("radius_m") or run.params.get("point_radius_m", 1000)
        ring = [GEOD.fwd(lon, lat, azimuth, radius)[:2] for azimuth in range(0, 360, 5)]
        return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}
    return None
