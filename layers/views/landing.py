"""GET /ogcapi, /ogcapi/conformance, /ogcapi/api."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from layers import documents, openapi
from layers.render import html_response, json_response, wants
from layers.views.common import read_only
from mapserver.errors import NotFound


@read_only
def landing(request: HttpRequest) -> HttpResponse:
    """The landing page."""
    document = documents.landing(request)
    if wants(request) == "html":
        return html_response(request, document["title"], document)
    return json_response(document)


@read_only
def conformance(request: HttpRequest) -> HttpResponse:
    """The conformance classes this server implements."""
    classes = documents.conformance()
    document = {"conformsTo": classes}
    if wants(request) == "html":
        return html_response(request, "Conformance", document, rows=[{"class": c} for c in classes])
    return json_response(document)


@read_only
def api(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3.0 definition, generated from the registry (the collections the caller may read)."""
    document = openapi.definition(request)
    if wants(request) == "html":
        rows = [{"path": path, "methods": ", ".join(sorted(item))} for path, item in document["paths"].items()]
        return html_response(
            request,
            "API (OpenAPI 3.0)",
            {
                "description": document["info"]["description"],
                "links": [{"href": "?f=json", "rel": "service-desc", "type": documents.OPENAPI}],
            },
            rows=rows,
        )
    return json_response(document, documents.OPENAPI.replace(";", "; "))


def not_found(request: HttpRequest) -> HttpResponse:
    """Any other path under /ogcapi: the OGC exception body, not Django's page."""
    raise NotFound(f"no resource at {request.path[:200]}")
