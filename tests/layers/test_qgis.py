"""QGIS 3.22 (Debian 12's python3-qgis) reads a protected collection through its OAPIF provider, headless, with an
API token in an authentication configuration of the Basic method (README: QGIS). The live server is plain HTTP, so
the test runs it with DEBUG on, the one case where Basic is accepted without HTTPS."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection

SCRIPT = Path(__file__).with_name("qgis_oapif.py")
QGIS_PYTHON = "/usr/bin/python3"
BOX = (106.80, 10.93, 106.84, 10.97)  # around Biên Hòa's centre

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        not shutil.which(QGIS_PYTHON)
        or subprocess.run([QGIS_PYTHON, "-c", "import qgis.core"], capture_output=True).returncode != 0,
        reason="python3-qgis is not installed (deploy/sysdeps.sh, WITH_BROWSER=1)",
    ),
]


def read_with_qgis(url: str, collection: str, token: str | None) -> dict:
    done = subprocess.run(
        [QGIS_PYTHON, SCRIPT, url, collection, token or "-", *map(str, BOX)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def houses_in_box(commune: str | None = None) -> list[str]:
    """Address codes of the houses inside BOX (of one commune), sorted."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT address_code FROM geodata_house WHERE ST_Intersects(geom, ST_MakeEnvelope(%s, %s, %s, %s, 4326))"
            " AND (%s::text IS NULL OR commune_code = %s)",
            [*BOX, commune, commune],
        )
        return sorted(row[0] for row in cursor.fetchall())


def test_qgis_reads_protected_houses_with_a_token_through_basic(live_server, tokens, settings):
    settings.DEBUG = True
    expected = houses_in_box()
    assert 0 < len(expected) < 20_000
    read = read_with_qgis(f"{live_server.url}/ogcapi", "houses", tokens["t_leader"])
    assert read["valid"] and read["count"] == len(expected)
    assert read["address_codes"] == expected
    assert {"address_code", "status", "members"} <= set(read["fields"])
    for x, y in read["points"]:
        assert BOX[0] <= x <= BOX[2] and BOX[1] <= y <= BOX[3]
    assert not read_with_qgis(f"{live_server.url}/ogcapi", "houses", None)["valid"]  # no token: no layer
    scoped = read_with_qgis(f"{live_server.url}/ogcapi", "houses", tokens["t_commune"])
    assert scoped["address_codes"] == houses_in_box("26068")  # the token's commune scope holds in QGIS too
