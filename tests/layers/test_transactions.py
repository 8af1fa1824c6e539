"""Part 4: create, replace, update, delete with ETag/If-Match, validation, audit and the change signal."""

import json

import pytest

from geodata.crs import SUPPORTED, resolve_crs, transformer
from geodata.models import Camera, Incident, PlanningZone
from geodata.signals import layer_data_changed
from mapserver.models import AuditEntry
from tests.layers.conftest import HOME_COMMUNE, point_in

pytestmark = pytest.mark.django_db
INCIDENTS = "/ogcapi/collections/incidents/items"
GEOJSON = "application/geo+json"


def incident(point, **properties) -> dict:
    values = {
        "kind": "fire",
        "occurred_at": "2031-05-01T10:00:00Z",
        "status": "reported",
        "severity": 2,
        "description": "created by a test",
        **properties,
    }
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [point.x, point.y]}, "properties": values}


def send(client, method, url, body, **headers):
    data = body if isinstance(body, str) else json.dumps(body)
    return getattr(client, method)(url, data=data, content_type=headers.pop("content_type", GEOJSON), **headers)


@pytest.fixture
def changes():
    """Every layer_data_changed sent during the test (model, bbox)."""
    seen = []

    def receiver(sender, model, bbox=None, **kwargs):
        seen.append((model, bbox))

    layer_data_changed.connect(receiver)
    yield seen
    layer_data_changed.disconnect(receiver)


def test_create_sets_location_etag_commune_audit_and_signal(api, changes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(api("t_planner"), "post", INCIDENTS, incident(point_in(HOME_COMMUNE)))
    assert response.status_code == 201, response.content
    fid = int(response["Location"].rsplit("/", 1)[1])
    row = Incident.objects.get(pk=fid)
    assert row.commune_code == HOME_COMMUNE and row.severity == 2 and not row.synthetic
    read = api("t_planner").get(f"{INCIDENTS}/{fid}")
    assert read["ETag"] == response["ETag"]
    entry = AuditEntry.objects.filter(layer_id="incidents", feature_id=str(fid)).get()
    assert entry.action == "feature.create" and entry.username == "t_planner"
    assert changes and changes[-1][0] is Incident and changes[-1][1][0] == pytest.approx(row.geom.x)


@pytest.mark.parametrize("user, status", [(None, 401), ("t_leader", 403), ("t_external", 403), ("t_dept_home", 403)])
def test_create_needs_a_writer(api, user, status):
    response = send(api(user), "post", INCIDENTS, incident(point_in(HOME_COMMUNE)))
    assert response.status_code == status and response.json()["code"] in ("Unauthorized", "Forbidden")


def test_non_editable_layers_refuse_writes_even_to_admins(api):
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [106.8, 10.95]}, "properties": {}}
    assert send(api("t_admin"), "post", "/ogcapi/collections/schools/items", feature).status_code == 403


@pytest.mark.parametrize(
    "change, message",
    [
        ({"geometry": {"type": "LineString", "coordinates": [[106.8, 10.9], [106.81, 10.91]]}}, "Point"),
        ({"geometry": {"type": "Point", "coordinates": [0.0, 0.0]}}, "province"),
        ({"geometry": {"type": "Point", "coordinates": "here"}}, ""),
        ({"geometry": None}, "geometry"),
        (
            {
                "properties": {
                    "kind": "fire",
                    "occurred_at": "2031-05-01T10:00:00Z",
                    "status": "reported",
                    "severity": "high",
                }
            },
            "severity",
        ),
        (
            {"properties": {"kind": "fire", "occurred_at": "yesterday", "status": "reported", "severity": 1}},
            "occurred_at",
        ),
        (
            {
                "properties": {
                    "kind": "x" * 40,
                    "occurred_at": "2031-05-01T10:00:00Z",
                    "status": "reported",
                    "severity": 1,
                }
            },
            "kind",
        ),
        ({"properties": {"occurred_at": "2031-05-01T10:00:00Z", "status": "reported", "severity": 1}}, "kind"),
        (
            {
                "properties": {
                    "kind": "fire",
                    "occurred_at": "2031-05-01T10:00:00Z",
                    "status": "reported",
                    "severity": 1,
                    "colour": "red",
                }
            },
            "colour",
        ),
        ({"type": "FeatureCollection"}, "Feature"),
    ],
)
def test_create_validates_geometry_and_attributes(api, change, message):
    body = {**incident(point_in(HOME_COMMUNE)), **change}
    response = send(api("t_planner"), "post", INCIDENTS, body)
    assert response.status_code == 400, response.content
    assert message in response.json()["description"]


