"""Rate limits kept in PostgreSQL, so that every gunicorn worker (and every host) counts the same requests.

`check_rate(request, bucket)` counts one request of the caller in a fixed window and raises TooManyRequests (429,
with Retry-After) once the bucket's limit in settings.MAPSERVER_RATE_LIMITS is passed. The caller is the user
when the request is authenticated, else the client address (mapserver.audit.client_address; IPv6 by /64, the
block one subscriber usually holds whole). A bucket without a limit is not counted.
"""

from __future__ import annotations

import ipaddress
import random

from django.conf import settings
from django.db import connection
from django.http import HttpRequest

from mapserver.audit import client_address
from mapserver.errors import TooManyRequests

# One statement, atomic under concurrency: the row lock of ON CONFLICT DO UPDATE serialises the workers, and a
# counter left from an earlier window restarts at 1. The ORM has no upsert with an expression like this. Windows
# are aligned on the database clock, so hosts with drifting clocks still share them.
COUNT = """
INSERT INTO mapserver_ratecounter (bucket, caller, window_start, hits)
VALUES (%(bucket)s, %(caller)s, to_timestamp(floor(extract(epoch FROM now()) / %(period)s) * %(period)s), 1)
ON CONFLICT (bucket, caller) DO UPDATE
SET hits = CASE WHEN mapserver_ratecounter.window_start = EXCLUDED.window_start
                THEN mapserver_ratecounter.hits + 1 ELSE 1 END,
    window_start = EXCLUDED.window_start
RETURNING hits, ceil(extract(epoch FROM window_start) + %(period)s - extract(epoch FROM clock_timestamp()))::int
"""
# Counters of callers gone quiet are deleted now and then (windows are at most a day long).
PRUNE = "DELETE FROM mapserver_ratecounter WHERE window_start < now() - interval '2 days'"
PRUNE_PROBABILITY = 0.001
UNIT_NAMES = {1: "second", 60: "minute", 3600: "hour", 86400: "day"}


def caller_of(request: HttpRequest) -> str:
    """The key a request is counted under: `user:<id>` when authenticated, else `addr:<address or /64>`."""
    principal = getattr(request, "principal", None)
    if principal is not None and not principal.is_anonymous and principal.user_id is not None:
        return f"user:{principal.user_id}"
    address = client_address(request)
    if address is None:
        return "addr:unknown"
    ip = ipaddress.ip_address(address)
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return f"addr:{ip.ipv4_mapped}"
        return f"addr:{ipaddress.ip_network(f'{ip}/64', strict=False)}"
    return f"addr:{ip}"


def check_rate(request: HttpRequest, bucket: str) -> None:
    """Count this request in the bucket; raise TooManyRequests (429, Retry-After) when over the limit."""
    limit = settings.MAPSERVER_RATE_LIMITS.get(bucket)
    if limit is None:
        return
    allowed, period = limit
    with connection.cursor() as cursor:
        cursor.execute(COUNT, {"bucket": bucket, "caller": caller_of(request), "period": period})
        hits, retry_after = cursor.fetchone()
        if random.random() < PRUNE_PROBABILITY:
            cursor.execute(PRUNE)
    if hits > allowed:
        unit = UNIT_NAMES.get(period, f"{period} s")
        retry_after = max(1, retry_after)
        raise TooManyRequests(
            f"too many requests: at most {allowed} per {unit}; try again in {retry_after} s", retry_after=retry_after
        )
