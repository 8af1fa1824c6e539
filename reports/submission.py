"""Creating a report: channel authentication, routing, the reporter apart, the token, duplicate suggestions."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone

from mapserver import audit
from mapserver.errors import Forbidden
from mapserver.models import hash_token
from mapserver.principal import Principal
from mapserver.scoping import is_staff
from reports import queries, workflow
from reports.models import ApiKey, FieldReport, Reporter, Status, Transition
from reports.params import Submission
from reports.photos import store_photo
from reports.routing import Route, route


def _radius_from_env() -> float:
    raw = os.environ.get("MAPSERVER_DUPLICATE_RADIUS_M", "50")
    try:
        value = float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"MAPSERVER_DUPLICATE_RADIUS_M must be a number of metres, got {raw!r}") from exc
    if not 0 < value <= 5000:
        raise ImproperlyConfigured("MAPSERVER_DUPLICATE_RADIUS_M must be in (0, 5000]")
    return value


DUPLICATE_RADIUS_M = _radius_from_env()
WEB_CHANNEL = "web"  # the /report page (CSRF-protected, no key in the page)


@dataclass
class Created:
    """The outcome of a submission: the report, its reporter token, possible duplicates, and if it is new."""

    report: FieldReport
    token: str
    duplicates: list[dict]
    created: bool


def channel_for(api_key: str, principal: Principal, bearer: bool) -> str:
    """The submitting channel: an API key's name, or `staff:USER` for a staff bearer token; else 403."""
    if api_key:
        key = ApiKey.objects.filter(digest=hash_token(api_key), revoked_at__isnull=True).first()
        if key is None:
            raise Forbidden("invalid api_key")
        now = timezone.now()
        if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 300:
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        return key.name
    if bearer and is_staff(principal):
        return f"staff:{principal.username}"
    raise Forbidden("an api_key (or a staff bearer token) is required to submit a report")


def token_for(salt: str) -> str:
    """The reporter's token: an HMAC of the report's salt, so only its digest is stored and it can be re-issued."""
    mac = hmac.new(settings.SECRET_KEY.encode(), f"report-token:{salt}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:18]).decode()


def report_for_token(raw: str) -> FieldReport | None:
    """The report a reporter's token belongs to."""
    if not raw or len(raw) > 64:
        return None
    return FieldReport.objects.select_related("category").filter(token_digest=hash_token(raw)).first()


def possible_duplicates(report: FieldReport, radius_m: float | None = None) -> list[dict]:
    """Open reports of the same category within the duplicate radius (geography metres), nearest first."""
    rows = queries.nearby_open(
        report.geom.x, report.geom.y, report.category_id, radius_m or DUPLICATE_RADIUS_M, exclude_id=report.pk
    )
    return [
        {
            "service_request_id": str(r["id"]),
            "status": r["status"],
            "distance_m": round(r["distance_m"], 1),
            "requested_datetime": r["requested_at"].isoformat(),
            "description": r["description"][:200],
        }
        for r in rows
    ]


def _existing(channel: str, client_ref: str) -> FieldReport | None:
    if not client_ref:
        return None
    return FieldReport.objects.filter(channel=channel, client_ref=client_ref).first()


def _create(sub: Submission, channel: str, principal: Principal, target: Route, photo_name: str) -> FieldReport:
    now, salt = timezone.now(), secrets.token_urlsafe(16)
    report = FieldReport.objects.create(
        category=sub.category,
        description=sub.description,
        address=sub.address,
        geom=sub.point,
        commune_code=target.commune_code,
        commune_name=target.commune_name,
        sector=target.sector,
        department=target.department,
        agency_responsible=target.agency_responsible,
        media_url=sub.media_url,
        photo=photo_name,
        attributes=sub.attributes,
        channel=channel,
        client_ref=sub.client_ref,
        requested_at=now,
        updated_at=now,
        due_at=workflow.due_at(now, sub.category),
        token_salt=salt,
        token_digest=hash_token(token_for(salt)),
    )
    staff = principal.username if channel.startswith("staff:") or (channel == WEB_CHANNEL and principal.role) else ""
    if sub.reporter or staff:
        Reporter.objects.create(report=report, staff_username=staff, **sub.reporter)
    Transition.objects.create(
        report=report,
        from_status="",
        to_status=Status.RECEIVED,
        by_username=principal.username or channel,
        by_role=principal.role,
        note="",
    )
    audit.record(
        principal,
        "report_submit",
        "field_reports",
        report.pk,
        channel=channel,
        service_code=sub.category.code,
        commune_code=report.commune_code,
    )
    return report


def submit(sub: Submission, channel: str, principal: Principal) -> Created:
    """Store a validated submission (idempotent per channel and client_ref) and suggest duplicates."""
    existing = _existing(channel, sub.client_ref)
    if existing is None:
        target = route(sub.point, sub.category)  # refuses points outside the province before a photo is stored
        photo_name = store_photo(sub.photo) if sub.photo else ""
        try:
            with transaction.atomic():
                report = _create(sub, channel, principal, target, photo_name)
        except IntegrityError:
            existing = _existing(channel, sub.client_ref)
            if existing is None:
                raise
        else:
            workflow.changed(report)
            return Created(report, token_for(report.token_salt), possible_duplicates(report), True)
    return Created(existing, token_for(existing.token_salt), possible_duplicates(existing), False)
