"""The outermost middleware: request class and deadline, one JSON log line and the metrics of every request.

Log lines go to the `mapserver.request` logger (stdout under the supervisor: .data/log/web-access.log), one JSON
object per line: time, method, path (without the query string, which may carry personal values), route, status,
duration_ms, role, request class. Tracebacks of 500s go to the error log (stderr) through `django.request`.
"""

from __future__ import annotations

import logging
import time

from django.db import connections
from django.http import HttpRequest, HttpResponse

from mapserver import metrics, timeouts

log = logging.getLogger("mapserver.request")


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name:
        return match.url_name
    if request.path.startswith("/static/"):
        return "static"
    return "unmatched"


class RequestMiddleware:
    """Sets the request's class and deadline, then logs and counts the answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        name = timeouts.class_for_path(request.path_info)
        # not restored: the connection goes back to the pool when the request ends, and its next taker sets its own
        with timeouts.request_class(name, restore=False), timeouts.Deadline(name) as deadline:
            response = self.get_response(request)
        seconds = time.perf_counter() - started
        route = _route(request)
        metrics.request_done(request.method or "", route, response.status_code, seconds)
        pool = getattr(connections["default"], "pool", None)
        if pool is not None:
            metrics.pool_stats(pool.get_stats())
        principal = getattr(request, "principal", None)
        log.info(
            "request",
            extra={
                "fields": {
                    "method": request.method,
                    "path": request.path,
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 1),
                    "role": getattr(principal, "role", None),
                    "class": name,
                    "deadline_expired": deadline.expired or None,
                }
            },
        )
        return response
