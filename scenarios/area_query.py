"""POST /api/query: what is at a point, or what lies in a radius, polygon or commune, per layer."""

from __future__ import annotations

from functools import cache
from typing import Any

from geodata.attributes import NUMERIC_KINDS
from layers.registry import LayerSpec, registry
from layers.scoped import ScopedLayer, scoped
from mapserver.errors import InvalidParameterValue, ServiceUnavailable
from mapserver.principal import Principal
from mapserver.scoping import layer_access
from scenarios import queries, rastersample
from scenarios.queries import Selection
from scenarios.shapes import Area, parse_area

# Kinds of the attribute records (geodata.attributes) a query may group by and sum; identifiers (code), free
# text and URLs would make one group per feature. Additive attributes (people, beds, kWh...) are summed by default.
GROUPABLE_KINDS = {"category", "boolean"}
MAX_LAYERS = 40
MAX_GROUPS = 1000
MAX_PAGE = 1000
MAX_OFFSET = 10_000_000  # as the OGC API items; beyond PostgreSQL's bigint an OFFSET is a database error
NEAREST_K = 3


def readable(principal: Principal, layer_id: Any) -> ScopedLayer:
    """A layer the caller may read, bound to the caller's access (the gateway); else 400/401/403."""
    spec = registry.get(layer_id) if isinstance(layer_id, str) else None
    if spec is None:
        raise InvalidParameterValue(f"unknown layer {layer_id!r}")
    return scoped(principal, spec)


@cache  # these three read only the declaration: worked out once per layer, not for each layer of each query
def groupable(spec: LayerSpec) -> frozenset[str]:
    """Attributes a query may group by: categorical published attributes, and commune."""
    names = {name for name in spec.properties if spec.attribute(name).kind in GROUPABLE_KINDS}
    return frozenset(names | ({"commune"} if spec.commune_field else set()))


@cache
def summable(spec: LayerSpec) -> frozenset[str]:
    """Numeric published attributes, plus the clipped geodesic length (lines) or area (polygons)."""
    names = {name for name in spec.properties if spec.attribute(name).kind in NUMERIC_KINDS}
    if "LineString" in spec.geometry_type:
        names.add("clipped_length_m")
    if "Polygon" in spec.geometry_type:
        names.add("clipped_area_m2")
    return frozenset(names)


@cache
def default_sums(spec: LayerSpec) -> tuple[str, ...]:
    """The additive attributes, then the clipped length or area."""
    names = [name for name in spec.properties if spec.attribute(name).additive]
    return tuple(names) + tuple(sorted(summable(spec) - set(spec.properties)))


def raster_ids(candidates: list[str]) -> set[str]:
    """The registered rasters among the ids that name no vector layer (a vector layer's id names that layer, so a
    body of vector layers alone costs no lookup)."""
    from geodata.models import RasterLayer

    unknown = [x for x in candidates if registry.get(x) is None]
    if not unknown:
        return set()
    return set(RasterLayer.objects.filter(layer_id__in=unknown).values_list("layer_id", flat=True))


def zonal_stats(layer_id: str, geometry: dict) -> dict:
    """Statistics of a registered raster inside a GeoJSON geometry (geodata.rasters)."""
    from geodata import rasters

    try:
        return rasters.zonal_stats(layer_id, geometry)
    except LookupError:  # registered, but the file is gone
        raise ServiceUnavailable(f"raster {layer_id} is registered but its file is missing") from None


def _per_layer(value: Any, layer_id: str) -> Any:
    """A per-layer option given once for all layers or as {layer id: value}."""
    return value.get(layer_id) if isinstance(value, dict) else value


def build_selections(principal: Principal, body: dict, layer_ids: list[str]) -> tuple[list[Selection], set[str]]:
    """Validate group_by and sums for each requested vector layer and resolve its scope. A group_by given once
    for all layers applies to the layers that have that attribute; the others (returned) are counted ungrouped.
    Per layer ({layer: attribute}) it must exist."""
    selections, ungrouped = [], set()
    shared = body.get("group_by")
    if (
        isinstance(shared, str)
        and layer_ids
        and not any(shared in groupable(readable(principal, layer_id).spec) for layer_id in layer_ids)
    ):
        raise InvalidParameterValue(f"the layers cannot be grouped by {shared!r}")
    for layer_id in layer_ids:
        scope = readable(principal, layer_id)
        spec = scope.spec
        group_by = _per_layer(shared, layer_id)
        if isinstance(shared, str) and group_by not in groupable(spec):
            group_by = None
            ungrouped.add(layer_id)
        if group_by is not None and (not isinstance(group_by, str) or group_by not in groupable(spec)):
            raise InvalidParameterValue(
                f"layer {layer_id} cannot be grouped by {group_by!r}; allowed: {', '.join(sorted(groupable(spec)))}"
            )
        sums = _per_layer(body.get("sums"), layer_id)
        if sums is None:
            sums = default_sums(spec)
        elif not isinstance(sums, list) or any(not isinstance(n, str) or n not in summable(spec) for n in sums):
            raise InvalidParameterValue(
                f"sums for layer {layer_id} must be a list of {', '.join(sorted(summable(spec)))}"
            )
        selections.append(Selection(scope, group_by=group_by, sums=tuple(sums)))
    return selections, ungrouped


