"""What the database holds, as the layer machinery needs to know it: whether a name is a real table (not a
view), and sets of names read by one query and re-read every few minutes per process (e.g. the tables that
carry a trigger)."""
from __future__ import annotations

import time

from django.db import connection

REFRESH_SECONDS = 300.0
IS_TABLE = "SELECT relkind IN ('r', 'p') FROM pg_class WHERE oid = to_regclass(%s)"


def is_table(cursor, name: str) -> bool:
    """Whether `name` is a table or a partitioned table (views and missing relations are not)."""
    cursor.execute(IS_TABLE, [name])
    row = cursor.fetchone()
    return bool(row and row[0])


class RefreshedNames:
    """The first column of `query`, cached per process for REFRESH_SECONDS. With `requires`, an empty set while
    that relation does not exist yet (before its migration)."""

    def __init__(self, query: str, requires: str | None = None) -> None:
        self.query = query
        self.requires = requires
        self._checked = 0.0
        self._names: frozenset[str] = frozenset()

    def forget(self) -> None:
        """Re-read on the next lookup (after this process changed what the query returns)."""
        self._checked = 0.0

    def __contains__(self, name: str) -> bool:
        if time.monotonic() - self._checked > REFRESH_SECONDS:
            with connection.cursor() as cursor:
                names: frozenset[str] = frozenset()
                if self.requires is not None:
                    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [self.requires])
                if self.requires is None or cursor.fetchone()[0]:
                    cursor.execute(self.query)
                    names = frozenset(row[0] for row in cursor.fetchall())
            self._names, self._checked = names, time.monotonic()
        return name in self._names
