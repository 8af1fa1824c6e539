"""The bridge stores messages that arrive together in one transaction, still refusing the bad ones one by one, and
acknowledges them only once stored: messages it had received but not stored when it crashed are delivered again to
the next bridge (its broker session outlives it)."""

from __future__ import annotations

import signal
import time
from datetime import timedelta

import psycopg
import pytest
from django.utils import timezone

from geodata.models import SensorObservation
from mapserver.models import AuditEntry
from mapserver.pgnotify import conninfo
from tests.sta.conftest import restore_sensors
from tests.sta.mqtt_support import Output, start_bridge, stop
from tests.sta.test_mqtt import Peer, topic

pytestmark = pytest.mark.usefixtures("live_server")  # the bridge is another process: committed rows, cleaned up
BAD = [b"not json", b'{"result": NaN}', b'{"result": "high"}', b'{"result": 1.0, "extra": 1}']


@pytest.fixture
def bridges(broker, device):
    """bridges() starts a bridge (and waits until it has subscribed); all are stopped, and the rows undone, after."""
    started, processes = timezone.now() - timedelta(minutes=5), []

    def start() -> tuple:
        process = start_bridge()
        output = Output(process)
        output.wait_for("subscribed to", "listening on")
        processes.append(process)
        return process, output

    yield start
    for process in processes:
        if process.poll() is None:
            stop(process)
    restore_sensors([device["level"]], started)


@pytest.fixture
def publisher(broker, device):
    peer = Peer(device["username"], device["token"])
    assert peer.connected.wait(5)
    yield peer
    peer.close()


class InsertsHeld:
    """Holds a lock that makes every insert of observations wait, until released (another session's transaction)."""

    def __enter__(self) -> InsertsHeld:
        self.connection = psycopg.connect(**conninfo())
        self.connection.execute("LOCK TABLE geodata_sensorobservation IN SHARE MODE")
        return self

    def wait_for_a_waiting_insert(self, timeout: float = 10.0) -> None:
        """Until a session waits for this lock with its insert (the bridge, in the middle of a batch)."""
        deadline = time.monotonic() + timeout
        with psycopg.connect(**conninfo(), autocommit=True) as watcher:
            while time.monotonic() < deadline:
                row = watcher.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = "
                    "'Lock' AND query LIKE 'INSERT INTO \"geodata_sensorobservation\"%%'"
                ).fetchone()
                if row[0]:
                    return
                time.sleep(0.05)
        raise TimeoutError("no insert waits for the lock")

    def __exit__(self, *exc) -> None:
        self.connection.rollback()
        self.connection.close()


def _publish(publisher: Peer, sensor_id: int, first, count: int, bad: bool = True) -> list:
    """count good messages (one second apart from `first`), the bad payloads between them; the good ones' times."""
    moments = [first + timedelta(seconds=i) for i in range(count)]
    for i, moment in enumerate(moments):
        publisher.publish(topic(sensor_id), {"result": 0.3, "phenomenonTime": moment.isoformat()})
        if bad and i < len(BAD):
            publisher.publish(topic(sensor_id), BAD[i])
    return moments


def _stored_once(sensor_id: int, moments: list, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = SensorObservation.objects.filter(sensor_id=sensor_id, observed_at__in=moments)
        if rows.count() >= len(moments):
            return sorted(rows.values_list("observed_at", flat=True)) == sorted(moments)
        time.sleep(0.1)
    return False


def test_messages_that_arrive_together_are_stored_in_one_transaction(bridges, publisher, device):
    sensor_id = device["level"]
    process, output = bridges()
    first = (timezone.now() - timedelta(minutes=3)).replace(microsecond=0)
    since = timezone.now()
    with InsertsHeld() as held:
        marker = _publish(publisher, sensor_id, first, 1, bad=False)
        held.wait_for_a_waiting_insert()  # the bridge holds the marker; what comes now queues for it
        burst = _publish(publisher, sensor_id, first + timedelta(seconds=1), 30)
        time.sleep(1.0)  # the broker has them (acknowledged to the publisher) and hands them on at once
    assert _stored_once(sensor_id, marker + burst)
    entries = AuditEntry.objects.filter(
        action="sta.observations", username="system:mqtt", feature_id=str(sensor_id), at__gte=since
    )
    counts = sorted(entry.detail["count"] for entry in entries)
    assert sum(counts) == 31 and len(counts) <= 3, counts  # the marker, then the burst in one (or two) batches
    assert max(counts) >= 15
    assert "".join(output.lines).count("refused MQTT message") == len(BAD)  # each bad one refused on its own


def test_messages_received_but_not_stored_are_delivered_again_after_a_crash(bridges, publisher, device):
    sensor_id = device["level"]
    process, _ = bridges()
    first = (timezone.now() - timedelta(minutes=2)).replace(microsecond=0)
    with InsertsHeld() as held:
        moments = _publish(publisher, sensor_id, first, 1, bad=False)
        held.wait_for_a_waiting_insert()
        moments += _publish(publisher, sensor_id, first + timedelta(seconds=1), 10)
        time.sleep(1.0)
        process.send_signal(signal.SIGKILL)  # received, not stored, not acknowledged
        process.wait(10)
    assert not SensorObservation.objects.filter(sensor_id=sensor_id, observed_at__in=moments).exists()
    bridges()  # the next bridge resumes the session: the broker delivers the unacknowledged messages again
    assert _stored_once(sensor_id, moments)
