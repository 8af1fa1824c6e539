"""A real mosquitto on a test port, configured by sta_mqtt_config, and the bridge as its own process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    """A port nothing listens on now: a fixed one could be held by a broker that another run left behind, which
    would answer in place of ours with other accounts."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


MQTT_PORT = _free_port()


def wait_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port}")


def refresh_device(device: dict) -> None:
    """Issue the test device's token and MQTT password again (the broker's files are written from the accounts)."""
    from sta.devices import issue_device

    device["token"] = issue_device(device["username"], [device["level"], device["dust"]], no_expiry=True)


def start_broker(directory: Path) -> subprocess.Popen:
    """Write the broker's files from the device accounts and start mosquitto on MQTT_PORT."""
    call_command("sta_mqtt_config", dir=directory, port=MQTT_PORT, bind="127.0.0.1", stdout=open(os.devnull, "w"))
    log = open(directory / "mosquitto.log", "wb")  # a file, not a pipe nobody reads (a full pipe stalls the broker)
    broker = subprocess.Popen(["mosquitto", "-c", str(directory / "mosquitto.conf")], stdout=log, stderr=log)
    wait_port(MQTT_PORT)
    if broker.poll() is not None:  # it could not bind: whatever listens there is not our broker
        raise RuntimeError(f"mosquitto exited: {(directory / 'mosquitto.log').read_text(errors='replace')[-500:]}")
    return broker


def database_url() -> str:
    db = connection.settings_dict
    return f"postgis://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_bridge() -> subprocess.Popen:
    """manage.py sta_mqtt_bridge against the test database and the test broker."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "MAPSERVER_MQTT_PORT": str(MQTT_PORT),
        "MAPSERVER_MQTT_PASSWORD": settings.MAPSERVER_MQTT_PASSWORD,
        "MAPSERVER_LOG_LEVEL": "INFO",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "sta_mqtt_bridge"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


class Output:
    """Drains a process's output in a thread (so its pipe never fills) and waits for lines."""

    def __init__(self, process: subprocess.Popen):
        import threading

        self.lines: list[str] = []
        self.thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self.thread.start()

    def _read(self, process: subprocess.Popen) -> None:
        for line in process.stdout:
            self.lines.append(line.decode(errors="replace"))

    def wait_for(self, *needles: str, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = "".join(self.lines)
            if all(n in text for n in needles):
                return
            time.sleep(0.05)
        raise TimeoutError(f"never saw {needles} in: {''.join(self.lines)[-2000:]}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
