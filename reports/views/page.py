"""The phone page /report, its CSRF-protected submit endpoint, its service worker, and report photos.

The page carries no API key: it posts to /report/submit, protected by Django's CSRF cookie and header like any
form of this site, and the server files the report under the `web` channel. An offline-queued submission is
replayed later with the same client_ref, so a retry after a lost response does not file the report twice.
"""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_POST

from mapserver.errors import InvalidParameterValue, NotFound
from mapserver.ratelimit import check_rate
from reports import open311
from reports.models import ServiceCategory
from reports.open311 import open311_errors
from reports.params import parse_submission
from reports.photos import open_photo
from reports.submission import WEB_CHANNEL, submit
from reports.views.open311 import MAX_UPLOAD_BYTES, _created_doc


@require_GET
@ensure_csrf_cookie
def report_page(request: HttpRequest) -> HttpResponse:
    """The phone-first report form (Vietnamese)."""
    services = [
        dict(open311.service_doc(c), attributes=open311.service_definition(c)["attributes"])
        for c in ServiceCategory.objects.filter(active=True)
    ]
    return render(request, "reports/report.html", {"services": services})


@require_POST
@open311_errors
def report_submit(request: HttpRequest, fmt: str = "json") -> HttpResponse:
    """Submission from /report (CSRF-checked by the middleware); answers like an Open311 POST."""
    check_rate(request, "report_submit")
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_UPLOAD_BYTES:
        raise InvalidParameterValue(f"the request is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    created = submit(parse_submission(request.POST, request.FILES), WEB_CHANNEL, request.principal)
    return open311.render(fmt, "service_requests", [_created_doc(created, request)])


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The page's service worker, served from the site root so it may control /report."""
    path = finders.find("report/sw.js")
    if not path:
        raise NotFound("service worker not installed")
    response = FileResponse(open(path, "rb"), content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def photo(request: HttpRequest, name: str) -> FileResponse:
    """A stored report photo (public like the report itself; stored without metadata)."""
    response = FileResponse(open_photo(name), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response
