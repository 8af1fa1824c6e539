"""Request middleware: resolve the principal, render ApiError as {"code", "description"}."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse

from mapserver import unavailable
from mapserver.errors import ApiError, Unauthorized
from mapserver.jsonio import JsonResponse
from mapserver.principal import ANONYMOUS, Principal
from mapserver.tokens import principal_for_token

log = logging.getLogger(__name__)


def error_response(error: ApiError) -> HttpResponse:
    """The JSON body OGC API and our own API use for every error."""
    response = JsonResponse({"code": error.code, "description": error.description}, status=error.status)
    for name, value in error.headers.items():
        response[name] = value
    return response


class PrincipalMiddleware:
    """Sets request.principal from `Authorization: Bearer` or the session; a bad token is a 401."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _, raw = header.partition(" ")
            if scheme.lower() != "bearer" or not raw.strip():
                return error_response(Unauthorized("Authorization must be 'Bearer TOKEN'"))
            try:
                request.principal = principal_for_token(raw.strip())
            except ApiError as error:
                return error_response(error)
            request._dont_enforce_csrf_checks = True  # token calls carry no cookies, so CSRF cannot apply
        elif request.user.is_authenticated:
            request.principal = Principal.from_user(request.user)
        else:
            request.principal = ANONYMOUS
        return self.get_response(request)


class ApiErrorMiddleware:
    """Turns ApiError raised anywhere in a view into its JSON body and status."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, ApiError):
            if exception.status >= 500:
                log.error("server error on %s", request.path, exc_info=exception)
            return error_response(exception)
        kind = unavailable.classify(exception)
        if kind:  # an outage or a timeout: expected under faults, logged without the traceback
            log.warning("%s on %s: %s", kind, request.path, str(exception).strip().splitlines()[:1])
            return unavailable.response(request, kind)
        return None
