"""Statements prepared once per database session (mapserver.prepared): one PREPARE, then EXECUTE by name; a
session that lost them, or whose table changed its row type under them, prepares them again."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection

from mapserver import prepared

pytestmark = pytest.mark.django_db

TEXT = "SELECT * FROM t_prepared WHERE a >= %(low)s ORDER BY a"


@pytest.fixture
def table():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE t_prepared (a integer)")
        cursor.execute("INSERT INTO t_prepared VALUES (1), (2), (3)")


def _sent(call) -> tuple[list, list[str]]:
    statements = []

    def spy(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        rows = call()
    # inside the test's transaction a savepoint surrounds the statement (for the retry); outside there is none
    return rows, [s for s in statements if "SAVEPOINT" not in s]


def test_a_statement_is_prepared_once_per_session_and_sent_in_one_round_trip(table):
    # a text this session has not seen: the other tests share the connection and may have prepared TEXT already
    text = f"{TEXT} /* {uuid.uuid4().hex} */"
    rows, first = _sent(lambda: prepared.fetch(text, {"low": 2}, prefix="t"))
    assert rows == [(2,), (3,)]
    assert len(first) == 1 and "PREPARE t_" in first[0] and "EXECUTE t_" in first[0]
    rows, again = _sent(lambda: prepared.fetch(text, {"low": 3}, prefix="t"))
    assert rows == [(3,)]
    assert len(again) == 1 and "PREPARE" not in again[0]


def test_a_session_that_lost_its_statements_prepares_them_again(table):
    prepared.fetch(TEXT, {"low": 1}, prefix="t")
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    assert prepared.fetch(TEXT, {"low": 1}, prefix="t") == [(1,), (2,), (3,)]


def test_a_table_whose_rows_changed_shape_is_read_with_its_new_columns(table):
    prepared.fetch(TEXT, {"low": 1}, prefix="t")
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE t_prepared ADD COLUMN b text DEFAULT 'x'")
    assert prepared.fetch(TEXT, {"low": 3}, prefix="t") == [(3, "x")]


def test_a_session_keeps_at_most_max_prepared_statements_per_prefix(table):
    for low in range(prepared.MAX_PREPARED + 4):
        prepared.fetch(f"{TEXT} LIMIT {low + 1}", {"low": 0}, prefix="t")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 't\\_%%'")
        assert cursor.fetchone()[0] == prepared.MAX_PREPARED
