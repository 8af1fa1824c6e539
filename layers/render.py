"""Content negotiation (f= and Accept) and rendering of documents as JSON or a small HTML page with a map."""

from __future__ import annotations

import json
from functools import cache
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

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


def _text(value: object) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)[:200]
    return "" if value is None else str(value)


def as_html(href: str) -> str:
    """The same URL asking for the HTML page (f=html replaces any f=)."""
    parts = urlsplit(href)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "f"] + [("f", "html")]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _is_ours(href: str) -> bool:
    """Whether a link leads to a page of this server's OGC API (which then has an HTML version too)."""
    path = urlsplit(href).path
    return path.startswith("/ogcapi") and not path.endswith((".mvt", ".pbf")) and "{" not in href


def _page_link(link: dict) -> dict:
    """A document's link for the page: its own href, and the HTML version of the same resource when it has one."""
    href = str(link.get("href", ""))
    kind = str(link.get("type", ""))
    html = as_html(href) if _is_ours(href) and "html" not in kind else None
    return {**link, "html": html}


def _row_links(request: HttpRequest, document: dict, row: dict) -> dict[str, str]:
    """Which cells of a table row link to another page: a collection's id and its items, a feature's id."""
    links = {}
    if row.get("href"):
        links["href"] = as_html(str(row["href"])) if _is_ours(str(row["href"])) else str(row["href"])
    if "collections" in document and row.get("id") is not None:
        links["id"] = f"/ogcapi/collections/{quote(str(row['id']))}?f=html"
        if row.get("items"):
            links["items"] = as_html(str(row["items"]))
    elif "processes" in document and row.get("id") is not None:
        links["id"] = f"/ogcapi/processes/{quote(str(row['id']), safe='')}?f=html"
    elif document.get("type") == "FeatureCollection" and row.get("id") is not None:
        links["id"] = f"{request.path.rstrip('/')}/{quote(str(row['id']), safe='')}?f=html"
    return links


def _cells(request: HttpRequest, document: dict, row: dict, columns: list[str]) -> list[dict]:
    links = _row_links(request, document, row)
    return [{"text": _text(row.get(c)), "href": links.get(c)} for c in columns]


def listed_rows(document: dict) -> list[dict] | None:
    """Table rows of a document that lists tile matrix sets or tilesets: id or title, and a link to each."""
    for key in ("tileMatrixSets", "tilesets"):
        entries = document.get(key)
        if isinstance(entries, list) and entries:
            return [
                {
                    "id": entry.get("id", ""),
                    "title": entry.get("title", ""),
                    "href": next((link["href"] for link in entry.get("links", []) if link.get("rel") == "self"), ""),
                }
                for entry in entries
                if isinstance(entry, dict)
            ]
    return None


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
    if rows is None:
        rows = listed_rows(document)
    columns = list(dict.fromkeys(key for row in rows or [] for key in row))
    context = {
        "title": title,
        "description": document.get("description", ""),
        "links": [_page_link(item) for item in document.get("links", []) if item.get("rel") != "self"],
        "columns": columns,
        "rows": [_cells(request, document, row, columns) for row in rows or []],
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
