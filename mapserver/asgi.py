"""ASGI entry point (gunicorn with uvicorn workers, or uvicorn): the sync views run in threads, the async views
(the event stream) on the worker's event loop."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mapserver.settings")
application = get_asgi_application()
