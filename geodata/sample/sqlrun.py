"""Running the generator's named SQL statements (`-- name: X` headers in the .sql files next to this module)."""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

SQL_DIR = Path(__file__).resolve().parent


@cache
def statements(filename: str) -> dict[str, str]:
    """Parse one .sql file of this package into {name: statement}."""
    parsed: dict[str, str] = {}
    name, lines = None, []
    for line in (SQL_DIR / filename).read_text(encoding="utf-8").splitlines():
        if line.startswith("-- name:"):
            if name:
                parsed[name] = "\n".join(lines).strip().rstrip(";")
            name, lines = line.split(":", 1)[1].strip(), []
        elif not line.lstrip().startswith("--"):
            lines.append(line)
    if name:
        parsed[name] = "\n".join(lines).strip().rstrip(";")
    return parsed


def run(cursor, filename: str, name: str, params: dict[str, Any] | None = None) -> int:
    """Execute one named statement with bound parameters; returns the affected row count."""
    cursor.execute(statements(filename)[name], params or {})
    return cursor.rowcount


def run_all(cursor, filename: str, params: dict[str, Any] | None = None) -> None:
    """Execute every statement of a file in order (statements ignore parameters they do not use)."""
    for name in statements(filename):
        run(cursor, filename, name, params)
