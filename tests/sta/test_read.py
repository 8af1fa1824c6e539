"""Reading the SensorThings API: every entity set, paging, and $filter/$expand/$orderby/$select results compared
with SQL over the same rows."""

from __future__ import annotations

import pytest
from django.db import connection

from geodata.vocabularies import SENSOR_PARAMETER

pytestmark = pytest.mark.django_db

SETS = ["Things", "Locations", "Sensors", "Datastreams", "FeaturesOfInterest", "Observations", "ObservedProperties"]


def sql(query: str, params: list | None = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params or [])
        return cursor.fetchall()


def get(client, path: str, **params) -> dict:
    response = client.get(f"/sta/v1.1/{path}", params)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_landing_lists_every_entity_set(client):
    body = get(client, "")
    assert {s["name"] for s in body["value"]} == set(SETS)
    assert all(s["url"].endswith("/sta/v1.1/" + s["name"]) for s in body["value"])


@pytest.mark.parametrize("name", SETS)
def test_every_set_counts_its_rows(client, name):
    body = get(client, name, **{"$count": "true", "$top": "5"})
    expected = {
        "Observations": "SELECT count(*) FROM geodata_sensorobservation",
        "ObservedProperties": "SELECT count(DISTINCT parameter) FROM geodata_sensor",
    }.get(name, "SELECT count(*) FROM geodata_sensor")
    assert body["@iot.count"] == sql(expected)[0][0]
    assert len(body["value"]) == min(5, body["@iot.count"])
    for entity in body["value"]:
        assert entity["@iot.selfLink"].endswith(f"/sta/v1.1/{name}({entity['@iot.id']})")


def test_next_link_pages_through_things_in_id_order(client):
    first = get(client, "Things", **{"$top": "30"})
    link = first["@iot.nextLink"]
    assert "%24skip=30" in link or "$skip=30" in link
    second = client.get(link.split("testserver")[1]).json()
    seen = [t["@iot.id"] for t in first["value"] + second["value"]]
    assert seen == [r[0] for r in sql("SELECT id FROM geodata_sensor ORDER BY id LIMIT 60")]


def test_filter_comparison_logical_and_time_equals_sql(client):
    sensor_id, threshold = sql("SELECT id, threshold FROM geodata_sensor WHERE parameter = 'pm25' ORDER BY id")[0]
    since = "2026-10-20T00:00:00+07:00"
    text = f"Datastream/id eq {sensor_id} and (result gt {threshold} or result lt 5) and phenomenonTime ge {since}"
    body = get(client, "Observations", **{"$filter": text, "$top": "1000", "$count": "true"})
    expected = sql(
        "SELECT id FROM geodata_sensorobservation WHERE sensor_id = %s AND (value > %s OR value < 5) "
        "AND observed_at >= %s ORDER BY id",
        [sensor_id, threshold, since],
    )
    assert body["@iot.count"] == len(expected) > 0
    assert [o["@iot.id"] for o in body["value"]] == [r[0] for r in expected][:1000]


def test_filter_through_navigation_and_not(client):
    body = get(client, "Datastreams", **{"$filter": "not (Thing/properties/kind eq 'water_level')", "$top": "1000"})
    expected = sql("SELECT id FROM geodata_sensor WHERE NOT kind = 'water_level' ORDER BY id")
    assert [d["@iot.id"] for d in body["value"]] == [r[0] for r in expected]


def test_geo_intersects_equals_postgis(client):
    polygon = "POLYGON((106.7 10.8, 107.1 10.8, 107.1 11.2, 106.7 11.2, 106.7 10.8))"
    body = get(client, "Locations", **{"$filter": f"geo.intersects(location, geography'{polygon}')", "$top": "1000"})
    expected = sql(
        "SELECT id FROM geodata_sensor WHERE ST_Intersects(geom, ST_GeomFromText(%s, 4326)) ORDER BY id", [polygon]
    )
    assert [loc["@iot.id"] for loc in body["value"]] == [r[0] for r in expected]
    assert 0 < len(expected) < sql("SELECT count(*) FROM geodata_sensor")[0][0]


def test_string_functions_and_orderby_desc(client):
    body = get(client, "Things", **{"$filter": "startswith(properties/code, 'WL')", "$orderby": "name desc"})
    expected = sql("SELECT id FROM geodata_sensor WHERE code LIKE 'WL%%' ORDER BY name DESC, id")
    assert [t["@iot.id"] for t in body["value"]] == [r[0] for r in expected]


