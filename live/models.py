"""Who is e-mailed which alerts: subscriptions per role and unit, and the record of every message sent."""

from django.db import models

from geodata.vocabularies import ALERT_SEVERITY
from mapserver.models import Role


class AlertSubscription(models.Model):
    """An address that receives the alerts a unit must act on, for one role (e.g. the duty officer of a commune).

    unit: a department (sector) code or a commune code, matched against the alert's responsible unit (or, when the
    alert names none, its sector or commune); "" for every alert. Only alerts at or above min_severity are sent."""

    role = models.CharField(max_length=32, choices=Role.choices)
    unit = models.CharField(max_length=64, blank=True, db_index=True)
    email = models.EmailField()
    min_severity = models.CharField(max_length=8, choices=ALERT_SEVERITY.choices, default="medium")
    sources = models.JSONField(default=list, blank=True)  # alert sources to send; [] all
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["role", "unit", "email"], name="live_subscription_unique")]


class AlertNotification(models.Model):
    """One alert e-mailed to one address (never twice)."""

    alert = models.ForeignKey("alerts.Alert", on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    subscription = models.ForeignKey(AlertSubscription, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "email"], name="live_notification_once")]
