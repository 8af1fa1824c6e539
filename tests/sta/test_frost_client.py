"""A stock SensorThings client (frost-sta-client) against the live server: it reads the entities, creates an
Observation with a device token, and finds it again with $filter and $expand."""

from __future__ import annotations

from datetime import timedelta

import frost_sta_client as fsc
import pytest
from django.utils import timezone
from requests.auth import AuthBase

from alerts.models import Alert
from geodata.models import Sensor, SensorObservation
from tests.sta.conftest import restore_sensors


class BearerAuth(fsc.AuthHandler):
    """frost-sta-client's hook for credentials, sending the device's bearer token."""

    def __init__(self, token: str):
        super().__init__()
        self.token = token

    def add_auth_header(self) -> AuthBase:
        token = self.token

        class _Bearer(AuthBase):
            def __call__(self, request):
                request.headers["Authorization"] = f"Bearer {token}"
                return request

        return _Bearer()


@pytest.fixture
def service(live_server, device):
    url = f"{live_server.url}/sta/v1.1"
    started = timezone.now() - timedelta(minutes=5)
    yield fsc.SensorThingsService(url, auth_handler=BearerAuth(device["token"]))
    restore_sensors([device["level"], device["dust"], device["other"]], started)


def test_frost_client_round_trip(service, device):
    things = service.things().query().filter("properties/kind eq 'water_level'").expand("Datastreams").list()
    expected = list(Sensor.objects.filter(kind="water_level").order_by("pk").values_list("pk", "name"))
    listed = [(t.id, t.name) for t in things]
    assert listed == expected
    assert all([d.id for d in t.datastreams.entities] == [t.id] for t in things)

    stream = service.datastreams().find(device["level"])
    assert stream.unit_of_measurement.symbol == Sensor.objects.get(pk=device["level"]).unit
    sensor = Sensor.objects.get(pk=device["level"])
    moment = (timezone.now() - timedelta(seconds=30)).replace(microsecond=0)
    observation = fsc.Observation(
        result=sensor.threshold + 1.25,
        phenomenon_time=moment.isoformat(),
        datastream=fsc.Datastream(id=device["level"]),
    )
    service.create(observation)
    assert observation.id == SensorObservation.objects.get(sensor=sensor, observed_at=moment).pk

    found = (
        service.observations()
        .query()
        .filter(f"Datastream/id eq {device['level']} and phenomenonTime ge {moment.isoformat().replace('+00:00', 'Z')}")
        .list()
    )
    assert [(o.id, o.result) for o in found] == [(observation.id, sensor.threshold + 1.25)]
    assert Alert.objects.filter(source="sensor", key=f"threshold:{sensor.code}", state="raised").exists()


def test_frost_client_refused_for_another_datastream(service, device):
    observation = fsc.Observation(result=1.0, datastream=fsc.Datastream(id=device["other"]))
    with pytest.raises(Exception) as raised:
        service.create(observation)
    assert "403" in str(raised.value) or "Forbidden" in str(raised.value)
