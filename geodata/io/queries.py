"""The SQL of the import/export pipeline (geodata/io/queries.sql), with identifiers filled in safely."""

from __future__ import annotations

from pathlib import Path

from psycopg import sql

from geodata.sqlfiles import load_sql

SQL_FILE = Path(__file__).with_name("queries.sql")


def statements() -> dict[str, str]:
    """Named statements of queries.sql."""
    return load_sql(SQL_FILE)


def statement(name: str, table: str | None = None, columns: list[str] | None = None) -> sql.Composed:
    """A statement with its {table} and {columns} identifiers quoted by psycopg."""
    parts = {}
    if table is not None:
        parts["table"] = sql.Identifier(table)
    if columns is not None:
        parts["columns"] = sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    return sql.SQL(statements()[name]).format(**parts)


def raw_cursor():
    """A psycopg cursor on Django's connection (same transaction as the ORM)."""
    from django.db import connection

    connection.ensure_connection()
    return connection.connection.cursor()
