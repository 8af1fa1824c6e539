"""Real clients against the live server: GDAL's OAPIF driver (ogrinfo, ogr2ogr), OWSLib and headless Chromium.

The server thread sees committed data only: the sample and the session `tokens` users (no django_db mark here:
with it, live_server would make the test transactional and its flush would empty the shared test database).
"""

import re
import shutil
import subprocess

import pytest
from owslib import __version__ as owslib_version
from owslib.ogcapi.features import Features

from geodata.models import Commune, House
from layers.registry import registry
from tests.browser.support import CHROMIUM_ARGS

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL (gdal-bin) is not installed"),
]


@pytest.fixture
def ogc_url(live_server) -> str:
    """The /ogcapi root of the live server."""
    return f"{live_server.url}/ogcapi"


def gdal(*args: str, token: str | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    config = ["--config", "GDAL_HTTP_TIMEOUT", "120"]
    if token:
        config += ["--config", "GDAL_HTTP_HEADERS", f"Authorization: Bearer {token}"]
    return subprocess.run([*args, *config], capture_output=True, text=True, timeout=timeout)


def layer_names(output: str) -> set[str]:
    return set(re.findall(r"^Layer name: (\S+)", output, re.M))


def test_ogrinfo_opens_every_public_collection_anonymously(ogc_url):
    result = gdal("ogrinfo", "-ro", "-so", "-al", f"OAPIF:{ogc_url}")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "ERROR" not in result.stderr + result.stdout
    assert layer_names(result.stdout) == {spec.id for spec in registry.all() if spec.public}
    communes = result.stdout.split("Layer name: communes", 1)[1]
    assert re.search(r"Feature Count: (\d+)", communes).group(1) == str(Commune.objects.count())  # numberMatched


def test_ogrinfo_opens_every_collection_with_a_leaders_token(ogc_url, tokens):
    result = gdal("ogrinfo", "-ro", "-so", "-al", f"OAPIF:{ogc_url}", token=tokens["t_leader"])
    assert result.returncode == 0, result.stderr[-2000:]
    assert "ERROR" not in result.stderr + result.stdout
    assert layer_names(result.stdout) == {spec.id for spec in registry.all()}


def feature_count(path, layer: str) -> int:
    info = subprocess.run(["ogrinfo", "-ro", "-so", str(path), layer], capture_output=True, text=True, check=True)
    return int(re.search(r"Feature Count: (\d+)", info.stdout).group(1))


def test_ogr2ogr_copies_all_houses_with_a_token_and_nothing_without(ogc_url, tokens, tmp_path):
    target = tmp_path / "houses.gpkg"
    result = gdal(
        "ogr2ogr",
        "-f",
        "GPKG",
        str(target),
        f"OAPIF:{ogc_url}",
        "houses",
        "-oo",
        "PAGE_SIZE=10000",
        token=tokens["t_leader"],
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert feature_count(target, "houses") == House.objects.count()
    anonymous = gdal(
        "ogr2ogr", "-f", "GPKG", str(tmp_path / "none.gpkg"), f"OAPIF:{ogc_url}", "houses", "-oo", "PAGE_SIZE=10000"
    )
    assert anonymous.returncode != 0 and "houses" in anonymous.stderr


def test_gdal_follows_next_links(ogc_url, tmp_path):
    target = tmp_path / "communes.gpkg"
    result = gdal("ogr2ogr", "-f", "GPKG", str(target), f"OAPIF:{ogc_url}", "communes", "-oo", "PAGE_SIZE=10")
    assert result.returncode == 0, result.stderr[-2000:]
    assert feature_count(target, "communes") == Commune.objects.count()  # ten pages, each through a next link


def test_gdal_reads_crs84_with_longitude_first(ogc_url, tmp_path):
    target = tmp_path / "communes.geojson"
    result = gdal("ogr2ogr", "-f", "GeoJSON", str(target), f"OAPIF:{ogc_url}", "communes", "-where", "code = '26068'")
    assert result.returncode == 0, result.stderr[-2000:]
    commune = Commune.objects.get(code="26068")
    x, y = re.search(r'"coordinates": \[ \[ \[ \[ ([\d.]+), ([\d.]+)', target.read_text()).groups()
    assert commune.geom.extent[0] <= float(x) <= commune.geom.extent[2]
    assert commune.geom.extent[1] <= float(y) <= commune.geom.extent[3]


def features(url: str, headers: dict | None = None) -> Features:
    """An OWSLib Features client with headers of its own: OWSLib starts every client on one module-level dict and
    updates it in place, so a token given to one client would otherwise go with every later one."""
    client = Features(url)
    client.headers = {"User-Agent": f"OWSLib {owslib_version} (https://owslib.readthedocs.io)", **(headers or {})}
    return client


def test_owslib_lists_and_reads_collections(ogc_url, tokens):
    anonymous = features(ogc_url)
    ids = {c["id"] for c in anonymous.collections()["collections"]}
    assert "communes" in ids and "houses" not in ids
    assert anonymous.collection("communes")["id"] == "communes"
    items = anonymous.collection_items("communes", limit=5)
    assert items["numberReturned"] == 5 and len(items["features"]) == 5
    assert "properties" in anonymous.collection_queryables("communes")
    leader = features(ogc_url, headers={"Authorization": f"Bearer {tokens['t_leader']}"})
    houses = leader.collection_items("houses", limit=3)
    assert houses["numberMatched"] == House.objects.count() and len(houses["features"]) == 3


@pytest.mark.skipif(not shutil.which("chromium"), reason="chromium is not installed")
def test_items_html_page_draws_its_features_on_a_map_without_internet(ogc_url, monkeypatch):
    from playwright.sync_api import sync_playwright

    from tests.browser.support import wait_js

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    outside, errors = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"),
            args=CHROMIUM_ARGS,
        )
        page = browser.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        local = (ogc_url.rsplit("/ogcapi", 1)[0], "blob:", "data:")  # MapLibre's workers load from blob: URLs
        page.on("request", lambda r: None if r.url.startswith(local) else outside.append(r.url))
        page.goto(f"{ogc_url}/collections/communes/items?limit=5&f=html")
        wait_js(
            page,
            "window.ogcMap && window.ogcMap.loaded() && "  # wait_for_function's eval is blocked by the CSP
            "window.ogcMap.querySourceFeatures('page').length > 0",
            timeout=30_000,
        )
        assert page.locator("table tbody tr").count() == 5
        browser.close()
    assert not errors and not outside, (errors, outside)


def test_owslib_replaces_and_deletes_with_the_if_match_header_the_readme_shows(ogc_url, tokens):
    """OWSLib sends no If-Match by itself (428); the README's recipe: read the item, put its ETag (kept by OWSLib
    in response_headers) into the client's headers, then update or delete."""
    import json

    from geodata.models import Incident
    from tests.layers.conftest import HOME_COMMUNE, point_in

    point = point_in(HOME_COMMUNE)
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [point.x, point.y]},
        "properties": {"kind": "fire", "occurred_at": "2031-05-01T10:00:00Z", "status": "reported", "severity": 2},
    }
    api = features(ogc_url, headers={"Authorization": f"Bearer {tokens['t_planner']}"})
    api.collection_item_create("incidents", feature)  # a dict: OWSLib sends it as application/geo+json
    fid = api.response_headers["Location"].rsplit("/", 1)[1]
    try:
        read = api.collection_item("incidents", fid)
        read["properties"]["severity"] = 4
        with pytest.raises(RuntimeError, match="If-Match"):  # what OWSLib users met: 428
            api.collection_item_update("incidents", fid, json.dumps(read))
        api.headers["If-Match"] = api.response_headers["ETag"]
        api.collection_item_update("incidents", fid, json.dumps(read))
        assert Incident.objects.get(pk=fid).severity == 4
        with pytest.raises(RuntimeError, match="changed since you read it"):  # the old ETag is stale now
            api.collection_item_delete("incidents", fid)
        api.collection_item("incidents", fid)
        api.headers["If-Match"] = api.response_headers["ETag"]
        api.collection_item_delete("incidents", fid)
        assert not Incident.objects.filter(pk=fid).exists()
    finally:
        Incident.objects.filter(pk=fid).delete()
