"""Open311 GeoReport v2 at /open311/v2/: discovery, services, requests (GET and POST), tokens, ratings."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt

from mapserver.errors import InvalidParameterValue, MethodNotAllowed, NotFound
from mapserver.ratelimit import check_rate
from reports import open311, workflow
from reports.models import PublicReport, ServiceCategory
from reports.open311 import open311_errors, render
from reports.params import parse_submission
from reports.submission import Created, channel_for, report_for_token, submit

MAX_REQUESTS = 1000
DEFAULT_WINDOW = timedelta(days=90)
MAX_UPLOAD_BYTES = 12 * 1024 * 1024
OPEN311_STATUSES = {"open", "closed"}


def _check_jurisdiction(params: QueryDict) -> None:
    given = params.get("jurisdiction_id", "")
    if given and given != open311.JURISDICTION_ID:
        raise NotFound(f"unknown jurisdiction_id {given!r}; this server serves {open311.JURISDICTION_ID}")


@open311_errors
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    """discovery.json|xml."""
    base = request.build_absolute_uri("/open311/v2/")
    return render(fmt, "discovery", open311.discovery_doc(base))


@open311_errors
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    """services.json|xml: every active category."""
    _check_jurisdiction(request.GET)
    docs = [open311.service_doc(c) for c in ServiceCategory.objects.filter(active=True)]
    return render(fmt, "services", docs)


@open311_errors
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """services/{code}.json|xml: the attributes of one service."""
    _check_jurisdiction(request.GET)
    category = ServiceCategory.objects.filter(code=code, active=True).first()
    if category is None:
        raise NotFound(f"no service {code!r}")
    return render(fmt, "service_definition", open311.service_definition(category))


def _moment(raw: str, name: str, end: bool) -> datetime:
    """A w3c date-time (or a date: its start, or its end for end_date); naive ones are in the province's time."""
    try:
        value = parse_datetime(raw) if "T" in raw or " " in raw else None
        day = parse_date(raw) if value is None and len(raw) == 10 else None
    except ValueError:
        value = day = None
    if value is None:
        if day is None:
            raise InvalidParameterValue(f"{name} must be a w3c date-time like 2026-03-01T00:00:00+07:00")
        value = datetime.combine(day, time.max if end else time.min)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    try:
        value.astimezone(UTC)  # 9999-12-31T23:59:59-23:59 has no UTC time: the database refuses it
    except OverflowError:
        raise InvalidParameterValue(f"{name} is outside the years 1 to 9999 in UTC") from None
    return value


def _list_param(params: QueryDict, name: str) -> list[str]:
    if "\x00" in params.get(name, ""):
        raise InvalidParameterValue(f"{name} must not contain NUL")
    return [v.strip() for v in params.get(name, "").split(",") if v.strip()]


def _filter_requests(params: QueryDict):
    """The requests matching the spec's filters (service_request_id overrides the others)."""
    rows = PublicReport.objects.order_by("-requested_at", "-id")
    ids = _list_param(params, "service_request_id")
    if ids:
        if not all(i.isdigit() and len(i) < 19 for i in ids):
            raise InvalidParameterValue("service_request_id must be a comma-separated list of ids")
        return rows.filter(id__in=[int(i) for i in ids])
    codes = _list_param(params, "service_code")
    unknown = set(codes) - set(ServiceCategory.objects.filter(code__in=codes).values_list("code", flat=True))
    if unknown:
        raise InvalidParameterValue(f"unknown service_code {', '.join(sorted(unknown))}")
    statuses = _list_param(params, "status")
    if set(statuses) - OPEN311_STATUSES:
        raise InvalidParameterValue("status must be open, closed or open,closed")
    start = _moment(params["start_date"], "start_date", False) if params.get("start_date") else None
    end = _moment(params["end_date"], "end_date", True) if params.get("end_date") else None
    if start and end and start > end:
        raise InvalidParameterValue("start_date is after end_date")
    if start is None and end is None:
        start = timezone.now() - DEFAULT_WINDOW
    if codes:
        rows = rows.filter(service_code__in=codes)
    if statuses:
        rows = rows.filter(open311_status__in=statuses)
    if start:
        rows = rows.filter(requested_at__gte=start)
    if end:
        rows = rows.filter(requested_at__lte=end)
    return rows


