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


def restore_sensors(sensor_ids: list[int], since) -> None:
    """Undo what a test committed for these sensors since a time: observations, their alerts and violations, and
    each sensor's latest value."""
    from django.db import connection

    codes = list(Sensor.objects.filter(pk__in=sensor_ids).values_list("code", flat=True))
    keys = [f"threshold:{c}" for c in codes] + [f"no-data:{c}" for c in codes]
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM geodata_sensorobservation WHERE sensor_id = ANY(%s) AND observed_at >= %s", [sensor_ids, since]
        )
        cursor.execute("DELETE FROM alerts_alert WHERE source = 'sensor' AND key = ANY(%s)", [keys])
        cursor.execute(
            "DELETE FROM scenarios_violationlog WHERE sensor_id = ANY(%s) AND observed_at >= %s", [sensor_ids, since]
        )
        cursor.execute(
            "UPDATE geodata_sensor s SET (last_value, last_observed_at) = (SELECT o.value, o.observed_at FROM "
            "geodata_sensorobservation o WHERE o.sensor_id = s.id ORDER BY o.observed_at DESC LIMIT 1) "
            "WHERE s.id = ANY(%s)",
            [sensor_ids],
        )


@pytest.fixture(scope="module")
def committed(django_db_setup, django_db_blocker):
    """Module fixtures of the MQTT tests read and write committed rows (the bridge is another process)."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture(scope="module")
def broker(committed, device, tmp_path_factory):
    """A mosquitto of the module's own (free port), configured after the device's account is issued again."""
    from tests.sta.mqtt_support import refresh_device, start_broker, stop

    refresh_device(device)  # an earlier test may have re-issued or changed the account: the broker reads it now
    process = start_broker(tmp_path_factory.mktemp("mqtt"))
    yield process
    stop(process)
