"""The OGC API Features JSON documents (landing, conformance, collections, queryables), built from the registry."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from geodata.crs import CRS84_URI, SUPPORTED
from layers import extensions, queries
from layers.registry import GROUPS, LayerSpec
from mapserver.scoping import LayerAccess

ROOT = "/ogcapi"
GEOJSON = "application/geo+json"
JSON = "application/json"
HTML = "text/html"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
SCHEMA = "application/schema+json"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
    "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/temporal-functions",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/features",
]
# Other apps' OGC API parts under /ogcapi, found by URL name (linked only when the route exists).
LANDING_ROUTES = [
    ("ogc-tms-list", "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes", "tile matrix sets"),
    ("process-list", "http://www.opengis.net/def/rel/ogc/1.0/processes", "processes"),
]
TILESETS_ROUTE = ("ogc-tilesets", "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector", "vector tilesets")


def conformance() -> list[str]:
    """Our conformance classes and those other apps registered (layers.extensions)."""
    return CONFORMANCE + extensions.conformance()


def _route(request: HttpRequest, name: str, **kwargs: str) -> str | None:
    try:
        return request.build_absolute_uri(reverse(name, kwargs=kwargs or None))
    except NoReverseMatch:
        return None


def link(href: str, rel: str, media_type: str, title: str = "") -> dict:
    """One link object."""
    item = {"href": href, "rel": rel, "type": media_type}
    if title:
        item["title"] = title
    return item


def landing(request: HttpRequest) -> dict:
    """The landing page: what this service is and where its parts are."""
    base = request.build_absolute_uri(ROOT)
    return {
        "title": "Bản đồ số điều hành IOC Đồng Nai: OGC API Features",
        "description": "Every layer the caller may read, as OGC API Features (Parts 1-4).",
        "links": [
            link(f"{base}?f=json", "self", JSON, "this document"),
            link(f"{base}?f=html", "alternate", HTML, "this document as HTML"),
            link(f"{base}/api", "service-desc", OPENAPI, "the API definition (OpenAPI 3.0)"),
            link(f"{base}/api?f=html", "service-doc", HTML, "the API documentation"),
            link(f"{base}/conformance", "conformance", JSON, "conformance classes implemented"),
            link(f"{base}/conformance", "http://www.opengis.net/def/rel/ogc/1.0/conformance", JSON),
            link(f"{base}/collections", "data", JSON, "the collections"),
            link(f"{base}/collections", "http://www.opengis.net/def/rel/ogc/1.0/data", JSON),
        ]
        + [link(href, rel, JSON, title) for name, rel, title in LANDING_ROUTES if (href := _route(request, name))],
    }


def _temporal(interval: list | None) -> list | None:
    if not interval:
        return None
    return [value if value is None or "T" in value else f"{value}T00:00:00Z" for value in interval]


def collection(request: HttpRequest, spec: LayerSpec, access: LayerAccess) -> dict:
    """One collection document: links, extent, CRS lists and what the caller may do."""
    base = request.build_absolute_uri(f"{ROOT}/collections/{spec.id}")
    bbox, interval = queries.extents(spec, access)  # a commune-scoped caller: their commune's rows
    extent: dict = {"spatial": {"bbox": [bbox or [105.5, 10.5, 107.7, 12.4]], "crs": CRS84_URI}}
    if spec.datetime_field and interval:
        extent["temporal"] = {
            "interval": [_temporal(interval)],
            "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
        }
    description = spec.description or spec.title_en
    if spec.geometry_note:
        description = f"{description}. {spec.geometry_note}"
    if spec.synthetic:
        description = f"{description}. Synthetic sample data."
    document = {
        "id": spec.id,
        "title": spec.title,
        "description": description,
        "keywords": [spec.group, GROUPS[spec.group][1], spec.title_en],
        "itemType": "feature",
        "extent": extent,
        "crs": list(SUPPORTED),
        "storageCrs": CRS84_URI,
        "links": [
            link(base, "self", JSON, spec.title),
            link(f"{base}?f=html", "alternate", HTML),
            link(f"{base}/items", "items", GEOJSON, "features as GeoJSON"),
            link(f"{base}/items?f=html", "items", HTML, "features as HTML"),
            link(f"{base}/queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables", SCHEMA, "queryables"),
            link(f"{base}/schema", "http://www.opengis.net/def/rel/ogc/1.0/schema", SCHEMA, "feature schema"),
        ],
        "x-geometry-type": spec.geometry_type,
        "x-editable": access.write,
    }
    tilesets = _route(request, TILESETS_ROUTE[0], collection_id=spec.id)
    if tilesets:
        document["links"].append(link(tilesets, TILESETS_ROUTE[1], JSON, TILESETS_ROUTE[2]))
    if spec.datetime_field:
        document["x-datetime-property"] = spec.datetime_field
    return document


def collections(request: HttpRequest, visible: list[tuple[LayerSpec, LayerAccess]]) -> dict:
    """Every collection the caller may read."""
    base = request.build_absolute_uri(f"{ROOT}/collections")
    return {
        "links": [link(base, "self", JSON), link(f"{base}?f=html", "alternate", HTML)],
        "collections": [collection(request, spec, access) for spec, access in visible],
        "crs": list(SUPPORTED),
    }


def property_schema(spec: LayerSpec, name: str) -> dict:
    """The JSON Schema of one attribute, from its record (labels, kind, unit, vocabulary) and its column."""
    record, field = spec.attribute(name), spec.model._meta.get_field(name)
    json_type, json_format = record.json_type
    schema: dict = {"title": record.vi, "description": record.en, "type": json_type, "x-ioc-kind": record.kind}
    if json_format:
        schema["format"] = json_format
    if record.kind == "url":
        schema["format"] = "uri-reference"
    if record.unit:
        schema["x-ogc-unit"] = record.unit
    if record.vocabulary:
        schema["enum"] = list(record.vocabulary.keys) + ([""] if field.blank and json_type == "string" else [])
        schema["x-ioc-labels"] = {str(v.value): {"vi": v.vi, "en": v.en} for v in record.vocabulary.values}
    if getattr(field, "max_length", None):
        schema["maxLength"] = field.max_length
    if field.null:
        schema["type"] = [schema["type"], "null"]
        if "enum" in schema:
            schema["enum"].append(None)
    return schema


def queryables(request: HttpRequest, spec: LayerSpec, access: LayerAccess) -> dict:
    """The collection's queryables as JSON Schema (Features Part 3)."""
    names = spec.properties + (spec.private_properties if access.private_fields else ())
    properties = {name: property_schema(spec, name) for name in names}
    properties[spec.geometry_field] = {
        "title": "geometry",
        "format": f"geometry-{spec.geometry_type.lower()}",
        "x-ogc-role": "primary-geometry",
    }
    if spec.datetime_field:
        properties[spec.datetime_field]["x-ogc-role"] = "primary-instant"
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": request.build_absolute_uri(f"{ROOT}/collections/{spec.id}/queryables"),
        "type": "object",
        "title": spec.title,
        "properties": properties,
        "additionalProperties": False,
    }
