"""GET /ogcapi/collections and /ogcapi/collections/{id}."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from layers import documents
from layers.catalogue import visible_layers
from layers.render import html_response, json_response, wants
from layers.views.common import read_only, readable


@read_only
def collections(request: HttpRequest) -> HttpResponse:
    """Every collection the caller may read (protected ones are absent for others)."""
    document = documents.collections(request, visible_layers(request.principal))
    if wants(request) == "html":
        rows = [
            {"id": c["id"], "title": c["title"], "geometry": c["x-geometry-type"], "items": f"{c['links'][3]['href']}"}
            for c in document["collections"]
        ]
        return html_response(request, "Collections", document, rows=rows)
    return json_response(document)


@read_only
def collection(request: HttpRequest, collection_id: str) -> HttpResponse:
    """One collection's document."""
    spec, access = readable(request, collection_id)
    document = documents.collection(request, spec, access)
    if wants(request) == "html":
        return html_response(request, spec.title, document)
    return json_response(document)
