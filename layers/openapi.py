"""The OpenAPI 3.0 definition of /ogcapi, generated from the registry for the collections the caller may read."""

from __future__ import annotations

from django.http import HttpRequest

from geodata.crs import CRS84_URI, SUPPORTED
from layers import documents, extensions
from layers.catalogue import visible_layers
from layers.params import DEFAULT_LIMIT, MAX_LIMIT, readable_properties
from layers.registry import LayerSpec

REF = "#/components/{}/{}"


def operation(operation_id: str, summary: str, parameters: list[dict], ok: str, *errors: int, **extra) -> dict:
    """One GET (or other) operation object: JSON 200 and the shared error responses."""
    return {
        "summary": summary,
        "operationId": operation_id,
        "parameters": parameters,
        "responses": _responses(_json(ok), *errors),
        **extra,
    }


def path_param(name: str, description: str, schema: dict | None = None) -> dict:
    """A required path parameter."""
    return _param(name, description, schema or {"type": "string"}, where="path", required=True)


def _param(
    name: str, description: str, schema: dict, where: str = "query", required: bool = False, explode: bool | None = None
) -> dict:
    param = {"name": name, "in": where, "description": description, "required": required, "schema": schema}
    if explode is not None:
        param["style"], param["explode"] = "form", explode
    return param


def _ref(kind: str, name: str) -> dict:
    return {"$ref": REF.format(kind, name)}


def parameters() -> dict:
    """Shared parameters."""
    crs_list = {"type": "string", "format": "uri", "enum": list(SUPPORTED), "default": CRS84_URI}
    return {
        "f": _param("f", "Response format", {"type": "string", "enum": ["json", "html", "geojson"]}),
        "limit": _param(
            "limit",
            f"Features per page (default {DEFAULT_LIMIT}; above {MAX_LIMIT}, {MAX_LIMIT} are returned)",
            {"type": "integer", "minimum": 1, "default": DEFAULT_LIMIT},
            explode=False,
        ),
        "offset": _param(
            "offset", "Features to skip (next links carry it)", {"type": "integer", "minimum": 0, "default": 0}
        ),
        "bbox": _param(
            "bbox",
            "minx,miny,maxx,maxy in bbox-crs axis order",
            {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
            explode=False,
        ),
        "bbox-crs": _param("bbox-crs", "CRS of bbox", crs_list),
        "crs": _param("crs", "CRS of the response geometries", crs_list),
        "datetime": _param(
            "datetime",
            "Instant or interval (RFC 3339, '..' for open ends); a date covers its whole day; every feature matches"
            " in a collection without a temporal property",
            {"type": "string"},
            explode=False,
        ),
        "properties": _param(
            "properties", "Properties to return", {"type": "array", "items": {"type": "string"}}, explode=False
        ),
        "sortby": _param(
            "sortby", "+name or -name, comma-separated", {"type": "array", "items": {"type": "string"}}, explode=False
        ),
        "filter": _param("filter", "CQL2 filter", {"type": "string"}),
        "filter-lang": _param(
            "filter-lang",
            "Filter language",
            {"type": "string", "enum": ["cql2-text", "cql2-json"], "default": "cql2-text"},
        ),
        "filter-crs": _param("filter-crs", "CRS of geometries in the filter", crs_list),
        "featureId": _param("featureId", "Feature id", {"type": "integer"}, where="path", required=True),
        "If-Match": _param("If-Match", "The item's current ETag", {"type": "string"}, where="header", required=True),
        "Content-Crs": _param(
            "Content-Crs",
            "CRS of the submitted geometry, e.g. <http://www.opengis.net/def/crs/EPSG/0/3857>",
            {"type": "string"},
            where="header",
        ),
    }


def _responses(ok: dict, *errors: int) -> dict:
    responses = {"200": ok} if ok else {}
    names = {
        400: "InvalidParameter",
        401: "Unauthorized",
        403: "Forbidden",
        404: "NotFound",
        405: "MethodNotAllowed",
        412: "Precondition",
        415: "UnsupportedMediaType",
        428: "PreconditionRequired",
    }
    for status in errors:
        responses[str(status)] = _ref("responses", names[status])
    return responses


def _json(description: str, media: str = documents.JSON, schema: dict | None = None) -> dict:
    return {
        "description": description,
        "content": {media: {"schema": schema or {"type": "object"}}, documents.HTML: {"schema": {"type": "string"}}},
    }


def value_schema(spec: LayerSpec, name: str) -> dict:
    """The OpenAPI 3.0 schema of a queryable's value, typed like its queryable (the attribute record)."""
    record = spec.attribute(name)
    json_type, json_format = record.json_type
    schema: dict = {"type": json_type}
    if json_format:
        schema["format"] = json_format
    if record.vocabulary:
        schema["enum"] = list(record.vocabulary.keys)
    return schema


def collection_paths(spec: LayerSpec, private: bool) -> dict:
    """Paths of one collection: its document, items, item and queryables."""
    base = f"/collections/{spec.id}"
    names = readable_properties(spec, private)
    items_params = [
        _ref("parameters", name)
        for name in (
            "f",
            "limit",
            "offset",
            "bbox",
            "bbox-crs",
            "crs",
            "datetime",
            "properties",
            "sortby",
            "filter",
            "filter-lang",
            "filter-crs",
        )
    ]
    items_params += [
        _param(name, f"Features whose {name} ({spec.attribute(name).en}) equals this value", value_schema(spec, name))
        for name in names
    ]
    fc = _json("Features", documents.GEOJSON, _ref("schemas", "FeatureCollection"))
    feature = _json("A feature", documents.GEOJSON, _ref("schemas", "Feature"))
    tag = {"tags": [spec.id]}
    paths = {
        base: {
            "get": {
                **tag,
                "summary": f"{spec.title_en}: collection",
                "operationId": f"describe_{spec.id}",
                "parameters": [_ref("parameters", "f")],
                "responses": _responses(_json("Collection"), 400, 404),
            }
        },
        f"{base}/queryables": {
            "get": {
                **tag,
                "summary": "Queryables",
                "operationId": f"queryables_{spec.id}",
                "parameters": [_ref("parameters", "f")],
                "responses": _responses(_json("JSON Schema", documents.SCHEMA), 400, 404),
            }
        },
        f"{base}/items": {
            "get": {
                **tag,
                "summary": f"{spec.title_en}: features",
                "operationId": f"items_{spec.id}",
                "parameters": items_params,
                "responses": _responses(fc, 400, 404),
            }
        },
        f"{base}/items/{{featureId}}": {
            "get": {
                **tag,
                "summary": "One feature",
                "operationId": f"item_{spec.id}",
                "parameters": [_ref("parameters", n) for n in ("featureId", "f", "crs", "properties")],
                "responses": _responses(feature, 400, 404),
            }
        },
    }
    if spec.editable:
        body = {"required": True, "content": {documents.GEOJSON: {"schema": _ref("schemas", "Feature")}}}
        write = {**tag, "requestBody": body, "security": [{"bearer": []}]}
        paths[f"{base}/items"]["post"] = {
            **write,
            "summary": "Create a feature",
            "operationId": f"create_{spec.id}",
            "parameters": [_ref("parameters", "Content-Crs")],
            "responses": {"201": {"description": "Created"}, **_responses({}, 400, 401, 403, 404, 415)},
        }
        item_path = paths[f"{base}/items/{{featureId}}"]
        locked = [_ref("parameters", n) for n in ("featureId", "If-Match", "Content-Crs")]
        changed = {"204": {"description": "Changed"}, **_responses({}, 400, 401, 403, 404, 412, 415, 428)}
        item_path["put"] = {
            **write,
            "summary": "Replace",
            "operationId": f"replace_{spec.id}",
            "parameters": locked,
            "responses": changed,
        }
        item_path["patch"] = {
            **write,
            "requestBody": {
                "required": True,
                "content": {"application/merge-patch+json": {"schema": _ref("schemas", "Feature")}},
            },
            "summary": "Update",
            "operationId": f"update_{spec.id}",
            "parameters": locked,
            "responses": changed,
        }
        item_path["delete"] = {
            **tag,
            "summary": "Delete",
            "operationId": f"delete_{spec.id}",
            "security": [{"bearer": []}],
            "parameters": [_ref("parameters", n) for n in ("featureId", "If-Match")],
            "responses": {"204": {"description": "Deleted"}, **_responses({}, 401, 403, 404, 412, 428)},
        }
    return paths


def components() -> dict:
    """Schemas, parameters, responses and the bearer scheme."""
    exception = {
        "type": "object",
        "required": ["code"],
        "properties": {
            "code": {"type": "string"},
            "description": {"type": "string"},
            "type": {"type": "string", "description": "exception type URI (OGC API Processes)"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
        },
    }
    error = {"description": "Error", "content": {documents.JSON: {"schema": _ref("schemas", "Exception")}}}
    return {
        "schemas": {
            "Exception": exception,
            "Feature": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "id": {"type": "integer"},
                    "geometry": {"type": "object", "nullable": True},
                    "properties": {"type": "object", "nullable": True},
                },
            },
            "FeatureCollection": {
                "type": "object",
                "required": ["type", "features"],
                "properties": {
                    "type": {"type": "string", "enum": ["FeatureCollection"]},
                    "features": {"type": "array", "items": _ref("schemas", "Feature")},
                    "numberMatched": {"type": "integer"},
                    "numberReturned": {"type": "integer"},
                    "links": {"type": "array", "items": {"type": "object"}},
                },
            },
        },
        "parameters": parameters(),
        "responses": dict.fromkeys(
            (
                "InvalidParameter",
                "Unauthorized",
                "Forbidden",
                "NotFound",
                "MethodNotAllowed",
                "Precondition",
                "UnsupportedMediaType",
                "PreconditionRequired",
            ),
            error,
        ),
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
    }


