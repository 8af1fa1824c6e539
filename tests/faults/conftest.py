"""Fixtures of the fault tests: one throw-away cluster and one supervised server for the session."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.faults.support import Cluster, Server, Writers, make_cluster, manage


@pytest.fixture(scope="session")
def fault_cluster(django_db_setup, django_db_blocker) -> Cluster:
    """A cluster of deploy/localdb.sh (durable settings) on its own port, with the suite's schema and small tables."""
    from django.db import connection

    base = Path(tempfile.mkdtemp(prefix="mapserver-faults-"))  # not under pytest's tmp: the postgres user needs it
    with django_db_blocker.unblock():
        cluster = make_cluster(base, connection.settings_dict)
    yield cluster
    cluster.destroy()


@pytest.fixture(scope="session")
def fault_server(fault_cluster) -> Server:
    """The server as `make start` runs it (supervisord, gunicorn + uvicorn workers) on the fault cluster."""
    server = Server(fault_cluster, fault_cluster.base / "state")
    started = server.serve("start")
    assert started.returncode == 0, started.stderr
    assert "serving" in started.stdout
    yield server
    server.serve("stop")


@pytest.fixture(scope="session")
def credentials(fault_cluster) -> dict:
    """An Open311 channel key, a planner's token and a point inside commune 26068 (from PostGIS)."""
    key = manage(fault_cluster, "reports_api_key", "--name", "fault-test", "--channel", "portal").split()[-1]
    token = manage(fault_cluster, "mapserver_token", "--user", "fault_planner", "--role", "planner").split()[-1]
    with fault_cluster.connect() as conn:
        point = conn.execute(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) p FROM geodata_commune WHERE code = '26068') s"
        ).fetchone()
    return {"api_key": key, "token": token, "point": tuple(point)}


@pytest.fixture
def writers(fault_server, credentials) -> Writers:
    """Eight writers against the fault server (started by the test, always stopped)."""
    team = Writers(fault_server.root, credentials["api_key"], credentials["token"], credentials["point"])
    yield team
    team.stop()
