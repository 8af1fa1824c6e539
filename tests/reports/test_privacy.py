"""No reporter field leaks through any public output: Open311, OGC API items, MVT tiles, the catalogue, queries."""

from __future__ import annotations

import json
import math

import mapbox_vector_tile
import pytest
from django.db import connection
from django.test import Client

from layers.registry import registry
from reports.models import PublicReport, Reporter
from reports.submission import token_for
from tests.reports.conftest import make_report

pytestmark = pytest.mark.django_db
SECRETS = {
    "first_name": "Zsecretfirst",
    "last_name": "Zsecretlast",
    "phone": "0999 888 777",
    "email": "leak@secret.example",
    "device_id": "DEV-SECRET-1",
    "account_id": "ACC-SECRET-1",
}
PRIVATE_COLUMNS = set(SECRETS) | {
    "staff_username",
    "rating_comment",
    "token_salt",
    "token_digest",
    "channel",
    "client_ref",
    "reporter",
    "reporter_id",
}


@pytest.fixture
def report():
    """A report with every reporter field filled, a rating comment, filed by a staff channel."""
    made = make_report("waste", channel="staff:t_commune", **SECRETS)
    made.status, made.rating, made.rating_comment = "resolved", 2, "Zsecret comment"
    made.save()
    return made


def assert_no_secret(content: bytes | str, public: bool = True) -> None:
    """No reporter value (nor, in public outputs, the submitting channel) in the content."""
    text = content.decode() if isinstance(content, bytes) else content
    text = text + json.dumps(text)  # also catch \\u-escaped JSON
    for value in [*SECRETS.values(), "Zsecret comment", *(["staff:t_commune"] if public else [])]:
        assert value not in text, f"{value!r} leaked"


def test_the_public_view_and_the_layer_have_no_private_column():
    with connection.cursor() as cursor:
        cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'reports_public'")
        columns = {row[0] for row in cursor.fetchall()}
    assert columns and not columns & PRIVATE_COLUMNS
    spec = registry.get("field_reports")
    assert spec.public and spec.model is PublicReport
    assert not set(spec.properties) & PRIVATE_COLUMNS and not spec.private_properties
    assert not {f.name for f in Reporter._meta.fields} - {"report"} <= columns


def test_open311_get_never_shows_the_reporter(report):
    token = token_for(report.token_salt)
    for url in [
        "/open311/v2/requests.json",
        "/open311/v2/requests.xml",
        "/open311/v2/requests.json?extensions=true",
        f"/open311/v2/requests/{report.pk}.json",
        f"/open311/v2/requests/{report.pk}.xml",
        f"/open311/v2/tokens/{token}.json",
        f"/open311/v2/tokens/{token}.xml",
    ]:
        response = Client().get(url)
        assert response.status_code == 200
        assert str(report.pk) in response.content.decode()
        assert_no_secret(response.content)


def ogc(url: str, client: Client):
    response = client.get(url)
    if response.status_code == 404 and b"field_reports" not in response.content:
        pytest.skip("OGC API Features endpoint not built yet (404)")
    assert response.status_code == 200, response.content[:300]
    return response


@pytest.mark.parametrize("user", [None, "t_admin", "t_commune"])
def test_ogc_items_of_field_reports_carry_no_reporter_field(api, report, user):
    client = api(user)
    items = ogc("/ogcapi/collections/field_reports/items?limit=1000", client)
    features = {str(f["id"]): f for f in items.json()["features"]}
    assert str(report.pk) in features
    assert not set(features[str(report.pk)]["properties"]) & PRIVATE_COLUMNS
    assert_no_secret(items.content)
    assert_no_secret(ogc(f"/ogcapi/collections/field_reports/items/{report.pk}", client).content)
    assert_no_secret(ogc("/ogcapi/collections/field_reports/items?f=html", client).content)
    assert_no_secret(ogc("/ogcapi/collections/field_reports/queryables", client).content)


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


@pytest.mark.parametrize("z", [8, 14])
def test_mvt_tiles_of_field_reports_carry_no_reporter_field(api, report, settings, tmp_path, z):
    settings.MAPSERVER_TILE_CACHE_DIR = tmp_path / "tiles"
    x, y = tile_of(report.geom.x, report.geom.y, z)
    for user in (None, "t_admin"):
        response = api(user).get(f"/tiles/field_reports/{z}/{x}/{y}.mvt")
        if response.status_code == 404 and not response.content.startswith(b"{"):
            pytest.skip("MVT tiles not built yet (404)")
        assert response.status_code == 200, response.content[:300]
        layers = mapbox_vector_tile.decode(response.content)
        features = layers["field_reports"]["features"]
        assert features, "the report's tile is empty"
        keys = set().union(*(f["properties"] for f in features))
        assert not keys & PRIVATE_COLUMNS
        assert_no_secret(json.dumps([f["properties"] for f in features], ensure_ascii=False))


def test_catalogue_and_spatial_query_show_the_layer_without_reporter(api, report):
    catalogue = Client().get("/api/layers").json()["layers"]
    assert any(layer["id"] == "field_reports" and layer["feature_count"] >= 1 for layer in catalogue)
    body = {
        "type": "radius",
        "center": [report.geom.x, report.geom.y],
        "radius_m": 200,
        "layers": ["field_reports"],
        "features": True,
    }
    response = api("t_admin").post("/api/query", json.dumps(body), content_type="application/json")
    if response.status_code == 404:
        pytest.skip("spatial query endpoint not built yet (404)")
    assert response.status_code == 200, response.content[:300]
    answer = response.json()["layers"]["field_reports"]
    assert answer["count"] >= 1
    assert str(report.pk) in {str(f["id"]) for f in answer["features"]["features"]}
    assert_no_secret(response.content)


def test_staff_and_admin_views_are_the_only_place_the_reporter_appears(api, report):
    assert "Zsecretfirst" in api("t_admin").get(f"/api/reports/{report.pk}").content.decode()
    assert_no_secret(api("t_leader").get(f"/api/reports/{report.pk}").content, public=False)
    assert_no_secret(api("t_leader").get("/api/reports").content, public=False)
