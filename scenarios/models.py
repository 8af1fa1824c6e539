"""Scenario runs (with their inputs, the history) and the automatic violation log of industrial parks."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone


class ScenarioRun(models.Model):
    """One run of a scenario: who, when, at which level, on which area with which parameters, and the result."""

    PERIODIC = "periodic"
    AD_HOC = "ad_hoc"
    ON_DEMAND = "on_demand"
    LEVELS = [(PERIODIC, "periodic"), (AD_HOC, "ad hoc (map)"), (ON_DEMAND, "on demand (API, processes)")]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    scenario_id = models.CharField(max_length=64)
    level = models.CharField(max_length=16, choices=LEVELS)
    area = models.JSONField()
    params = models.JSONField(default=dict)
    username = models.CharField(max_length=150, blank=True)
    scope = models.CharField(max_length=16, default="all")  # rows the run could see: "all" or "c<commune code>"
    status = models.CharField(max_length=16, default="successful")  # successful / failed
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True)
    result = models.JSONField(null=True)
    map_geojson = models.JSONField(null=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["scenario_id", "-created_at"]), models.Index(fields=["level", "scenario_id"])]


class ViolationLog(models.Model):
    """A sensor reading over its legal threshold, logged automatically (once) by the industrial-park scenario."""

    sensor_id = models.BigIntegerField()
    sensor_code = models.CharField(max_length=32)
    parameter = models.CharField(max_length=16)
    unit = models.CharField(max_length=16, blank=True)
    park_id = models.BigIntegerField(null=True)
    park_name = models.CharField(max_length=160, blank=True)
    commune_code = models.CharField(max_length=8, blank=True)
    observed_at = models.DateTimeField()
    value = models.FloatField()
    threshold = models.FloatField()
    logged_at = models.DateTimeField(default=timezone.now)
    run = models.ForeignKey(ScenarioRun, null=True, on_delete=models.SET_NULL, related_name="violations")

    class Meta:
        ordering = ["-observed_at"]
        constraints = [models.UniqueConstraint(fields=["sensor_id", "observed_at"], name="uniq_violation_reading")]
        indexes = [models.Index(fields=["park_id", "-observed_at"])]


class ScenarioVersion(models.Model):
    """One version of a scenario's definition, as an administrator saved it (the shipped Python declaration is
    version 0 and is not stored): the whole document, who, when, and what changed from the version before."""

    scenario_id = models.CharField(max_length=64)
    version = models.PositiveIntegerField()
    definition = models.JSONField()  # scenarios.definitions.to_document()
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(default=timezone.now)
    diff = models.JSONField(default=list)  # [{"path", "from", "to"}] against the version before
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["scenario_id", "-version"]
        constraints = [models.UniqueConstraint(fields=["scenario_id", "version"], name="uniq_scenario_version")]
