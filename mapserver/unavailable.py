"""Database outages and timeouts as 503 answers with Retry-After, never HTML 500s.

`classify(exc)` says whether an exception means "the database is unavailable" (it cannot be reached, the pool has
no connection for us in time, the connection broke) or "timed out" (statement, lock or request deadline), and
`response()` builds the answer: the JSON `{"code", "description"}` body on API paths, a short HTML page elsewhere.
The view-level mapping is in mapserver.middleware.ApiErrorMiddleware; errors raised in middleware (a session or
token lookup) reach `server_error`, the project's handler500.
"""

from __future__ import annotations

import logging
import sys

import psycopg
from django.conf import settings
from django.db import InterfaceError
from django.http import HttpRequest, HttpResponse
from psycopg_pool import PoolTimeout

from mapserver import metrics
from mapserver.error_responses import error_response
from mapserver.errors import ApiError, ServiceUnavailable

log = logging.getLogger(__name__)

# Paths answered with JSON; everything else (the map, the report page, the login page) gets HTML.
_HTML_PREFIXES = ("/accounts/", "/report", "/admin/")


def classify(exc: BaseException | None) -> str | None:
    """ "timeout", "database_unavailable" or None (not an outage) for an exception raised while serving."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, psycopg.errors.QueryCanceled | psycopg.errors.LockNotAvailable):
            return "timeout"
        if isinstance(exc, PoolTimeout | InterfaceError | psycopg.InterfaceError):
            return "database_unavailable"
        # No SQLSTATE: the server could not be reached or the connection broke; 08: connection exceptions;
        # 57P: the server is shutting down, restarting or not yet accepting connections.
        if isinstance(exc, psycopg.OperationalError) and (exc.sqlstate or "08").startswith(("08", "57P")):
            return "database_unavailable"
        exc = exc.__cause__ or exc.__context__
    return None


def as_api_error(kind: str) -> ApiError:
    """The 503 error of a kind, with Retry-After."""
    retry = {"Retry-After": str(settings.MAPSERVER_RETRY_AFTER)}
    if kind == "timeout":
        return ServiceUnavailable(
            "the request took too long and was stopped; try again or narrow it", code="Timeout", headers=retry
        )
    return ServiceUnavailable(
        "the database is unavailable; try again shortly", code="DatabaseUnavailable", headers=retry
    )


def wants_html(request: HttpRequest) -> bool:
    """Whether the path is a page for people rather than an API."""
    return request.path == "/" or request.path.startswith(_HTML_PREFIXES)


def response(request: HttpRequest, kind: str) -> HttpResponse:
    """The 503 answer of a kind for this request (JSON on API paths, a short page elsewhere)."""
    metrics.server_error(kind)
    error = as_api_error(kind)
    if wants_html(request):
        page = HttpResponse(
            "<!doctype html><html lang=vi><meta charset=utf-8><title>Tạm thời gián đoạn</title>"
            "<h1>Hệ thống tạm thời gián đoạn</h1><p>Vui lòng thử lại sau ít phút. "
            "(The service is temporarily unavailable; please try again in a few minutes.)</p></html>",
            status=503,
            content_type="text/html; charset=utf-8",
        )
        page["Retry-After"] = error.headers["Retry-After"]
        return page
    return error_response(error)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a 503 for outages and timeouts, else a 500 (JSON on API paths); Django has logged the traceback."""
    kind = classify(sys.exc_info()[1])
    if kind:
        return response(request, kind)
    metrics.server_error("exception")
    if wants_html(request):
        return HttpResponse(
            "<!doctype html><html lang=vi><meta charset=utf-8><title>Lỗi máy chủ</title><h1>Lỗi máy chủ</h1>"
            "<p>Đã ghi nhận lỗi. (A server error was logged.)</p></html>",
            status=500,
            content_type="text/html; charset=utf-8",
        )
    return error_response(ApiError("internal server error (logged)"))
