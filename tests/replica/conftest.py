"""A real primary and streaming replica for the replica tests: two throw-away PostgreSQL clusters on ports 5440-5449
(the replica made by pg_basebackup -R), holding the test database's schema and its admin units and schools."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection

PGBIN = Path("/usr/lib/postgresql/15/bin")
PORTS = range(5440, 5450)
TABLES = ("geodata_province", "geodata_district2024", "geodata_commune", "geodata_school")  # versions: by trigger


def as_postgres(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a server program as the postgres system user when we are root (initdb refuses root)."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(prefix + args, check=True, capture_output=True, text=True, timeout=120, **kwargs)


def free_ports(count: int) -> list[int]:
    """The first free ports of our range."""
    found = []
    for port in PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                found.append(port)
        if len(found) == count:
            return found
    pytest.fail("no free port in 5440-5449 for the replica test clusters")


@dataclass
class Cluster:
    """One running throw-away cluster."""

    data: Path
    port: int

    def url(self) -> str:
        """The Django database URL of its map server database (superuser postgres, trust on loopback)."""
        return f"postgis://postgres@127.0.0.1:{self.port}/mapserver"

    def psql(self, query: str, db: str = "mapserver") -> str:
        """One query's unaligned output."""
        done = subprocess.run(
            [PGBIN / "psql", "-X", "-Atq", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", db],
            input=query,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        return done.stdout.strip()

    def start(self) -> None:
        """Start it (waits until it accepts connections)."""
        as_postgres([str(PGBIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.data / "log"), "-w", "start"])

    def stop(self) -> None:
        """Stop it at once (like a crash of its machine), if it runs."""
        subprocess.run(
            (["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else [])
            + [str(PGBIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
            check=False,
        )


CONF = """
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{sock}'
shared_buffers = 32MB
max_connections = 40
fsync = off            # a throw-away test cluster: speed over durability
synchronous_commit = off
full_page_writes = off
wal_level = replica
max_wal_senders = 4
hot_standby = on
"""


def _source_env() -> dict[str, str]:
    """libpq variables of the test database (its schema and some rows are copied into the primary)."""
    db = connection.settings_dict
    env = {**os.environ, "PGHOST": db["HOST"] or "", "PGPORT": str(db["PORT"] or ""), "PGUSER": db["USER"]}
    return {**env, "PGPASSWORD": db["PASSWORD"] or "", "PGDATABASE": db["NAME"]}


def _make_primary(root: Path, port: int) -> Cluster:
    data = root / "primary"
    as_postgres(
        [str(PGBIN / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"]
    )
    with open(data / "postgresql.conf", "a") as conf:  # noqa: PTH123 (the cluster's own file)
        conf.write(CONF.format(port=port, sock=root))
    primary = Cluster(data, port)
    primary.start()
    try:
        _load(primary)
    except BaseException:
        primary.stop()
        raise
    return primary


def _load(primary: Cluster) -> None:
    """The test database's schema and a few tables' rows, copied into the primary."""
    port = primary.port
    primary.psql("CREATE DATABASE mapserver", db="postgres")
    env = _source_env()
    schema = subprocess.run(
        ["pg_dump", "-s", "--no-owner", "--no-privileges"], env=env, capture_output=True, check=True, timeout=120
    ).stdout
    rows = subprocess.run(
        ["pg_dump", "-a", *(f"-t{t}" for t in TABLES)], env=env, capture_output=True, check=True, timeout=120
    ).stdout
    for script in (schema, rows):
        done = subprocess.run(
            [
                PGBIN / "psql",
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "postgres",
                "-d",
                "mapserver",
            ],
            input=script,
            capture_output=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr.decode()[-2000:]
    primary.psql("SELECT setval('geodata_school_id_seq', (SELECT max(id) FROM geodata_school))")


@pytest.fixture(scope="module")
def clusters(django_db_setup, django_db_blocker):
    """(primary, replica), streaming; both stopped and deleted afterwards."""
    root = Path(tempfile.mkdtemp(prefix="mapserver-replica-", dir="/tmp"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    primary_port, replica_port = free_ports(2)
    started: list[Cluster] = []
    try:
        with django_db_blocker.unblock():
            primary = _make_primary(root, primary_port)
        started.append(primary)
        replica = Cluster(root / "replica", replica_port)
        as_postgres(
            [
                str(PGBIN / "pg_basebackup"),
                "-h",
                "127.0.0.1",
                "-p",
                str(primary_port),
                "-U",
                "postgres",
                "-D",
                str(replica.data),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
            ]
        )
        with open(replica.data / "postgresql.auto.conf", "a") as conf:  # noqa: PTH123
            conf.write(f"port = {replica_port}\n")
        replica.start()
        started.append(replica)
        assert replica.psql("SELECT pg_is_in_recovery()") == "t"
        yield primary, replica
    finally:
        for cluster in reversed(started):
            cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


def wait_until(predicate, timeout: float = 20.0) -> None:
    """Poll until predicate() is true (replication is asynchronous)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail("timed out waiting for the replica")
        time.sleep(0.1)
