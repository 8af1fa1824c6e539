"""MQTT through a real broker: a device publishes to its datastream's topic with paho-mqtt, the bridge stores it
(visible in /sta/v1.1, over-threshold readings raise an alert), subscribers receive stored observations (from MQTT
and HTTP), and the broker's ACL keeps a device to its own datastreams."""

from __future__ import annotations

import json
import queue
import threading
import time
from datetime import timedelta

import paho.mqtt.client as mqtt
import pytest
from django.test import Client
from django.utils import timezone

from alerts.models import Alert
from geodata.models import Sensor, SensorObservation
from tests.sta.conftest import restore_sensors
from tests.sta.mqtt_support import MQTT_PORT, Output, start_bridge, stop

# The bridge is another process: these tests commit (as live-server tests do, tests/conftest.py), and clean up.
pytestmark = pytest.mark.usefixtures("live_server")


@pytest.fixture(scope="module")
def bridge(broker, device):
    started = timezone.now() - timedelta(minutes=5)
    process = start_bridge()
    output = Output(process)
    output.wait_for("subscribed to", "listening on")
    yield output
    stop(process)
    restore_sensors([device["level"], device["dust"], device["other"]], started)


class Peer:
    """A paho-mqtt client that records what it receives."""

    def __init__(self, user: str, password: str):
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
        self.client.username_pw_set(user, password)
        self.received: queue.Queue = queue.Queue()
        self.connected = threading.Event()
        self.reason = None
        self.client.on_connect = self._on_connect
        self.client.on_message = lambda c, u, m: self.received.put((m.topic, json.loads(m.payload)))
        self.client.connect("127.0.0.1", MQTT_PORT)
        self.client.loop_start()

    def _on_connect(self, client, userdata, flags, reason_code, properties):
        self.reason = reason_code
        self.connected.set()

    def subscribe(self, topic: str) -> None:
        done = threading.Event()
        self.client.on_subscribe = lambda *args: done.set()
        self.client.subscribe(topic, qos=1)
        assert done.wait(5)

    def publish(self, topic: str, body) -> None:
        info = self.client.publish(topic, json.dumps(body) if not isinstance(body, bytes) else body, qos=1)
        info.wait_for_publish(5)

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


@pytest.fixture
def peer(bridge, device):
    peers = []

    def make(user=device["username"], password=device["token"]) -> Peer:
        p = Peer(user, password)
        assert p.connected.wait(5)
        peers.append(p)
        return p

    yield make
    for p in peers:
        p.close()


def topic(sensor_id: int) -> str:
    return f"v1.1/Datastreams({sensor_id})/Observations"


def stored(sensor_id: int, moment, timeout: float = 5.0) -> SensorObservation | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = SensorObservation.objects.filter(sensor_id=sensor_id, observed_at=moment).first()
        if row is not None:
            return row
        time.sleep(0.05)
    return None


def next_message(p: Peer, predicate, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            message = p.received.get(timeout=max(0.01, deadline - time.monotonic()))
        except queue.Empty:
            break
        if predicate(*message):
            return message
    return None


def test_publish_is_stored_and_echoed_to_subscribers(peer, device):
    device_peer, watcher = peer(), peer()
    watcher.subscribe(topic(device["level"]))
    sensor = Sensor.objects.get(pk=device["level"])
    moment = (timezone.now() - timedelta(seconds=20)).replace(microsecond=0)
    value = round(sensor.threshold * 0.4, 3)
    device_peer.publish(topic(sensor.pk), {"result": value, "phenomenonTime": moment.isoformat()})
    row = stored(sensor.pk, moment)
    assert row is not None and row.value == value
    body = Client().get(f"/sta/v1.1/Observations({row.pk})").json()
    assert body["result"] == value and body["Datastream@iot.navigationLink"].endswith(
        f"Observations({row.pk})/Datastream"
    )
    echoed = next_message(watcher, lambda t, m: m.get("@iot.id") == row.pk)
    assert echoed is not None and echoed[0] == topic(sensor.pk) and echoed[1]["result"] == value


def test_http_observations_reach_mqtt_subscribers(peer, device):
    watcher = peer()
    watcher.subscribe(topic(device["dust"]))
    client = Client(HTTP_AUTHORIZATION=f"Bearer {device['token']}")
    body = {"result": 3.5, "phenomenonTime": (timezone.now() - timedelta(seconds=10)).isoformat()}
    response = client.post(
        f"/sta/v1.1/Datastreams({device['dust']})/Observations", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201
    ident = response.json()["@iot.id"]
    assert next_message(watcher, lambda t, m: m.get("@iot.id") == ident) is not None


def test_over_threshold_publish_raises_the_alert(peer, device):
    sensor = Sensor.objects.get(pk=device["dust"])
    moment = (timezone.now() - timedelta(seconds=5)).replace(microsecond=0)
    peer().publish(topic(sensor.pk), {"result": sensor.threshold * 2, "phenomenonTime": moment.isoformat()})
    assert stored(sensor.pk, moment) is not None
    alert = Alert.objects.get(source="sensor", key=f"threshold:{sensor.code}", state="raised")
    assert alert.severity == "high" and alert.observed_at == moment


def test_acl_keeps_a_device_to_its_datastreams(peer, device, bridge):
    moment = (timezone.now() - timedelta(seconds=30)).replace(microsecond=0)
    peer().publish(topic(device["other"]), {"result": 1.0, "phenomenonTime": moment.isoformat()})
    # a marker on the device's own topic, published after: once it is stored, the refused one would have been too
    own = moment + timedelta(seconds=1)
    peer().publish(topic(device["level"]), {"result": 0.1, "phenomenonTime": own.isoformat()})
    assert stored(device["level"], own) is not None
    assert not SensorObservation.objects.filter(sensor_id=device["other"], observed_at=moment).exists()


def test_wrong_password_is_refused(peer, device):
    intruder = Peer(device["username"], "not-the-token")
    assert intruder.connected.wait(5)
    assert intruder.reason.is_failure
    intruder.close()


def test_bad_payloads_are_refused_and_the_bridge_goes_on(peer, device, bridge):
    device_peer = peer()
    moment = (timezone.now() - timedelta(seconds=40)).replace(microsecond=0)
    for bad in [
        b"not json",
        b'{"result": NaN}',
        {"result": "high"},
        {"result": 1.0, "phenomenonTime": "2026-13-01"},
        {"result": 1.0, "Datastream": {"@iot.id": device["other"]}},
        {"result": 1.0, "extra": 1},
    ]:
        device_peer.publish(
            topic(device["level"]),
            {**bad, "phenomenonTime": moment.isoformat()}
            if isinstance(bad, dict) and "phenomenonTime" not in bad
            else bad,
        )
    good = moment + timedelta(seconds=2)
    device_peer.publish(topic(device["level"]), {"result": 0.2, "phenomenonTime": good.isoformat()})
    assert stored(device["level"], good) is not None
    assert not SensorObservation.objects.filter(sensor_id=device["level"], observed_at=moment).exists()
    assert "refused MQTT message" in "".join(bridge.lines)
