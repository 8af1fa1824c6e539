"""GET /ogcapi/collections/{id}/queryables (Features Part 3) and /schema (Part 5), both JSON Schema."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from layers import documents
from layers.render import html_response, json_response, wants
from layers.schema import feature_schema
from layers.views.common import read_only, readable


@read_only
def queryables(request: HttpRequest, collection_id: str) -> HttpResponse:
    """The attributes a caller may filter on, with their JSON Schema types."""
    spec, access = readable(request, collection_id)
    document = documents.queryables(request, spec, access)
    if wants(request) == "html":
        rows = [{"name": name, **schema} for name, schema in document["properties"].items()]
        return html_response(request, f"{spec.title}: queryables", document, rows=rows)
    return json_response(document, documents.SCHEMA)


@read_only
def schema(request: HttpRequest, collection_id: str) -> HttpResponse:
    """The features' schema: types, required properties, labelled enumerations, the geometry type."""
    spec, access = readable(request, collection_id)
    document = feature_schema(request, spec, access)
    if wants(request) == "html":
        rows = [{"name": name, **schema} for name, schema in document["properties"].items()]
        return html_response(request, f"{spec.title}: schema", document, rows=rows)
    return json_response(document, documents.SCHEMA)
