"""GET /ogcapi/collections/{id}/items (the hot path) and POST to create a feature (Part 4)."""

from __future__ import annotations

import json
import re

from django.http import HttpRequest, HttpResponse

from geodata.crs import CRS84_URI
from layers import queries, transactions
from layers.documents import GEOJSON, HTML
from layers.filters import MAX_SEARCH_FILTER_LENGTH
from layers.params import ItemsQuery, parse_items, readable_properties, search_params
from layers.registry import LayerSpec
from layers.render import feature_rows, html_response, json_response, wants
from layers.views.common import (
    allowed_methods,
    guard_database,
    link_json,
    options_response,
    readable,
    url_with,
)
from mapserver import audit
from mapserver.csrf import session_csrf
from mapserver.errors import MethodNotAllowed, UnsupportedMediaType
from mapserver.jsonio import parse_json
from mapserver.scoping import LayerAccess

RETURNED = re.compile(r'"numberReturned":(\d+)')


def _links(request: HttpRequest, limit: int, offset: int, fmt: str) -> tuple[str, str]:
    """(self/alternate/prev/collection links as JSON text, the next link with a leading comma)."""
    media = HTML if fmt == "html" else GEOJSON
    collection = request.build_absolute_uri(request.path.rsplit("/items", 1)[0])
    links = [
        link_json(url_with(request), "self", media, "this page"),
        link_json(
            url_with(request, f="html" if fmt == "json" else "json"), "alternate", GEOJSON if fmt == "html" else HTML
        ),
        link_json(collection, "collection", "application/json", "the collection"),
    ]
    if offset > 0:
        links.append(
            link_json(url_with(request, offset=str(max(0, offset - limit)) or None), "prev", media, "previous page")
        )
    next_link = "," + link_json(url_with(request, offset=str(offset + limit)), "next", media, "next page")
    return ",".join(links), next_link


def _returned(body: str) -> int:
    """numberReturned of a page assembled by features.sql (it comes first, before any feature)."""
    found = RETURNED.search(body, 0, 200)
    return int(found.group(1)) if found else 0


@session_csrf  # writes with a session cookie need the CSRF token; bearer-token calls do not
def items(request: HttpRequest, collection_id: str) -> HttpResponse:
    """Features of a collection under every filter, or a new feature (POST)."""
    spec, access = readable(request, collection_id)
    if request.method == "POST":
        return transactions.create(request, spec, access)
    allow = allowed_methods(request, spec, access, item=False)
    if request.method == "OPTIONS":
        return options_response(allow)
    if request.method not in ("GET", "HEAD"):
        raise MethodNotAllowed(f"{request.method} is not allowed on items", headers={"Allow": allow})
    fmt = wants(request)
    query = parse_items(request.GET, spec, access.private_fields)
    links, next_link = _links(request, query.limit, query.offset, fmt)
    return _page(request, spec, access, query, fmt, links, next_link)


@session_csrf
def search(request: HttpRequest, collection_id: str) -> HttpResponse:
    """POST the items parameters as a JSON object (the filter as CQL2 JSON, up to MAX_SEARCH_FILTER_LENGTH
    characters): the same FeatureCollection as GET items, for filters too long for a URL (as STAC API search)."""
    spec, access = readable(request, collection_id)
    if request.method != "POST":
        raise MethodNotAllowed("search takes POST with a JSON body; use GET items otherwise", headers={"Allow": "POST"})
    if request.content_type != "application/json":
        raise UnsupportedMediaType("send the search as application/json")
    body = parse_json(request.body)
    query = parse_items(search_params(body), spec, access.private_fields, MAX_SEARCH_FILTER_LENGTH)
    url = request.build_absolute_uri(request.path)
    links = ",".join(
        [
            link_json(url, "self", GEOJSON, "this search (POST)"),
            link_json(url.rsplit("/search", 1)[0], "collection", "application/json", "the collection"),
        ]
    )
    following = {**body, "offset": query.offset + query.limit}
    next_link = "," + json.dumps(
        {"href": url, "rel": "next", "type": GEOJSON, "method": "POST", "body": following}, ensure_ascii=False
    )
    return _page(request, spec, access, query, "json", links, next_link)


def _page(
    request: HttpRequest,
    spec: LayerSpec,
    access: LayerAccess,
    query: ItemsQuery,
    fmt: str,
    links: str,
    next_link: str,
) -> HttpResponse:
    """One page of features as GeoJSON (or HTML), the personal-data read audited."""
    properties = query.properties if query.properties is not None else readable_properties(spec, access.private_fields)
    with guard_database():
        body = queries.items_page(spec, access, query, properties, links, next_link)
    if audit.is_personal(spec):
        audit.record_personal_read(request, spec.id, _returned(body))
    headers = {"Content-Crs": f"<{query.crs.uri}>"}
    if fmt == "html":
        document = json.loads(body)
        geojson = document if query.crs.uri == CRS84_URI else None
        return html_response(
            request, f"{spec.title}: features", document, rows=feature_rows(document), geojson=geojson, headers=headers
        )
    return json_response(body, GEOJSON, headers=headers)