def test_expand_nested_with_options_equals_sql(client):
    body = get(
        client,
        "Things",
        **{
            "$top": "4",
            "$expand": "Datastreams($select=name,unitOfMeasurement;"
            "$expand=Observations($orderby=phenomenonTime desc;$top=3;$count=true))",
        },
    )
    for thing in body["value"]:
        [stream] = thing["Datastreams"]
        assert set(stream) >= {"name", "unitOfMeasurement", "Observations"} and "observedArea" not in stream
        latest = sql(
            "SELECT id, value FROM geodata_sensorobservation WHERE sensor_id = %s ORDER BY observed_at DESC, id "
            "LIMIT 3",
            [thing["@iot.id"]],
        )
        assert [(o["@iot.id"], o["result"]) for o in stream["Observations"]] == latest
        count = sql("SELECT count(*) FROM geodata_sensorobservation WHERE sensor_id = %s", [thing["@iot.id"]])
        assert stream["Observations@iot.count"] == count[0][0]
        assert "Observations@iot.nextLink" in stream


def test_expand_single_navigation_and_path_to_related(client):
    obs_id, sensor_id, code = sql(
        "SELECT o.id, s.id, s.code FROM geodata_sensorobservation o JOIN geodata_sensor s ON s.id = o.sensor_id "
        "ORDER BY o.id DESC LIMIT 1"
    )[0]
    body = get(client, f"Observations({obs_id})", **{"$expand": "Datastream/Sensor,FeatureOfInterest"})
    assert body["Datastream"]["@iot.id"] == sensor_id
    assert body["Datastream"]["Sensor"]["name"] == code
    assert body["FeatureOfInterest"]["feature"]["type"] == "Point"
    assert get(client, f"Observations({obs_id})/Datastream/Thing")["properties"]["code"] == code
    assert (
        get(client, f"Things({sensor_id})/name")["name"]
        == sql("SELECT name FROM geodata_sensor WHERE id = %s", [sensor_id])[0][0]
    )


def test_datastream_observations_and_phenomenon_time(client):
    sensor_id = sql("SELECT id FROM geodata_sensor ORDER BY id LIMIT 1")[0][0]
    first, last = sql(
        "SELECT min(observed_at), max(observed_at) FROM geodata_sensorobservation WHERE sensor_id = %s", [sensor_id]
    )[0]
    stream = get(client, f"Datastreams({sensor_id})")
    start, end = stream["phenomenonTime"].split("/")
    from datetime import datetime

    assert (datetime.fromisoformat(start), datetime.fromisoformat(end)) == (first, last)
    page = get(client, f"Datastreams({sensor_id})/Observations", **{"$top": "10", "$orderby": "phenomenonTime"})
    expected = sql(
        "SELECT id FROM geodata_sensorobservation WHERE sensor_id = %s ORDER BY observed_at, id LIMIT 10", [sensor_id]
    )
    assert [o["@iot.id"] for o in page["value"]] == [r[0] for r in expected]
    assert f"Datastreams({sensor_id})/Observations?" in page["@iot.nextLink"]


def test_observed_properties_from_the_vocabulary(client):
    body = get(client, "ObservedProperties")
    stored = {r[0] for r in sql("SELECT DISTINCT parameter FROM geodata_sensor")}
    assert {p["name"] for p in body["value"]} == {SENSOR_PARAMETER.get(code).vi for code in stored}
    level = get(client, "ObservedProperties", **{"$filter": "name eq 'Mực nước'"})["value"]
    assert [p["properties"]["code"] for p in level] == ["level_m"]
    streams = get(client, f"ObservedProperties({level[0]['@iot.id']})/Datastreams", **{"$top": "1000"})
    expected = sql("SELECT id FROM geodata_sensor WHERE parameter = 'level_m' ORDER BY id")
    assert [d["@iot.id"] for d in streams["value"]] == [r[0] for r in expected]
    through = get(client, "Datastreams", **{"$filter": "ObservedProperty/name eq 'Mực nước'", "$top": "1000"})
    assert [d["@iot.id"] for d in through["value"]] == [r[0] for r in expected]


@pytest.mark.parametrize(
    "path,params",
    [
        ("Things", {"$filter": "secret eq 1"}),
        ("Things", {"$filter": "name eq"}),
        ("Observations", {"$filter": "result gt 'abc'"}),
        ("Observations", {"$filter": "result"}),
        ("Things", {"$top": "5000"}),
        ("Things", {"$top": "-1"}),
        ("Things", {"$foo": "1"}),
        ("Things", {"$expand": "Nothing"}),
        ("Things", {"$orderby": "rtsp_url"}),
        ("Things", {"$select": "password"}),
        ("Things", {"$filter": "Datastreams/any(d: d/name eq 'x')"}),
        ("Locations", {"$filter": "geo.intersects(location, geography'POLYGON((1 2')"}),
        ("Things", {"$count": "maybe"}),
    ],
)
def test_bad_options_are_400_json(client, path, params):
    response = client.get(f"/sta/v1.1/{path}", params)
    assert response.status_code == 400, response.content[:300]
    assert set(response.json()) == {"code", "description"}


@pytest.mark.parametrize("path", ["Nothing", "Things(999999999)", "Things(1)/Nothing", "Things/Datastreams"])
def test_unknown_paths_are_404(client, path):
    response = client.get(f"/sta/v1.1/{path}")
    assert response.status_code == 404
    assert set(response.json()) == {"code", "description"}
