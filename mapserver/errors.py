"""One exception hierarchy: each class carries its HTTP status and OGC exception code."""

from __future__ import annotations


class ApiError(Exception):
    """Base of every error that reaches a client as {"code", "description"}."""

    status = 500
    code = "ServerError"
    type_uri: str | None = None  # set: the body also carries RFC 9457 type/title/status/detail (OGC Processes)

    def __init__(self, description: str, *, code: str | None = None, headers: dict[str, str] | None = None):
        super().__init__(description)
        self.description = description
        if code:
            self.code = code
        self.headers = headers or {}


class InvalidParameterValue(ApiError):
    """A request parameter or body value is malformed or out of range (400)."""

    status = 400
    code = "InvalidParameterValue"


class Unauthorized(ApiError):
    """No valid credentials for something that needs them (401)."""

    status = 401
    code = "Unauthorized"

    def __init__(self, description: str = "authentication required", **kwargs):
        kwargs.setdefault("headers", {"WWW-Authenticate": 'Bearer realm="mapserver"'})
        super().__init__(description, **kwargs)


class Forbidden(ApiError):
    """Authenticated, but the role or scope does not allow it (403)."""

    status = 403
    code = "Forbidden"


class NotFound(ApiError):
    """The resource does not exist or is not visible to the caller (404)."""

    status = 404
    code = "NotFound"


class MethodNotAllowed(ApiError):
    status = 405
    code = "MethodNotAllowed"


class NotAcceptable(ApiError):
    status = 406
    code = "NotAcceptable"


class Conflict(ApiError):
    status = 409
    code = "Conflict"


class PreconditionFailed(ApiError):
    """If-Match did not match the current ETag (412)."""

    status = 412
    code = "PreconditionFailed"


class PreconditionRequired(ApiError):
    status = 428
    code = "PreconditionRequired"


class UnsupportedMediaType(ApiError):
    status = 415
    code = "UnsupportedMediaType"


class TooManyRequests(ApiError):
    """The caller went over a rate limit (429); Retry-After says in how many seconds the window reopens."""

    status = 429
    code = "TooManyRequests"

    def __init__(self, description: str, *, retry_after: int, **kwargs):
        self.retry_after = max(1, int(retry_after))
        kwargs.setdefault("headers", {})["Retry-After"] = str(self.retry_after)
        super().__init__(description, **kwargs)


class ServiceUnavailable(ApiError):
    status = 503
    code = "ServiceUnavailable"
