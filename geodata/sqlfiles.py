"""The one loader of named SQL statements: `.sql` files next to a module, each statement under a `-- name: X`
header, read once per process. A file that names two statements alike is refused, so no statement silently
replaces another. Every app (geodata, layers, tiles, scenarios, reports) loads its SQL through here."""

from __future__ import annotations

from functools import cache
from pathlib import Path


class SqlFileError(ValueError):
    """A .sql file that cannot be loaded as named statements."""


@cache
def load_sql(path: str | Path) -> dict[str, str]:
    """Parse a .sql file into {name: statement}; comment lines are dropped, a duplicate name is an error."""
    statements: dict[str, str] = {}
    name: str | None = None
    lines: list[str] = []

    def close() -> None:
        if name is not None:
            statements[name] = "\n".join(lines).strip().rstrip(";")

    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("-- name:"):
            close()
            name, lines = line.split(":", 1)[1].strip(), []
            if not name:
                raise SqlFileError(f"{path}:{number}: a statement without a name")
            if name in statements:
                raise SqlFileError(f"{path}:{number}: statement {name!r} is named twice")
        elif not line.lstrip().startswith("--"):
            if name is None and line.strip():
                raise SqlFileError(f"{path}:{number}: SQL before the first '-- name:' header")
            lines.append(line)
    close()
    return statements


def load_sql_files(*paths: str | Path) -> dict[str, str]:
    """The statements of several files as one namespace; a name found in two files is an error."""
    merged: dict[str, str] = {}
    for path in paths:
        for name, statement in load_sql(path).items():
            if name in merged:
                raise SqlFileError(f"{path}: statement {name!r} is also named in another file")
            merged[name] = statement
    return merged
