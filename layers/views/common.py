"""What every OGC API Features view needs: the collection the caller may read, links, database-error guard."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps

import psycopg
from django.db import DataError, InternalError, connection, transaction
from django.http import HttpRequest, HttpResponse

from layers.catalogue import visible_layer
from layers.registry import LayerSpec
from layers.scoped import ScopedLayer
from mapserver.errors import InvalidParameterValue, MethodNotAllowed, NotFound
from mapserver.scoping import LayerAccess

log = logging.getLogger(__name__)


def read_only(view: Callable) -> Callable:
    """GET and HEAD only; other methods get the OGC exception body with 405 and Allow."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            raise MethodNotAllowed(f"{request.method} is not allowed here", headers={"Allow": "GET, HEAD"})
        return view(request, *args, **kwargs)

    return wrapper


def readable(request: HttpRequest, collection_id: str) -> ScopedLayer:
    """The layer bound to the caller's access (unpacks as spec, access); 404 alike for unknown and unreadable
    collections (nothing leaks)."""
    found = visible_layer(request.principal, collection_id)
    if found is None:
        raise NotFound(f"no collection {collection_id[:80]!r}")
    return ScopedLayer(*found)


def allowed_methods(request: HttpRequest, spec: LayerSpec, access: LayerAccess, item: bool) -> str:
    """The Allow header of items (item=False) or one item: the methods this caller may use (Part 4 options-op)."""
    methods = ["GET", "HEAD", "OPTIONS"]
    if spec.editable and access.write and not request.principal.is_anonymous:
        methods += ["PUT", "PATCH", "DELETE"] if item else ["POST"]
    return ", ".join(methods)


def options_response(allow: str) -> HttpResponse:
    """The answer to OPTIONS: no body, the Allow header."""
    response = HttpResponse(status=200)
    response["Allow"] = allow
    return response


def url_with(request: HttpRequest, **changes: str | None) -> str:
    """The request's absolute URL with some query parameters replaced (None removes one)."""
    params = request.GET.copy()
    for name, value in changes.items():
        name = name.replace("_", "-") if name not in params else name
        if value is None:
            params.pop(name, None)
        else:
            params[name] = value
    query = params.urlencode(safe=",:/")
    return request.build_absolute_uri(request.path) + (f"?{query}" if query else "")


def link_json(href: str, rel: str, media_type: str, title: str = "") -> str:
    """A link object as JSON text (handed to PostGIS as a bound value)."""
    item = {"href": href, "rel": rel, "type": media_type}
    if title:
        item["title"] = title
    return json.dumps(item, ensure_ascii=False)


@contextmanager
def guard_database() -> Iterator[None]:
    """Turn a database data error caused by request values (a transform out of range...) into a 400."""
    try:
        if connection.in_atomic_block:  # inside a transaction (tests, writes): keep it usable after an error
            with transaction.atomic():
                yield
        else:  # autocommit (the hot path): no savepoint round trips
            yield
    except (DataError, InternalError, psycopg.errors.DataError, psycopg.errors.InternalError) as error:
        log.warning("request values rejected by the database: %s", error)
        raise InvalidParameterValue(
            "the request's values could not be applied to this collection (out-of-range coordinates or values?)"
        ) from None
