"""The JSON body of an error, {"code", "description"} (plus the OGC Processes exception fields where the error
has a type URI): rendered here for the middleware, the CSRF and login failure views and the 503 answers."""

from __future__ import annotations

from django.http import HttpResponse

from mapserver.errors import ApiError
from mapserver.jsonio import JsonResponse


def error_response(error: ApiError) -> HttpResponse:
    """The JSON body OGC API and our own API use for every error."""
    body: dict = {"code": error.code, "description": error.description}
    if error.type_uri:
        body.update(type=error.type_uri, title=error.code, status=error.status, detail=error.description)
    response = JsonResponse(body, status=error.status)
    for name, value in error.headers.items():
        response[name] = value
    return response
