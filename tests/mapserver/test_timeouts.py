"""Database time limits per request class, as PostgreSQL reports them on the connection the request used."""

from __future__ import annotations

import pytest
from django.db import connection

from mapserver import timeouts

pytestmark = pytest.mark.django_db


def _limits() -> tuple[str, str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        statement = cursor.fetchone()[0]
        cursor.execute("SHOW lock_timeout")
        lock = cursor.fetchone()[0]
        cursor.execute("SHOW idle_in_transaction_session_timeout")
        idle = cursor.fetchone()[0]
    return statement, lock, idle


def _expected(name: str | None, settings) -> tuple[str, str, str]:
    if name is None:  # outside requests: the server's own settings
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reset_val FROM pg_settings WHERE name = ANY(%s) ORDER BY array_position(%s, name)",
                [["statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout"]] * 2,
            )
            return tuple(_pg(int(value) // 1000) for (value,) in cursor.fetchall())
    limits = settings.MAPSERVER_DB_TIMEOUTS[name]
    return tuple(_pg(limits[key]) for key in ("statement", "lock", "idle_in_transaction"))


def _pg(seconds: int) -> str:
    """How PostgreSQL shows a duration set as "Ns"."""
    if seconds == 0:
        return "0"
    if seconds % 60 == 0:
        return f"{seconds // 60}min"
    return f"{seconds}s"


def test_a_request_runs_with_the_interactive_limits_and_gives_back_the_outer_ones(client, settings):
    seen = []

    def spy(execute, sql, params, many, context):
        if "postgis_lib_version" in sql:  # the health view's query: what limits does it run under?
            context["cursor"].execute("SHOW statement_timeout")
            seen.append(context["cursor"].fetchone()[0])
        return execute(sql, params, many, context)

    with timeouts.request_class("scheduled"):
        assert _limits() == _expected("scheduled", settings)
        with connection.execute_wrapper(spy):
            assert client.get("/healthz").status_code == 200
        assert seen == [_expected("interactive", settings)[0]]
        assert _limits() == _expected("scheduled", settings)
    assert _limits() == _expected(None, settings)


def test_scheduled_work_gets_its_own_limits_and_gives_them_back(settings):
    assert _limits() == _expected(None, settings)  # migrations, loads, the tests themselves: no limit of ours
    with timeouts.request_class("scheduled"):
        assert _limits() == _expected("scheduled", settings)
    assert _limits() == _expected(None, settings)


def test_exports_are_their_own_class_and_unknown_classes_are_refused():
    assert timeouts.class_for_path("/api/scenarios/social_welfare/runs/abc/export") == "export"
    assert timeouts.class_for_path("/ogcapi/jobs/abc/results") == "export"
    assert timeouts.class_for_path("/api/query") == "interactive"
    with pytest.raises(ValueError), timeouts.request_class("nightly"):
        pass
