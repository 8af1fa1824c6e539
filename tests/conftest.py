"""Shared fixtures: the test database holds the real admin units and the sample data, loaded once."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

ROLE_USERS = {
    # username: (role, commune, sectors, grants)
    "t_admin": ("admin", "", [], []),
    "t_leader": ("leader", "", [], []),
    "t_planner": ("planner", "", [], []),
    "t_dept_construction": ("department_staff", "", ["construction"], []),
    "t_dept_home": ("department_staff", "", ["home_affairs"], []),
    "t_commune": ("commune_staff", "26068", [], []),
    "t_external": ("external_client", "", [], []),
    "t_external_houses": ("external_client", "", [], ["houses"]),
}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Create (or reuse) the test database, then load the sample data once if it is empty."""
    from django.db import connection
    from psycopg import sql

    from geodata.models import Commune

    with django_db_blocker.unblock():
        # The cluster is durable (fsync on); commits to the throw-away test database need not wait for the disk
        # (a crash may lose the last ones, never corrupt anything). This and later sessions.
        name = sql.Identifier(connection.settings_dict["NAME"])
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("ALTER DATABASE {} SET synchronous_commit = off").format(name))
            cursor.execute("SET synchronous_commit = off")
        if not Commune.objects.exists():
            call_command("geodata_load_sample", verbosity=0)


@pytest.fixture(scope="session")
def tokens(django_db_setup, django_db_blocker) -> dict[str, str]:
    """A committed user and fresh bearer token per role (visible to live-server tests too)."""
    from mapserver.accounts import provision

    issued = {}
    with django_db_blocker.unblock():
        for username, (role, commune, sectors, grants) in ROLE_USERS.items():
            issued[username] = provision(username, role, commune, sectors, grants)[1]
    return issued


@pytest.fixture
def api(tokens):
    """api(username) -> a test client that sends that user's bearer token (None: anonymous)."""

    def make(username: str | None = None) -> Client:
        if username is None:
            return Client()
        return Client(HTTP_AUTHORIZATION=f"Bearer {tokens[username]}")

    return make


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """Each test starts with empty per-process caches (counts, estimates, catalogue names), as a new worker does,
    so no test depends on what an earlier one left cached."""
    from layers.pg_catalog import forget_process_caches

    forget_process_caches()
    yield
    forget_process_caches()


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """Tests post many queries and runs from one user and address within a minute: no rate limit applies, except
    where a test sets MAPSERVER_RATE_LIMITS itself (tests/mapserver/test_rate_limits.py)."""
    settings.MAPSERVER_RATE_LIMITS = {}


@pytest.fixture(autouse=True)
def _live_server_helper(request, django_db_blocker):
    """Live-server tests read committed data and clean up what they commit themselves, so no transactional_db:
    its flush would empty the shared test database (admin units, sample data) for every test after it."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("django_db_setup")
    live_server = request.getfixturevalue("live_server")
    live_server._live_server_modified_settings.enable()
    with django_db_blocker.unblock():
        yield
    live_server._live_server_modified_settings.disable()
