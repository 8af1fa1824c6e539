"""What the database holds, as the layer machinery needs to know it: whether a name is a real table (not a
view), and sets of names read by one query and re-read every few minutes per process (e.g. the tables that
carry a trigger). Every per-process cache of database facts registers here, so that `forget_process_caches`
(tests, restores) makes the next lookup read the database again."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connection

REFRESH_SECONDS = 300.0
IS_TABLE = "SELECT relkind IN ('r', 'p') FROM pg_class WHERE oid = to_regclass(%s)"
_FORGETTERS: list[Callable[[], None]] = []


def register_process_cache(forget: Callable[[], None]) -> Callable[[], None]:
    """Register a function that empties one per-process cache; returns it unchanged."""
    _FORGETTERS.append(forget)
    return forget


def forget_process_caches() -> None:
    """Empty every registered per-process cache (counts, estimates, names read from the catalogue)."""
    for forget in _FORGETTERS:
        forget()


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
        # None: never read. Not 0.0, since monotonic() counts from boot: on a machine up for less than
        # REFRESH_SECONDS, "0.0 seconds ago" would look fresh and the catalogue would never be read.
        self._checked: float | None = None
        self._names: frozenset[str] = frozenset()
        register_process_cache(self.forget)

    def forget(self) -> None:
        """Re-read on the next lookup (after this process changed what the query returns)."""
        self._checked = None

    def __contains__(self, name: str) -> bool:
        if self._checked is None or time.monotonic() - self._checked > REFRESH_SECONDS:
            with connection.cursor() as cursor:
                names: frozenset[str] = frozenset()
                if self.requires is not None:
                    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [self.requires])
                if self.requires is None or cursor.fetchone()[0]:
                    cursor.execute(self.query)
                    names = frozenset(row[0] for row in cursor.fetchall())
            self._names, self._checked = names, time.monotonic()
        return name in self._names
