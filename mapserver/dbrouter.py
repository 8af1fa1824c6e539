"""Read replicas: the reads of safe requests go to the streaming replica (DATABASES["replica"], set by
MAPSERVER_REPLICA_DATABASE_URL), everything else to the primary.

Replica reads: GET/HEAD requests (items, tiles, collections, scenario and run reads, indicators) and POST
/api/query (a read-only spatial query), unless the caller wrote within MAPSERVER_REPLICA_PIN_SECONDS (a cookie set
on a response to a request that wrote, so a client sees its own write on its next request) or this request
has written already (any ORM write marks it: the rest of the request reads the primary). Sessions, accounts,
tokens, login counters and the audit log always use the primary. Outside requests (commands, the scheduler, the
test suite) everything uses the primary.

The replica is used only while it is up and its replay lag is within MAPSERVER_REPLICA_MAX_LAG_SECONDS (lag: 0 when
everything received is replayed, else the time since the last replayed commit); otherwise reads fall back to
the primary. Raw-SQL read paths use `connection` from this module (the alias chosen for the current request)
instead of django.db.connection."""

from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, HttpResponse
from django.utils.connection import ConnectionProxy

REPLICA = "replica"
PIN_COOKIE = "mapserver_primary"
PRIMARY_APPS = frozenset({"auth", "contenttypes", "sessions", "admin", "axes", "mapserver"})
READ_ONLY_POSTS = frozenset({"/api/query"})
LAG = """SELECT pg_is_in_recovery(),
  CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
       ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END"""
log = logging.getLogger(__name__)


@dataclass
class RequestState:
    """Whether this request may read the replica, and whether it has written."""

    eligible: bool = False
    wrote: bool = False


_STATE: contextvars.ContextVar[RequestState | None] = contextvars.ContextVar("mapserver_db_state", default=None)


@dataclass
class ReplicaHealth:
    """The last probe of the replica in this process."""

    checked_at: float = float("-inf")
    usable: bool = False
    lag: float | None = None


_HEALTH = ReplicaHealth()


def replica_configured() -> bool:
    """Whether a replica alias is configured."""
    return REPLICA in connections.settings


def _probe() -> None:
    """Ask the replica whether it is in recovery and how far behind it is (updates _HEALTH)."""
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(LAG)
            recovering, lag = cursor.fetchone()
    except DatabaseError as exc:
        connections[REPLICA].close()
        if _HEALTH.usable:
            log.warning("read replica unavailable, reading from the primary: %s", exc)
        _HEALTH.usable, _HEALTH.lag = False, None
        _HEALTH.checked_at = time.monotonic() + settings.MAPSERVER_REPLICA_RETRY_SECONDS
        return
    _HEALTH.lag = float(lag) if lag is not None else None
    _HEALTH.usable = bool(recovering) and _HEALTH.lag is not None
    _HEALTH.usable = _HEALTH.usable and _HEALTH.lag <= settings.MAPSERVER_REPLICA_MAX_LAG_SECONDS
    _HEALTH.checked_at = time.monotonic()


def replica_usable() -> bool:
    """Whether the replica is up and within the lag limit (probed at most every MAPSERVER_REPLICA_CHECK_SECONDS)."""
    now = time.monotonic()
    if now - _HEALTH.checked_at >= settings.MAPSERVER_REPLICA_CHECK_SECONDS:
        _probe()
    return _HEALTH.usable


def forget_health() -> None:
    """Probe the replica again on the next read (tests, after a failover)."""
    _HEALTH.checked_at, _HEALTH.usable, _HEALTH.lag = float("-inf"), False, None


def read_alias() -> str:
    """The alias the current code should read from."""
    state = _STATE.get()
    if state is None or not state.eligible or state.wrote or not replica_configured():
        return DEFAULT_DB_ALIAS
    return REPLICA if replica_usable() else DEFAULT_DB_ALIAS


class _ReadConnectionProxy(ConnectionProxy):
    """django.db.connection, but for the alias read_alias() chooses at each use."""

    def __init__(self) -> None:
        super().__init__(connections, DEFAULT_DB_ALIAS)

    def __getattr__(self, item: str):
        return getattr(connections[read_alias()], item)


connection = _ReadConnectionProxy()


class ReplicaRouter:
    """Django database router: reads as read_alias() says, writes (and migrations) on the primary only."""

    def db_for_read(self, model, **hints) -> str:
        """The primary for sessions, auth and audit; read_alias() for the rest."""
        if model._meta.app_label in PRIMARY_APPS:
            return DEFAULT_DB_ALIAS
        return read_alias()

    def db_for_write(self, model, **hints) -> str:
        """Always the primary; the rest of the request then reads the primary too."""
        state = _STATE.get()
        if state is not None:
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        """Primary and replica hold the same data."""
        return True

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        """Only the primary is migrated (the replica follows by streaming)."""
        return db == DEFAULT_DB_ALIAS


def _eligible(request: HttpRequest) -> bool:
    if request.COOKIES.get(PIN_COOKIE):
        return False
    return request.method in ("GET", "HEAD") or (request.method == "POST" and request.path in READ_ONLY_POSTS)


class ReplicaReadMiddleware:
    """Marks the request replica-eligible or not, and pins a caller that wrote to the primary for a while."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        state = RequestState(eligible=replica_configured() and _eligible(request))
        token = _STATE.set(state)
        try:
            response = self.get_response(request)
        finally:
            _STATE.reset(token)
        if state.wrote and replica_configured() and settings.MAPSERVER_REPLICA_PIN_SECONDS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.MAPSERVER_REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
