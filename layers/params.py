"""Parsing and validating OGC API Features query parameters before any SQL runs."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.http import QueryDict

from geodata.crs import CRS84_URI, SUPPORTED, CrsDef, resolve_crs
from layers.registry import LayerSpec
from mapserver.errors import InvalidParameterValue

DEFAULT_LIMIT = 10
MAX_LIMIT = 10_000
MAX_OFFSET = 10_000_000
ITEMS_PARAMS = frozenset(
    {
        "f",
        "limit",
        "offset",
        "bbox",
        "bbox-crs",
        "datetime",
        "properties",
        "sortby",
        "crs",
        "filter",
        "filter-lang",
        "filter-crs",
    }
)
Instant = dt.date | dt.datetime


@dataclass(frozen=True)
class Interval:
    """A closed datetime interval; None on a side means open ('..')."""

    start: Instant | None
    end: Instant | None


@dataclass
class ItemsQuery:
    """Validated parameters of one items request."""

    limit: int = DEFAULT_LIMIT
    offset: int = 0
    bbox: tuple[float, float, float, float] | None = None
    bbox_crs: CrsDef = field(default_factory=lambda: SUPPORTED[CRS84_URI])
    datetime: Interval | None = None
    properties: tuple[str, ...] | None = None
    sortby: tuple[tuple[str, bool], ...] = ()  # (property, descending)
    crs: CrsDef = field(default_factory=lambda: SUPPORTED[CRS84_URI])
    filter: object | None = None  # a pygeofilter AST
    filter_crs: CrsDef = field(default_factory=lambda: SUPPORTED[CRS84_URI])
    equals: tuple[tuple[str, str], ...] = ()  # queryable=value parameters (Part 1, /req/core/fc-filters)


def parse_crs(text: str | None, name: str) -> CrsDef:
    """A supported CRS from a parameter or header value (default CRS84); 400 otherwise."""
    if text is None or text == "":
        return SUPPORTED[CRS84_URI]
    try:
        return resolve_crs(text.strip().strip("<>"))
    except ValueError as error:
        raise InvalidParameterValue(f"{name}: {error}") from None


def parse_int(text: str | None, name: str, default: int, low: int, high: int) -> int:
    """An integer parameter within [low, high]; 400 if malformed or out of range."""
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        raise InvalidParameterValue(f"{name} must be an integer, got {text[:40]!r}") from None
    if not low <= value <= high:
        raise InvalidParameterValue(f"{name} must be between {low} and {high}, got {value}")
    return value


def parse_bbox(text: str, crs: CrsDef) -> tuple[float, float, float, float]:
    """minx,miny,maxx,maxy in the CRS's own axis order, returned as x/y (lon/lat for geographic CRSs)."""
    try:
        numbers = [float(part) for part in text.split(",")]
    except ValueError:
        raise InvalidParameterValue(f"bbox must be four comma-separated numbers, got {text[:80]!r}") from None
    if len(numbers) == 6:  # 3D bbox: drop the heights
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        raise InvalidParameterValue("bbox must have four (or six) finite numbers")
    if crs.lat_lon_order:
        numbers = [numbers[1], numbers[0], numbers[3], numbers[2]]
    minx, miny, maxx, maxy = numbers
    if miny > maxy or (minx > maxx and crs.srid != 4326):
        raise InvalidParameterValue("bbox lower corner must not be above or right of the upper corner")
    if crs.srid == 4326 and (min(miny, maxy) < -90 or max(miny, maxy) > 90):
        raise InvalidParameterValue("bbox latitude out of range")
    # minx > maxx in lon/lat: a box crossing the antimeridian (Part 1 bbox definition); queries split it in two
    return minx, miny, maxx, maxy


