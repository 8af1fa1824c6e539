"""Validating a submitted report (Open311 POST form or the /report page) before anything is stored."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.http import QueryDict
from django.utils.dateparse import parse_datetime

from mapserver.errors import InvalidParameterValue
from reports.models import ServiceCategory

MAX_DESCRIPTION = 4000
PHONE = re.compile(r"^\+?[0-9][0-9 .()\-]{5,19}$")
CLIENT_REF = re.compile(r"^[A-Za-z0-9_\-]{8,64}$")
ATTRIBUTE_KEY = re.compile(r"^attribute\[([A-Za-z0-9_\-]{1,64})\](\[\])?$")
REPORTER_FIELDS = ("first_name", "last_name", "phone", "email", "device_id", "account_id")


@dataclass
class Submission:
    """A validated report submission."""

    category: ServiceCategory
    point: Point
    description: str = ""
    address: str = ""
    media_url: str = ""
    photo: UploadedFile | None = None
    reporter: dict[str, str] = field(default_factory=dict)
    attributes: dict = field(default_factory=dict)
    client_ref: str = ""


def _text(data: QueryDict, name: str, limit: int) -> str:
    value = data.get(name, "") or ""
    if len(value) > limit:
        raise InvalidParameterValue(f"{name} is longer than {limit} characters")
    if "\x00" in value:
        raise InvalidParameterValue(f"{name} contains a NUL character")
    return value.strip()


def parse_category(code: str) -> ServiceCategory:
    """The active category with this service_code; 400 when missing or unknown."""
    if not code:
        raise InvalidParameterValue("service_code is required")
    category = ServiceCategory.objects.filter(code=code, active=True).first()
    if category is None:
        raise InvalidParameterValue(f"unknown service_code {code!r}")
    return category


def _coordinate(data: QueryDict, name: str, bound: float) -> float:
    raw = data.get(name, "").strip()
    try:
        value = float(raw)
    except ValueError:
        raise InvalidParameterValue(f"{name} must be a decimal number, got {raw[:40]!r}") from None
    if not math.isfinite(value) or abs(value) > bound:
        raise InvalidParameterValue(f"{name} must be between -{bound:g} and {bound:g}")
    return value


def parse_point(data: QueryDict) -> Point:
    """The report position from lat/long (WGS 84); an address alone cannot be located here."""
    if not data.get("lat", "").strip() or not data.get("long", "").strip():
        if data.get("address_string") or data.get("address_id"):
            raise InvalidParameterValue("lat and long are required: this server does not geocode address_string")
        raise InvalidParameterValue("lat and long are required")
    return Point(_coordinate(data, "long", 180), _coordinate(data, "lat", 90), srid=4326)


def parse_media_url(data: QueryDict) -> str:
    url = _text(data, "media_url", 500)
    if url:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise InvalidParameterValue("media_url must be an http(s) URL")
    return url


def parse_reporter(data: QueryDict) -> dict[str, str]:
    """The reporter's optional contact (anonymous when all empty)."""
    reporter = {name: _text(data, name, 100) for name in ("first_name", "last_name", "device_id", "account_id")}
    reporter["phone"] = _text(data, "phone", 32)
    if reporter["phone"] and not PHONE.match(reporter["phone"]):
        raise InvalidParameterValue("phone must be a telephone number (digits, spaces, + . - ( ))")
    reporter["email"] = _text(data, "email", 254)
    if reporter["email"]:
        try:
            validate_email(reporter["email"])
        except ValidationError:
            raise InvalidParameterValue("email is not a valid e-mail address") from None
    return {k: v for k, v in reporter.items() if v}


def _attribute_value(spec: dict, values: list[str]):
    code, kind = spec["code"], spec["datatype"]
    keys = {v["key"] for v in spec.get("values", [])}
    if kind == "multivaluelist":
        if any(v not in keys for v in values):
            raise InvalidParameterValue(f"attribute[{code}] must be among {', '.join(sorted(keys))}")
        return values
    value = values[-1].strip()
    if kind == "singlevaluelist" and value not in keys:
        raise InvalidParameterValue(f"attribute[{code}] must be one of {', '.join(sorted(keys))}")
    if kind == "number":
        try:
            number = float(value)
        except ValueError:
            raise InvalidParameterValue(f"attribute[{code}] must be a number") from None
        if not math.isfinite(number):
            raise InvalidParameterValue(f"attribute[{code}] must be a finite number")
        return number
    if kind == "datetime" and parse_datetime(value) is None:
        raise InvalidParameterValue(f"attribute[{code}] must be an ISO 8601 date-time")
    if len(value) > (2000 if kind == "text" else 200):
        raise InvalidParameterValue(f"attribute[{code}] is too long")
    return value


def parse_attributes(data: QueryDict, category: ServiceCategory) -> dict:
    """attribute[CODE]=value (attribute[CODE][]=v for lists), checked against the service definition."""
    specs = {a["code"]: a for a in category.attributes}
    given: dict[str, list[str]] = {}
    for key in data:
        match = ATTRIBUTE_KEY.match(key)
        if key.startswith("attribute") and not match:
            raise InvalidParameterValue(f"malformed attribute parameter {key[:80]!r}")
        if match:
            if match.group(1) not in specs:
                raise InvalidParameterValue(f"service {category.code} has no attribute {match.group(1)!r}")
            given.setdefault(match.group(1), []).extend(v for v in data.getlist(key) if v != "")
    result = {}
    for code, spec in specs.items():
        if given.get(code):
            result[code] = _attribute_value(spec, given[code])
        elif spec.get("required") and spec.get("variable", True):
            raise InvalidParameterValue(f"attribute[{code}] is required for service {category.code}")
    return result


def parse_submission(data: QueryDict, files) -> Submission:
    """Validate every field of a submission; raise InvalidParameterValue naming the first bad one."""
    category = parse_category(data.get("service_code", "").strip())
    point = parse_point(data)
    photo = files.get("media") or files.get("photo")
    sub = Submission(
        category=category,
        point=point,
        description=_text(data, "description", MAX_DESCRIPTION),
        address=_text(data, "address_string", 300),
        media_url=parse_media_url(data),
        photo=photo,
        reporter=parse_reporter(data),
        attributes=parse_attributes(data, category),
        client_ref=_text(data, "client_ref", 64),
    )
    if sub.client_ref and not CLIENT_REF.match(sub.client_ref):
        raise InvalidParameterValue("client_ref must be 8 to 64 letters, digits, '-' or '_'")
    if not sub.description and not sub.photo and not sub.media_url:
        raise InvalidParameterValue("a report needs a description or a photo")
    return sub