def test_create_rejects_other_media_and_malformed_json(api):
    client = api("t_planner")
    assert send(client, "post", INCIDENTS, "{oops").status_code == 400
    assert send(client, "post", INCIDENTS, "a=b", content_type="application/x-www-form-urlencoded").status_code == 415


def test_invalid_polygons_are_refused_and_polygons_become_multipolygons(api):
    home = point_in(HOME_COMMUNE)
    x, y, d = home.x, home.y, 0.001
    properties = {"plan_name": "test plan", "plan_level": "detailed", "decision_no": "1/QĐ", "land_use_code": "ODT"}
    bowtie = {"type": "Polygon", "coordinates": [[[x, y], [x + d, y + d], [x + d, y], [x, y + d], [x, y]]]}
    square = {"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]}
    client, url = api("t_planner"), "/ogcapi/collections/planning_zones/items"
    refused = send(client, "post", url, {"type": "Feature", "geometry": bowtie, "properties": properties})
    assert refused.status_code == 400 and "invalid geometry" in refused.json()["description"]
    created = send(client, "post", url, {"type": "Feature", "geometry": square, "properties": properties})
    assert created.status_code == 201
    zone = PlanningZone.objects.get(pk=int(created["Location"].rsplit("/", 1)[1]))
    assert zone.geom.geom_type == "MultiPolygon" and zone.commune_code == HOME_COMMUNE


def test_content_crs_gives_the_geometry_crs(api):
    home = point_in(HOME_COMMUNE)
    x, y = transformer(SUPPORTED["http://www.opengis.net/def/crs/OGC/1.3/CRS84"], resolve_crs("EPSG:5899")).transform(
        home.x, home.y
    )
    body = incident(home)
    body["geometry"]["coordinates"] = [x, y]
    response = send(
        api("t_planner"), "post", INCIDENTS, body, HTTP_CONTENT_CRS="<http://www.opengis.net/def/crs/EPSG/0/5899>"
    )
    assert response.status_code == 201
    stored = Incident.objects.get(pk=int(response["Location"].rsplit("/", 1)[1])).geom
    assert stored.x == pytest.approx(home.x, abs=1e-7) and stored.y == pytest.approx(home.y, abs=1e-7)
    bad = send(api("t_planner"), "post", INCIDENTS, body, HTTP_CONTENT_CRS="<http://www.opengis.net/def/crs/EPSG/0/1>")
    assert bad.status_code == 400


@pytest.fixture
def created(api):
    """An incident created by the planner: (url, etag)."""
    response = send(api("t_planner"), "post", INCIDENTS, incident(point_in(HOME_COMMUNE)))
    return response["Location"].replace("http://testserver", ""), response["ETag"]


def test_put_needs_if_match_and_refuses_stale_tags(api, created):
    url, etag = created
    client, body = api("t_planner"), incident(point_in(HOME_COMMUNE), severity=4)
    missing = send(client, "put", url, body)
    assert missing.status_code == 428 and missing.json()["code"] == "PreconditionRequired"
    stale = send(client, "put", url, body, HTTP_IF_MATCH='"0123456789abcdef0123456789abcdef"')
    assert stale.status_code == 412 and stale.json()["code"] == "PreconditionFailed"
    done = send(client, "put", url, body, HTTP_IF_MATCH=etag)
    assert done.status_code == 204 and done["ETag"] != etag
    assert client.get(url)["ETag"] == done["ETag"]
    assert client.get(url).json()["properties"]["severity"] == 4
    assert send(client, "put", url, body, HTTP_IF_MATCH=etag).status_code == 412  # the old tag is now stale


def test_put_replaces_every_property(api, created):
    url, etag = created
    body = incident(point_in(HOME_COMMUNE))
    del body["properties"]["description"]  # optional: back to its default
    assert send(api("t_planner"), "put", url, body, HTTP_IF_MATCH=etag).status_code == 204
    assert api("t_planner").get(url).json()["properties"]["description"] == ""


def test_patch_changes_only_what_is_sent(api, created, other_commune):
    url, etag = created
    client = api("t_planner")
    before = client.get(url).json()
    response = send(client, "patch", url, {"properties": {"status": "resolved"}}, HTTP_IF_MATCH=etag)
    assert response.status_code == 204
    after = client.get(url).json()
    assert after["properties"]["status"] == "resolved" and after["geometry"] == before["geometry"]
    assert after["properties"]["severity"] == before["properties"]["severity"]
    moved = point_in(other_commune)
    response = send(
        client,
        "patch",
        url,
        {"geometry": {"type": "Point", "coordinates": [moved.x, moved.y]}},
        HTTP_IF_MATCH=response["ETag"],
    )
    assert response.status_code == 204
    assert client.get(url).json()["properties"]["commune_code"] == other_commune  # recomputed from the geometry
    actions = set(
        AuditEntry.objects.filter(layer_id="incidents", feature_id=url.rsplit("/", 1)[1]).values_list(
            "action", flat=True
        )
    )
    assert actions == {"feature.create", "feature.update"}


def test_delete_with_if_match(api, created, changes, django_capture_on_commit_callbacks):
    url, etag = created
    client = api("t_planner")
    assert client.delete(url).status_code == 428
    assert client.delete(url, HTTP_IF_MATCH='"stale"').status_code == 412
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(url, HTTP_IF_MATCH=etag).status_code == 204
    assert client.get(url).status_code == 404
    assert AuditEntry.objects.filter(action="feature.delete", feature_id=url.rsplit("/", 1)[1]).exists()
    assert changes and changes[-1][0] is Incident


def test_private_properties_need_private_access(api):
    home = point_in(HOME_COMMUNE)
    body = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [home.x, home.y]},
        "properties": {"name": "test cam", "owner_unit": "test", "codec": "H.264", "rtsp_url": "rtsp://secret"},
    }
    url = "/ogcapi/collections/cameras/items"
    assert send(api("t_planner"), "post", url, body).status_code == 403
    response = send(api("t_admin"), "post", url, body)
    assert response.status_code == 201
    item = response["Location"].replace("http://testserver", "")
    assert api("t_admin").get(item).json()["properties"]["rtsp_url"] == "rtsp://secret"
    assert "rtsp_url" not in api("t_planner").get(item).json()["properties"]
    del body["properties"]["rtsp_url"]
    created = send(api("t_planner"), "post", url, body)
    assert created.status_code == 201
    assert Camera.objects.get(pk=int(created["Location"].rsplit("/", 1)[1])).rtsp_url == ""


def test_writes_never_touch_other_tables_by_name(api):
    hostile = "x'); DROP TABLE geodata_incident; --"
    before = Incident.objects.count()
    created = send(api("t_planner"), "post", INCIDENTS, incident(point_in(HOME_COMMUNE), description=hostile))
    assert created.status_code == 201
    stored = Incident.objects.get(pk=int(created["Location"].rsplit("/", 1)[1]))
    assert stored.description == hostile  # stored as data, to the letter
    assert Incident.objects.count() == before + 1
