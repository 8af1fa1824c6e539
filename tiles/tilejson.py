"""TileJSON 3.0.0 documents derived from the layer registry."""

from __future__ import annotations

from layers.catalogue import geometry_note
from layers.queries import extents as layer_extents
from layers.registry import LayerSpec
from mapserver.scoping import LayerAccess
from tiles import queries

# TileJSON field description per scalar type of the attribute records (dates travel as text in tiles)
FIELD_KINDS = {"integer": "Number", "number": "Number", "boolean": "Boolean"}
ATTRIBUTION = "Sở/ngành tỉnh Đồng Nai; ranh giới: gis.chinhphu.vn"


def field_kind(spec: LayerSpec, name: str) -> str:
    """The TileJSON field description of an attribute: Number, Boolean or String."""
    return FIELD_KINDS.get(spec.attribute(name).type, "String")


def vector_layer(spec: LayerSpec) -> dict:
    """The vector_layers entry of one layer, including the attributes of aggregated cells."""
    fields = {name: field_kind(spec, name) for name in queries.tile_columns(spec)}
    entry = {
        "id": spec.id,
        "description": spec.title,
        "minzoom": spec.minzoom,
        "maxzoom": spec.maxzoom,
        "fields": fields,
        "geometry_type": spec.geometry_type,
    }
    if spec.cluster_below_zoom is not None:
        cluster_fields = {"cluster": "Boolean", "count": "Number"}
        for value in queries.category_values(spec):
            cluster_fields[f"count_{value}"] = "Number"
        entry["fields"] = {**fields, **cluster_fields}
        entry["cluster_below_zoom"] = spec.cluster_below_zoom
        entry["cluster_category"] = spec.cluster_category
    note = geometry_note(spec)
    if note:
        entry["geometry_note"] = note
    return entry


def vector_layers_of(spec: LayerSpec) -> list[dict]:
    """The layer's vector_layers entries: itself and, for labelled polygons, its <id>_labels points."""
    entries = [vector_layer(spec)]
    if queries.has_labels(spec):
        entries.append(
            {
                "id": f"{spec.id}_labels",
                "description": f"{spec.title}: label points",
                "minzoom": spec.minzoom,
                "maxzoom": spec.maxzoom,
                "geometry_type": "Point",
                "fields": {spec.label_field: "String"},
            }
        )
    return entries


def scoped_bounds(layers: list[tuple[LayerSpec, LayerAccess]]) -> tuple[float, float, float, float]:
    """The province's bounds; for a caller limited to one commune's rows in every layer of the set, the extent of
    those rows (metadata must not describe rows the caller cannot read)."""
    if layers and all(access.limited for _, access in layers):
        boxes = [box for spec, access in layers if (box := layer_extents(spec, access)[0])]
        if boxes:
            return tuple(
                round(float(value), 6)
                for value in (  # type: ignore[return-value]
                    min(b[0] for b in boxes),
                    min(b[1] for b in boxes),
                    max(b[2] for b in boxes),
                    max(b[3] for b in boxes),
                )
            )
    return queries.province_bounds()


def source_fields(layers: list[tuple[LayerSpec, LayerAccess]], tiles_url: str) -> dict:
    """The TileJSON fields a MapLibre vector source takes inline (tiles, zoom range, bounds, attribution)."""
    specs = [spec for spec, _ in layers]
    return {
        "tiles": [tiles_url],
        "minzoom": min(spec.minzoom for spec in specs),
        "maxzoom": min(max(spec.maxzoom for spec in specs), 22),
        "bounds": list(scoped_bounds(layers)),
        "attribution": ATTRIBUTION,
    }


def tilejson(layers: list[tuple[LayerSpec, LayerAccess]], tiles_url: str) -> dict:
    """The TileJSON of a layer set served at tiles_url (a {z}/{x}/{y} template)."""
    specs = [spec for spec, _ in layers]
    fields = source_fields(layers, tiles_url)
    west, south, east, north = fields["bounds"]
    return {
        "tilejson": "3.0.0",
        "name": ", ".join(spec.title for spec in specs),
        "description": "; ".join(spec.title_en for spec in specs),
        "attribution": fields["attribution"],
        "scheme": "xyz",
        "tiles": fields["tiles"],
        "minzoom": fields["minzoom"],
        "maxzoom": fields["maxzoom"],
        "bounds": fields["bounds"],
        "center": [round((west + east) / 2, 5), round((south + north) / 2, 5), max(fields["minzoom"], 8)],
        "vector_layers": [entry for spec in specs for entry in vector_layers_of(spec)],
    }
