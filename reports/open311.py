"""Open311 GeoReport v2 documents: services, service definitions, requests, tokens and errors, in JSON or XML."""

from __future__ import annotations

import functools
import json
import logging
from xml.etree import ElementTree as ET

from django.http import HttpRequest, HttpResponse

from geodata.io.safetext import xml_text
from mapserver.errors import ApiError
from mapserver.timefmt import iso  # noqa: F401  (iso: also imported from here)
from reports.models import PublicReport, ServiceCategory

log = logging.getLogger(__name__)
SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
JURISDICTION_ID = "dongnai.gov.vn"
CHANGESET = "2026-03-01T00:00:00+07:00"  # when this endpoint's services or formats last changed
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# XML element name of the items of each list (the spec's element names).
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "possible_duplicates": "request",
    "endpoints": "endpoint",
    "formats": "format",
}


def _xml_value(parent: ET.Element, name: str, value) -> None:
    element = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, item in value.items():
            _xml_value(element, key, item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _xml_value(element, ITEM_NAMES.get(name, "item"), item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = xml_text(str(value))  # a control character in a description must not void the document


def to_xml(root: str, body) -> bytes:
    """The XML document of a list (root element, items named by ITEM_NAMES) or a dict (root's children)."""
    element = ET.Element(root)
    if isinstance(body, dict):
        for key, value in body.items():
            _xml_value(element, key, value)
    else:
        for item in body:
            _xml_value(element, ITEM_NAMES.get(root, "item"), item)
    return ET.tostring(element, encoding="UTF-8", xml_declaration=True)


def render(fmt: str, root: str, body, status: int = 200) -> HttpResponse:
    """Serialize a document in the requested format (json or xml)."""
    if fmt == "xml":
        content = to_xml(root, body)
    else:
        content = json.dumps(body, ensure_ascii=False, allow_nan=False).encode()
    return HttpResponse(content, status=status, content_type=CONTENT_TYPES[fmt])


def open311_errors(view):
    """Render ApiError as the spec's error list [{"code": HTTP status, "description"}] in the view's format."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, fmt: str = "json", **kwargs) -> HttpResponse:
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except ApiError as error:
            if error.status >= 500:
                log.error("server error on %s", request.path, exc_info=error)
            response = render(
                fmt, "errors", [{"code": error.status, "description": error.description}], status=error.status
            )
            for name, value in error.headers.items():
                response[name] = value
            return response

    return wrapped


def service_doc(category: ServiceCategory) -> dict:
    """One entry of services.json."""
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": bool(category.attributes),
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group,
    }


def service_definition(category: ServiceCategory) -> dict:
    """services/{code}.json: the attributes a request of this service may carry."""
    attributes = sorted(category.attributes, key=lambda a: a.get("order", 0))
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": a.get("variable", True),
                "code": a["code"],
                "datatype": a["datatype"],
                "required": a.get("required", False),
                "datatype_description": a.get("datatype_description", ""),
                "order": a.get("order", 0),
                "description": a.get("description", ""),
                "values": a.get("values", []),
            }
            for a in attributes
        ],
    }


def request_doc(row: PublicReport, absolute, extensions: bool = False) -> dict:
    """One service request as the spec lists it, from the public view only (no reporter field exists there)."""
    media = row.media_url or None
    doc = {
        "service_request_id": str(row.id),
        "status": row.open311_status,
        "status_notes": row.status_notes or None,
        "service_name": row.service_name,
        "service_code": row.service_code,
        "description": row.description,
        "agency_responsible": row.agency_responsible,
        "service_notice": None,
        "requested_datetime": iso(row.requested_at),
        "updated_datetime": iso(row.updated_at),
        "expected_datetime": iso(row.due_at),
        "address": row.address or None,
        "address_id": None,
        "zipcode": None,
        "lat": round(row.geom.y, 7),
        "long": round(row.geom.x, 7),
        "media_url": absolute(media) if media and media.startswith("/") else media,
    }
    if extensions:
        doc["extended_attributes"] = {
            "detailed_status": row.status,
            "commune_code": row.commune_code,
            "commune_name": row.commune_name,
            "overdue": row.overdue,
            "rating": row.rating,
        }
    return doc


def discovery_doc(base_url: str) -> dict:
    """discovery.json: where the GeoReport v2 endpoint is and what it speaks."""
    stamp = CHANGESET
    return {
        "changeset": stamp,
        "contact": "Trung tâm Giám sát, điều hành thông minh tỉnh Đồng Nai (IOC)",
        "key_service": "Khóa API cấp theo kênh tiếp nhận (cổng dịch vụ công, 1022, Zalo, ứng dụng cán bộ xã)",
        "endpoints": [
            {
                "specification": SPEC_URL,
                "url": base_url,
                "changeset": stamp,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
