"""GET /ogcapi/collections/{id}/schema: the features' schema (OGC API Features Part 5, JSON Schema 2020-12).

Derived from the layer spec and its attribute records like the queryables, plus what a create needs: which
properties are required, which the server sets (readOnly), the labels of each allowed value, the geometry type."""

from __future__ import annotations

from django.http import HttpRequest

from layers.attributes import required_properties, writable_properties
from layers.documents import ROOT, property_schema
from layers.params import readable_properties
from layers.registry import LayerSpec
from mapserver.scoping import LayerAccess

JSON_SCHEMA_2020_12 = "https://json-schema.org/draft/2020-12/schema"
EMPTY_LABELS = {"": ("(trống)", "(empty)"), None: ("(không có)", "(none)")}


def _labelled(spec: LayerSpec, name: str) -> dict:
    """An attribute's schema; an enumeration also gets oneOf [{const, title (vi), description (en)}]."""
    schema = property_schema(spec, name)
    vocabulary = spec.attribute(name).vocabulary
    if vocabulary is not None:
        labels = {v.value: (v.vi, v.en) for v in vocabulary.values} | EMPTY_LABELS
        schema["oneOf"] = [
            {"const": value, "title": labels[value][0], "description": labels[value][1]} for value in schema["enum"]
        ]
    return schema


def feature_schema(request: HttpRequest, spec: LayerSpec, access: LayerAccess) -> dict:
    """The schema of one feature of the collection as this caller reads and writes it."""
    writable = set(writable_properties(spec, access)) if access.write else set()
    properties: dict = {spec.id_field: {"title": "id", "type": "integer", "x-ogc-role": "id", "readOnly": True}}
    for name in readable_properties(spec, access.private_fields):
        properties[name] = _labelled(spec, name)
        if name not in writable:
            properties[name]["readOnly"] = True  # derived (the commune) or not this caller's to set
    if spec.datetime_field:
        properties[spec.datetime_field]["x-ogc-role"] = "primary-instant"
    properties[spec.geometry_field] = {
        "title": "geometry",
        "description": f"GeoJSON {spec.geometry_type}",
        "format": f"geometry-{spec.geometry_type.lower()}",
        "x-ogc-role": "primary-geometry",
    }
    required = [*required_properties(spec, access), spec.geometry_field] if access.write else []
    return {
        "$schema": JSON_SCHEMA_2020_12,
        "$id": request.build_absolute_uri(f"{ROOT}/collections/{spec.id}/schema"),
        "title": spec.title,
        "description": spec.title_en,
        "type": "object",
        "required": required,
        "properties": properties,
        "additionalProperties": False,
    }
