"""The longest filter the app takes in a URL (layers.filters.MAX_FILTER_LENGTH characters) passes the real
gunicorn, started with its settings file (deploy/gunicorn.conf.py), behind the real nginx of deploy/nginx.conf.template: neither answers
414 where the app would answer. Longer filters go to POST .../search (tests/layers/test_ogc_compliance.py)."""

from __future__ import annotations

import json
import os
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.db import connection

from layers.filters import MAX_FILTER_LENGTH
from tests.mapserver.test_deploy_settings import ROOT, nginx, render

pytestmark = pytest.mark.django_db
GUNICORN_PORT, HTTP_PORT, HTTPS_PORT = 18120, 18121, 18122  # this worktree's range (no other test uses them)


def server_command() -> list[str]:
    """gunicorn as every start path runs it (make run/start through deploy/serve.sh, the image, the benchmarks):
    its settings file, one worker on the test port."""
    return [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
            "mapserver.asgi:application", "-w", "1", "-b", f"127.0.0.1:{GUNICORN_PORT}"]  # fmt: skip


def wait_for(port: int) -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port}")


@pytest.fixture
def served(tmp_path):
    """gunicorn (its settings file, the test database) behind nginx; yields (https base URL, SSL context)."""
    db = connection.settings_dict
    url = f"postgis://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAPSERVER_") or k == "MAPSERVER_DB_PORT"}
    app = subprocess.Popen(
        server_command(),
        cwd=ROOT,
        env={**env, "DATABASE_URL": url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    main = render(tmp_path, f"127.0.0.1:{GUNICORN_PORT}", (HTTP_PORT, HTTPS_PORT))
    proxy = subprocess.Popen(
        [nginx(), "-c", main, "-p", tmp_path, "-e", tmp_path / "error.log", "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(GUNICORN_PORT)
        wait_for(HTTPS_PORT)
        context = ssl.create_default_context(cafile=tmp_path / "cert.pem")
        context.check_hostname = False
        yield f"https://127.0.0.1:{HTTPS_PORT}", context
    finally:
        proxy.terminate()
        app.terminate()
        proxy.wait(10)
        app.wait(10)


def status(base: str, context, path: str, params: dict) -> tuple[int, dict | None]:
    query = urllib.parse.urlencode(params, quote_via=urllib.parse.quote, safe="")
    try:
        with urllib.request.urlopen(f"{base}{path}?{query}", context=context, timeout=120) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, None


def test_the_longest_filters_pass_gunicorn_and_nginx(served):
    base, context = served
    items = "/ogcapi/collections/communes/items"
    # a real commune boundary (over 170 vertices): the 414 of the issue behind gunicorn's default 4,094 bytes
    with connection.cursor() as cursor:
        cursor.execute("SELECT code, ST_AsGeoJSON(geom, 7) FROM geodata_commune ORDER BY ST_NPoints(geom) DESC LIMIT 1")
        code, geometry = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FROM geodata_commune WHERE ST_Intersects(geom, ST_GeomFromGeoJSON(%s))", [geometry]
        )
        expected = cursor.fetchone()[0]
    boundary = json.dumps({"op": "s_intersects", "args": [{"property": "geom"}, json.loads(geometry)]})
    answer, document = status(base, context, items, {"filter": boundary, "filter-lang": "cql2-json", "limit": 1})
    assert answer == 200 and document["numberMatched"] == expected
    # the worst case: MAX_FILTER_LENGTH characters of four UTF-8 bytes each, every byte percent-encoded
    longest = "name = '" + "\U0001d538" * (MAX_FILTER_LENGTH - 9) + "'"
    assert len(longest) == MAX_FILTER_LENGTH and len(urllib.parse.quote(longest, safe="")) > 200_000
    answer, document = status(base, context, items, {"filter": longest, "limit": 1, "bbox": "105,10,108,13"})
    assert answer == 200 and document["numberMatched"] == 0
    answer, _ = status(base, context, items, {"filter": longest + " OR name = 'x'"})
    assert answer == 400  # one character too many: the app's own limit answers, not the proxy
    answer, _ = status(base, context, items, {"filter": longest * 2})
    assert answer in (400, 414)  # far beyond: bounded by nginx (414) or the app (400), never accepted
