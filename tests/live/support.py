"""The ASGI server (uvicorn, as production serves mapserver.asgi) started by a test on its own port, and an
event-stream client that records every event with its arrival time."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time

import requests

from tests.sta.mqtt_support import ROOT, Output, database_url, stop, wait_port

ASGI_PORT = int(os.environ.get("MAPSERVER_TEST_ASGI_PORT", "18880"))  # one per engineer running the suite at once


def start_asgi(port: int = ASGI_PORT, **extra_env: str) -> tuple[subprocess.Popen, Output]:
    """uvicorn serving mapserver.asgi:application against the test database (extra_env: more of its settings)."""
    env = {**os.environ, "DATABASE_URL": database_url(), "MAPSERVER_RATE_LIMITS": "off", **extra_env}
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
        """End the stream now: shut its socket down first, which wakes the reading thread (closing the response
        alone waits for that thread's read to return, up to the next keep-alive)."""
        sock = getattr(self.response.raw.connection, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self.response.close()


__all__ = ["ASGI_PORT", "EventStream", "start_asgi", "stop"]
