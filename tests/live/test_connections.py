"""Open event streams hold no database connection: a server with 30 streams open uses as many connections as with
one (its LISTEN connection and what its pool keeps), and every stream still gets the events its viewer may see."""

from __future__ import annotations

import time

import psutil
import pytest
from django.db import connection

from alerts import service
from alerts.models import Alert
from geodata.models import Commune
from reports.models import FieldReport
from tests.live.support import EventStream, start_asgi, stop
from tests.reports.conftest import make_report

pytestmark = pytest.mark.usefixtures("live_server")  # committed rows: the server is another process
HOME = "26068"  # t_commune's commune
STREAMS = 30
POOL_SIZE = 3  # the server's pool, well below the number of streams


def _connections(pid: int) -> int:
    """The server's connections to the test database, as PostgreSQL counts them: the backends whose client port is
    one of the server process's TCP sockets to the database server."""
    port = int(connection.settings_dict["PORT"] or 5432)
    ports = [c.laddr.port for c in psutil.Process(pid).net_connections("tcp") if c.raddr and c.raddr.port == port]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND client_port = ANY(%s)",
            [ports],
        )
        return cursor.fetchone()[0]


def _settled(pid: int, seconds: float = 1.0) -> int:
    """The connection count once the server is idle (the most seen over a short while, so none is missed)."""
    deadline, most = time.monotonic() + seconds, 0
    while time.monotonic() < deadline:
        most = max(most, _connections(pid))
        time.sleep(0.1)
    return most


@pytest.fixture(scope="module")
def committed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        yield


@pytest.fixture(scope="module", params=["pool", "persistent"])
def server(request, committed):
    """The ASGI server with a small pool, or with per-thread persistent connections (MAPSERVER_DB_POOL=off)."""
    env = {"MAPSERVER_DB_POOL_SIZE": str(POOL_SIZE)}
    if request.param == "persistent":
        env["MAPSERVER_DB_POOL"] = "off"
    process, _output = start_asgi(**env)
    yield process.pid
    stop(process)


@pytest.fixture
def opened():
    streams: list[EventStream] = []
    yield streams
    for stream in streams:
        stream.close()


def test_connections_do_not_grow_with_open_streams(server, tokens, opened):
    users = ["t_admin", "t_commune", None]
    opened.append(EventStream(tokens["t_admin"]))
    with_one = _settled(server)
    assert with_one >= 1  # the LISTEN connection: the count sees this server
    for i in range(STREAMS):
        user = users[i % len(users)]
        opened.append(EventStream(tokens[user] if user else None))
    with_many = _settled(server)
    assert with_many <= POOL_SIZE + 1 < STREAMS, (with_one, with_many)  # the pool and the listener, at most
    other = Commune.objects.exclude(code=HOME).order_by("code").values_list("code", flat=True).first()
    elsewhere, _ = service.raise_alert(
        source="camera", key="test:conn-elsewhere", severity="high", title="Camera kiểm thử", commune_code=other
    )
    home, _ = service.raise_alert(
        source="camera", key="test:conn-home", severity="low", title="Camera kiểm thử", commune_code=HOME
    )
    report = make_report("waste", commune=HOME)  # last: a public event every viewer gets, after the alerts
    try:
        for i, stream in enumerate(opened[1:]):
            user = users[i % len(users)]
            assert stream.wait(lambda kind, data: kind == "report" and data["id"] == report.pk, 10), user
            saw = {data["id"] for kind, data, _ in stream.seen if kind == "alert"}
            expected = {None: set(), "t_commune": {home.pk}, "t_admin": {home.pk, elsewhere.pk}}[user]
            assert saw & {home.pk, elsewhere.pk} == expected, user
        assert _settled(server) <= POOL_SIZE + 1  # checking who may see each event pinned no connection either
    finally:
        Alert.objects.filter(pk__in=[home.pk, elsewhere.pk]).delete()
        FieldReport.objects.filter(pk=report.pk).delete()
