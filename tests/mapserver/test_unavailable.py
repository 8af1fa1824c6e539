"""Which real database failures count as an outage or a timeout (503 with Retry-After) and which stay errors."""

from __future__ import annotations

import psycopg
import pytest
from django.db import IntegrityError, OperationalError, connection, transaction

from mapserver.unavailable import as_api_error, classify

pytestmark = pytest.mark.django_db


def _raised(action) -> BaseException:
    try:
        action()
    except Exception as exc:  # the real exception, as the view would see it
        return exc
    raise AssertionError("nothing was raised")


def test_an_unreachable_server_is_an_outage():
    exc = _raised(lambda: psycopg.connect("postgresql://nobody@127.0.0.1:1/none", connect_timeout=2))
    assert classify(exc) == "database_unavailable"


def test_a_statement_over_its_timeout_is_a_timeout_and_says_when_to_retry(settings):
    def slow():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = '50ms'")
            cursor.execute("SELECT pg_sleep(2)")

    exc = _raised(slow)
    assert isinstance(exc, OperationalError) and classify(exc) == "timeout"
    error = as_api_error("timeout")
    assert error.status == 503 and error.headers["Retry-After"] == str(settings.MAPSERVER_RETRY_AFTER)


def test_a_constraint_violation_is_not_an_outage():
    def duplicate():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("CREATE TEMP TABLE t_unique (v int PRIMARY KEY)")
            cursor.execute("INSERT INTO t_unique VALUES (1), (1)")

    exc = _raised(duplicate)
    assert isinstance(exc, IntegrityError) and classify(exc) is None