def _instant(text: str) -> Instant | None:
    text = text.strip()
    if text in ("", ".."):
        return None
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        value = dt.datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        raise InvalidParameterValue(
            f"datetime must be RFC 3339 (e.g. 2025-07-01T00:00:00Z), got {text[:40]!r}"
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _as_datetime(value: Instant, end: bool) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    # the day's last microsecond directly: "day + 1 day - 1 µs" overflows on 9999-12-31
    return dt.datetime.combine(value, dt.time.max if end else dt.time.min, tzinfo=dt.UTC)


def parse_datetime(text: str) -> Interval:
    """An instant, a closed interval, or a half-open interval ('../end', 'start/..'); dates cover their day."""
    if "/" in text:
        first, _, second = text.partition("/")
        start, end = _instant(first), _instant(second)
        if start is None and end is None:
            raise InvalidParameterValue("datetime interval must have at least one bounded end")
    else:
        start = end = _instant(text)
        if start is None:
            raise InvalidParameterValue("datetime must not be empty")
    start = _as_datetime(start, end=False) if start is not None else None
    end = _as_datetime(end, end=True) if end is not None else None
    if start and end and start > end:
        raise InvalidParameterValue("datetime interval ends before it starts")
    return Interval(start, end)


def readable_properties(spec: LayerSpec, private: bool) -> tuple[str, ...]:
    """The attributes this caller may read: the allow-list, plus private ones for callers allowed them."""
    return spec.properties + (spec.private_properties if private else ())


def parse_properties(text: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    """A subset of the readable properties, in the order asked; 400 on an unknown name."""
    names = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    unknown = [name for name in names if name not in allowed]
    if unknown:
        raise InvalidParameterValue(f"unknown properties: {', '.join(unknown)[:200]}; known: {', '.join(allowed)}")
    return names


def parse_sortby(text: str, allowed: tuple[str, ...], id_field: str) -> tuple[tuple[str, bool], ...]:
    """`+name,-other` (or `name` for ascending) over the readable properties and the id."""
    keys = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        descending = part.startswith("-")
        name = part.lstrip("+-").strip()
        if name not in allowed and name != id_field:
            raise InvalidParameterValue(f"cannot sort by {name[:60]!r}; sortable: {', '.join((id_field, *allowed))}")
        keys.append((name, descending))
    return tuple(keys)


def search_params(body: object) -> QueryDict:
    """The items parameters of a POST search body ({"filter": CQL2 JSON, "limit": 10, "bbox": [...], ...}) as
    the query string would carry them: arrays comma-separated, a filter object as cql2-json text."""
    import json

    if not isinstance(body, dict):
        raise InvalidParameterValue('the search body must be a JSON object, e.g. {"filter": {...}, "limit": 100}')
    params = QueryDict(mutable=True)
    for name, value in body.items():
        if name == "filter" and isinstance(value, dict):
            params["filter"] = json.dumps(value)
            params.setdefault("filter-lang", "cql2-json")
        elif isinstance(value, list) and all(
            isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value
        ):
            params[name] = ",".join(str(v) for v in value)
        elif isinstance(value, (str, int, float)):
            params[name] = str(value).lower() if isinstance(value, bool) else str(value)
        else:
            raise InvalidParameterValue(f"search parameter {str(name)[:40]!r} must be a string, number or list")
    return params


def parse_items(params: QueryDict, spec: LayerSpec, private: bool, max_filter: int | None = None) -> ItemsQuery:
    """Every items parameter of the request, validated (filters are parsed here, translated later)."""
    from layers.filters import MAX_FILTER_LENGTH, parse_filter

    allowed = readable_properties(spec, private)
    query = ItemsQuery(
        # above the maximum is not an error: the maximum applies (/req/core/fc-limit-response-1 C)
        limit=min(parse_int(params.get("limit"), "limit", DEFAULT_LIMIT, 1, 2**63), MAX_LIMIT),
        offset=parse_int(params.get("offset"), "offset", 0, 0, MAX_OFFSET),
        crs=parse_crs(params.get("crs"), "crs"),
        bbox_crs=parse_crs(params.get("bbox-crs"), "bbox-crs"),
        filter_crs=parse_crs(params.get("filter-crs"), "filter-crs"),
    )
    if params.get("bbox"):
        query.bbox = parse_bbox(params["bbox"], query.bbox_crs)
    elif "bbox-crs" in params:
        raise InvalidParameterValue("bbox-crs needs a bbox")
    if params.get("datetime"):
        interval = parse_datetime(params["datetime"])  # validated even where it cannot apply
        # no temporal property: every feature matches (/req/core/fc-time-response C)
        query.datetime = interval if spec.datetime_field else None
    if "properties" in params:
        query.properties = parse_properties(params["properties"], allowed)
    if params.get("sortby"):
        query.sortby = parse_sortby(params["sortby"], allowed, spec.id_field)
    if params.get("filter"):
        query.filter = parse_filter(params["filter"], params.get("filter-lang"), max_filter or MAX_FILTER_LENGTH)
    elif "filter-lang" in params and params["filter-lang"] not in ("cql2-text", "cql2-json"):
        raise InvalidParameterValue("filter-lang must be cql2-text or cql2-json")
    query.equals = tuple((name, params[name]) for name in params if name in allowed)
    unknown = [name for name in params if name not in ITEMS_PARAMS and name not in allowed]
    if unknown:
        raise InvalidParameterValue(f"unknown parameter(s): {', '.join(sorted(unknown))[:200]}")
    return query
