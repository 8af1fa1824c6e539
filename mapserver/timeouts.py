"""Database time limits per request class (settings.MAPSERVER_DB_TIMEOUTS) and the request deadline.

Each time a connection is taken (from the pool, or opened) the limits of the current class are set on it with
one `set_config` round trip, so a connection never carries another class's limits; a database session that
already carries them (a pooled connection the same class used last) is left as it is, which saves two round trips
of every request. When the request deadline passes, the process's watchdog thread cancels whatever SQL the
request's connection is running (PostgreSQL then raises QueryCanceled, answered as a JSON 503 "Timeout" by
mapserver.unavailable).
"""

from __future__ import annotations

import heapq
import logging
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from functools import cache
from weakref import WeakKeyDictionary

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.backends.signals import connection_created
from django.dispatch import receiver

# None outside requests and request_class() blocks: migrations, data loads and other commands keep PostgreSQL's
# own limits (a statement timeout would break a long index build).
_current: ContextVar[str | None] = ContextVar("mapserver_request_class", default=None)
log = logging.getLogger(__name__)


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


# The class whose limits each database session carries (None: the server's defaults), by psycopg connection. Only
# what was committed is recorded: a setting made inside a transaction is undone if it rolls back.
_carried: WeakKeyDictionary = WeakKeyDictionary()
_UNKNOWN = object()


def apply(connection, fresh: bool = False) -> None:
    """Set the current class's statement, lock and idle-in-transaction timeouts on a Django connection (outside
    any class: the server's defaults), unless its session carries them already (a `fresh` connection, not taken
    from a pool, carries the defaults)."""
    name = _current.get()
    raw = connection.connection
    if _carried.get(raw, None if fresh else _UNKNOWN) == name:
        return
    with connection.cursor() as cursor:
        if name is None:
            cursor.execute("RESET statement_timeout; RESET lock_timeout; RESET idle_in_transaction_session_timeout")
        else:
            values = limits(name)
            cursor.execute(
                "SELECT set_config('statement_timeout', %s, false), set_config('lock_timeout', %s, false), "
                "set_config('idle_in_transaction_session_timeout', %s, false)",
                [f"{values['statement']}s", f"{values['lock']}s", f"{values['idle_in_transaction']}s"],
            )
    if connection.get_autocommit() and not connection.in_atomic_block:
        _carried[raw] = name
    else:
        _carried.pop(raw, None)


@receiver(connection_created)
def _on_connection(sender, connection, **kwargs) -> None:
    apply(connection, fresh=connection.pool is None)  # a pooled connection may carry an earlier request's limits


@contextmanager
def request_class(name: str, restore: bool = True) -> Iterator[None]:
    """Run the block under a class's limits (e.g. "scheduled" in a management command that runs scheduled work).
    Afterwards the open connection gets the outer limits back; without `restore`, only those of an outer class:
    a request's connection is given back when it ends, and whoever takes it next sets their own."""
    if name not in settings.MAPSERVER_DB_TIMEOUTS:
        raise ValueError(f"unknown request class {name!r}")
    token = _current.set(name)
    try:
        _reapply()
        yield
    finally:
        _current.reset(token)
        if restore or _current.get() is not None:
            _reapply()


def _reapply() -> None:
    """Apply the current class to this thread's open connection (apply: unless its session carries them)."""
    connection = connections["default"]
    if connection.connection is None or connection.needs_rollback:
        return  # the next connection taken gets them (connection_created)
    with suppress(DatabaseError):  # a broken connection: the request's own queries meet it and answer for it
        apply(connection)


class _Watchdog:
    """One thread per process that runs the due deadlines' cancellations, instead of a timer thread started for
    every request (a thread start costs more than the statements of a small request). Deadlines of one class are
    due in the order they were set, so setting one rarely wakes the thread; a finished request's deadline is
    marked done and dropped when its time comes."""

    def __init__(self) -> None:
        self._due: list[tuple[float, int, Deadline]] = []
        self._ready = threading.Condition()
        self._thread: threading.Thread | None = None
        self._seq = 0

    def add(self, at: float, deadline: Deadline) -> None:
        with self._ready:
            self._seq += 1
            heapq.heappush(self._due, (at, self._seq, deadline))
            if self._thread is None or not self._thread.is_alive():  # also after a fork
                self._thread = threading.Thread(target=self._run, name="mapserver-deadlines", daemon=True)
                self._thread.start()
            elif self._due[0][2] is deadline:
                self._ready.notify()

    def _run(self) -> None:
        while True:
            with self._ready:
                while not self._due or self._due[0][0] > time.monotonic():
                    self._ready.wait(self._due[0][0] - time.monotonic() if self._due else None)
                _, _, deadline = heapq.heappop(self._due)
            if not deadline.done:
                try:
                    deadline.fire()
                except Exception:  # the watchdog outlives a failed cancel (the request still meets its limits)
                    log.exception("could not cancel the SQL of a request past its deadline")


_watchdog = _Watchdog()


class Deadline:
    """Cancels the SQL of this thread's connection when the class's request limit has passed."""

    def __init__(self, name: str):
        self.seconds = limits(name)["request"]
        self.expired = False
        self.done = False
        self._wrapper = connections["default"]  # this thread's: the one the view's queries run on

    def __enter__(self) -> Deadline:
        if self.seconds:
            _watchdog.add(time.monotonic() + self.seconds, self)
        return self

    def __exit__(self, *exc) -> None:
        self.done, self._wrapper = True, None  # the watchdog keeps this object until its time: keep it small

    def fire(self) -> None:
        """Cancel the request's running SQL (from the watchdog's thread)."""
        wrapper = self._wrapper
        if wrapper is None:
            return
        self.expired = True
        raw = wrapper.connection  # read once: the request thread may give it back meanwhile
        if raw is not None:
            raw.cancel_safe(timeout=2)
