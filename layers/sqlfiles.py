"""Loading named statements from an app's .sql file once (`-- name: X` headers)."""
from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def load_sql(path: str) -> dict[str, str]:
    """Parse a .sql file into {name: statement}."""
    statements: dict[str, str] = {}
    name = None
    lines: list[str] = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("-- name:"):
            if name:
                statements[name] = "\n".join(lines).strip().rstrip(";")
            name, lines = line.split(":", 1)[1].strip(), []
        elif not line.startswith("--"):
            lines.append(line)
    if name:
        statements[name] = "\n".join(lines).strip().rstrip(";")
    return statements
