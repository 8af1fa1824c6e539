"""GET/PUT/PATCH/DELETE /ogcapi/collections/{id}/items/{fid}: one feature, with its ETag."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse

from geodata.crs import CRS84_URI
from layers import queries, transactions
from layers.documents import GEOJSON, HTML
from layers.params import parse_crs, parse_properties, readable_properties
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
from mapserver.errors import InvalidParameterValue, MethodNotAllowed, NotFound, PreconditionFailed

ITEM_PARAMS = frozenset({"f", "crs", "properties"})


def _fid(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise NotFound(f"no feature {text[:40]!r}") from None
    if not 0 < value < 2**63:
        raise NotFound(f"no feature {text[:40]!r}")
    return value


@session_csrf  # writes with a session cookie need the CSRF token; bearer-token calls do not
def item(request: HttpRequest, collection_id: str, feature_id: str) -> HttpResponse:
    """One feature (GET) or a change to it (PUT, PATCH, DELETE with If-Match)."""
    spec, access = readable(request, collection_id)
    try:
        fid = _fid(feature_id)
    except NotFound:
        if request.method in ("PUT", "PATCH", "DELETE") and request.headers.get("If-Match"):
            transactions.require_write(request, spec, access)
            raise PreconditionFailed(f"no feature {feature_id[:40]!r}: If-Match cannot match") from None
        raise
    if request.method == "PUT":
        return transactions.modify(request, spec, access, fid, partial=False)
    if request.method == "PATCH":
        return transactions.modify(request, spec, access, fid, partial=True)
    if request.method == "DELETE":
        return transactions.delete(request, spec, access, fid)
    allow = allowed_methods(request, spec, access, item=True)
    if request.method == "OPTIONS":
        return options_response(allow)
    if request.method not in ("GET", "HEAD"):
        raise MethodNotAllowed(f"{request.method} is not allowed on an item", headers={"Allow": allow})
    unknown = sorted(set(request.GET) - ITEM_PARAMS)
    if unknown:
        raise InvalidParameterValue(f"unknown parameter(s): {', '.join(unknown)[:200]}")
    fmt = wants(request)
    crs = parse_crs(request.GET.get("crs"), "crs")
    allowed = readable_properties(spec, access.private_fields)
    properties = parse_properties(request.GET["properties"], allowed) if "properties" in request.GET else allowed
    collection = request.build_absolute_uri(request.path.rsplit("/items/", 1)[0])
    links = (
        "["
        + ",".join(
            [
                link_json(url_with(request), "self", HTML if fmt == "html" else GEOJSON, "this feature"),
                link_json(
                    url_with(request, f="json" if fmt == "html" else "html"),
                    "alternate",
                    GEOJSON if fmt == "html" else HTML,
                ),
                link_json(collection, "collection", "application/json", "the collection"),
            ]
        )
        + "]"
    )
    with guard_database():
        found = queries.get_item(spec, access, fid, crs, properties, links)
    if found is None:
        raise NotFound(f"no feature {fid} in {spec.id}")
    body, etag = found
    headers = {"ETag": etag, "Content-Crs": f"<{crs.uri}>"}
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match and etag in {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}:
        response = HttpResponse(status=304)
        response["ETag"] = etag
        return response
    if audit.is_personal(spec):
        audit.record_personal_read(request, spec.id, 1, fid)
    if fmt == "html":
        document = json.loads(body)
        return html_response(
            request,
            f"{spec.title}: {fid}",
            document,
            rows=feature_rows(document),
            geojson=document if crs.uri == CRS84_URI else None,
            headers=headers,
        )
    return json_response(body, GEOJSON, headers=headers)
