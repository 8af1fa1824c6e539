"""GET /api/events: the live event stream (Server-Sent Events) of alerts, sensor observations, field report changes
and camera status changes the caller may see. An async view: it holds no worker while it waits."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.db import connections
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET

from live.hub import hub
from mapserver.principal import Principal

KEEPALIVE_S = 15  # a comment line this often keeps proxies from closing an idle stream


async def _stream(principal: Principal) -> AsyncIterator[str]:
    # The middleware resolved the viewer (session, token) in this request's own thread, whose connection would stay
    # checked out of the pool (or open) as long as the stream: give it back before waiting. The body is sent after
    # every middleware has answered, in that same thread (the request's thread-sensitive context), so nothing takes
    # one again; the visibility checks run in the hub's thread (live/hub.py).
    await sync_to_async(connections.close_all)()
    viewer = hub.join(principal)
    try:
        yield "retry: 2000\n: connected\n\n"
        while not viewer.overflowed:
            try:
                event = await asyncio.wait_for(viewer.queue.get(), KEEPALIVE_S)
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            yield f"event: {event['type']}\ndata: {json.dumps(event, allow_nan=False)}\n\n"
    finally:
        hub.leave(viewer)


@require_GET
async def events(request: HttpRequest) -> StreamingHttpResponse:
    """The caller's event stream: `event: alert|observation|report|camera`, `data:` the event as JSON."""
    if not isinstance(request, ASGIRequest):
        # A WSGI server (Django's test and development servers) would hold a thread on the stream forever and
        # deliver nothing: 204 tells EventSource not to reconnect; the page then relies on its polling.
        return HttpResponse(status=204)
    response = StreamingHttpResponse(_stream(request.principal), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response
