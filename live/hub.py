"""One LISTEN connection per process, fanned out to every open event stream of that process, each event delivered
only to the viewers allowed to see it (their role and commune, through the scoping rules and the alert model)."""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field

import psycopg
from asgiref.sync import sync_to_async
from django.db import DatabaseError, close_old_connections

from alerts import service
from layers.registry import registry
from mapserver import timeouts
from mapserver.pgnotify import CHANNEL, conninfo
from mapserver.principal import Principal
from mapserver.scoping import layer_access

log = logging.getLogger(__name__)
LAYER_OF_EVENT = {"observation": "sensors", "report": "field_reports", "camera": "cameras"}
QUEUE_SIZE = 1000  # a viewer this far behind is disconnected (its EventSource reconnects)
RECONNECT_S = 1.0


def may_see(principal: Principal, event: dict) -> bool:
    """Whether the viewer may receive this event: alerts as the alert API shows them, the others as the layer's
    rows (a commune officer gets only their commune's rows of protected layers)."""
    kind = event.get("type")
    if kind == "alert":
        return isinstance(event.get("id"), int) and service.visible(principal).filter(pk=event["id"]).exists()
    layer = LAYER_OF_EVENT.get(kind)
    if layer is None:
        return False
    access = layer_access(principal, registry.get(layer))
    return access.read and (access.read_commune is None or access.read_commune == event.get("commune_code"))


@dataclass(eq=False)
class Viewer:
    """One open stream: who watches, and the events waiting to be sent."""

    principal: Principal
    queue: asyncio.Queue = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))
    overflowed: bool = False


class Hub:
    """The process's listener and its viewers; the listener starts with the first viewer, on its event loop."""

    def __init__(self) -> None:
        self.viewers: set[Viewer] = set()
        self.task: asyncio.Task | None = None
        self.listening = asyncio.Event()

    def join(self, principal: Principal) -> Viewer:
        """Register a viewer (from the stream's own coroutine, on the server's loop)."""
        viewer = Viewer(principal)
        self.viewers.add(viewer)
        if self.task is None or self.task.done():
            self.listening = asyncio.Event()
            # a context of its own, not the first viewer's: its sync calls then run in one thread of the process
            # (not that request's), outside any request class and deadline
            self.task = asyncio.get_running_loop().create_task(self._listen(), context=contextvars.Context())
        return viewer

    def leave(self, viewer: Viewer) -> None:
        self.viewers.discard(viewer)

    async def _listen(self) -> None:
        while self.viewers:
            try:
                async with await psycopg.AsyncConnection.connect(**conninfo(), autocommit=True) as connection:
                    await connection.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    async for notify in connection.notifies():
                        await self._dispatch(notify.payload)
                        if not self.viewers:
                            break
            except (psycopg.Error, OSError):
                self.listening.clear()
                log.warning("event listener lost its connection; reconnecting", exc_info=True)
                await asyncio.sleep(RECONNECT_S)
        self.task = None

    async def _dispatch(self, payload: str) -> None:
        try:
            event = json.loads(payload)
        except ValueError:
            return
        if not isinstance(event, dict) or not self.viewers:
            return
        by_principal: dict[Principal, list[Viewer]] = defaultdict(list)
        for viewer in self.viewers:
            by_principal[viewer.principal].append(viewer)
        try:
            allowed = await sync_to_async(_allowed)(list(by_principal), event)
        except DatabaseError:  # the database is away or the check timed out: this event is lost, the stream goes on
            log.warning("could not check who may see a %s event", event.get("type"), exc_info=True)
            return
        for principal in allowed:
            for viewer in by_principal[principal]:
                try:
                    viewer.queue.put_nowait(event)
                except asyncio.QueueFull:
                    viewer.overflowed = True


def _allowed(principals: list[Principal], event: dict) -> list[Principal]:
    """The principals that may see the event: one connection for all the viewers, given back to the pool after
    (without a pool, the hub thread's persistent connection is kept as CONN_MAX_AGE says)."""
    close_old_connections()
    try:
        with timeouts.request_class("interactive"):  # a stuck check is cancelled, not holding every stream back
            return [p for p in principals if may_see(p, event)]
    finally:
        close_old_connections()


hub = Hub()
