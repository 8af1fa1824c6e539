"""Creating Observations: one, or many (dataArray), authorised per datastream, all or nothing, validated."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from alerts.models import Alert
from geodata.models import Sensor, SensorObservation
from mapserver.models import AuditEntry
from scenarios.models import ViolationLog

pytestmark = pytest.mark.django_db


def post(client, path: str, body) -> object:
    return client.post(f"/sta/v1.1/{path}", json.dumps(body), content_type="application/json")


def at(minutes_ago: float) -> str:
    return (timezone.now() - timedelta(minutes=minutes_ago)).isoformat()


def test_device_creates_an_observation_of_its_datastream(device_api, device, client):
    sensor = Sensor.objects.get(pk=device["level"])
    value = round(sensor.threshold * 0.5, 3)
    response = post(
        device_api, "Observations", {"Datastream": {"@iot.id": sensor.pk}, "result": value, "phenomenonTime": at(1)}
    )
    assert response.status_code == 201, response.content
    ident = response.json()["@iot.id"]
    assert response["Location"].endswith(f"/sta/v1.1/Observations({ident})")
    stored = SensorObservation.objects.get(pk=ident)
    assert (stored.sensor_id, stored.value) == (sensor.pk, value)
    read = client.get(f"/sta/v1.1/Observations({ident})").json()
    assert read["result"] == value
    sensor.refresh_from_db()
    assert sensor.last_value == value and sensor.last_observed_at == stored.observed_at
    entry = AuditEntry.objects.filter(action="sta.observations").order_by("-at").first()
    assert entry.username == device["username"] and entry.detail["count"] == 1


def test_post_under_the_datastream_path(device_api, device):
    response = post(
        device_api, f"Datastreams({device['dust']})/Observations", {"result": 12.5, "phenomenonTime": at(2)}
    )
    assert response.status_code == 201
    assert SensorObservation.objects.get(pk=response.json()["@iot.id"]).sensor_id == device["dust"]


def test_device_may_not_write_another_datastream(device_api, device):
    before = SensorObservation.objects.count()
    response = post(device_api, "Observations", {"Datastream": {"@iot.id": device["other"]}, "result": 1.0})
    assert response.status_code == 403
    assert SensorObservation.objects.count() == before


@pytest.mark.parametrize("user,status", [(None, 401), ("t_leader", 403), ("t_commune", 403)])
def test_only_devices_and_admins_write(api, device, user, status):
    response = post(api(user), "Observations", {"Datastream": {"@iot.id": device["level"]}, "result": 1.0})
    assert response.status_code == status


def test_admin_writes_any_datastream(api, device):
    response = post(
        api("t_admin"),
        "Observations",
        {"Datastream": {"@iot.id": device["other"]}, "result": 0.1, "phenomenonTime": at(3)},
    )
    assert response.status_code == 201


def test_data_array_stores_all_rows_in_order(device_api, device):
    rows = [[at(30 - i), float(i)] for i in range(5)]
    body = [
        {"Datastream": {"@iot.id": device["level"]}, "components": ["phenomenonTime", "result"], "dataArray": rows},
        {
            "Datastream": {"@iot.id": device["dust"]},
            "components": ["result", "phenomenonTime"],
            "dataArray": [[7.0, at(4)]],
        },
    ]
    response = post(device_api, "CreateObservations", body)
    assert response.status_code == 201, response.content
    links = response.json()
    ids = [int(link.rsplit("(", 1)[1].rstrip(")")) for link in links]
    stored = {o.pk: o for o in SensorObservation.objects.filter(pk__in=ids)}
    assert [(stored[i].sensor_id, stored[i].value) for i in ids] == [(device["level"], float(i)) for i in range(5)] + [
        (device["dust"], 7.0)
    ]


@pytest.mark.parametrize(
    "body",
    [
        [{"Datastream": {"@iot.id": 0}, "components": ["result"], "dataArray": [[1.0]]}],
        [{"Datastream": {"@iot.id": "x"}, "components": ["result"], "dataArray": [[1.0]]}],
        [{"components": ["result"], "dataArray": [[1.0]]}],
        [{"Datastream": {"@iot.id": 1}, "components": ["phenomenonTime"], "dataArray": [["2026-01-01T00:00:00Z"]]}],
        [{"Datastream": {"@iot.id": 1}, "components": ["result", "colour"], "dataArray": [[1.0, "red"]]}],
        [],
        {"not": "a list"},
    ],
)
def test_bad_data_arrays_are_4xx(device_api, body):
    response = post(device_api, "CreateObservations", body)
    assert 400 <= response.status_code < 500 and set(response.json()) == {"code", "description"}


def test_one_bad_row_writes_nothing(device_api, device):
    before = SensorObservation.objects.count()
    rows = [[at(10), 1.0], [at(9), "high"], [at(8), 2.0]]
    body = [{"Datastream": {"@iot.id": device["level"]}, "components": ["phenomenonTime", "result"], "dataArray": rows}]
    assert post(device_api, "CreateObservations", body).status_code == 400
    mixed = [
        body[0] | {"dataArray": [[at(7), 1.0]]},
        {"Datastream": {"@iot.id": device["other"]}, "components": ["result"], "dataArray": [[1.0]]},
    ]
    assert post(device_api, "CreateObservations", mixed).status_code == 403
    assert SensorObservation.objects.count() == before


@pytest.mark.parametrize(
    "extra",
    [
        {"result": True},
        {"result": "1.5"},
        {"result": None},
        {"result": 1e400},
        {"result": 1.0, "phenomenonTime": "2026-11-01T00:00:00"},
        {"result": 1.0, "phenomenonTime": (timezone.now() + timedelta(hours=2)).isoformat()},
        {"result": 1.0, "phenomenonTime": "1999-01-01T00:00:00Z"},
        {"result": 1.0, "phenomenonTime": "2026-11-01T00:00:00Z/2026-11-01T01:00:00Z"},
        {"result": 1.0, "phenomenonTime": "yesterday"},
        {"result": 1.0, "colour": "red"},
    ],
)
def test_bad_observations_are_400(device_api, device, extra):
    before = SensorObservation.objects.count()
    response = post(device_api, "Observations", {"Datastream": {"@iot.id": device["level"]}, **extra})
    assert response.status_code == 400, response.content
    assert SensorObservation.objects.count() == before


def test_nan_is_refused(device_api, device):
    raw = '{"Datastream": {"@iot.id": %d}, "result": NaN}' % device["level"]
    response = device_api.post("/sta/v1.1/Observations", raw, content_type="application/json")
    assert response.status_code == 400


def test_breach_on_arrival_logs_and_raises_then_clears(device_api, device):
    sensor = Sensor.objects.get(pk=device["dust"])
    over = round(sensor.threshold * 1.2, 2)
    response = post(
        device_api, "Observations", {"Datastream": {"@iot.id": sensor.pk}, "result": over, "phenomenonTime": at(0.5)}
    )
    assert response.status_code == 201
    observed = SensorObservation.objects.get(pk=response.json()["@iot.id"]).observed_at
    log = ViolationLog.objects.get(sensor_id=sensor.pk, observed_at=observed)
    assert (log.value, log.threshold, log.sensor_code) == (over, sensor.threshold, sensor.code)
    alert = Alert.objects.get(source="sensor", key=f"threshold:{sensor.code}", state="raised")
    assert alert.severity == "medium" and alert.commune_code == sensor.commune_code
    assert alert.detail["value"] == over and alert.observed_at == observed
    assert "," in alert.title or over == int(over)  # Vietnamese decimal comma
    under = post(
        device_api,
        "Observations",
        {"Datastream": {"@iot.id": sensor.pk}, "result": sensor.threshold * 0.5, "phenomenonTime": at(0.2)},
    )
    assert under.status_code == 201
    alert.refresh_from_db()
    assert alert.state == "resolved"
    assert not ViolationLog.objects.filter(sensor_id=sensor.pk, observed_at__gt=observed).exists()


def test_an_older_batch_logs_but_does_not_clear(device_api, device):
    sensor = Sensor.objects.get(pk=device["dust"])
    post(
        device_api,
        "Observations",
        {"Datastream": {"@iot.id": sensor.pk}, "result": sensor.threshold * 2, "phenomenonTime": at(1)},
    )
    backfill = [
        {
            "Datastream": {"@iot.id": sensor.pk},
            "components": ["phenomenonTime", "result"],
            "dataArray": [[at(50), sensor.threshold * 3], [at(40), sensor.threshold * 0.1]],
        }
    ]
    assert post(device_api, "CreateObservations", backfill).status_code == 201
    alert = Alert.objects.get(source="sensor", key=f"threshold:{sensor.code}", state="raised")
    assert alert.severity == "high"
    assert ViolationLog.objects.filter(sensor_id=sensor.pk, value=sensor.threshold * 3).exists()
