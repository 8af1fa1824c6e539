"""Under ASGI the middleware chain and the view run synchronously in the request's thread, entered once
(mapserver.asgi.OneHopASGIHandler); Django's stock handler went to the thread for the middleware, back to the event
loop at the innermost one and to the thread again for the view."""

from __future__ import annotations

import asyncio

import pytest
from asgiref import sync
from django.core.handlers.asgi import ASGIHandler

pytestmark = pytest.mark.django_db


def _switches(monkeypatch, handler: type[ASGIHandler]) -> tuple[int, list[str]]:
    """(status, thread switches by kind) of GET /healthz through a fresh handler of the current settings."""
    counted = []
    for cls in (sync.SyncToAsync, sync.AsyncToSync):
        original = cls.__call__

        def spy(self, *args, _original=original, **kwargs):
            counted.append(type(self).__name__)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(cls, "__call__", spy)
    application = handler()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/healthz",
        "raw_path": b"/healthz",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"localhost")],
        "client": ("127.0.0.1", 40000),
        "server": ("localhost", 80),
    }
    sent: list[dict] = []
    body = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> dict:
        if body:
            return body.pop()
        await asyncio.Event().wait()  # the client stays connected

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(application(scope, receive, send))
    monkeypatch.undo()
    return sent[0]["status"], counted


def test_the_chain_and_the_view_run_in_the_request_thread_entered_once(monkeypatch):
    from mapserver.asgi import OneHopASGIHandler

    status, ours = _switches(monkeypatch, OneHopASGIHandler)
    assert status == 200
    status, stock = _switches(monkeypatch, ASGIHandler)
    assert status == 200
    # ours: request_started's receivers, the middleware chain with the view, closing the response
    assert ours == ["SyncToAsync"] * 3, ours
    # stock: django-axes' middleware is async-capable, so Django's own before it (MessageMiddleware's two hooks,
    # XFrameOptionsMiddleware's one) hopped to the thread and back, and the view was sent to the thread from the
    # event loop (AsyncToSync, then SyncToAsync)
    assert stock.count("AsyncToSync") == 1 and len(stock) - len(ours) == 6, (stock, ours)
