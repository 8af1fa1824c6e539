"""Running the generator's named SQL statements (`-- name: X` headers in the .sql files next to this module)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geodata.sqlfiles import load_sql

SQL_DIR = Path(__file__).resolve().parent


def statements(filename: str) -> dict[str, str]:
    """The named statements of one .sql file of this package."""
    return load_sql(SQL_DIR / filename)


def run(cursor, filename: str, name: str, params: dict[str, Any] | None = None) -> int:
    """Execute one named statement with bound parameters; returns the affected row count."""
    cursor.execute(statements(filename)[name], params or {})
    return cursor.rowcount


def run_all(cursor, filename: str, params: dict[str, Any] | None = None) -> None:
    """Execute every statement of a file in order (statements ignore parameters they do not use)."""
    for name in statements(filename):
        run(cursor, filename, name, params)
