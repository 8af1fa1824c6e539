"""Request middleware: resolve the principal, render ApiError as {"code", "description"}."""

from __future__ import annotations

import base64
import binascii
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from mapserver import unavailable
from mapserver.error_responses import error_response
from mapserver.errors import ApiError, Unauthorized
from mapserver.principal import ANONYMOUS, Principal
from mapserver.tokens import principal_for_token

log = logging.getLogger(__name__)


def token_from_header(request: HttpRequest, header: str) -> str:
    """The API token of an Authorization header: `Bearer TOKEN`, or HTTP Basic with any user name and the token as
    password (for clients that only know Basic, such as QGIS 3.22), Basic only over HTTPS unless DEBUG."""
    scheme, _, raw = header.partition(" ")
    raw = raw.strip()
    if scheme.lower() == "bearer" and raw:
        return raw
    if scheme.lower() != "basic" or not raw:
        raise Unauthorized("Authorization must be 'Bearer TOKEN' (or Basic with the token as password)")
    if not settings.DEBUG and not request.is_secure():  # is_secure() honours SECURE_PROXY_SSL_HEADER
        raise Unauthorized("HTTP Basic credentials are only accepted over HTTPS")
    try:
        _, separator, password = base64.b64decode(raw, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise Unauthorized("malformed HTTP Basic credentials") from None
    if not separator or not password:
        raise Unauthorized("HTTP Basic needs the API token as the password")
    return password


class PrincipalMiddleware:
    """Sets request.principal from `Authorization: Bearer` (or Basic, the token as password) or the session; a bad
    token is a 401."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        if header:
            try:
                request.principal = principal_for_token(token_from_header(request, header))
            except ApiError as error:
                return error_response(error)
            # token calls carry no cookies, so CSRF cannot apply; a browser may replay Basic credentials by itself,
            # so a Basic call that comes with cookies keeps the CSRF checks
            basic = header[:6].lower() == "basic "
            request._dont_enforce_csrf_checks = not (basic and request.COOKIES)
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
