"""Alert e-mail: each open alert is sent once to every subscription whose role and unit would see it and act on
it (run by the scheduler as the job alerts.notify, or `manage.py live_notify`)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from alerts import service
from alerts.models import Alert
from geodata.vocabularies import ALERT_SEVERITY, ALERT_SOURCE
from live.models import AlertNotification, AlertSubscription
from mapserver.models import Role
from mapserver.principal import Principal

LOOK_BACK = timedelta(days=1)  # alerts raised longer ago than this are not mailed any more (a new subscription)


def subscriber(subscription: AlertSubscription) -> Principal:
    """The principal a subscription reads alerts as: its role, bound to its unit (a commune or a sector)."""
    if subscription.role == Role.COMMUNE_STAFF:
        return Principal(
            username=f"subscription:{subscription.pk}", role=subscription.role, commune_code=subscription.unit
        )
    if subscription.role == Role.DEPARTMENT_STAFF:
        return Principal(
            username=f"subscription:{subscription.pk}",
            role=subscription.role,
            sectors=frozenset({subscription.unit}) - {""},
        )
    return Principal(username=f"subscription:{subscription.pk}", role=subscription.role)


def _units(alert: Alert) -> set[str]:
    return {alert.responsible_unit} if alert.responsible_unit else {alert.sector, alert.commune_code} - {""}


def recipients(alert: Alert) -> list[AlertSubscription]:
    """The active subscriptions that take this alert: unit, severity and source match, and the role sees it."""
    rank = ALERT_SEVERITY.keys.index(alert.severity)
    found = []
    for sub in AlertSubscription.objects.filter(active=True).filter(Q(unit="") | Q(unit__in=_units(alert))):
        if ALERT_SEVERITY.keys.index(sub.min_severity) > rank or (sub.sources and alert.source not in sub.sources):
            continue
        if service.visible(subscriber(sub)).filter(pk=alert.pk).exists():
            found.append(sub)
    return found


def message(alert: Alert, to: str) -> EmailMessage:
    """The e-mail of one alert (Vietnamese, then English)."""
    severity = ALERT_SEVERITY.get(alert.severity)
    when = timezone.localtime(alert.observed_at or alert.raised_at).strftime("%H:%M %d/%m/%Y")
    body = "\n".join(
        [
            alert.title,
            f"Mức độ: {severity.vi} · Nguồn: {ALERT_SOURCE.label(alert.source)} · Thời điểm: {when} (giờ Việt Nam)",
            f"Đơn vị xử lý: {alert.responsible_unit or alert.commune_code or '—'}",
            "Xem và xử lý trên Bản đồ số điều hành, thẻ Tổng quan.",
            "",
            alert.title_en or alert.title,
            f"Severity: {severity.en} · Source: {ALERT_SOURCE.label(alert.source, 'en')} · At: {when} (ICT)",
        ]
    )
    subject = f"[IOC Đồng Nai] Cảnh báo {severity.vi.lower()}: {alert.title}"[:250]
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


def send_pending() -> dict:
    """Send every open, recent alert to its recipients not yet sent to; returns how many messages went out."""
    since = timezone.now() - LOOK_BACK
    sent = failed = 0
    connection = get_connection()
    for alert in Alert.objects.filter(state="raised", raised_at__gte=since).order_by("raised_at"):
        done = set(AlertNotification.objects.filter(alert=alert).values_list("email", flat=True))
        for sub in recipients(alert):
            if sub.email in done:
                continue
            try:
                with transaction.atomic():  # recorded first: two schedulers never both send it
                    AlertNotification.objects.create(alert=alert, email=sub.email, subscription=sub)
                    connection.send_messages([message(alert, sub.email)])
            except IntegrityError:
                continue
            except OSError:
                failed += 1
                continue
            done.add(sub.email)
            sent += 1
    return {"sent": sent, "failed": failed}
