"""The supervised ASGI server under faults: slow clients, a database outage, a request past its deadline, a port
held by another server, a stale pid file."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.faults.support import WEB_PORT, Server

pytestmark = pytest.mark.django_db


def _get(url: str, timeout: float = 10, headers: dict | None = None) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _slow_client(stop: threading.Event, head: bytes) -> None:
    """Send a request one byte every half second until told to stop (a slow phone line, or slowloris)."""
    with socket.create_connection(("127.0.0.1", WEB_PORT)) as sock:
        for byte in head:
            if stop.is_set():
                return
            sock.send(bytes([byte]))
            time.sleep(0.5)


def test_slow_anonymous_clients_do_not_stop_the_service(fault_server):
    stop = threading.Event()
    body_head = b"POST /open311/v2/requests.json HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" + b"a" * 5000
    header_head = b"GET /ogcapi/collections HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"b" * 5000
    heads = [body_head, header_head] * (2 * fault_server.workers)  # four per worker, half of them sending a body
    clients = [threading.Thread(target=_slow_client, args=(stop, h), daemon=True) for h in heads]
    for client in clients:
        client.start()
    try:
        time.sleep(3)  # every slow client has sent its first bytes and waits
        for path in ("/healthz", "/ogcapi/collections", "/api/layers"):
            started = time.monotonic()
            status, _, _ = _get(f"{fault_server.root}{path}", timeout=10)
            assert status == 200 and time.monotonic() - started < 5, path
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=5)


API_PATHS = ("/api/layers", "/ogcapi/collections/incidents/items?limit=1", "/open311/v2/requests.json", "/healthz")


def test_while_postgres_is_down_apis_answer_json_503_and_every_worker_recovers(fault_cluster, fault_server):
    fault_cluster.pg_ctl("-m", "fast", "-w", "stop")
    try:
        for path in API_PATHS[:-1]:
            status, headers, body = _get(f"{fault_server.root}{path}")
            assert status == 503, (path, body[:200])
            assert headers["Content-Type"].startswith("application/json")
            assert json.loads(body)["code"] == "DatabaseUnavailable" and int(headers["Retry-After"]) > 0
        status, _, body = _get(f"{fault_server.root}/healthz")
        assert status == 503 and json.loads(body)["database"] == "unavailable"
        # A page for people whose session must be read: a short HTML 503 (raised in middleware, not in the view).
        status, headers, body = _get(f"{fault_server.root}/", headers={"Cookie": "sessionid=" + "x" * 32})
        assert status == 503 and headers["Content-Type"].startswith("text/html") and "Retry-After" in headers
    finally:
        fault_cluster.start()
    # The first requests after the restart, spread over both workers: none fails (health-checked pool).
    answers = [_get(f"{fault_server.root}{p}") for _ in range(6 * fault_server.workers) for p in API_PATHS]
    assert [(s, b[:100]) for s, _, b in answers if s != 200] == []


def test_a_request_past_its_deadline_is_answered_503_and_its_sql_cancelled(fault_cluster, fault_server):
    with fault_cluster.connect() as holder:
        holder.execute("BEGIN")
        holder.execute("LOCK TABLE reports_fieldreport IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        status, headers, body = _get(f"{fault_server.root}/open311/v2/requests.json", timeout=30)
        elapsed = time.monotonic() - started
        # the request's statement (Open311 reads the reports_public view); the scheduler's jobs, which a freshly
        # started server runs at once, may be waiting on the lock too, and are not the request's
        waiting = holder.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database() "
            "AND query LIKE '%%reports_public%%'"
        ).fetchone()[0]
        holder.execute("ROLLBACK")
    assert status == 503 and json.loads(body)["code"] == "Timeout" and int(headers["Retry-After"]) > 0
    assert 3.5 < elapsed < 15  # the 4 s deadline of the fault server, not the 60 s statement or lock limit
    assert waiting == 0  # the query waiting for the lock was cancelled, not left behind


class _Impostor(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        body = json.dumps({"database": "ok", "server": {"pid": 1, "master": 1}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_start_never_says_serving_when_another_server_holds_the_port(fault_cluster, tmp_path):
    impostor = ThreadingHTTPServer(("127.0.0.1", WEB_PORT + 1), _Impostor)  # answers /healthz 200 like ours would
    threading.Thread(target=impostor.serve_forever, daemon=True).start()
    server = Server(fault_cluster, tmp_path / "state")
    try:
        env = {**server.env, "PORT": str(WEB_PORT + 1), "START_TIMEOUT": "8"}
        done = subprocess.run(
            [str(server.serve.__globals__["ROOT"] / "deploy" / "serve.sh"), "start"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode != 0 and "serving" not in done.stdout
        assert "Address already in use" in done.stderr or "did not come up" in done.stderr
        assert server.master_pid() == 0  # and it left nothing running
    finally:
        impostor.shutdown()
        server.serve("stop")


def test_stop_never_signals_the_process_of_a_stale_pid_file(fault_cluster, tmp_path):
    bystander = subprocess.Popen(["sleep", "60"])
    server = Server(fault_cluster, tmp_path / "state")
    (server.state / "run").mkdir(parents=True)
    pidfile = server.state / "run" / "supervisord.pid"
    pidfile.write_text(f"{bystander.pid}\n")
    try:
        done = server.serve("stop")
        assert done.returncode == 0 and "not running" in done.stdout
        assert bystander.poll() is None and not pidfile.exists()
        os.kill(bystander.pid, 0)
    finally:
        bystander.kill()
        bystander.wait()
