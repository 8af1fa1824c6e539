"""Fault-test plumbing: a throw-away PostgreSQL cluster, the real server under its supervisor, writers.

The cluster is made by deploy/localdb.sh (the same durable settings as `make run`) on its own port and data
directory, and filled from the suite's test database (schema and the small tables; the rows of the big sector
tables are left out, the writers do not need them). The server is started by deploy/serve.sh, as `make start`
does, with its own state directory.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
PG_PORT = int(os.environ.get("MAPSERVER_FAULT_PG_PORT", "5450"))
WEB_PORT = int(os.environ.get("MAPSERVER_FAULT_WEB_PORT", "18210"))
BIG_TABLE_BYTES = 1_000_000


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.getuid() == 0 else cmd


@dataclass
class Cluster:
    """A PostgreSQL cluster of deploy/localdb.sh in `base`, on PG_PORT."""

    base: Path

    @property
    def data(self) -> Path:
        return self.base / "pg"

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "MAPSERVER_DB_DATA": str(self.data), "MAPSERVER_DB_PORT": str(PG_PORT)}

    @property
    def url(self) -> str:
        return f"postgis://mapserver:mapserver@127.0.0.1:{PG_PORT}/mapserver"

    def start(self) -> None:
        """Create (first time) or start the cluster; after a crash PostgreSQL replays its WAL here."""
        subprocess.run([str(ROOT / "deploy" / "localdb.sh"), "start"], env=self.env, check=True, capture_output=True)

    def pg_ctl(self, *args: str) -> None:
        pgbin = _pgbin()
        subprocess.run(_as_postgres([f"{pgbin}/pg_ctl", "-D", str(self.data), *args]), check=True, capture_output=True)

    def crash(self) -> None:
        """kill -9 the postmaster and every backend, as a crash of the database server would."""
        pid = int((self.data / "postmaster.pid").read_text().split()[0])
        children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
        for victim in [pid, *map(int, children)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(_alive(p) for p in [pid, *map(int, children)]):
            time.sleep(0.05)

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(f"postgresql://mapserver:mapserver@127.0.0.1:{PG_PORT}/mapserver", autocommit=True)

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.pg_ctl("-m", "immediate", "stop")
        shutil.rmtree(self.base, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _pgbin() -> str:
    return "/usr/lib/postgresql/15/bin" if Path("/usr/lib/postgresql/15/bin").exists() else ""


def make_cluster(base: Path, source: dict) -> Cluster:
    """A new cluster in `base` holding the source database's schema and small tables (source: settings_dict)."""
    base.mkdir(parents=True, exist_ok=True)
    if os.getuid() == 0:
        shutil.chown(base, "postgres")
    cluster = Cluster(base)
    cluster.start()
    try:
        _copy_into(cluster, source, base)
    except BaseException:
        cluster.destroy()  # a cluster that could not be filled is not left running on its port
        raise
    return cluster


def _copy_into(cluster: Cluster, source: dict, base: Path) -> None:
    """Restore the source database's schema and the rows of its small tables into the cluster."""
    src = (
        f"postgresql://{source['USER']}:{source['PASSWORD']}@{source['HOST'] or '127.0.0.1'}:{source['PORT']}/"
        f"{source['NAME']}"
    )
    with psycopg.connect(src) as conn:
        big = {
            row[0]
            for row in conn.execute(
                "SELECT c.relname FROM pg_class c WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace "
                "AND pg_total_relation_size(c.oid) > %s",
                [BIG_TABLE_BYTES],
            )
        } - {"geodata_commune"}
        # the rows of tables referencing a left-out table go too (else their foreign keys refuse the restore, as in
        # a kept test database whose field reports grew past the size while their transitions did not)
        references = conn.execute(
            "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text FROM pg_constraint c "
            "WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace"
        ).fetchall()
    while True:
        more = {child for child, parent in references if parent in big and child not in big}
        if not more:
            break
        big |= more
    excluded = [f"--exclude-table-data=public.{name}" for name in sorted(big)]
    dump = base / "source.dump"
    subprocess.run(["pg_dump", "-Fc", "-O", "-x", *excluded, "-f", str(dump), src], check=True, capture_output=True)
    restore = ["pg_restore", "-O", "-x", "--no-comments", "-d", cluster.url.replace("postgis://", "postgresql://")]
    result = subprocess.run([*restore, str(dump)], capture_output=True, text=True)
    errors = [x for x in result.stderr.splitlines() if "error:" in x and "already exists" not in x]
    if result.returncode != 0 and errors:
        raise RuntimeError("\n".join(errors[:20]))


def manage(cluster: Cluster, *args: str, stdin: str | None = None) -> str:
    """Run manage.py against the cluster; its stdout."""
    env = {**os.environ, "DATABASE_URL": cluster.url, "DJANGO_SETTINGS_MODULE": "mapserver.settings"}
    env.pop("MAPSERVER_TEST_DB", None)
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        input=stdin,
    )
    return done.stdout


