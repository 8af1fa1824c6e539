"""The sync views and middleware under the ASGI server `make start` runs: real clients, a long filter, a login."""

from __future__ import annotations

import http.cookiejar
import json
import re
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL (gdal-bin) is not installed")
def test_ogrinfo_reads_the_collections_and_features(fault_server, fault_cluster):
    result = subprocess.run(
        ["ogrinfo", "-ro", "-so", "-al", f"OAPIF:{fault_server.root}/ogcapi"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    with fault_cluster.connect() as conn:
        communes = conn.execute("SELECT count(*) FROM geodata_commune").fetchone()[0]
    assert re.search(rf"Layer name: communes\b.*?Feature Count: {communes}\b", result.stdout, re.S)


def test_a_cql2_filter_longer_than_16_kib_is_served(fault_server, fault_cluster):
    with fault_cluster.connect() as conn:
        codes = [row[0] for row in conn.execute("SELECT code FROM geodata_commune ORDER BY code LIMIT 3")]
    padding = [f"{90000 + i:05d}" for i in range(1500)]  # codes no commune has: the filter gets long, not wider
    text = "code IN (" + ", ".join(f"'{c}'" for c in codes + padding) + ")"
    query = urllib.parse.urlencode({"filter-lang": "cql2-text", "filter": text, "limit": 100})
    assert len(query) > 16384 and len(text) < 20000  # over h11's default head size, within the filter limit
    url = f"{fault_server.root}/ogcapi/collections/communes/items?{query}"
    with urllib.request.urlopen(url, timeout=60) as response:
        body = json.loads(response.read())
    assert sorted(f["properties"]["code"] for f in body["features"]) == codes


def test_a_staff_login_with_csrf_and_session_works(fault_server, fault_cluster, credentials):
    from tests.faults.support import manage

    manage(fault_cluster, "mapserver_token", "--user", "fault_planner", "--set-password", stdin="fault-password-2031\n")
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{fault_server.root}/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": "fault_planner", "password": "fault-password-2031"}
    ).encode()
    request = urllib.request.Request(
        f"{fault_server.root}/accounts/login/", data=form, headers={"Referer": f"{fault_server.root}/accounts/login/"}
    )
    opener.open(request, timeout=30).read()
    assert "sessionid" in {c.name for c in jar}
    url = f"{fault_server.root}/ogcapi/collections/houses/items?limit=1"  # houses: staff only
    with pytest.raises(urllib.error.HTTPError) as anonymous:
        urllib.request.urlopen(url, timeout=30)
    assert anonymous.value.code in (401, 404)
    with opener.open(url, timeout=30) as response:
        assert response.status == 200  # through the session cookie
