"""Live operations: observations ingested per second over HTTP (SensorThings dataArray) and MQTT (through
mosquitto and the bridge, counted once stored), and the time from an MQTT publish to the alert arriving on the event
stream with 200 streams open. Starts its own ASGI server (gunicorn + uvicorn workers), broker and bridge on
BENCH_LIVE_PORT.. (18880..), writes into DATABASE_URL's database and removes what it wrote afterwards."""

from __future__ import annotations

import collections
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

from bench.common import DATABASE_URL, ROOT, WORKERS, libpq_url, machine_note, markdown_table, write_section

BASE_PORT = int(os.environ.get("BENCH_LIVE_PORT", "18880"))
HTTP_PORT, MQTT_PORT = BASE_PORT + 1, BASE_PORT + 4
STREAMS = int(os.environ.get("BENCH_LIVE_STREAMS", "200"))
ROUNDS = int(os.environ.get("BENCH_LIVE_ROUNDS", "30"))
HTTP_BATCHES, BATCH = 20, 1000
MQTT_MESSAGES = 2000
OPEN_STREAMS = 0
DB_PORT = urllib.parse.urlsplit(DATABASE_URL).port or 5432


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mapserver.settings")
    os.environ["DATABASE_URL"] = DATABASE_URL
    import django

    django.setup()


def _wait_port(port: int, timeout: float = 60) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"port {port} never opened")


