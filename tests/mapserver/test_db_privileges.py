"""Least privilege and durability of the real database (the cluster `make test` starts, its `mapserver` database):
the server's role reads and writes rows and nothing more; the cluster syncs to disk. Read-only: every statement that
would change something is expected to be refused, and rolled back anyway."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
OWNER = "mapserver"
APP = settings.MAPSERVER_DB_APP_ROLE


def app_url() -> str:
    """The app role's URL: MAPSERVER_APP_DATABASE_URL (make test sets it), else the app role on the cluster the
    suite runs on, in its `mapserver` database (deploy/localdb.sh's password)."""
    if os.environ.get("MAPSERVER_APP_DATABASE_URL"):
        return os.environ["MAPSERVER_APP_DATABASE_URL"].replace("postgis://", "postgresql://", 1)
    db = dj_database_url.parse(settings.DATABASE_URL)
    return f"postgresql://{APP}:mapserver_app@{db['HOST']}:{db['PORT']}/mapserver"


@pytest.fixture(scope="module")
def app():
    """A connection as the app role; each test's changes (there should be none) are rolled back."""
    with psycopg.connect(app_url(), connect_timeout=5) as conn:
        yield conn


def refused(conn: psycopg.Connection, statement: str) -> bool:
    """True when the statement fails for lack of privilege (then or otherwise, nothing is kept)."""
    try:
        conn.execute(statement)
    except psycopg.errors.InsufficientPrivilege:
        return True
    finally:
        conn.rollback()
    return False


def one(conn: psycopg.Connection, query: str, *params):
    """The first column of the first row."""
    try:
        return conn.execute(query, params).fetchone()[0]
    finally:
        conn.rollback()


def test_the_app_role_is_not_privileged(app):
    assert one(app, "SELECT current_user") == APP
    assert (
        one(
            app,
            "SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls FROM pg_roles "
            "WHERE rolname = current_user",
        )
        is False
    )
    assert one(app, "SELECT pg_has_role(current_user, %s, 'MEMBER')", OWNER) is False
    assert one(app, "SELECT has_schema_privilege('public', 'CREATE')") is False


def test_the_app_role_cannot_change_the_schema(app):
    assert one(app, "SELECT to_regclass('mapserver_auditentry') IS NOT NULL"), "migrate the database first"
    assert refused(app, "CREATE TABLE mapserver_probe (id int)")
    assert refused(app, "ALTER TABLE geodata_commune ADD COLUMN probe int")
    assert refused(app, "DROP TABLE geodata_commune")
    assert refused(app, "CREATE INDEX ON geodata_commune (code)")
    assert refused(app, "CREATE FUNCTION mapserver_probe() RETURNS int LANGUAGE sql AS 'SELECT 1'")
    assert refused(app, "TRUNCATE geodata_commune")
    assert refused(app, "DELETE FROM spatial_ref_sys WHERE false")  # the CRS definitions are the owner's


def test_the_audit_log_is_append_only_for_the_app_role(app):
    assert refused(app, "UPDATE mapserver_auditentry SET action = action WHERE false")
    assert refused(app, "DELETE FROM mapserver_auditentry WHERE false")
    assert refused(app, "TRUNCATE mapserver_auditentry")
    assert one(app, "SELECT has_table_privilege('mapserver_auditentry', 'INSERT')")
    assert one(app, "SELECT count(*) >= 0 FROM mapserver_auditentry")


def test_the_app_role_can_use_every_table_the_owner_has(app):
    assert (
        one(
            app,
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) = %s",
            OWNER,
        )
        > 50
    ), "migrate first"
    assert (
        one(
            app,
            "SELECT array_agg(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'S', 'v', 'm') "
            "AND pg_get_userbyid(c.relowner) = %s AND NOT has_table_privilege(c.oid, 'SELECT')",
            OWNER,
        )
        is None
    )
    for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE"):
        assert one(app, "SELECT has_table_privilege('geodata_incident', %s)", privilege)
    assert one(app, "SELECT has_table_privilege('django_migrations', 'INSERT')") is False


def test_the_cluster_is_durable(app):
    assert one(app, "SHOW fsync") == "on"
    assert one(app, "SHOW full_page_writes") == "on"
    assert one(app, "SHOW synchronous_commit") == "on"  # only the test database turns it off, for itself


def test_production_settings_connect_as_the_app_role():
    """With MAPSERVER_ENV=production and no DATABASE_URL, Django connects to the local cluster as the app role."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAPSERVER_") and k != "DATABASE_URL"}
    env.update(
        MAPSERVER_ENV="production",
        MAPSERVER_SECRET_KEY="x" * 50,
        MAPSERVER_DB_PORT=str(dj_database_url.parse(settings.DATABASE_URL)["PORT"]),
    )
    if os.environ.get("MAPSERVER_APP_DATABASE_URL"):  # an external database: the URL make test was given
        env["DATABASE_URL"] = os.environ["MAPSERVER_APP_DATABASE_URL"]
    code = (
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user')\n"
        "    print(*c.fetchone())"
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-2:] == [APP, "False"]
