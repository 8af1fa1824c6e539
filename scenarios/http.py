"""Small request helpers shared by the scenarios views."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from mapserver.errors import InvalidParameterValue, Unauthorized, UnsupportedMediaType
from mapserver.jsonio import parse_json


def json_body(request: HttpRequest, required: bool = True) -> Any:
    """The request's JSON body (400 when it does not parse; {} when empty and not required)."""
    if not request.body:
        if required:
            raise InvalidParameterValue("a JSON body is required")
        return {}
    content_type = request.content_type or ""
    if content_type and content_type not in ("application/json", "text/plain") and not content_type.endswith("+json"):
        raise UnsupportedMediaType(f"the body must be application/json, not {content_type}")
    return parse_json(request.body)


def instant_param(text: str, name: str) -> dt.datetime:
    """An ISO 8601 date-time from a query string (naive: the province's time); 400 when malformed, with an offset
    beyond ±24 h, or so near year 1 or 9999 that it has no UTC equivalent (the database would refuse it)."""
    try:
        value = parse_datetime(text)
        if value is not None:
            value = timezone.make_aware(value) if timezone.is_naive(value) else value
            value.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        value = None
    if value is None:
        raise InvalidParameterValue(f"{name} must be an ISO 8601 date-time like 2026-03-01T00:00:00+07:00")
    return value


def require_login(request: HttpRequest) -> None:
    """Anonymous callers get a 401."""
    if request.principal.is_anonymous:
        raise Unauthorized("this action needs an authenticated account")
