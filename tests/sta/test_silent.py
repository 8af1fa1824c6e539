"""The sensors.silent job: sensors without a recent observation raise "no data", reporting again resolves it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from alerts.models import Alert
from geodata.models import Sensor
from mapserver.jobs import Job
from sta.jobs import JOBS
from sta.silent import check_silent

pytestmark = pytest.mark.django_db


def test_job_is_declared():
    [job] = JOBS
    assert isinstance(job, Job) and job.name == "sensors.silent"
    module, _, function = job.run.partition(":")
    assert getattr(__import__(module, fromlist=[function]), function) is check_silent


def test_silent_sensors_raise_and_reporting_resolves(device_api, device):
    limit = timedelta(minutes=settings.MAPSERVER_SENSOR_SILENT_MINUTES)
    Sensor.objects.filter(pk=device["level"]).update(last_observed_at=timezone.now() - limit / 2)
    Sensor.objects.filter(pk=device["dust"]).update(last_observed_at=timezone.now() - limit * 2)
    summary = check_silent()
    expected = (
        Sensor.objects.filter(last_observed_at__lt=timezone.now() - limit).count()
        + Sensor.objects.filter(last_observed_at__isnull=True).count()
    )
    assert summary["silent"] == expected
    dust = Sensor.objects.get(pk=device["dust"])
    level = Sensor.objects.get(pk=device["level"])
    open_keys = set(Alert.objects.filter(source="sensor", state="raised").values_list("key", flat=True))
    assert f"no-data:{dust.code}" in open_keys and f"no-data:{level.code}" not in open_keys
    alert = Alert.objects.get(source="sensor", key=f"no-data:{dust.code}", state="raised")
    assert alert.commune_code == dust.commune_code and "không gửi dữ liệu" in alert.title
    assert check_silent()["silent"] == expected  # idempotent: still one open alert per sensor
    assert Alert.objects.filter(source="sensor", key=f"no-data:{dust.code}").count() == 1

    body = {
        "Datastream": {"@iot.id": dust.pk},
        "result": dust.threshold / 2,
        "phenomenonTime": timezone.now().isoformat(),
    }
    assert (
        device_api.post("/sta/v1.1/Observations", json.dumps(body), content_type="application/json").status_code == 201
    )
    assert check_silent()["resolved"] == 1
    alert.refresh_from_db()
    assert alert.state == "resolved"
