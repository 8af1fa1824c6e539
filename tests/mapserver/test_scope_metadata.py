"""Metadata follows scope: what commune staff learn about protected layers (extents, TileJSON bounds, camera
health, scenario run history) describes their commune's rows only, compared here with the database itself."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.utils import timezone

from geodata.models import Camera
from mapserver.accounts import provision

pytestmark = pytest.mark.django_db
HOME = "26068"  # t_commune's commune


def db_extent(table: str, commune: str | None = None) -> list[float]:
    """ST_Extent of a table's geometries (in one commune), read straight from PostGIS."""
    where = "WHERE commune_code = %s" if commune else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
            f"(SELECT ST_Extent(geom) AS e FROM {table} {where}) s",
            [commune] if commune else [],
        )
        return list(cursor.fetchone())


def db_commune_area_bounds() -> list[float]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
            "(SELECT ST_Extent(geom) AS e FROM geodata_commune) s"
        )
        return list(cursor.fetchone())


def other_commune() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT code FROM geodata_commune WHERE code <> %s ORDER BY code LIMIT 1", [HOME])
        return cursor.fetchone()[0]


def close(a: list[float], b: list[float], tolerance: float = 1e-6) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= tolerance for x, y in zip(a, b))


def test_collection_extent_of_a_protected_layer_is_the_communes_for_commune_staff(api):
    home, everywhere = db_extent("geodata_house", HOME), db_extent("geodata_house")
    assert not close(home, everywhere)  # the sample has houses outside the commune
    one = api("t_commune").get("/ogcapi/collections/houses").json()
    assert close(one["extent"]["spatial"]["bbox"][0], home, 1e-9)
    listed = api("t_commune").get("/ogcapi/collections").json()["collections"]
    assert close(next(c for c in listed if c["id"] == "houses")["extent"]["spatial"]["bbox"][0], home, 1e-9)
    leader = api("t_leader").get("/ogcapi/collections/houses").json()
    assert close(leader["extent"]["spatial"]["bbox"][0], everywhere, 1e-9)
    public = api("t_commune").get("/ogcapi/collections/roads").json()  # public layers: every row, for everyone
    assert close(public["extent"]["spatial"]["bbox"][0], db_extent("geodata_road"), 1e-9)


def test_temporal_extent_of_a_protected_layer_is_the_communes_for_commune_staff(api):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(last_checked_at), max(last_checked_at) FROM geodata_camera WHERE commune_code = %s", [HOME]
        )
        first, last = cursor.fetchone()
    if first is None:
        pytest.skip("no checked camera in the commune")
    interval = api("t_commune").get("/ogcapi/collections/cameras").json()["extent"]["temporal"]["interval"][0]
    assert [dt.datetime.fromisoformat(v) for v in interval] == [first, last]


def test_tilejson_and_tileset_bounds_of_a_protected_layer_are_the_communes_for_commune_staff(api):
    home = [round(v, 6) for v in db_extent("geodata_house", HOME)]
    doc = api("t_commune").get("/tiles/houses.json").json()
    assert close(doc["bounds"], home)
    assert close(doc["center"][:2], [round((home[0] + home[2]) / 2, 5), round((home[1] + home[3]) / 2, 5)], 1e-5)
    tileset = api("t_commune").get("/ogcapi/collections/houses/tiles/WebMercatorQuad").json()
    assert close(tileset["boundingBox"]["lowerLeft"] + tileset["boundingBox"]["upperRight"], home)
    province = api("t_leader").get("/tiles/houses.json").json()["bounds"]
    assert not close(province, home)
    assert close(province, [round(v, 6) for v in db_commune_area_bounds()], 1e-5)  # the province: all communes
    # a set with a public layer describes the whole province (the public rows are everywhere)
    assert close(api("t_commune").get("/tiles/houses,roads.json").json()["bounds"], province)


def camera_counts(cameras) -> dict:
    return {
        "total": cameras.count(),
        "live": cameras.filter(status="live").count(),
        "dead": cameras.filter(status="dead").count(),
    }


def test_camera_health_of_commune_staff_counts_their_communes_cameras_only(api):
    doc = api("t_commune").get("/api/cameras/health").json()
    assert {k: doc[k] for k in ("total", "live", "dead")} == camera_counts(Camera.objects.filter(commune_code=HOME))
    assert doc["commune"] == HOME
    leader_before = api("t_leader").get("/api/cameras/health").json()
    Camera.objects.create(
        name="elsewhere",
        owner_unit="UBND",
        codec="H.264",
        rtsp_url="",
        status="live",
        commune_code=other_commune(),
        geom="SRID=4326;POINT(107.2 11.5)",
        last_checked_at=timezone.now(),
    )
    assert api("t_commune").get("/api/cameras/health").json()["total"] == doc["total"]
    leader_after = api("t_leader").get("/api/cameras/health").json()
    assert leader_after["total"] == leader_before["total"] + 1 and leader_after["commune"] is None
    assert api("t_dept_home").get("/api/cameras/health").status_code == 403  # no cameras' sector: no rows


@pytest.fixture
def colleague(db) -> str:
    """A second commune-staff account of the same commune (the same run scope as t_commune)."""
    return provision("t_commune_colleague", "commune_staff", HOME)[1]


def run(client, scenario_id: str, area: dict) -> str:
    response = client.post(
        f"/api/scenarios/{scenario_id}/run", json.dumps({"area": area}), content_type="application/json"
    )
    assert response.status_code == 201, response.content[:300]
    return response.json()["run_id"]


@pytest.mark.parametrize("scenario_id", ["social_welfare", "transport_assets"])  # commune scope / "all" scope
def test_commune_staff_see_their_own_runs_and_others_runs_inside_their_commune(api, colleague, scenario_id):
    from django.test import Client

    other = {"type": "commune", "code": other_commune()}
    home = {"type": "commune", "code": HOME}
    peer = Client(HTTP_AUTHORIZATION=f"Bearer {colleague}")
    others_elsewhere, others_at_home = run(peer, scenario_id, other), run(peer, scenario_id, home)
    own_elsewhere = run(api("t_commune"), scenario_id, other)
    leader_elsewhere = run(api("t_leader"), scenario_id, other)
    leader_at_home = run(api("t_leader"), scenario_id, home)
    listed = {r["run_id"] for r in api("t_commune").get(f"/api/scenarios/{scenario_id}/runs").json()["runs"]}
    assert {others_at_home, own_elsewhere} <= listed
    assert others_elsewhere not in listed and leader_elsewhere not in listed
    base = f"/api/scenarios/{scenario_id}/runs"
    for hidden in (others_elsewhere, leader_elsewhere):
        assert api("t_commune").get(f"{base}/{hidden}").status_code == 404
        assert api("t_commune").get(f"{base}/{hidden}/export?format=html").status_code == 404
        assert api("t_commune").get(f"/ogcapi/jobs/{hidden}").status_code == 404
    assert api("t_commune").get(f"{base}/{others_at_home}").status_code == 200
    if scenario_id == "transport_assets":  # public layers: the leader's run at home has the same scope and area
        assert leader_at_home in listed
    # the author and province staff are unaffected
    assert others_elsewhere in {r["run_id"] for r in peer.get(base).json()["runs"]}
    assert leader_elsewhere in {r["run_id"] for r in api("t_leader").get(base).json()["runs"]}
