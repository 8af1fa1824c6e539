"""Raising, clearing and handling alerts: the only code that writes the alert table.

A condition is raised once while it is open: `raise_alert` inserts, or refreshes the open row of the same
(source, key) in one statement, so concurrent raisers (two scheduler workers, the MQTT bridge and an HTTP
ingest) never make two. A database trigger (migration 0002) announces every insert and state change on the
`mapserver_events` channel for the event stream.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from django.contrib.gis.geos import GEOSGeometry
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from alerts.models import OPEN_STATES, SOURCES, Alert
from geodata.vocabularies import ALERT_SEVERITY
from mapserver import audit
from mapserver.errors import Conflict, Forbidden, InvalidParameterValue
from mapserver.models import Role
from mapserver.principal import Principal
from mapserver.scoping import home_commune, reads_everything, require_staff, staff_sectors

_UPSERT = """
INSERT INTO alerts_alert (source, key, severity, state, title, title_en, sector, commune_code, responsible_unit,
                          place, detail, observed_at, raised_at, last_seen_at, acknowledged_by, resolved_by,
                          resolution_note)
VALUES (%(source)s, %(key)s, %(severity)s, 'raised', %(title)s, %(title_en)s, %(sector)s, %(commune_code)s,
        %(responsible_unit)s, ST_GeomFromEWKB(%(place)s), %(detail)s::jsonb, %(observed_at)s, now(), now(), '', '',
        '')
ON CONFLICT (source, key) WHERE state IN ('raised', 'acknowledged') DO UPDATE
   SET severity = EXCLUDED.severity, title = EXCLUDED.title, title_en = EXCLUDED.title_en,
       detail = EXCLUDED.detail, observed_at = COALESCE(EXCLUDED.observed_at, alerts_alert.observed_at),
       place = COALESCE(EXCLUDED.place, alerts_alert.place), last_seen_at = now()
RETURNING id, (xmax = 0) AS created
"""


def raise_alert(
    *,
    source: str,
    key: str,
    severity: str,
    title: str,
    title_en: str = "",
    sector: str = "",
    commune_code: str = "",
    responsible_unit: str = "",
    place: GEOSGeometry | None = None,
    detail: dict | None = None,
    observed_at: datetime | None = None,
) -> tuple[Alert, bool]:
    """Raise the condition (source, key), or refresh its open alert; returns (alert, created)."""
    if source not in SOURCES:
        raise ValueError(f"unknown alert source {source!r}")
    if severity not in ALERT_SEVERITY:
        raise ValueError(f"unknown alert severity {severity!r}")
    if place is not None and place.srid != 4326:
        place = place.transform(4326, clone=True)
    params = {
        "source": source,
        "key": key[:200],
        "severity": severity,
        "title": title[:500],
        "title_en": title_en[:500],
        "sector": sector,
        "commune_code": commune_code or "",
        "responsible_unit": responsible_unit or "",
        "place": bytes(place.ewkb) if place is not None else None,
        "detail": json.dumps(detail or {}, allow_nan=False, ensure_ascii=False, default=str),
        "observed_at": observed_at,
    }
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, params)
        alert_id, created = cursor.fetchone()
    return Alert.objects.get(pk=alert_id), bool(created)


def _close(alerts: QuerySet, by: str, note: str) -> int:
    return alerts.update(state="resolved", resolved_by=by, resolved_at=timezone.now(), resolution_note=note)


def clear_alert(*, source: str, key: str, note: str = "") -> Alert | None:
    """The condition ended: resolve its open alert (by the system), if any; returns it."""
    with transaction.atomic():
        alert = Alert.objects.select_for_update().filter(source=source, key=key, state__in=OPEN_STATES).first()
        if alert is None:
            return None
        _close(Alert.objects.filter(pk=alert.pk), "system", note or "Điều kiện cảnh báo đã hết")
    alert.refresh_from_db()
    return alert


def reconcile(*, source: str, key_prefix: str, active_keys: Iterable[str], note: str = "") -> int:
    """Resolve the open alerts of `source` whose key starts with `key_prefix` and is not among `active_keys`."""
    stale = Alert.objects.filter(source=source, key__startswith=key_prefix, state__in=OPEN_STATES).exclude(
        key__in=list(active_keys)
    )
    return _close(stale, "system", note or "Điều kiện cảnh báo đã hết")


def visible(principal: Principal) -> QuerySet:
    """The alerts the principal may see: province staff all; department staff their sectors' and units';
    commune staff their commune's; nobody else any."""
    alerts = Alert.objects.all()
    if reads_everything(principal):
        return alerts
    if principal.role == Role.DEPARTMENT_STAFF:
        sectors = list(staff_sectors(principal))
        return alerts.filter(Q(sector__in=sectors) | Q(responsible_unit__in=sectors))
    commune = home_commune(principal)
    if commune:
        return alerts.filter(Q(commune_code=commune) | Q(responsible_unit=commune))
    return alerts.none()


def may_handle(principal: Principal, alert: Alert) -> bool:
    """Admins and leaders handle every alert; department and commune staff the ones they see; planners none."""
    if principal.role in {Role.ADMIN, Role.LEADER}:
        return True
    if principal.role in {Role.DEPARTMENT_STAFF, Role.COMMUNE_STAFF}:
        return visible(principal).filter(pk=alert.pk).exists()
    return False


def _require_handle(principal: Principal, alert: Alert) -> None:
    require_staff(principal, "only staff handle alerts")
    if not may_handle(principal, alert):
        raise Forbidden("your account may not handle this alert")


def acknowledge(alert: Alert, principal: Principal) -> Alert:
    """Raised → acknowledged, recording who and when (409 if it is not raised)."""
    _require_handle(principal, alert)
    with transaction.atomic():
        done = Alert.objects.filter(pk=alert.pk, state="raised").update(
            state="acknowledged", acknowledged_by=principal.username, acknowledged_at=timezone.now()
        )
        if not done:
            raise Conflict(f"alert {alert.pk} is not in the raised state")
        audit.record(principal, "alert.acknowledge", "alerts", alert.pk)
    alert.refresh_from_db()
    return alert


def resolve(alert: Alert, principal: Principal, note: str = "") -> Alert:
    """Raised or acknowledged → resolved, with who, when and a note (409 if it is already resolved)."""
    _require_handle(principal, alert)
    if not isinstance(note, str) or len(note) > 2000:
        raise InvalidParameterValue("note must be a text of at most 2000 characters")
    with transaction.atomic():
        done = Alert.objects.filter(pk=alert.pk, state__in=OPEN_STATES).update(
            state="resolved", resolved_by=principal.username, resolved_at=timezone.now(), resolution_note=note
        )
        if not done:
            raise Conflict(f"alert {alert.pk} is already resolved")
        audit.record(principal, "alert.resolve", "alerts", alert.pk, note=note)
    alert.refresh_from_db()
    return alert
