"""Authorisation on every OGC request, per role: visibility, commune-scoped rows, who may write where."""

import json
from urllib.parse import quote

import pytest

from geodata.models import House, Incident
from tests.layers.conftest import HOME_COMMUNE, ids, point_in

pytestmark = pytest.mark.django_db
HOUSES = "/ogcapi/collections/houses/items"
INCIDENTS = "/ogcapi/collections/incidents/items"


def feature_at(point, **properties):
    values = {"kind": "fire", "occurred_at": "2031-05-01T10:00:00Z", "status": "reported", "severity": 1, **properties}
    return json.dumps(
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [point.x, point.y]}, "properties": values}
    )


@pytest.mark.parametrize("user", [None, "t_external", "t_dept_construction"])
def test_callers_who_may_not_read_get_404_everywhere(api, houses, user):
    client = api(user)
    for url in (
        "/ogcapi/collections/houses",
        HOUSES,
        f"{HOUSES}/{houses[0].id}",
        "/ogcapi/collections/houses/queryables",
    ):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("user", ["t_admin", "t_leader", "t_planner", "t_dept_home", "t_external_houses"])
def test_readers_of_houses_see_every_row(api, houses, user):
    document = api(user).get(f"{HOUSES}?limit=1").json()
    assert document["numberMatched"] == House.objects.count()


def test_commune_staff_see_only_their_communes_rows(api, houses):
    client = api("t_commune")
    document = client.get(f"{HOUSES}?limit=10000").json()
    assert document["numberMatched"] == House.objects.filter(commune_code=HOME_COMMUNE).count()
    assert {f["properties"]["commune_code"] for f in document["features"]} == {HOME_COMMUNE}
    assert client.get(f"{HOUSES}/{houses[3].id}").status_code == 404  # another commune's house
    assert client.get(f"{HOUSES}/{houses[0].id}").status_code == 200


def test_filters_cannot_widen_the_commune_scope(api, houses, other_commune):
    client = api("t_commune")
    escape = client.get(f"{HOUSES}?filter={quote(f'commune_code = {chr(39)}{other_commune}{chr(39)} OR 1 = 1')}")
    assert escape.status_code in (200, 400)
    if escape.status_code == 200:
        assert {f["properties"]["commune_code"] for f in escape.json()["features"]} <= {HOME_COMMUNE}
    other = client.get(f"{HOUSES}?commune_code={other_commune}").json()
    assert other["numberMatched"] == 0
    away = point_in(other_commune)
    box = f"{away.x - 0.001},{away.y - 0.001},{away.x + 0.001},{away.y + 0.001}"
    assert client.get(f"{HOUSES}?bbox={box}").json()["numberMatched"] == 0


def test_public_layers_are_not_commune_scoped_for_reading(api, incidents):
    document = (
        api("t_commune")
        .get(f"{INCIDENTS}?filter={quote(chr(39).join(['description LIKE ', 'test incident%', '']))}")
        .json()
    )
    assert sorted(ids(document)) == sorted(i.id for i in incidents)


def test_commune_staff_write_incidents_only_in_their_commune(api, incidents, other_commune):
    client = api("t_commune")
    home = client.post(INCIDENTS, feature_at(point_in(HOME_COMMUNE)), content_type="application/geo+json")
    assert home.status_code == 201
    away = client.post(INCIDENTS, feature_at(point_in(other_commune)), content_type="application/geo+json")
    assert away.status_code == 403
    theirs = f"{INCIDENTS}/{incidents[1].id}"  # in the other commune
    etag = client.get(theirs)["ETag"]
    patch = client.patch(
        theirs,
        json.dumps({"properties": {"status": "resolved"}}),
        content_type="application/geo+json",
        HTTP_IF_MATCH=etag,
    )
    assert patch.status_code == 403
    assert client.delete(theirs, HTTP_IF_MATCH=etag).status_code == 403
    mine = home["Location"].replace("http://testserver", "")
    moved = point_in(other_commune)
    move = client.patch(
        mine,
        json.dumps({"geometry": {"type": "Point", "coordinates": [moved.x, moved.y]}}),
        content_type="application/geo+json",
        HTTP_IF_MATCH=home["ETag"],
    )
    assert move.status_code == 403
    assert Incident.objects.get(pk=int(mine.rsplit("/", 1)[1])).commune_code == HOME_COMMUNE


def test_commune_staff_cannot_write_layers_without_commune_editing(api):
    home = point_in(HOME_COMMUNE)
    body = json.dumps(
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [home.x, home.y]},
            "properties": {"status": "on", "wattage_w": 100, "kwh_month": 30.0, "lamp_type": "led"},
        }
    )
    url = "/ogcapi/collections/street_lights/items"
    assert api("t_commune").post(url, body, content_type="application/geo+json").status_code == 403
    assert api("t_dept_construction").post(url, body, content_type="application/geo+json").status_code == 201


def test_department_staff_write_only_their_sectors_layers(api):
    assert (
        api("t_dept_construction")
        .post(INCIDENTS, feature_at(point_in(HOME_COMMUNE)), content_type="application/geo+json")
        .status_code
        == 403
    )


def test_external_clients_never_write(api):
    response = api("t_external_houses").post(
        INCIDENTS, feature_at(point_in(HOME_COMMUNE)), content_type="application/geo+json"
    )
    assert response.status_code == 403


def test_private_fields_in_items_only_for_admins(api):
    admin = api("t_admin").get("/ogcapi/collections/cameras/items?limit=1&properties=name,rtsp_url")
    planner = api("t_planner").get("/ogcapi/collections/cameras/items?limit=1&properties=name,rtsp_url")
    assert admin.status_code == 200 and planner.status_code == 400
    for feature in api("t_planner").get("/ogcapi/collections/cameras/items?limit=50").json()["features"]:
        assert "rtsp_url" not in feature["properties"]


def test_a_bad_token_is_401(client):
    response = client.get(HOUSES, HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401 and response.json()["code"] == "Unauthorized"
