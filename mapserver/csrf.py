"""CSRF for the JSON APIs: session-authenticated writes need the token, bearer-token and anonymous calls do not.

A browser sends the session cookie on any cross-site request, so a write made with it must prove it came from
our pages (the X-CSRFToken header). A bearer token is never sent by the browser on its own, and an anonymous
call has no credential to abuse, so both skip the check and reach the view (which answers 401 when a write
needs an account). The failure view answers API paths with the JSON error body.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views import csrf as django_csrf

from mapserver.error_responses import error_response
from mapserver.errors import Forbidden

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
JSON_PREFIXES = ("/api/", "/ogcapi", "/open311/", "/tiles/", "/styles/")
_CHECK = CsrfViewMiddleware(lambda request: HttpResponse())


def session_csrf(view: Callable) -> Callable:
    """Enforce CSRF on the view only for unsafe methods of session-authenticated callers."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if request.method not in SAFE_METHODS and _session_authenticated(request):
            failure = _CHECK.process_view(request, None, (), {})
            if failure is not None:
                return failure
        return view(request, *args, **kwargs)

    wrapped.csrf_exempt = True  # the middleware's check is replaced by the one above
    wrapped.session_csrf = True  # seen by the URL walk test
    return wrapped


def _session_authenticated(request: HttpRequest) -> bool:
    if getattr(request, "_dont_enforce_csrf_checks", False):  # bearer token (PrincipalMiddleware) or test client
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: {"code", "description"} with 403 on API paths, Django's page elsewhere.

    The phone page (/report/submit) keeps Django's non-JSON answer: its script refreshes the CSRF cookie and
    retries when a 403 carries no JSON.
    """
    if request.path.startswith(JSON_PREFIXES):
        return error_response(
            Forbidden(
                f"CSRF check failed ({reason}): session-authenticated writes must send the "
                "X-CSRFToken header; API clients should use Authorization: Bearer"
            )
        )
    return django_csrf.csrf_failure(request, reason)