def _start(cmd: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip


def _servers(directory: Path) -> list[subprocess.Popen]:
    from django.core.management import call_command

    env = {"DATABASE_URL": DATABASE_URL, "MAPSERVER_MQTT_PORT": str(MQTT_PORT), "MAPSERVER_RATE_LIMITS": "off"}
    call_command("sta_mqtt_config", dir=directory, port=MQTT_PORT, bind="127.0.0.1", stdout=open(os.devnull, "w"))
    python = str(ROOT / ".venv" / "bin" / "python")
    processes = [
        _start(["mosquitto", "-c", str(directory / "mosquitto.conf")], env),
        _start([str(ROOT / ".venv" / "bin" / "gunicorn"), "mapserver.asgi:application", "-k",
                "uvicorn_worker.UvicornWorker", "-w", str(WORKERS), "-b", f"127.0.0.1:{HTTP_PORT}"], env),
    ]  # fmt: skip
    _wait_port(MQTT_PORT)
    processes.append(_start([python, "manage.py", "sta_mqtt_bridge"], env))
    _wait_port(HTTP_PORT)
    time.sleep(3)
    print("servers up", flush=True)  # the bridge connects and subscribes
    return processes


def _http_rate(token: str, sensor_id: int) -> float:
    start = datetime.now(UTC) - timedelta(hours=6)
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    began = time.monotonic()
    for b in range(HTTP_BATCHES):
        rows = [[(start + timedelta(seconds=b * BATCH + i)).isoformat(), 0.5] for i in range(BATCH)]
        body = [{"Datastream": {"@iot.id": sensor_id}, "components": ["phenomenonTime", "result"], "dataArray": rows}]
        response = session.post(f"http://127.0.0.1:{HTTP_PORT}/sta/v1.1/CreateObservations", json=body, timeout=120)
        response.raise_for_status()
    return HTTP_BATCHES * BATCH / (time.monotonic() - began)


def _mqtt_client(user: str, password: str):
    import paho.mqtt.client as mqtt

    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    client.username_pw_set(user, password)
    client.connect("127.0.0.1", MQTT_PORT)
    client.loop_start()
    return client


def _mqtt_rate(user: str, token: str, sensor_id: int) -> float:
    from geodata.models import SensorObservation

    client = _mqtt_client(user, token)
    start = datetime.now(UTC) - timedelta(hours=7)
    before = SensorObservation.objects.filter(sensor_id=sensor_id).count()
    topic = f"v1.1/Datastreams({sensor_id})/Observations"
    began = time.monotonic()
    for i in range(MQTT_MESSAGES):
        payload = json.dumps({"result": 0.5, "phenomenonTime": (start + timedelta(seconds=i)).isoformat()})
        client.publish(topic, payload, qos=1)
    while SensorObservation.objects.filter(sensor_id=sensor_id).count() < before + MQTT_MESSAGES:
        if time.monotonic() - began > 300:
            raise TimeoutError("the bridge did not store every message")
        time.sleep(0.05)
    elapsed = time.monotonic() - began
    client.loop_stop()
    return MQTT_MESSAGES / elapsed


class _ConnectionWatch(threading.Thread):
    """The most database connections seen while the streams are open: the server's (its processes' sockets to
    PostgreSQL), all of the bench database's, and the whole cluster's (other users included)."""

    def __init__(self, server_pid: int):
        super().__init__(daemon=True)
        self.server_pid, self.done = server_pid, threading.Event()
        self.most = {"server": 0, "database": 0, "cluster": 0}

    def _server_ports(self) -> list[int]:
        import psutil

        master = psutil.Process(self.server_pid)
        ports = []
        for process in [master, *master.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                ports += [c.laddr.port for c in process.net_connections("tcp") if c.raddr and c.raddr.port == DB_PORT]
        return ports

    def run(self) -> None:
        import psycopg

        with psycopg.connect(libpq_url(), autocommit=True) as connection:
            while not self.done.wait(0.25):
                row = connection.execute(
                    "SELECT count(*) FILTER (WHERE client_port = ANY(%s)), count(*) FILTER (WHERE datname = "
                    "current_database()), count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'",
                    [self._server_ports()],
                ).fetchone()
                for key, value in zip(self.most, row, strict=True):
                    self.most[key] = max(self.most[key], value)


class _Stream(threading.Thread):
    def __init__(self, token: str, arrivals: dict, lock: threading.Lock):
        super().__init__(daemon=True)
        self.token, self.arrivals, self.lock = token, arrivals, lock
        self.ready = threading.Event()
        self.failures: list[str] = []  # why an attempt did not open the stream (an exception or a status)

    def run(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        for _attempt in range(5):  # a refused connection under the burst of 200 opens is tried again
            try:
                if self._read(headers):
                    return
            except requests.RequestException as error:
                self.failures.append(type(error).__name__)
            time.sleep(0.5)

    def _read(self, headers: dict) -> bool:
        with requests.get(f"http://127.0.0.1:{HTTP_PORT}/api/events", headers=headers, stream=True, timeout=600) as r:
            if r.status_code != 200:
                self.failures.append(f"HTTP {r.status_code} {r.text[:80]}")
                return False
            for line in r.iter_lines(decode_unicode=True):
                if line.startswith(": connected"):
                    self.ready.set()
                elif line.startswith("data: ") and '"type": "alert"' in line:
                    event = json.loads(line[6:])
                    with self.lock:
                        self.arrivals.setdefault((event["id"], event["state"]), []).append(time.monotonic())
        return True


def _latencies(user: str, token: str, viewer_token: str, sensor) -> list[float]:
    arrivals: dict = {}
    lock = threading.Lock()
    streams = [_Stream(viewer_token, arrivals, lock) for _ in range(STREAMS)]
    for stream in streams:
        stream.start()
    deadline = time.monotonic() + 60
    for stream in streams:
        stream.ready.wait(max(0.0, deadline - time.monotonic()))
    global OPEN_STREAMS
    OPEN_STREAMS = sum(s.ready.is_set() for s in streams)
    failures = collections.Counter(failure for s in streams for failure in s.failures)
    print(f"{OPEN_STREAMS} of {STREAMS} streams open; failed attempts: {dict(failures)}", flush=True)
    client = _mqtt_client(user, token)
    topic = f"v1.1/Datastreams({sensor.pk})/Observations"
    sent = []
    from alerts.models import Alert

    for i in range(ROUNDS):
        value = sensor.threshold * (2.0 if i % 2 == 0 else 0.1)  # raise, then resolve: one alert event each
        moment = datetime.now(UTC) - timedelta(seconds=ROUNDS - i)
        sent.append(time.monotonic())
        client.publish(topic, json.dumps({"result": value, "phenomenonTime": moment.isoformat()}), qos=1)
        time.sleep(1.0)
    time.sleep(3)
    client.loop_stop()
    alerts = list(Alert.objects.filter(source="sensor", key=f"threshold:{sensor.code}").order_by("raised_at"))
    events = []
    for alert in alerts:
        events.append((alert.pk, "raised"))
        if alert.state == "resolved":
            events.append((alert.pk, "resolved"))
    for stream in streams:
        stream.ready.clear()
    latencies = []
    for published, key in zip(sent, events, strict=False):
        latencies.extend(t - published for t in arrivals.get(key, []))
    return latencies


def _cleanup(sensor_ids: list[int], since: datetime) -> None:
    from django.db import connection

    from geodata.models import Sensor

    codes = list(Sensor.objects.filter(pk__in=sensor_ids).values_list("code", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM geodata_sensorobservation WHERE sensor_id = ANY(%s) AND id > %s",
                       [sensor_ids, since])  # fmt: skip
        cursor.execute("DELETE FROM alerts_alert WHERE source = 'sensor' AND key = ANY(%s)",
                       [[f"threshold:{c}" for c in codes]])  # fmt: skip
        cursor.execute("DELETE FROM scenarios_violationlog WHERE sensor_id = ANY(%s) AND logged_at > now() - "
                       "interval '2 hours'", [sensor_ids])  # fmt: skip
        cursor.execute(
            "UPDATE geodata_sensor s SET (last_value, last_observed_at) = (SELECT o.value, o.observed_at FROM "
            "geodata_sensorobservation o WHERE o.sensor_id = s.id ORDER BY o.observed_at DESC LIMIT 1) "
            "WHERE s.id = ANY(%s)", [sensor_ids])  # fmt: skip


def run() -> None:
    """Measure and write the "Live operations" section of docs/benchmarks.md."""
    _django()
    from django.db.models import Max

    from geodata.models import Sensor, SensorObservation
    from mapserver.accounts import provision
    from sta.devices import issue_device

    sensors = list(Sensor.objects.order_by("pk")[:2])
    last_id = SensorObservation.objects.aggregate(m=Max("pk"))["m"] or 0
    token = issue_device("bench_device", [s.pk for s in sensors], days=1)
    viewer = provision("bench_live_leader", "leader", days=1)[1]
    with tempfile.TemporaryDirectory() as directory:
        processes = _servers(Path(directory))
        try:
            http = _http_rate(token, sensors[0].pk)
            print(f"http {http:.0f}/s", flush=True)
            mqtt = _mqtt_rate("bench_device", token, sensors[0].pk)
            print(f"mqtt {mqtt:.0f}/s", flush=True)
            load = os.getloadavg()[0]
            watch = _ConnectionWatch(processes[1].pid)
            watch.start()
            latencies = sorted(_latencies("bench_device", token, viewer, sensors[1]))
            watch.done.set()
            watch.join()
            print(f"{len(latencies)} deliveries; connections, most seen: {watch.most}", flush=True)
        finally:
            for process in reversed(processes):
                process.terminate()
            for process in reversed(processes):
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:  # the server waits for the open streams: end it
                    process.kill()
                    process.wait()
            _cleanup([s.pk for s in sensors], last_id)
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan")
    rows = [
        ["observations/s over HTTP (dataArray, 1,000 per request, sequential)", f"{http:,.0f}"],
        ["observations/s over MQTT (QoS 1, one publisher, until stored by the bridge)", f"{mqtt:,.0f}"],
        [f"publish → alert on the stream, p50 ({STREAMS} streams, {len(latencies)} deliveries)",
         f"{statistics.median(latencies) * 1000:.0f} ms" if latencies else "n/a"],
        [f"publish → alert on the stream, p95 ({OPEN_STREAMS} of {STREAMS} streams connected)", f"{p95 * 1000:.0f} ms"],
        [f"database connections of the server ({WORKERS} workers) with the streams open, most seen",
         f"{watch.most['server']} (database: {watch.most['database']}, cluster: {watch.most['cluster']})"],
    ]  # fmt: skip
    table = markdown_table(["measure", "value"], rows)
    print(table)
    note = f"{machine_note()} Load average (1 min) when the streams opened: {load:.2f}."
    write_section("Live operations (sensors, MQTT, event stream)", f"{note}\n\n{table}\n")


if __name__ == "__main__":
    sys.exit(run())
