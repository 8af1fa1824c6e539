"""A map server process for the replica tests: DATABASE_URL is the primary, MAPSERVER_REPLICA_DATABASE_URL the
streaming replica. Reads one command per line on stdin, answers one JSON line on stdout:

  read      a safe request through the real middleware: which server its reads reach (pg_is_in_recovery()
            on the raw-SQL read connection and on the ORM's read alias) and numberMatched of /ogcapi schools
  write     a request that writes a school, then reads: where the read went, and the pin cookie it got
  pinned    a safe request carrying the pin cookie: where its reads went
  lag N     set MAPSERVER_REPLICA_MAX_LAG_SECONDS to N (and probe again on the next read)
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mapserver.settings")
# Answers go to the real stdout; everything else written there (the JSON request log) to stderr instead.
ANSWERS, sys.stdout = sys.stdout, sys.stderr

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connections, router  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402

from geodata.models import School  # noqa: E402
from mapserver import dbrouter  # noqa: E402


def in_recovery_raw() -> bool:
    """pg_is_in_recovery() through the connection the raw-SQL read paths use."""
    with dbrouter.connection.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        return cursor.fetchone()[0]


def in_recovery_orm() -> bool:
    """pg_is_in_recovery() on the alias the router picks for an ORM read of a layer model."""
    with connections[router.db_for_read(School)].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        return cursor.fetchone()[0]


def through_middleware(request: HttpRequest, body) -> tuple[dict, HttpResponse]:
    """Run body inside ReplicaReadMiddleware, as a view would."""
    result: dict = {}

    def view(req: HttpRequest) -> HttpResponse:
        result.update(body())
        return HttpResponse("ok")

    response = dbrouter.ReplicaReadMiddleware(view)(request)
    return result, response


def read() -> dict:
    started = time.monotonic()
    result, _ = through_middleware(
        RequestFactory().get("/ogcapi/collections/schools/items"),
        lambda: {"raw": in_recovery_raw(), "orm": in_recovery_orm()},
    )
    response = Client().get("/ogcapi/collections/schools/items?limit=1")
    body = response.json()
    return {
        **result,
        "status": response.status_code,
        "matched": body.get("numberMatched"),
        "seconds": time.monotonic() - started,
    }


def write() -> dict:
    def body() -> dict:
        school = School.objects.order_by("id").first()
        school.pk = None
        school.save()
        return {
            "id": school.pk,
            "raw": in_recovery_raw(),
            "orm": in_recovery_orm(),
            "sees_it": School.objects.filter(pk=school.pk).exists(),
        }

    # a safe request (eligible for the replica) that writes: its later reads must go to the primary
    result, response = through_middleware(RequestFactory().get("/ogcapi/collections/schools/items"), body)
    cookie = response.cookies.get(dbrouter.PIN_COOKIE)
    return {**result, "pin_seconds": int(cookie["max-age"]) if cookie else None}


def pinned() -> dict:
    request = RequestFactory().get("/ogcapi/collections/schools/items")
    request.COOKIES[dbrouter.PIN_COOKIE] = "1"
    result, _ = through_middleware(request, lambda: {"raw": in_recovery_raw(), "orm": in_recovery_orm()})
    return result


def main() -> None:
    for line in sys.stdin:
        command, *args = line.split()
        if command == "lag":
            settings.MAPSERVER_REPLICA_MAX_LAG_SECONDS = float(args[0])
            dbrouter.forget_health()
            answer = {"lag": settings.MAPSERVER_REPLICA_MAX_LAG_SECONDS}
        else:
            answer = {"read": read, "write": write, "pinned": pinned}[command]()
        print(json.dumps(answer), file=ANSWERS, flush=True)


if __name__ == "__main__":
    main()
