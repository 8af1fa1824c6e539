"""OGC API Features Part 4: create, replace, update and delete features of editable layers.

Rules: writes need `access.write` (anonymous: 401; readers: 403); PUT/PATCH/DELETE need If-Match with the
item's current ETag (428 without it, 412 when stale, weak or the item is missing); geometry type, validity and province membership are
checked in PostGIS; the commune is recomputed from the geometry and commune-scoped writers must stay in their
commune (old and new location); private properties need `access.private_fields`; every change is audited and
announced with geodata.signals.layer_data_changed.
"""

from __future__ import annotations

import json

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from psycopg import sql

from geodata.crs import CrsDef
from geodata.signals import layer_data_changed
from layers import queries
from layers.attributes import validate_properties
from layers.filters import literal_geometry
from layers.params import parse_crs
from layers.registry import LayerSpec
from layers.views.common import guard_database
from mapserver import audit
from mapserver.errors import (
    Forbidden,
    InvalidParameterValue,
    PreconditionFailed,
    PreconditionRequired,
    Unauthorized,
    UnsupportedMediaType,
)
from mapserver.jsonio import parse_json
from mapserver.scoping import LayerAccess

ACCEPTED_GEOMETRIES = {
    "Point": {"POINT"},
    "MultiPolygon": {"POLYGON", "MULTIPOLYGON"},
    "MultiLineString": {"LINESTRING", "MULTILINESTRING"},
}
MAX_BODY = 5_000_000


def require_write(request: HttpRequest, spec: LayerSpec, access: LayerAccess) -> None:
    """401 for anonymous callers, 403 for callers who may read but not write this layer."""
    if request.principal.is_anonymous:
        raise Unauthorized("writing features needs a token (Authorization: Bearer)")
    if not spec.editable or not access.write:
        raise Forbidden(f"you may not edit {spec.id}")


def read_body(request: HttpRequest, partial: bool) -> dict:
    """The submitted GeoJSON Feature (partial for PATCH); 415/400 when it is not one."""
    media = request.content_type or ""
    if media not in ("application/geo+json", "application/json", "application/merge-patch+json"):
        raise UnsupportedMediaType("send the feature as application/geo+json")
    if len(request.body) > MAX_BODY:
        raise InvalidParameterValue("feature body too large")
    feature = parse_json(request.body)
    if not isinstance(feature, dict) or (feature.get("type") != "Feature" and not partial):
        raise InvalidParameterValue('the body must be a GeoJSON Feature ({"type": "Feature", ...})')
    if not isinstance(feature.get("properties", {}) or {}, dict):
        raise InvalidParameterValue("properties must be an object")
    return feature


def check_geometry(spec: LayerSpec, geometry: object, crs: CrsDef, params: dict) -> tuple[sql.Composable, dict]:
    """(SQL of the geometry in storage form, facts: commune, bbox); 400 if wrong type, invalid or outside."""
    if not isinstance(geometry, dict) or not isinstance(geometry.get("type"), str) or "coordinates" not in geometry:
        raise InvalidParameterValue("geometry must be a GeoJSON geometry object with coordinates")
    params["geojson"] = json.dumps(geometry)
    geom = literal_geometry(sql.SQL("ST_GeomFromGeoJSON(%(geojson)s)"), crs)
    with guard_database():
        kind, valid, reason, inside, commune, *bbox = queries.geometry_facts(geom, params["geojson"])
    if kind not in ACCEPTED_GEOMETRIES[spec.geometry_type]:
        raise InvalidParameterValue(f"{spec.id} takes {spec.geometry_type} geometries, got {kind}")
    if not valid:
        raise InvalidParameterValue(f"invalid geometry: {reason}")
    if not inside or commune is None:
        raise InvalidParameterValue("the geometry is not inside Đồng Nai province")
    if spec.geometry_type.startswith("Multi"):
        geom = sql.SQL("ST_Multi({})").format(geom)
    return geom, {"commune": commune, "bbox": tuple(bbox)}


def check_commune(spec: LayerSpec, access: LayerAccess, commune: str | None) -> None:
    """Commune-scoped writers may only touch rows in their own commune."""
    if access.write_commune is not None and commune != access.write_commune:
        raise Forbidden(f"you may only edit {spec.id} in commune {access.write_commune}")


