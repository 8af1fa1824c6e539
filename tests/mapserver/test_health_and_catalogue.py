"""GET /healthz, /api/communes.geojson and /api/layers."""

import json
import os

import pytest
from shapely.geometry import shape

from geodata.admin_units import official_communes

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_postgis_and_95_communes(client):
    body = client.get("/healthz").json()
    assert body["database"] == "ok"
    assert body["postgis"].startswith("3.")
    assert body["communes"] == 95


def test_healthz_is_503_with_a_reason_when_the_database_is_down(client, settings, monkeypatch):
    from django.db import DatabaseError, connection

    def broken(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert {k: body[k] for k in ("database", "reason")} == {"database": "unavailable", "reason": "connection refused"}
    assert body["server"]["pid"] == os.getpid()


def test_communes_geojson_has_the_official_codes_names_and_derived_source(client):
    response = client.get("/api/communes.geojson")
    assert response["Content-Type"] == "application/geo+json"
    features = json.loads(response.content)["features"]
    official = {c["code"]: c["name"] for c in official_communes()}
    assert {f["properties"]["code"]: f["properties"]["name"] for f in features} == official
    assert {f["properties"]["kind"] for f in features} == {"phường", "xã"}
    assert sum(f["properties"]["kind"] == "phường" for f in features) == 23
    assert {f["properties"]["geometry_source"] for f in features} == {"derived"}
    assert all(shape(f["geometry"]).is_valid for f in features)


def test_catalogue_hides_protected_layers_from_anonymous_callers(api):
    anonymous = {layer["id"]: layer for layer in api().get("/api/layers").json()["layers"]}
    leader = {layer["id"]: layer for layer in api("t_leader").get("/api/layers").json()["layers"]}
    assert {"province", "districts_2024", "communes"} <= set(anonymous)
    assert "houses" not in anonymous and "houses" in leader
    assert anonymous["communes"]["feature_count"] == 95
    assert anonymous["districts_2024"]["feature_count"] == 22
    assert anonymous["communes"]["synthetic"] is False
    for layer in leader.values():
        assert set(layer) >= {"id", "title", "group", "geometry_type", "public", "feature_count", "synthetic"}


def test_commune_staff_counts_only_their_communes_rows_of_protected_layers(api):
    layers = {layer["id"]: layer for layer in api("t_commune").get("/api/layers").json()["layers"]}
    leader = {layer["id"]: layer for layer in api("t_leader").get("/api/layers").json()["layers"]}
    if leader["houses"]["feature_count"]:
        assert 0 < layers["houses"]["feature_count"] < leader["houses"]["feature_count"]


def test_the_derived_boundary_notice_shows_only_while_communes_are_derived(client):
    from geodata.models import Commune

    def note():
        layers = {layer["id"]: layer for layer in client.get("/api/layers").json()["layers"]}
        return layers["communes"]["geometry_note"]

    assert "derived" in note()
    assert "derived" in client.get("/tiles/communes.json").json()["vector_layers"][0]["geometry_note"]
    Commune.objects.update(geometry_source=Commune.OFFICIAL)
    assert note() == ""
    assert "geometry_note" not in client.get("/tiles/communes.json").json()["vector_layers"][0]


def test_catalogue_counts_follow_every_write_in_each_callers_scope(api):
    """The counts are kept per process under the tables' versions: a delete shows at once, in each scope."""
    from geodata.models import House

    def count(user):
        return {layer["id"]: layer for layer in api(user).get("/api/layers").json()["layers"]}["houses"][
            "feature_count"
        ]

    leader, commune = count("t_leader"), count("t_commune")
    assert count("t_leader") == leader  # asked again: the same answer, from the kept count
    House.objects.filter(pk=House.objects.exclude(commune_code="26068").values("pk")[:1]).delete()
    assert (count("t_leader"), count("t_commune")) == (leader - 1, commune)
    House.objects.filter(pk=House.objects.filter(commune_code="26068").values("pk")[:1]).delete()
    assert (count("t_leader"), count("t_commune")) == (leader - 2, commune - 1)


def test_the_communes_are_revalidated_with_an_etag_that_follows_every_edit(client):
    """Browsers keep the 350 kB of communes and get a 304 until a commune changes; then the edit shows at once."""
    from geodata.models import Commune

    first = client.get("/api/communes.geojson")
    etag = first["ETag"]
    assert first.status_code == 200 and first["Cache-Control"] == "no-cache" and etag
    again = client.get("/api/communes.geojson", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    Commune.objects.filter(code="26068").update(name="Phường Thử")
    changed = client.get("/api/communes.geojson", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    names = {f["properties"]["code"]: f["properties"]["name"] for f in json.loads(changed.content)["features"]}
    assert names["26068"] == "Phường Thử"
