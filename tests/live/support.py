"""The ASGI server (uvicorn, as production serves mapserver.asgi) started by a test on its own port, and an
event-stream client that records every event with its arrival time."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time

import requests

from tests.sta.mqtt_support import ROOT, Output, database_url, stop, wait_port

ASGI_PORT = 18880


def start_asgi(port: int = ASGI_PORT) -> tuple[subprocess.Popen, Output]:
    """uvicorn serving mapserver.asgi:application against the test database."""
    env = {**os.environ, "DATABASE_URL": database_url(), "MAPSERVER_RATE_LIMITS": "off"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "mapserver.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--lifespan",
            "off",
            "--no-access-log",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    output = Output(process)
    wait_port(port, timeout=30)
    return process, output


class EventStream:
    """GET /api/events as `token` (None: anonymous), read in a thread: (event, data, arrived) tuples."""

    def __init__(self, token: str | None, port: int = ASGI_PORT):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.response = requests.get(f"http://127.0.0.1:{port}/api/events", headers=headers, stream=True, timeout=30)
        assert self.response.status_code == 200, self.response.text[:200]
        assert self.response.headers["Content-Type"].startswith("text/event-stream")
        self.events: queue.Queue = queue.Queue()
        self.connected = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        assert self.connected.wait(10)

    def _read(self) -> None:
        kind = None
        try:
            for raw in self.response.iter_lines(decode_unicode=True):
                if raw.startswith(": connected"):
                    self.connected.set()
                elif raw.startswith("event: "):
                    kind = raw[len("event: ") :]
                elif raw.startswith("data: "):
                    self.events.put((kind, json.loads(raw[len("data: ") :]), time.monotonic()))
        except (requests.RequestException, AttributeError, ValueError):
            return

    def wait(self, predicate, timeout: float) -> tuple | None:
        """The first event matching predicate(kind, data) within timeout seconds (others are kept in `seen`)."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                item = self.events.get(timeout=left)
            except queue.Empty:
                return None
            self.seen.append(item)
            if predicate(item[0], item[1]):
                return item
        return None

    @property
    def seen(self) -> list:
        if not hasattr(self, "_seen"):
            self._seen = []
        return self._seen

    def close(self) -> None:
        self.response.close()


__all__ = ["ASGI_PORT", "EventStream", "start_asgi", "stop"]