def locked_row(spec: LayerSpec, access: LayerAccess, fid: int, request: HttpRequest) -> tuple[str, str | None]:
    """Lock the visible row and check If-Match against its ETag; (etag, commune)."""
    expected = request.headers.get("If-Match")
    if not expected:
        raise PreconditionRequired("send If-Match with the item's ETag (GET the item first)")
    row = queries.lock_row(spec, access, fid)
    if row is None:  # If-Match (even "*") is false without a current representation (RFC 9110 13.1.1)
        raise PreconditionFailed(f"no feature {fid} in {spec.id}: If-Match cannot match")
    etag, commune = row
    # strong comparison: a weak tag (W/"...") never matches
    tags = {tag.strip() for tag in expected.split(",")}
    if "*" not in tags and etag not in tags:
        raise PreconditionFailed("the feature changed since you read it (ETag mismatch); GET it again")
    return etag, commune


def _union(a: tuple | None, b: tuple | None) -> tuple | None:
    if a is None or b is None:
        return a or b
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _announce(request: HttpRequest, spec: LayerSpec, action: str, fid: int, bbox: tuple | None, **detail) -> None:
    audit.record(request.principal, action, spec.id, fid, request=request, bbox=list(bbox) if bbox else None, **detail)
    # after commit: a cache rebuilt before the commit would otherwise keep the old data
    transaction.on_commit(lambda: layer_data_changed.send(sender=None, model=spec.model, bbox=bbox))


def _changes(
    request: HttpRequest, spec: LayerSpec, access: LayerAccess, feature: dict, mode: str, params: dict
) -> tuple[dict[str, sql.Composable], dict]:
    """The column assignments of a write ({column: SQL}) and the geometry facts."""
    crs = parse_crs(request.headers.get("Content-Crs"), "Content-Crs")
    values = validate_properties(spec, access, feature.get("properties") or {}, mode)
    columns: dict[str, sql.Composable] = {}
    for index, (name, value) in enumerate(values.items()):
        params[f"v{index}"] = value
        columns[name] = sql.Placeholder(f"v{index}")
    facts: dict = {}
    if "geometry" in feature or mode != "update":
        geom, facts = check_geometry(spec, feature.get("geometry"), crs, params)
        check_commune(spec, access, facts["commune"])
        columns[spec.geometry_field] = geom
        if spec.commune_field:
            params["new_commune"] = facts["commune"]
            columns[spec.commune_field] = sql.Placeholder("new_commune")
    columns["updated_at"] = sql.SQL("now()")
    return columns, facts


def create(request: HttpRequest, spec: LayerSpec, access: LayerAccess) -> HttpResponse:
    """POST items: insert one feature; 201 with Location and ETag."""
    require_write(request, spec, access)
    feature = read_body(request, partial=False)
    params: dict = {}
    columns, facts = _changes(request, spec, access, feature, "create", params)
    columns.setdefault("synthetic", sql.SQL("false"))
    with transaction.atomic(), guard_database():
        fid, etag = queries.insert_feature(spec, columns, params)
        _announce(request, spec, "feature.create", fid, facts["bbox"], commune=facts["commune"])
    location = request.build_absolute_uri(f"{request.path.rstrip('/')}/{fid}")
    response = HttpResponse(status=201)
    response["Location"], response["ETag"] = location, etag
    return response


def modify(request: HttpRequest, spec: LayerSpec, access: LayerAccess, fid: int, partial: bool) -> HttpResponse:
    """PUT (replace) or PATCH (update) one feature under If-Match; 204 with the new ETag."""
    require_write(request, spec, access)
    feature = read_body(request, partial=partial)
    with transaction.atomic():
        _, old_commune = locked_row(spec, access, fid, request)
        check_commune(spec, access, old_commune)
        params: dict = {}
        columns, facts = _changes(request, spec, access, feature, "update" if partial else "replace", params)
        old_bbox = queries.row_bbox(spec, fid)
        with guard_database():
            etag = queries.update_feature(spec, fid, columns, params)
        _announce(
            request,
            spec,
            "feature.update" if partial else "feature.replace",
            fid,
            _union(old_bbox, facts.get("bbox")),
            fields=sorted(k for k in columns if k != "updated_at"),
        )
    response = HttpResponse(status=204)
    response["ETag"] = etag
    return response


def delete(request: HttpRequest, spec: LayerSpec, access: LayerAccess, fid: int) -> HttpResponse:
    """DELETE one feature under If-Match; 204."""
    require_write(request, spec, access)
    with transaction.atomic():
        _, old_commune = locked_row(spec, access, fid, request)
        check_commune(spec, access, old_commune)
        bbox = queries.row_bbox(spec, fid)
        queries.delete_feature(spec, fid)
        _announce(request, spec, "feature.delete", fid, bbox)
    return HttpResponse(status=204)