def _list_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    _check_jurisdiction(request.GET)
    extensions = request.GET.get("extensions", "").lower() == "true"
    rows = _filter_requests(request.GET)[:MAX_REQUESTS]
    absolute = request.build_absolute_uri
    return render(fmt, "service_requests", [open311.request_doc(r, absolute, extensions) for r in rows])


def _created_doc(created: Created, request: HttpRequest) -> dict:
    report = created.report
    notice = (
        f"Phản ánh đã chuyển đến {report.agency_responsible}; hạn xử lý "
        f"{timezone.localtime(report.due_at):%H:%M %d/%m/%Y}."
    )
    account = getattr(getattr(report, "reporter", None), "account_id", "") if created.created else ""
    return {
        "service_request_id": str(report.pk),
        "token": created.token,
        "service_notice": notice,
        "account_id": account or None,
        "agency_responsible": report.agency_responsible,
        "expected_datetime": open311.iso(report.due_at),
        "possible_duplicates": created.duplicates,
    }


def _create_request(request: HttpRequest, fmt: str) -> HttpResponse:
    check_rate(request, "open311_post")
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_UPLOAD_BYTES:
        raise InvalidParameterValue(f"the request is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    _check_jurisdiction(request.POST)
    bearer = "Authorization" in request.headers
    channel = channel_for(request.POST.get("api_key", "").strip(), request.principal, bearer)
    created = submit(parse_submission(request.POST, request.FILES), channel, request.principal)
    return render(fmt, "service_requests", [_created_doc(created, request)])


@csrf_exempt  # authenticated by api_key or a bearer token, never by a session cookie
@open311_errors
def requests_view(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET requests.json|xml (the spec's filters) or POST a new request (form-encoded or multipart)."""
    if request.method == "GET":
        return _list_requests(request, fmt)
    if request.method == "POST":
        return _create_request(request, fmt)
    raise MethodNotAllowed("use GET or POST", headers={"Allow": "GET, POST"})


@open311_errors
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    """requests/{id}.json|xml: one request, as a one-element list."""
    _check_jurisdiction(request.GET)
    row = PublicReport.objects.filter(id=int(request_id)).first() if len(request_id) < 19 else None
    if row is None:
        raise NotFound(f"no service request {request_id}")
    extensions = request.GET.get("extensions", "").lower() == "true"
    return render(fmt, "service_requests", [open311.request_doc(row, request.build_absolute_uri, extensions)])


@open311_errors
def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    """tokens/{token}.json|xml: the service_request_id of a token (plus its detailed status, an extension)."""
    report = report_for_token(token)
    if report is None:
        raise NotFound("unknown token")
    return render(
        fmt,
        "service_requests",
        [
            {
                "service_request_id": str(report.pk),
                "token": token,
                "status": "open" if report.is_open else "closed",
                "detailed_status": report.status,
                "status_notes": report.status_notes or None,
                "rating": report.rating,
                "may_rate": report.status in workflow.RATEABLE and report.rating is None,
            }
        ],
    )


@csrf_exempt  # the token itself is the credential
@open311_errors
def token_rating(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    """POST tokens/{token}/rating.json|xml (extension): the reporter rates a resolved report 1-5, once."""
    if request.method != "POST":
        raise MethodNotAllowed("use POST", headers={"Allow": "POST"})
    report = report_for_token(token)
    if report is None:
        raise NotFound("unknown token")
    report = workflow.rate(report, request.POST.get("rating"), request.POST.get("comment"))
    return render(fmt, "service_requests", [{"service_request_id": str(report.pk), "rating": report.rating}])
