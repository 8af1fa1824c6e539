"""Content-Security-Policy on every response: scripts only from our own static files (no inline script, no
eval), so that a value that slips into markup cannot run. Views may replace the policy for one response by
setting `response.csp` (the offline HTML export, which is sandboxed instead)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# MapLibre runs its workers from blob: URLs; camera players feed Media Source from blob: URLs.
BASE_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],  # style attributes only: no script can come from them
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "media-src": ["'self'", "blob:"],
    "worker-src": ["'self'", "blob:"],
    "child-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# A downloaded report that runs its own inlined map library: sandboxed to an opaque origin with no network.
SANDBOXED_EXPORT = (
    "sandbox allow-scripts; default-src 'none'; script-src 'unsafe-inline'; "
    "style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
)


def policy() -> str:
    """The site-wide policy, with the camera stream origins from settings (MAPSERVER_CSP_MEDIA_ORIGINS)."""
    directives = {name: list(values) for name, values in BASE_POLICY.items()}
    for origin in getattr(settings, "MAPSERVER_CSP_MEDIA_ORIGINS", []):
        directives["connect-src"].append(origin)
        directives["media-src"].append(origin)
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


class ContentSecurityPolicyMiddleware:
    """Adds the policy (and nosniff) to every response that does not carry its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = getattr(response, "csp", None) or self.header
        response.setdefault("X-Content-Type-Options", "nosniff")
        return response
