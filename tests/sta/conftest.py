"""Fixtures of the SensorThings tests: two sensors of the sample, and a device granted only the first."""

from __future__ import annotations

import pytest

from geodata.models import Sensor


@pytest.fixture(scope="session")
def device(django_db_setup, django_db_blocker) -> dict:
    """A committed device account granted the first water-level and the first PM2.5 sensor (not the others)."""
    from sta.devices import issue_device

    with django_db_blocker.unblock():
        level = Sensor.objects.filter(parameter="level_m").order_by("pk").first()
        dust = Sensor.objects.filter(parameter="pm25").order_by("pk").first()
        other = Sensor.objects.exclude(pk__in=[level.pk, dust.pk]).order_by("pk").first()
        token = issue_device("t_device_sta", [level.pk, dust.pk], no_expiry=True)
    return {"token": token, "username": "t_device_sta", "level": level.pk, "dust": dust.pk, "other": other.pk}


@pytest.fixture
def device_api(device):
    """A test client sending the device's token."""
    from django.test import Client

    return Client(HTTP_AUTHORIZATION=f"Bearer {device['token']}")
