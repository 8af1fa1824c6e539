"""The gunicorn worker class: uvicorn_worker's, with gunicorn's request-line limit and graceful timeout applied.

uvicorn_worker.UvicornWorker does not pass `--limit-request-line` to uvicorn, whose h11 parser then refuses request
heads over 16 KiB (a long CQL2 filter), nor `--graceful-timeout` (a slow client could hold a stopping worker).
"""

from __future__ import annotations

from uvicorn_worker import UvicornWorker as _UvicornWorker

_HEADERS_ALLOWANCE = 65536  # room for the header fields after the request line


class UvicornWorker(_UvicornWorker):
    """uvicorn under gunicorn with h11, the request head limit and the graceful shutdown timeout from gunicorn."""

    CONFIG_KWARGS = {"loop": "asyncio", "http": "h11"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.config.h11_max_incomplete_event_size = self.cfg.limit_request_line + _HEADERS_ALLOWANCE
        self.config.timeout_graceful_shutdown = self.cfg.graceful_timeout
