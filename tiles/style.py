"""The MapLibre style (v8) of the operations map, built for one caller from the layers they may read."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from geodata.models import RasterLayer
from layers.catalogue import geometry_note, visible_layers
from layers.registry import GROUPS, LayerSpec, registry
from mapserver.principal import Principal
from mapserver.scoping import LayerAccess
from tiles.style_layers import LAYER_STYLES, LEGENDS, generic_style
from tiles.tilejson import source_fields

BASE_SOURCE = "base"
# Style layer types MapLibre clips to their tiles with stencil masks, drawn again each time the next such layer
# reads another source: in a software renderer (no GPU) a full-screen pass each, in every frame
CLIPPED_TYPES = {"fill", "line"}
RASTER_GROUPS = {"elevation": "base", "flood_depth": "emergency"}
CENTER = [106.95, 11.25]


def _rank(style_layer: dict) -> int:
    """Draw order: fills, lines, boundaries (administrative units), points, labels."""
    kind = style_layer["type"]
    spec = registry.get(style_layer["metadata"]["ioc:layer"])
    if kind == "line" and spec is not None and spec.admin_unit:
        return 2
    return {"fill": 0, "line": 1, "circle": 3, "symbol": 4}.get(kind, 1)


def _styles(spec: LayerSpec) -> list[tuple[str, dict]]:
    return LAYER_STYLES.get(spec.id) or generic_style(spec.geometry_type)


def in_base_source(spec: LayerSpec) -> bool:
    """Whether the layer's tiles come with the base map's: the base map itself, and the layers shown when the map
    opens that draw fills or lines. One source for all the fills and lines on screen means one set of clipping
    masks per frame instead of one per change of source (5 sets at first, 40 ms a frame at 1920×1080 in software);
    the points stay in their own sources, which the live stream reloads on their own."""
    return spec.base_map or (spec.visible and any(body["type"] in CLIPPED_TYPES for _, body in _styles(spec)))


def style_layers_of(spec: LayerSpec, source: str) -> list[dict]:
    """The style layers drawing one published layer, with the metadata the map page reads."""
    visible = spec.visible
    result = []
    for suffix, body in _styles(spec):
        layer = {"source-layer": spec.id, **body, "id": f"{spec.id}-{suffix}", "source": source}
        layer["layout"] = {**body.get("layout", {}), "visibility": "visible" if visible else "none"}
        layer["metadata"] = {"ioc:layer": spec.id, "ioc:group": spec.group}
        if spec.minzoom and "minzoom" not in layer:
            layer["minzoom"] = spec.minzoom
        result.append(layer)
    return result


def layer_entry(spec: LayerSpec) -> dict:
    """What the map's layer panel needs beyond /api/layers: legend and default visibility."""
    return {
        "id": spec.id,
        "legend": [list(row) for row in LEGENDS.get(spec.id, [])],
        "visible": spec.visible,
        "geometry_note": geometry_note(spec),
    }


def raster_parts(absolute: Callable[[str], str]) -> tuple[dict, list[dict], list[dict]]:
    """Sources, style layers and panel entries of the registered raster layers (hidden at first)."""
    sources, layers, entries = {}, [], []
    for raster in RasterLayer.objects.order_by("layer_id"):
        source = f"raster-{raster.layer_id}"
        sources[source] = {
            "type": "raster",
            "tileSize": 256,
            "attribution": "IOC Đồng Nai",
            "tiles": [absolute(f"/tiles/raster/{raster.layer_id}/") + "{z}/{x}/{y}.png"],
        }
        layers.append(
            {
                "id": source,
                "type": "raster",
                "source": source,
                "layout": {"visibility": "none"},
                "paint": {"raster-opacity": 0.75},
                "metadata": {"ioc:layer": source, "ioc:group": RASTER_GROUPS.get(raster.layer_id, "emergency")},
            }
        )
        entries.append(
            {
                "id": source,
                "title": raster.title,
                "title_en": raster.title,
                "unit": raster.unit,
                "group": RASTER_GROUPS.get(raster.layer_id, "emergency"),
                "synthetic": raster.synthetic,
            }
        )
    return sources, layers, entries


def vector_source(layers: list[tuple[LayerSpec, LayerAccess]], absolute: Callable[[str], str]) -> dict:
    """A vector source with its TileJSON fields inline: the map asks for tiles at once, not for ~25 TileJSON
    documents first (the same fields /tiles/{ids}.json serves, from tiles.tilejson)."""
    ids = ",".join(spec.id for spec, _ in layers)
    return {"type": "vector", **source_fields(layers, absolute(f"/tiles/{ids}/") + "{z}/{x}/{y}.mvt")}


def operations_style(principal: Principal, absolute: Callable[[str], str]) -> dict:
    """The whole style: our own vector sources (TileJSON fields inline), base map, thematic layers, local glyphs."""
    readable = visible_layers(principal)
    visible = [spec for spec, _ in readable]
    in_base = {spec.id for spec in visible if in_base_source(spec)}
    base = [(spec, access) for spec, access in readable if spec.id in in_base]
    sources: dict[str, dict] = {}
    layers: list[dict] = []
    if base:
        sources[BASE_SOURCE] = vector_source(base, absolute)
    for spec, access in readable:
        source = BASE_SOURCE if spec.id in in_base else spec.id
        if source not in sources:
            sources[source] = vector_source([(spec, access)], absolute)
        layers += style_layers_of(spec, source)
    layers.sort(key=_rank)
    raster_sources, raster_layers, raster_entries = raster_parts(absolute)
    sources.update(raster_sources)
    return {
        "version": 8,
        "name": "Bản đồ số điều hành tỉnh Đồng Nai",
        "center": CENTER,
        "zoom": 8,
        "glyphs": absolute(f"{settings.STATIC_URL}fonts/") + "{fontstack}/{range}.pbf",
        "sources": sources,
        # no background layer: the map's container paints it (static/map/map.css), not a full-screen pass a frame
        "layers": [*raster_layers, *layers],
        "metadata": {
            "ioc:layers": [layer_entry(spec) for spec in visible],
            "ioc:rasters": raster_entries,
            "ioc:groups": {gid: list(titles) for gid, titles in GROUPS.items()},
        },
    }
