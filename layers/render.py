"""Content negotiation (f= and Accept) and rendering of documents as JSON or a small HTML page with a map."""

from __future__ import annotations

import json
from functools import cache

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from mapserver.errors import InvalidParameterValue

FORMATS = {"json": "json", "geojson": "json", "html": "html"}
MAPLIBRE = "vendor/maplibre-gl/maplibre-gl.js"


def wants(request: HttpRequest) -> str:
    """'json' or 'html': the f parameter first, then the Accept header (JSON unless HTML is preferred)."""
    requested = request.GET.get("f")
    if requested:
        if requested not in FORMATS:
            raise InvalidParameterValue(f"f must be one of {', '.join(FORMATS)}, got {requested[:20]!r}")
        return FORMATS[requested]
    accept = request.headers.get("Accept", "")
    if "text/html" in accept and "json" not in accept.split("text/html")[0]:
        return "html"
    return "json"


def json_response(
    document: dict | str, media_type: str = "application/json", status: int = 200, headers: dict[str, str] | None = None
) -> HttpResponse:
    """A JSON response from a document or from JSON text PostGIS already assembled."""
    body = (
        document
        if isinstance(document, str)
        else json.dumps(document, ensure_ascii=False, default=str, allow_nan=False)
    )
    response = HttpResponse(body.encode("utf-8"), content_type=media_type, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@cache
def maplibre_available() -> bool:
    """Whether the tiles app has vendored MapLibre yet (the page then shows its table only)."""
    return finders.find(MAPLIBRE) is not None


def _cell(value: object) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)[:200]
    return "" if value is None else str(value)


def html_response(
    request: HttpRequest,
    title: str,
    document: dict,
    *,
    rows: list[dict] | None = None,
    geojson: dict | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """A small readable page: title, description, links, an optional table and map of the page's GeoJSON."""
    columns = list(dict.fromkeys(key for row in rows or [] for key in row))
    context = {
        "title": title,
        "description": document.get("description", ""),
        "links": [item for item in document.get("links", []) if item.get("rel") != "self"],
        "columns": columns,
        "rows": [[_cell(row.get(c)) for c in columns] for row in rows or []],
        "geojson": geojson,
        "maplibre": maplibre_available(),
        "facts": {key: document[key] for key in ("numberMatched", "numberReturned") if key in document},
        "document": json.dumps(document, ensure_ascii=False, indent=1, default=str)[:20000] if not rows else "",
    }
    response = HttpResponse(render_to_string("layers/page.html", context, request=request), status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def feature_rows(collection: dict) -> list[dict]:
    """Table rows of a FeatureCollection or a Feature: id, then its properties."""
    features = collection.get("features") if collection.get("type") == "FeatureCollection" else [collection]
    return [{"id": feature.get("id"), **(feature.get("properties") or {})} for feature in features or []]
