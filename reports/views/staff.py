"""The staff API: /api/reports (list), /api/reports/{id} (full record), /api/reports/{id}/transition."""

from __future__ import annotations

import re

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from mapserver import audit
from mapserver.csrf import session_csrf
from mapserver.errors import InvalidParameterValue, NotFound
from mapserver.jsonio import JsonResponse, parse_json
from reports import access, workflow
from reports.models import OPEN_STATES, FieldReport, Reporter, ServiceCategory, Status
from reports.open311 import iso
from reports.photos import URL_PREFIX

MAX_LIMIT = 500
COMMUNE_CODE = re.compile(r"^[0-9]{5}$")


def _summary(report: FieldReport) -> dict:
    return {
        "id": report.pk,
        "service_code": report.category.code,
        "service_name": report.category.name,
        "status": report.status,
        "description": report.description,
        "address": report.address,
        "lat": round(report.geom.y, 7),
        "long": round(report.geom.x, 7),
        "commune_code": report.commune_code,
        "commune_name": report.commune_name,
        "sector": report.sector,
        "department": report.department,
        "agency_responsible": report.agency_responsible,
        "assigned_to": report.assigned_to,
        "requested_at": iso(report.requested_at),
        "updated_at": iso(report.updated_at),
        "due_at": iso(report.due_at),
        "overdue": report.overdue,
        "rating": report.rating,
    }


def _reporter(report: FieldReport) -> dict | None:
    try:
        contact = report.reporter
    except Reporter.DoesNotExist:
        return None
    return {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "phone": contact.phone,
        "email": contact.email,
        "device_id": contact.device_id,
        "account_id": contact.account_id,
        "staff_username": contact.staff_username,
    }


def _detail(report: FieldReport, show_reporter: bool) -> dict:
    doc = _summary(report)
    doc.update(
        {
            "status_notes": report.status_notes,
            "attributes": report.attributes,
            "channel": report.channel,
            "media_url": URL_PREFIX + report.photo if report.photo else report.media_url or None,
            "resolved_at": iso(report.resolved_at),
            "closed_at": iso(report.closed_at),
            "duplicate_of": report.duplicate_of_id,
            "rating_comment": report.rating_comment if show_reporter else None,  # the reporter's own words
            "allowed_transitions": workflow.allowed_from(report.status),
            "transitions": [
                {
                    "from": t.from_status or None,
                    "to": t.to_status,
                    "at": iso(t.at),
                    "by": t.by_username,
                    "role": t.by_role,
                    "note": t.note,
                }
                for t in report.transitions.all()
            ],
            "reporter_visible": show_reporter,
            "reporter": _reporter(report) if show_reporter else None,
        }
    )
    return doc


def _get_report(report_id: int) -> FieldReport:
    report = FieldReport.objects.select_related("category").filter(pk=report_id).first()
    if report is None:
        raise NotFound(f"no report {report_id}")
    return report


@require_GET
def report_detail(request: HttpRequest, report_id: int) -> JsonResponse:
    """The full record; the reporter's contact only for the handling unit's staff and admins."""
    access.require_staff(request.principal)
    report = _get_report(report_id)
    access.check_read(request.principal, report)
    show = access.handles(request.principal, report)
    doc = _detail(report, show)
    if doc["reporter"]:
        # Personal data was disclosed: keep a trace of who saw whose contact (Regulation 430 Art. 13).
        audit.record_contact_disclosure(request, [report.pk])
    return JsonResponse(doc)


@session_csrf
@require_POST
def report_transition(request: HttpRequest, report_id: int) -> JsonResponse:
    """Move a report: {"to": state, "note", "public_note", "assigned_to", "duplicate_of", "service_code"}."""
    access.require_staff(request.principal)
    access.check_handle(request.principal, _get_report(report_id))
    body = parse_json(request.body or b"{}")
    if not isinstance(body, dict) or not isinstance(body.get("to"), str):
        raise InvalidParameterValue('the body must be a JSON object with "to": the new state')
    report = workflow.transition(report_id, body["to"], request.principal, body)
    report = _get_report(report.pk)
    doc = _detail(report, True)
    if doc["reporter"]:  # the answer carries the contact too
        audit.record_contact_disclosure(request, [report.pk])
    return JsonResponse(doc)


def _bool(raw: str, name: str) -> bool:
    if raw.lower() in {"true", "1", "yes"}:
        return True
    if raw.lower() in {"false", "0", "no"}:
        return False
    raise InvalidParameterValue(f"{name} must be true or false")


def _int(raw: str, name: str, default: int, high: int) -> int:
    if not raw:
        return default
    if not raw.isdigit() or int(raw) > high:
        raise InvalidParameterValue(f"{name} must be an integer from 0 to {high}")
    return int(raw)


def _filtered(params, reports):
    statuses = [s for s in params.get("status", "").split(",") if s]
    if set(statuses) - set(Status.values):
        raise InvalidParameterValue(f"status must be among {', '.join(Status.values)}")
    if statuses:
        reports = reports.filter(status__in=statuses)
    if params.get("category"):
        codes = set(params["category"].split(","))
        if codes - set(ServiceCategory.objects.filter(code__in=codes).values_list("code", flat=True)):
            raise InvalidParameterValue("category must be service codes from /open311/v2/services.json")
        reports = reports.filter(category__code__in=codes)
    if params.get("commune"):
        communes = params["commune"].split(",")
        if not all(COMMUNE_CODE.match(c) for c in communes):
            raise InvalidParameterValue("commune must be commune codes (5 digits), comma-separated")
        reports = reports.filter(commune_code__in=communes)
    if params.get("overdue"):
        late = Q(status__in=OPEN_STATES, due_at__lt=timezone.now())
        reports = reports.filter(late) if _bool(params["overdue"], "overdue") else reports.exclude(late)
    return reports


@require_GET
def report_list(request: HttpRequest) -> JsonResponse:
    """Reports the caller may see, filtered by status, category, commune, overdue; newest first."""
    limit = _int(request.GET.get("limit", ""), "limit", 100, MAX_LIMIT)
    offset = _int(request.GET.get("offset", ""), "offset", 0, 10_000_000)
    reports = _filtered(request.GET, access.scoped(request.principal, FieldReport.objects.all()))
    total = reports.count()
    page = reports.select_related("category").order_by("-requested_at", "-id")[offset : offset + limit]
    return JsonResponse({"count": total, "limit": limit, "offset": offset, "reports": [_summary(r) for r in page]})
