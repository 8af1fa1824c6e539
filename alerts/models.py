"""The alert: one row per condition while it lasts, whatever raised it."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.db.models import Q

from geodata.vocabularies import ALERT_SEVERITY, ALERT_SOURCE, ALERT_STATE

SOURCES = ALERT_SOURCE.keys
OPEN_STATES = ("raised", "acknowledged")


class Alert(models.Model):
    """A condition someone must see: raised once while open (source, key), then acknowledged and resolved."""

    source = models.CharField(max_length=16, choices=ALERT_SOURCE.choices)
    key = models.CharField(max_length=200)  # the condition's identity within its source
    severity = models.CharField(max_length=8, choices=ALERT_SEVERITY.choices)
    state = models.CharField(max_length=16, choices=ALERT_STATE.choices, default="raised")
    title = models.CharField(max_length=500)
    title_en = models.CharField(max_length=500, blank=True, default="")
    sector = models.CharField(max_length=64, blank=True, default="")
    commune_code = models.CharField(max_length=8, blank=True, default="", db_index=True)
    responsible_unit = models.CharField(max_length=64, blank=True, default="")
    place = models.GeometryField(srid=4326, null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    observed_at = models.DateTimeField(null=True, blank=True)
    raised_at = models.DateTimeField(auto_now_add=True, db_index=True)
    last_seen_at = models.DateTimeField(auto_now_add=True)
    acknowledged_by = models.CharField(max_length=150, blank=True, default="")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.CharField(max_length=150, blank=True, default="")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            # The same condition is never open twice: raise_alert's INSERT .. ON CONFLICT relies on this index.
            models.UniqueConstraint(
                fields=["source", "key"], condition=Q(state__in=OPEN_STATES), name="alert_open_once"
            ),
        ]
        indexes = [models.Index(fields=["state", "source"], name="alert_state_source")]

    def __str__(self) -> str:
        return f"{self.source}:{self.key} ({self.state})"