@dataclass
class Server:
    """The map server under supervisord (deploy/serve.sh) on WEB_PORT, with its own state directory."""

    cluster: Cluster
    state: Path
    workers: int = 2

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{WEB_PORT}"

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": self.cluster.url,
            "MAPSERVER_STATE": str(self.state),
            "HOST": "127.0.0.1",
            "PORT": str(WEB_PORT),
            "WORKERS": str(self.workers),
            "MAPSERVER_RATE_LIMITS": "off",
            "MAPSERVER_TILE_CACHE_DIR": str(self.state / "tiles"),
            "MAPSERVER_MEDIA_DIR": str(self.state / "media"),
            "MAPSERVER_RETRY_AFTER": "3",
            # The request deadline comes before the statement and lock limits (test_service: it cancels the SQL).
            "MAPSERVER_DB_TIMEOUT_INTERACTIVE_REQUEST": "4",
            "MAPSERVER_DB_TIMEOUT_INTERACTIVE_STATEMENT": "60",
            "MAPSERVER_DB_TIMEOUT_INTERACTIVE_LOCK": "60",
        }

    def serve(self, command: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(ROOT / "deploy" / "serve.sh"), command], env=self.env, capture_output=True, text=True, timeout=120
        )

    def master_pid(self, tries: int = 5) -> int:
        """The gunicorn master's pid as supervisord reports it; 0 when it runs none (asked a few times: a busy
        supervisord may not answer at once)."""
        ctl = [str(ROOT / ".venv" / "bin" / "supervisorctl"), "-c", str(ROOT / "deploy" / "supervisord.conf")]
        env = {**self.env, "MAPSERVER_HOME": str(ROOT)}
        for _ in range(tries):
            out = subprocess.run([*ctl, "pid", "web"], env=env, capture_output=True, text=True).stdout.strip()
            if out.isdigit() and int(out) > 1:
                return int(out)
            time.sleep(0.5)
        return 0

    def running_master(self) -> int:
        """The master's pid, which must exist (never 0: os.kill(0, ...) would signal the test's own group)."""
        pid = self.master_pid(tries=20)
        assert pid > 1, "supervisord runs no gunicorn master"
        return pid

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.running_master())], capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]

    def healthz(self) -> dict | None:
        """The /healthz body if it answers 200 within 3 s, else None."""
        try:
            with urllib.request.urlopen(f"{self.root}/healthz", timeout=3) as response:
                return json.loads(response.read())
        except (OSError, ValueError):
            return None

    def wait_healthy_from(self, master: int, timeout: float = 60) -> dict:
        """Wait until /healthz answers from a worker of `master`; the body."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            body = self.healthz()
            if body and body["server"]["master"] == master:
                return body
            time.sleep(0.2)
        raise AssertionError(f"/healthz did not answer from master {master} within {timeout} s")


@dataclass
class Answer:
    kind: str  # "open311" or "ogc"
    marker: str
    status: int  # 0: no HTTP answer (connection refused or reset, timeout)
    content_type: str = ""
    body: bytes = b""
    retry_after: str | None = None
    ident: str | None = None  # the id the server acknowledged
    location: str = ""


@dataclass
class Writers:
    """Eight threads that create Open311 reports and OGC incidents, each with a unique description."""

    root: str
    api_key: str
    token: str
    point: tuple[float, float]  # lon, lat inside the token's commune scope
    count: int = 8
    answers: list[Answer] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> None:
        self._threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(self.count)]
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def acknowledged(self, kind: str) -> list[Answer]:
        return [a for a in self.answers if a.kind == kind and a.ident]

    def since(self, index: int) -> list[Answer]:
        return self.answers[index:]

    def _run(self, number: int) -> None:
        while not self._stop.is_set():
            kind = "open311" if number % 2 == 0 else "ogc"
            marker = f"fault-{uuid.uuid4().hex}"
            answer = self._open311(marker) if kind == "open311" else self._ogc(marker)
            with self._lock:
                self.answers.append(answer)
            if answer.status != 200 and answer.status != 201:
                time.sleep(0.2)  # a real client backs off; none of them resends the same write

    def _open311(self, marker: str) -> Answer:
        lon, lat = self.point
        data = urllib.parse.urlencode(
            {
                "api_key": self.api_key,
                "service_code": "street_light",
                "lat": lat,
                "long": lon,
                "description": marker,
                "attribute[lamp_state]": "off",
            }
        ).encode()
        answer = _send(f"{self.root}/open311/v2/requests.json", data, {}, "open311", marker)
        if answer.status == 200:
            answer.ident = str(json.loads(answer.body)[0]["service_request_id"])
        return answer

    def _ogc(self, marker: str) -> Answer:
        lon, lat = self.point
        feature = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "kind": "fire",
                "occurred_at": "2031-05-01T10:00:00Z",
                "status": "reported",
                "severity": 2,
                "description": marker,
            },
        }
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/geo+json"}
        url = f"{self.root}/ogcapi/collections/incidents/items"
        answer = _send(url, json.dumps(feature).encode(), headers, "ogc", marker)
        if answer.status == 201:
            answer.ident = answer.location.rsplit("/", 1)[1]
        return answer


def _send(url: str, data: bytes, headers: dict, kind: str, marker: str) -> Answer:
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = Answer(kind, marker, response.status, response.headers.get("Content-Type", ""), response.read())
            answer.location = response.headers.get("Location", "")
            return answer
    except urllib.error.HTTPError as error:
        return Answer(
            kind, marker, error.code, error.headers.get("Content-Type", ""), error.read(), error.headers["Retry-After"]
        )
    except OSError:
        return Answer(kind, marker, 0)
