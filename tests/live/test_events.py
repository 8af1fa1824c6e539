"""The event stream behind the production server (uvicorn, ASGI), fed by LISTEN/NOTIFY: an over-threshold MQTT
publish arrives as an alert within 2 s; each viewer gets only what their role and commune may see."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from alerts import service
from alerts.models import Alert
from geodata.models import Camera, Sensor
from reports.models import FieldReport
from tests.live.support import EventStream, start_asgi
from tests.sta.conftest import restore_sensors
from tests.sta.mqtt_support import Output, refresh_device, start_bridge, start_broker, stop
from tests.sta.test_mqtt import Peer, topic

pytestmark = pytest.mark.usefixtures("live_server")  # committed rows: the server is another process
HOME = "26068"  # t_commune's commune


@pytest.fixture(scope="module")
def committed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        yield


@pytest.fixture(scope="module")
def asgi(committed):
    process, output = start_asgi()
    yield output
    stop(process)


@pytest.fixture(scope="module")
def mqtt(committed, device, tmp_path_factory):
    refresh_device(device)  # an earlier test may have re-issued or changed the account: the broker reads it now
    broker = start_broker(tmp_path_factory.mktemp("mqtt"))
    bridge = start_bridge()
    Output(bridge).wait_for("subscribed to", "listening on")
    started = timezone.now() - timedelta(minutes=5)
    yield
    stop(bridge)
    stop(broker)
    restore_sensors([device["level"], device["dust"], device["other"]], started)


@pytest.fixture
def streams(asgi, tokens):
    opened = []

    def open_stream(user: str | None) -> EventStream:
        stream = EventStream(tokens[user] if user else None)
        opened.append(stream)
        return stream

    yield open_stream
    for stream in opened:
        stream.close()


@pytest.fixture
def cleanup():
    made = {"alerts": [], "cameras": [], "reports": []}
    yield made
    Alert.objects.filter(pk__in=made["alerts"]).delete()
    FieldReport.objects.filter(pk__in=made["reports"]).delete()
    for camera_id, status in made["cameras"]:
        Camera.objects.filter(pk=camera_id).update(status=status)


def test_over_threshold_mqtt_publish_is_an_alert_on_the_stream_within_2_s(mqtt, streams, device):
    admin = streams("t_admin")
    sensor = Sensor.objects.get(pk=device["dust"])
    publisher = Peer(device["username"], device["token"])
    assert publisher.connected.wait(5)
    moment = (timezone.now() - timedelta(seconds=3)).replace(microsecond=0)
    sent = time.monotonic()
    publisher.publish(topic(sensor.pk), {"result": sensor.threshold * 1.3, "phenomenonTime": moment.isoformat()})
    got = admin.wait(lambda kind, data: kind == "alert" and data["source"] == "sensor", timeout=2.0)
    publisher.close()
    assert got is not None, f"no alert within 2 s; saw {admin.seen}"
    alert = Alert.objects.get(pk=got[1]["id"])
    assert alert.key == f"threshold:{sensor.code}" and alert.state == "raised"
    assert got[2] - sent < 2.0
    observation = admin.wait(lambda kind, data: kind == "observation" and data["sensor_id"] == sensor.pk, 2.0)
    assert observation is not None and observation[1]["value"] == sensor.threshold * 1.3


def _camera(inside: bool) -> Camera:
    rows = Camera.objects.filter(commune_code=HOME) if inside else Camera.objects.exclude(commune_code=HOME)
    return rows.order_by("pk").first()


def test_a_commune_officers_stream_carries_only_what_they_may_see(streams, cleanup):
    officer, admin, anonymous = streams("t_commune"), streams("t_admin"), streams(None)
    other = _camera(inside=False)
    mine = _camera(inside=True)
    for camera in (other, mine):
        cleanup["cameras"].append((camera.pk, camera.status))
        Camera.objects.filter(pk=camera.pk).update(status="dead" if camera.status != "dead" else "live")
    elsewhere, _ = service.raise_alert(
        source="camera",
        key="test:elsewhere",
        severity="high",
        title="Camera mất tín hiệu",
        commune_code=other.commune_code,
        sector="science_technology",
    )
    cleanup["alerts"].append(elsewhere.pk)
    from tests.reports.conftest import make_report

    elsewhere_commune = other.commune_code
    report = make_report("waste", commune=elsewhere_commune)  # the insert is announced
    cleanup["reports"].append(report.pk)
    marker, _ = service.raise_alert(
        source="camera", key="test:home", severity="low", title="Camera kiểm thử", commune_code=HOME
    )
    cleanup["alerts"].append(marker.pk)

    def is_marker(kind, data):
        return kind == "alert" and data["id"] == marker.pk

    assert officer.wait(is_marker, 5) and admin.wait(is_marker, 5)
    officer_saw = {(kind, data["id"]) for kind, data, _ in officer.seen}
    admin_saw = {(kind, data["id"]) for kind, data, _ in admin.seen}
    assert ("camera", mine.pk) in officer_saw and ("camera", other.pk) not in officer_saw
    assert ("alert", elsewhere.pk) not in officer_saw
    assert all(data.get("commune_code") == HOME for kind, data, _ in officer.seen if kind in {"camera", "alert"})
    assert ("report", report.pk) in officer_saw  # field reports are a public layer (no reporter in the event)
    assert {("camera", mine.pk), ("camera", other.pk), ("alert", elsewhere.pk), ("report", report.pk)} <= admin_saw
    anonymous.wait(lambda kind, data: kind == "report" and data["id"] == report.pk, 5)
    assert not [e for e in anonymous.seen if e[0] in {"alert", "camera"}]


def test_events_reach_streams_of_every_process(streams, tokens, device, device_api):
    """Two server processes (the test's uvicorn and this one's NOTIFY): the stream hears writes made elsewhere."""
    stream = streams("t_leader")
    body = {"result": 0.01, "phenomenonTime": timezone.now().isoformat()}
    started = timezone.now() - timedelta(minutes=1)
    response = device_api.post(
        f"/sta/v1.1/Datastreams({device['level']})/Observations", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201
    ident = response.json()["@iot.id"]
    try:
        assert stream.wait(lambda kind, data: kind == "observation" and data["id"] == ident, 5)
    finally:
        restore_sensors([device["level"]], started)