def requested_layers(principal: Principal, body: dict) -> tuple[list[str], list[str]]:
    """(vector layer ids, raster layer ids) named in the body; by default every readable non-base layer."""
    layers = body.get("layers")
    if layers is None:
        layers = [s.id for s in registry.all() if s.group != "base" and layer_access(principal, s).read]
    if not isinstance(layers, list) or not all(isinstance(x, str) for x in layers) or len(layers) > MAX_LAYERS:
        raise InvalidParameterValue(f"layers must be a list of at most {MAX_LAYERS} layer ids")
    unique = list(dict.fromkeys(layers))
    rasters = raster_ids(unique)
    return [x for x in unique if x not in rasters], [x for x in unique if x in rasters]


def run_query(principal: Principal, body: Any) -> dict[str, Any]:
    """Answer a spatial query body (see the module docstring)."""
    if not isinstance(body, dict):
        raise InvalidParameterValue("the body must be a JSON object")
    area = parse_area(body)
    vector_ids, raster_layer_ids = requested_layers(principal, body)
    selections, ungrouped = build_selections(principal, body, vector_ids)
    page = _page(body)
    if area.kind == "commune" and not queries.commune_exists(area.commune_code):
        raise InvalidParameterValue(f"unknown commune code {area.commune_code!r}")
    if area.kind == "point":
        return point_answer(principal, area, selections, raster_layer_ids)
    result = queries.aggregate(area, selections, want_geojson=bool(raster_layer_ids))
    answer = {
        "area": area.as_dict(),
        "area_m2": round(result["area_m2"] or 0.0, 1),
        "communes": result["communes"],
        "layers": layer_answers(selections, result["rows"]),
    }
    for layer_id in ungrouped:
        answer["layers"][layer_id]["group_by_unavailable"] = body["group_by"]
    for layer_id in raster_layer_ids:
        answer["layers"][layer_id] = {"zonal_stats": zonal_stats(layer_id, result["geojson"])}
    if page is not None:
        for selection in selections:
            collection = queries.features_page(area, selection, *page)
            collection.update(_paging(answer["layers"][selection.spec.id]["count"], page, len(collection["features"])))
            answer["layers"][selection.spec.id]["features"] = collection
    return answer


def layer_answers(selections: list[Selection], rows: list[dict]) -> dict[str, dict]:
    """Fold the grouped rows into {layer: {count, groups, sums}}."""
    answers: dict[str, dict] = {}
    for selection in selections:
        grouped = selection.group_by is not None
        answers[selection.spec.id] = {
            "count": 0,
            "sums": dict.fromkeys(selection.sums, 0),
            **({"group_by": selection.group_by, "groups": {}} if grouped else {}),
        }
    for row in sorted(rows, key=lambda r: -r["n"]):
        answer = answers[row["layer"]]
        answer["count"] += row["n"]
        sums = {name: _number(value) for name, value in (row["sums"] or {}).items()}
        for name, value in sums.items():
            answer["sums"][name] = _number(answer["sums"][name] + value)
        if "groups" in answer and len(answer["groups"]) < MAX_GROUPS:
            answer["groups"][_group_key(row["grp"])] = {"count": row["n"], "sums": sums}
        elif "groups" in answer:
            answer["groups_truncated"] = True
    return answers


def _group_key(value: Any) -> str:
    return "" if value is None else str(value)


def _number(value: Any) -> float | int:
    if value is None:
        return 0
    return round(value, 2) if isinstance(value, float) else value


def _page(body: dict) -> tuple[int, int] | None:
    if not body.get("features"):
        return None
    limit, offset = body.get("limit", 100), body.get("offset", 0)
    for name, value in (("limit", limit), ("offset", offset)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidParameterValue(f"{name} must be a non-negative integer")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidParameterValue(f"limit must be between 1 and {MAX_PAGE}")
    if offset > MAX_OFFSET:
        raise InvalidParameterValue(f"offset must be at most {MAX_OFFSET}")
    return limit, offset


def _paging(matched: int, page: tuple[int, int], returned: int) -> dict[str, Any]:
    limit, offset = page
    following = offset + limit
    return {
        "numberMatched": matched,
        "numberReturned": returned,
        "offset": offset,
        "next_offset": following if following < matched else None,
    }


def point_answer(principal: Principal, area: Area, selections: list[Selection], raster_layer_ids: list[str]) -> dict:
    """What is at a point: the covering commune (lowest code on a border), parcels, planning zones, nearest features."""
    lon, lat = area.point
    context = []
    for spec in registry.all():
        access = layer_access(principal, spec) if spec.point_context else None
        if access and access.read:
            context.append(Selection(ScopedLayer(spec, access)))
    covering = queries.covering(lon, lat, context)
    communes = [
        {"code": c["properties"]["code"], "name": c["properties"]["name"]} for c in covering.get("communes", [])
    ]
    nearest = queries.nearest(lon, lat, selections, NEAREST_K)
    answer = {
        "area": area.as_dict(),
        "area_m2": 0.0,
        "commune": communes[0] if communes else None,
        "communes": communes,
        "parcels": covering.get("land_parcels", []),
        "planning_zones": covering.get("planning_zones", []),
        "layers": {layer_id: {"nearest": items} for layer_id, items in nearest.items()},
    }
    for layer_id in raster_layer_ids:
        try:
            value = rastersample.sample(layer_id, [(lon, lat)])[0]
        except rastersample.RasterMissing as missing:
            raise ServiceUnavailable(str(missing)) from None
        answer["layers"][layer_id] = {"value": value}
    return answer
