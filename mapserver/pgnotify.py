"""The platform's event channel in PostgreSQL: producers NOTIFY on it (delivered on commit), long-running
listeners (the event stream, the MQTT bridge) LISTEN with a connection of their own."""

from __future__ import annotations

from django.db import connection

CHANNEL = "mapserver_events"


def conninfo() -> dict:
    """Connection keywords for a psycopg connection of its own to Django's database (a listener's)."""
    db = connection.settings_dict
    params = {
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "dbname": db["NAME"],
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "connect_timeout": 5,
        "application_name": "mapserver-listener",
    }
    return {k: v for k, v in params.items() if v is not None}
