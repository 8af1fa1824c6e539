"""JSON at the edges: bodies are parsed strictly (no NaN/Infinity, no numbers that overflow to infinity, bounded
nesting) and responses never carry a non-finite number. Every JSON body and response goes through here."""

from __future__ import annotations

import json
import math
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse as DjangoJsonResponse

from mapserver.errors import InvalidParameterValue

MAX_DEPTH = 32  # deeper bodies are refused before parsing (no request needs more; recursion would crash)


def _refuse_constant(name: str) -> Any:
    raise InvalidParameterValue(f"{name} is not a number JSON allows; send a finite number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise InvalidParameterValue(f"the number {text[:40]} is too large")
    return value


MAX_INTEGER = 2**63 - 1  # PostgreSQL's bigint; larger integers are no count, id or measure this API takes


def _integer(text: str) -> int:
    value = int(text)
    if abs(value) > MAX_INTEGER:
        raise InvalidParameterValue(f"the integer {text[:40]}… is too large")
    return value


def _depth(text: str) -> int:
    """The deepest nesting of arrays and objects, strings skipped (a linear scan, no recursion)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def parse_json(raw: bytes | str, *, what: str = "the body", max_depth: int = MAX_DEPTH) -> Any:
    """Parse request JSON; a 400 for malformed text, NaN/Infinity, overflowing numbers or deep nesting."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise InvalidParameterValue(f"{what} is not UTF-8 text") from None
    if "\\u0000" in text:  # PostgreSQL text and jsonb cannot hold NUL; no field needs it
        raise InvalidParameterValue(f"{what} contains a NUL character (\\u0000)")
    if _depth(text) > max_depth:
        raise InvalidParameterValue(f"{what} nests arrays and objects deeper than {max_depth} levels")
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite, parse_int=_integer)
    except ValueError as exc:
        raise InvalidParameterValue(f"{what} is not valid JSON: {exc}") from None


def dumps(data: Any, **kwargs: Any) -> str:
    """Serialise a response document; a non-finite number is a server bug and raises instead of leaking out."""
    return json.dumps(data, cls=DjangoJSONEncoder, allow_nan=False, **kwargs)


class JsonResponse(DjangoJsonResponse):
    """Django's JsonResponse that refuses to emit NaN or Infinity (they are not JSON)."""

    def __init__(self, data: Any, *args: Any, json_dumps_params: dict | None = None, **kwargs: Any):
        super().__init__(data, *args, json_dumps_params={"allow_nan": False, **(json_dumps_params or {})}, **kwargs)
