"""The report workflow: legal transitions, who did them, SLA due dates and the reporter's rating."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from geodata.signals import layer_data_changed
from mapserver import audit
from mapserver.errors import Conflict, InvalidParameterValue
from mapserver.principal import ANONYMOUS, Principal
from reports.models import FieldReport, PublicReport, ServiceCategory, Status, Transition

S = Status
TRANSITIONS: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.ACCEPTED, S.REJECTED, S.DUPLICATE}),
    S.ACCEPTED: frozenset({S.ASSIGNED, S.REJECTED, S.DUPLICATE}),
    S.ASSIGNED: frozenset({S.IN_PROGRESS, S.REJECTED}),
    S.IN_PROGRESS: frozenset({S.RESOLVED}),
    S.RESOLVED: frozenset({S.CLOSED, S.IN_PROGRESS}),  # back to in_progress: the fix did not hold
    S.CLOSED: frozenset(),
    S.REJECTED: frozenset(),
    S.DUPLICATE: frozenset(),
}
DEFAULT_PUBLIC_NOTES = {
    S.REJECTED: "Phản ánh không thuộc phạm vi xử lý hoặc không đủ thông tin.",
    S.DUPLICATE: "Phản ánh trùng với một phản ánh đã tiếp nhận.",
}
RATEABLE = (S.RESOLVED, S.CLOSED)
MAX_NOTE = 2000


def due_at(requested_at: datetime, category: ServiceCategory) -> datetime:
    """The SLA due date: the request time plus the category's SLA hours."""
    return requested_at + timedelta(hours=category.sla_hours)


def allowed_from(status: str) -> list[str]:
    """The states a report in this state may move to."""
    return sorted(TRANSITIONS.get(status, ()))


def _text(value, name: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidParameterValue(f"{name} must be a string")
    if len(value) > limit:
        raise InvalidParameterValue(f"{name} is longer than {limit} characters")
    if "\x00" in value:  # PostgreSQL text cannot hold NUL: refused here, not by the database (a 500)
        raise InvalidParameterValue(f"{name} contains a NUL character")
    return value.strip()


def _duplicate_target(report: FieldReport, value) -> FieldReport:
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).isdigit():
        raise InvalidParameterValue("duplicate_of must be the id of another report")
    if int(value) == report.pk:
        raise InvalidParameterValue("a report cannot duplicate itself")
    target = FieldReport.objects.filter(pk=int(value)).first()
    if target is None:
        raise InvalidParameterValue(f"duplicate_of: no report {value}")
    return target


def _apply_fields(report: FieldReport, to: str, body: dict) -> None:
    """Set what the target state needs: reclassification on accept, assignee, duplicate target, stamps."""
    now = timezone.now()
    if to == S.ACCEPTED and body.get("service_code"):
        category = ServiceCategory.objects.filter(code=body["service_code"], active=True).first()
        if category is None:
            raise InvalidParameterValue(f"unknown service_code {body['service_code']!r}")
        report.category, report.sector, report.department = category, category.sector, category.department
        report.agency_responsible = f"UBND {report.commune_name} / {category.department}"
        report.due_at = due_at(report.requested_at, category)
    if to == S.ASSIGNED:
        report.assigned_to = _text(body.get("assigned_to"), "assigned_to", 160) or report.department
    if to == S.DUPLICATE:
        report.duplicate_of = _duplicate_target(report, body.get("duplicate_of"))
    if to == S.RESOLVED:
        report.resolved_at = now
    if to == S.IN_PROGRESS:
        report.resolved_at = None
    if to == S.CLOSED:
        report.closed_at = now
    public_note = _text(body.get("public_note"), "public_note", MAX_NOTE)
    report.status_notes = public_note or DEFAULT_PUBLIC_NOTES.get(to, report.status_notes)
    report.updated_at = now


def transition(report_id: int, to: str, principal: Principal, body: dict) -> FieldReport:
    """Move a report to state `to` if the workflow allows it; record who, when and the note."""
    if to not in TRANSITIONS:
        raise InvalidParameterValue(f"unknown state {to!r}; one of {', '.join(TRANSITIONS)}")
    note = _text(body.get("note"), "note", MAX_NOTE)
    if to == S.REJECTED and not note:
        raise InvalidParameterValue("a rejection needs a note saying why")
    with transaction.atomic():
        report = FieldReport.objects.select_for_update().get(pk=report_id)
        if to not in TRANSITIONS[report.status]:
            raise Conflict(
                f"a report in state {report.status!r} cannot go to {to!r}; "
                f"allowed: {', '.join(allowed_from(report.status)) or 'none (final state)'}"
            )
        previous = report.status
        _apply_fields(report, to, body)
        report.status = to
        report.save()
        Transition.objects.create(
            report=report,
            from_status=previous,
            to_status=to,
            by_username=principal.username,
            by_role=principal.role,
            note=note,
        )
        audit.record(principal, "report_transition", "field_reports", report.pk, from_status=previous, to_status=to)
    changed(report)
    return report


def rate(report: FieldReport, rating, comment) -> FieldReport:
    """The reporter's rating (1-5) of a resolved report, once."""
    try:
        value = int(rating)
    except (TypeError, ValueError):
        raise InvalidParameterValue("rating must be an integer from 1 to 5") from None
    if not 1 <= value <= 5 or str(rating).strip() != str(value):
        raise InvalidParameterValue("rating must be an integer from 1 to 5")
    comment = _text(comment, "comment", MAX_NOTE)
    with transaction.atomic():
        report = FieldReport.objects.select_for_update().get(pk=report.pk)
        if report.status not in RATEABLE:
            raise Conflict(f"only a resolved report can be rated; this one is {report.status!r}")
        if report.rating is not None:
            raise Conflict("this report has already been rated")
        report.rating, report.rating_comment, report.rated_at = value, comment, timezone.now()
        report.save(update_fields=["rating", "rating_comment", "rated_at"])
        audit.record(ANONYMOUS, "report_rating", "field_reports", report.pk, rating=value)
    return report


def changed(report: FieldReport) -> None:
    """Tell caches (tiles) that the field_reports layer changed around this report."""
    x, y = report.geom.x, report.geom.y
    layer_data_changed.send(sender=PublicReport, model=PublicReport, bbox=(x, y, x, y))