def definition(request: HttpRequest) -> dict:
    """The whole OpenAPI document."""
    f = [_ref("parameters", "f")]
    paths: dict = {
        "/": {
            "get": {
                "summary": "Landing page",
                "operationId": "landing",
                "parameters": f,
                "responses": _responses(_json("Landing page"), 400),
            }
        },
        "/conformance": {
            "get": {
                "summary": "Conformance classes",
                "operationId": "conformance",
                "parameters": f,
                "responses": _responses(_json("Conformance"), 400),
            }
        },
        "/api": {
            "get": {
                "summary": "This API definition",
                "operationId": "api",
                "parameters": f,
                "responses": _responses(_json("OpenAPI", documents.OPENAPI), 400),
            }
        },
        "/collections": {
            "get": {
                "summary": "Collections",
                "operationId": "collections",
                "parameters": f,
                "responses": _responses(_json("Collections"), 400),
            }
        },
    }
    for spec, access in visible_layers(request.principal):
        paths.update(collection_paths(spec, access.private_fields))
    for builder in extensions.path_builders():  # other apps' paths
        paths.update(builder())
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "IOC Đồng Nai: OGC API Features",
            "version": "1.0.0",
            "description": "OGC API Features Parts 1-4 for every layer the caller may read. "
            "Send `Authorization: Bearer TOKEN` for protected layers and edits.",
        },
        "servers": [{"url": request.build_absolute_uri(documents.ROOT)}],
        "paths": paths,
        "components": components(),
    }
