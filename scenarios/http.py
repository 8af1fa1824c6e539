"""Small request helpers shared by the scenarios views."""
from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest

from mapserver.errors import InvalidParameterValue, Unauthorized, UnsupportedMediaType


def json_body(request: HttpRequest, required: bool = True) -> Any:
    """The request's JSON body (400 when it does not parse; {} when empty and not required)."""
    if not request.body:
        if required:
            raise InvalidParameterValue("a JSON body is required")
        return {}
    content_type = request.content_type or ""
    if content_type and content_type not in ("application/json", "text/plain") and not content_type.endswith("+json"):
        raise UnsupportedMediaType(f"the body must be application/json, not {content_type}")
    try:
        return json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidParameterValue(f"the body is not valid JSON: {exc}") from None


def require_login(request: HttpRequest) -> None:
    """Anonymous callers get a 401."""
    if request.principal.is_anonymous:
        raise Unauthorized("this action needs an authenticated account")
