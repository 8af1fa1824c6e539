"""The alert API: /api/alerts (list), /api/alerts/{id}, /api/alerts/{id}/acknowledge and /resolve."""

from __future__ import annotations

import re

from django.http import HttpRequest
from django.views.decorators.http import require_GET, require_POST

from alerts import service
from alerts.models import OPEN_STATES, Alert
from geodata.models import Commune
from geodata.vocabularies import ALERT_SEVERITY, ALERT_SOURCE, ALERT_STATE
from mapserver.csrf import session_csrf
from mapserver.errors import InvalidParameterValue, NotFound
from mapserver.jsonio import JsonResponse, parse_json
from mapserver.scoping import require_staff
from mapserver.timefmt import iso

MAX_LIMIT = 500
COMMUNE_CODE = re.compile(r"^[0-9]{5}$")
SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}


def as_json(alert: Alert, commune_names: dict[str, str]) -> dict:
    """The alert as the API and the event stream show it: values with their labels, times in +07:00."""
    centre = alert.place.point_on_surface if alert.place is not None and not alert.place.empty else None
    return {
        "id": alert.pk,
        "source": alert.source,
        "source_label": ALERT_SOURCE.label(alert.source),
        "key": alert.key,
        "severity": alert.severity,
        "severity_label": ALERT_SEVERITY.label(alert.severity),
        "state": alert.state,
        "state_label": ALERT_STATE.label(alert.state),
        "title": alert.title,
        "title_en": alert.title_en or alert.title,
        "sector": alert.sector,
        "commune_code": alert.commune_code or None,
        "commune_name": commune_names.get(alert.commune_code),
        "responsible_unit": alert.responsible_unit or None,
        "lon": round(centre.x, 7) if centre else None,
        "lat": round(centre.y, 7) if centre else None,
        "detail": alert.detail,
        "observed_at": iso(alert.observed_at),
        "raised_at": iso(alert.raised_at),
        "last_seen_at": iso(alert.last_seen_at),
        "acknowledged_by": alert.acknowledged_by or None,
        "acknowledged_at": iso(alert.acknowledged_at),
        "resolved_by": alert.resolved_by or None,
        "resolved_at": iso(alert.resolved_at),
        "resolution_note": alert.resolution_note or None,
    }


def _names(alerts) -> dict[str, str]:
    codes = {a.commune_code for a in alerts if a.commune_code}
    return dict(Commune.objects.filter(code__in=codes).values_list("code", "name"))


def _list_param(params, name: str, allowed) -> list[str]:
    values = [v for v in params.get(name, "").split(",") if v]
    if set(values) - set(allowed):
        raise InvalidParameterValue(f"{name} must be among {', '.join(map(str, allowed))}")
    return values


def _int(raw: str, name: str, default: int, high: int) -> int:
    if not raw:
        return default
    if not raw.isdigit() or int(raw) > high:
        raise InvalidParameterValue(f"{name} must be an integer from 0 to {high}")
    return int(raw)


def _filtered(params, alerts):
    states = _list_param(params, "state", (*ALERT_STATE.keys, "open"))
    if states:
        alerts = alerts.filter(state__in=[s for s in states if s != "open"] + (list(OPEN_STATES) * ("open" in states)))
    for name, field, allowed in (
        ("source", "source", ALERT_SOURCE.keys),
        ("severity", "severity", ALERT_SEVERITY.keys),
    ):
        values = _list_param(params, name, allowed)
        if values:
            alerts = alerts.filter(**{f"{field}__in": values})
    if params.get("sector"):
        alerts = alerts.filter(sector__in=params["sector"].split(","))
    if params.get("commune"):
        communes = params["commune"].split(",")
        if not all(COMMUNE_CODE.match(c) for c in communes):
            raise InvalidParameterValue("commune must be commune codes (5 digits), comma-separated")
        alerts = alerts.filter(commune_code__in=communes)
    return alerts


@require_GET
def alert_list(request: HttpRequest) -> JsonResponse:
    """The alerts the caller may see (open ones by default: state=open), most severe and newest first."""
    require_staff(request.principal, "only staff see alerts")
    params = request.GET.copy()
    params.setdefault("state", "open")
    limit = _int(params.get("limit", ""), "limit", 100, MAX_LIMIT)
    offset = _int(params.get("offset", ""), "offset", 0, 10_000_000)
    alerts = _filtered(params, service.visible(request.principal))
    total = alerts.count()
    page = list(alerts.order_by("-raised_at", "-id")[offset : offset + limit])
    page.sort(key=lambda a: SEVERITY_RANK.get(a.severity, 3))  # stable: newest first within a severity
    names = _names(page)
    return JsonResponse({"count": total, "limit": limit, "offset": offset, "alerts": [as_json(a, names) for a in page]})


def _get(request: HttpRequest, alert_id: int) -> Alert:
    require_staff(request.principal, "only staff see alerts")
    alert = service.visible(request.principal).filter(pk=alert_id).first()
    if alert is None:
        raise NotFound(f"no alert {alert_id}")
    return alert


@require_GET
def alert_detail(request: HttpRequest, alert_id: int) -> JsonResponse:
    """One alert the caller may see."""
    alert = _get(request, alert_id)
    return JsonResponse(as_json(alert, _names([alert])))


@session_csrf
@require_POST
def alert_acknowledge(request: HttpRequest, alert_id: int) -> JsonResponse:
    """Acknowledge a raised alert: the caller takes it on."""
    alert = service.acknowledge(_get(request, alert_id), request.principal)
    return JsonResponse(as_json(alert, _names([alert])))


@session_csrf
@require_POST
def alert_resolve(request: HttpRequest, alert_id: int) -> JsonResponse:
    """Resolve an open alert: {"note": "what was done"}."""
    body = parse_json(request.body or b"{}")
    if not isinstance(body, dict):
        raise InvalidParameterValue('the body must be a JSON object, e.g. {"note": "..."}')
    alert = service.resolve(_get(request, alert_id), request.principal, body.get("note", ""))
    return JsonResponse(as_json(alert, _names([alert])))
