"""Database time limits per request class (settings.MAPSERVER_DB_TIMEOUTS) and the request deadline.

Each time a connection is taken (from the pool, or opened) the limits of the current class are set on it with
one `set_config` round trip, so a connection never carries another class's limits. The request deadline is a timer
that cancels whatever SQL the request's connection is running when it fires (PostgreSQL then raises
QueryCanceled, answered as a JSON 503 "Timeout" by mapserver.unavailable).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.backends.signals import connection_created
from django.dispatch import receiver

# None outside requests and request_class() blocks: migrations, data loads and other commands keep PostgreSQL's
# own limits (a statement timeout would break a long index build).
_current: ContextVar[str | None] = ContextVar("mapserver_request_class", default=None)


@cache
def _export_patterns(patterns: tuple[str, ...]) -> list[re.Pattern]:
    return [re.compile(p) for p in patterns]


def class_for_path(path: str) -> str:
    """The request class of a URL path: "export" for MAPSERVER_EXPORT_PATHS, else "interactive"."""
    if any(p.search(path) for p in _export_patterns(tuple(settings.MAPSERVER_EXPORT_PATHS))):
        return "export"
    return "interactive"


def limits(name: str) -> dict[str, int]:
    """The limits (seconds) of a class."""
    return settings.MAPSERVER_DB_TIMEOUTS[name]


def apply(connection, fresh: bool = False) -> None:
    """Set the current class's statement, lock and idle-in-transaction timeouts on a Django connection (outside
    any class: the server's defaults; nothing to do on a `fresh` connection not taken from a pool)."""
    name = _current.get()
    connection.mapserver_timeouts = (id(connection.connection), name)  # what _reapply compares with
    if name is None:
        if not fresh:
            with connection.cursor() as cursor:
                cursor.execute("RESET statement_timeout; RESET lock_timeout; RESET idle_in_transaction_session_timeout")
        return
    values = limits(name)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('statement_timeout', %s, false), set_config('lock_timeout', %s, false), "
            "set_config('idle_in_transaction_session_timeout', %s, false)",
            [f"{values['statement']}s", f"{values['lock']}s", f"{values['idle_in_transaction']}s"],
        )


@receiver(connection_created)
def _on_connection(sender, connection, **kwargs) -> None:
    apply(connection, fresh=connection.pool is None)  # a pooled connection may carry an earlier request's limits


@contextmanager
def request_class(name: str) -> Iterator[None]:
    """Run the block under a class's limits (e.g. "scheduled" in a management command that runs scheduled work)."""
    if name not in settings.MAPSERVER_DB_TIMEOUTS:
        raise ValueError(f"unknown request class {name!r}")
    token = _current.set(name)
    try:
        _reapply()
        yield
    finally:
        _current.reset(token)
        _reapply()


def _reapply() -> None:
    """Apply the current class to this thread's open connection, unless it has that class's limits already."""
    connection = connections["default"]
    if connection.connection is None or connection.needs_rollback:
        return  # the next connection taken gets them (connection_created)
    if getattr(connection, "mapserver_timeouts", None) != (id(connection.connection), _current.get()):
        try:
            apply(connection)
        except DatabaseError:  # a broken connection: the request's own queries meet it and answer for it
            connection.mapserver_timeouts = None


class Deadline:
    """Cancels the SQL of this thread's connection when the class's request limit has passed."""

    def __init__(self, name: str):
        self.seconds = limits(name)["request"]
        self.expired = False
        self._wrapper = connections["default"]  # this thread's: the one the view's queries run on
        self._timer = threading.Timer(self.seconds, self._cancel) if self.seconds else None

    def __enter__(self) -> Deadline:
        if self._timer:
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._timer:
            self._timer.cancel()

    def _cancel(self) -> None:
        self.expired = True
        raw = self._wrapper.connection  # read once: the request thread may give it back meanwhile
        if raw is not None:
            raw.cancel_safe(timeout=2)
