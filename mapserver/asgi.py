"""ASGI entry point: gunicorn with uvicorn workers (deploy/gunicorn.conf.py) serves this.

Django runs the sync views and middleware in a thread per request, so a slow client (reading or sending slowly)
holds an idle coroutine, not a worker; the async views (event streams) run on the worker's event loop.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mapserver.settings")
application = get_asgi_application()
