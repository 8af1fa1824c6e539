"""Under ASGI the middleware chain runs synchronously in the request's thread: few switches between the event loop
and the thread per request (mapserver.middleware.SyncAxesMiddleware), where the stock django-axes middleware made
Django's own middleware hop to a thread and back for each of their hooks."""

from __future__ import annotations

import asyncio

import pytest
from asgiref import sync
from django.core.handlers.asgi import ASGIHandler

pytestmark = pytest.mark.django_db


def _switches(monkeypatch) -> tuple[int, int]:
    """(status, thread switches) of GET /healthz through a fresh ASGI handler of the current settings."""
    counted = []
    for cls in (sync.SyncToAsync, sync.AsyncToSync):
        original = cls.__call__

        def spy(self, *args, _original=original, **kwargs):
            counted.append(type(self).__name__)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(cls, "__call__", spy)
    application = ASGIHandler()
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
    return sent[0]["status"], len(counted)


def test_the_chain_runs_in_the_request_thread_with_three_fewer_switches_than_stock_axes(monkeypatch, settings):
    status, ours = _switches(monkeypatch)
    assert status == 200
    assert settings.MIDDLEWARE[-1] == "mapserver.middleware.SyncAxesMiddleware"  # django-axes: last in the chain
    settings.MIDDLEWARE = [*settings.MIDDLEWARE[:-1], "axes.middleware.AxesMiddleware"]
    status, stock = _switches(monkeypatch)
    assert status == 200
    # stock: MessageMiddleware's two hooks and XFrameOptionsMiddleware's one ran through sync_to_async
    assert stock - ours == 3, (stock, ours)
