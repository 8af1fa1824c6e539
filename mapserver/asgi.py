"""ASGI entry point: gunicorn with uvicorn workers (deploy/gunicorn.conf.py) serves this.

Django runs the sync views and middleware in a thread per request, so a slow client (reading or sending slowly)
holds an idle coroutine, not a worker; the async views (event streams) run on the worker's event loop.
"""

import os

import django
from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mapserver.settings")


class OneHopASGIHandler(ASGIHandler):
    """Django's ASGI handler with the middleware and the view run synchronously, in one hop to the request's thread.

    Django builds the chain for ASGI around its async view caller: with every middleware sync (ours are), a
    request went to its thread for the middleware, back to the event loop at the innermost one, and to the thread
    again for the view; three hand-overs between threads and the loop where one does. Built synchronously, the chain
    calls the view in the same thread; an async view (the event streams) is awaited on the loop by Django's sync
    caller (async_to_sync), and its streamed body is sent from the loop as before."""

    def __init__(self):
        super().__init__()
        self.load_middleware(is_async=False)

    async def get_response_async(self, request):
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)


django.setup(set_prefix=False)
application = OneHopASGIHandler()
