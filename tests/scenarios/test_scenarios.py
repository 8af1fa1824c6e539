"""Each of the 12 scenarios on a commune and on a drawn polygon: a figure against an independent count, and alerts."""

import datetime as dt
import json

import pytest
from django.db.models import F, Max
from django.utils import timezone
from pyproj import Transformer
from shapely import wkb
from shapely.geometry import mapping
from shapely.ops import transform

from geodata import models as m
from scenarios.models import ViolationLog
from tests.scenarios import world as fixtures
from tests.scenarios.conftest import BIEN_HOA, GEOD, commune_shape, distance_m

pytestmark = pytest.mark.django_db
TO_UTM = Transformer.from_crs("EPSG:4326", "EPSG:32648", always_xy=True).transform


@pytest.fixture
def world(db):
    return fixtures.build()


@pytest.fixture(params=["commune", "polygon"])
def area(request, world):
    """(area body, shapely shape) for the ward and for the drawn polygon around the fixtures."""
    if request.param == "commune":
        return {"type": "commune", "code": BIEN_HOA}, commune_shape(BIEN_HOA)
    return {"type": "polygon", "geometry": mapping(world.drawn)}, world.drawn


def run(api, scenario, area_body, params=None, user="t_admin"):
    response = api(user).post(
        f"/api/scenarios/{scenario}/run",
        json.dumps({"area": area_body, "params": params or {}}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content[:300]
    return response.json()


def shp(geom):
    return wkb.loads(bytes(geom.wkb))


def inside(shape, model, **filters) -> list:
    """Rows of the model in the area, by shapely over an ORM export (points and interiors of polygons)."""
    return [
        r for r in model.objects.filter(**filters) if shape.intersects(shp(r.geom)) and not shape.touches(shp(r.geom))
    ]


def alerts_of(result, step):
    return [a for a in result["alerts"] if a["step"] == step]


def test_transport_assets(api, area):
    body, shape = area
    result = run(api, "transport_assets", body)
    bridges = inside(shape, m.Bridge)
    assert result["groups"]["bridges_by_condition"]["totals"]["count"] == len(bridges) >= 4
    roads = inside(shape, m.Road)
    length = sum(GEOD.geometry_length(shp(r.geom).intersection(shape)) for r in roads)
    assert result["groups"]["roads_by_class"]["totals"]["clipped_length_m"] == pytest.approx(length, rel=2e-3)
    fired = {a["key"] for a in alerts_of(result, "bridges_by_condition")}
    assert fired == {c for c in ("poor", "bad") if any(b.condition == c for b in bridges)} == {"poor", "bad"}


def test_land_management(api, area):
    body, shape = area
    result = run(api, "land_management", body)
    unpermitted = inside(shape, m.LandUseChange, permitted=False)
    assert result["groups"]["unpermitted_by_commune"]["totals"]["count"] == len(unpermitted)
    conflicts = {(r["source_value"], r["target_value"]) for r in result["groups"]["encroachment"]["rows"]}
    assert ("ODT", "CXX") in conflicts and ("CXX", "CXX") not in conflicts
    fired = {a["key"] for a in alerts_of(result, "encroachment")}
    rows = result["groups"]["encroachment"]["rows"]
    assert fired == {r["key"] for r in rows if r["overlap_m2"] >= 50}


def test_construction_hotspots(api, area):
    body, shape = area
    result = run(api, "construction_hotspots", body)
    sites = inside(shape, m.ConstructionSite, violations__gt=0)
    totals = result["groups"]["violations_by_commune"]["totals"]
    assert totals["count"] == len(sites) and totals["violations"] == sum(s.violations for s in sites)
    km2 = abs(GEOD.geometry_area_perimeter(shape)[0]) / 1e6
    assert totals["per_km2"] == pytest.approx(len(sites) / km2, rel=5e-3)


def readings_over_threshold(shape, kinds, since):
    """Observations over their sensor's threshold since a time, for sensors in the area (ORM + shapely)."""
    sensors = {s.id for s in inside(shape, m.Sensor, kind__in=kinds)}
    return m.SensorObservation.objects.filter(
        sensor_id__in=sensors, observed_at__gt=since, value__gt=F("sensor__threshold")
    )


def test_industrial_environment_logs_each_violation_once(api, area):
    body, shape = area
    since = m.SensorObservation.objects.aggregate(newest=Max("observed_at"))["newest"] - dt.timedelta(hours=168)
    result = run(api, "industrial_environment", body)
    expected = readings_over_threshold(shape, ["air_quality", "water_quality"], since)
    rows = result["groups"]["violations"]["rows"]
    assert len(rows) == expected.count() >= 2
    assert {(r["sensor"], r["value"]) for r in rows} == {(o.sensor.code, o.value) for o in expected}
    assert {r["group"] for r in rows if r["sensor"] == "T-AIR-1"} == {"KCN thử"}
    assert len(alerts_of(result, "violations")) == len(rows)
    logged = ViolationLog.objects.filter(sensor_code="T-AIR-1")
    assert sorted(logged.values_list("value", flat=True)) == [75, 90] and logged.first().park_name == "KCN thử"
    run(api, "industrial_environment", body)
    assert ViolationLog.objects.filter(sensor_code="T-AIR-1").count() == 2  # logged once


def test_flood_water_level(api, area):
    body, shape = area
    result = run(api, "flood_water_level", body, {"min_depth_m": 0.5})
    latest = {}
    since = m.SensorObservation.objects.aggregate(newest=Max("observed_at"))["newest"] - dt.timedelta(hours=168)
    for o in m.SensorObservation.objects.filter(observed_at__gt=since).order_by("observed_at"):
        latest[o.sensor_id] = o
    over = {
        s.code
        for s in inside(shape, m.Sensor, kind="water_level")
        if s.id in latest and latest[s.id].value > s.threshold
    }
    assert {r["sensor"] for r in result["groups"]["sensors_over_alarm"]["rows"]} == over
    assert "T-LVL-1" in over and "T-LVL-2" not in over
    # the flooded houses follow the stations' levels: tests/scenarios/test_flood_levels.py


def test_fire_water_points_and_alerts(api, area):
    body, shape = area
    result = run(api, "fire", body)
    fires = inside(shape, m.Incident, kind="fire", occurred_at__gte=timezone.now() - dt.timedelta(days=365))
    assert result["groups"]["fires"]["totals"]["count"] == len(fires) >= 2
    mains = [transform(TO_UTM, shp(w.geom)) for w in m.WaterSupply.objects.filter(kind="main")]
    dry = {str(f.id) for f in fires if min(mp.distance(transform(TO_UTM, shp(f.geom))) for mp in mains) > 150}
    assert {a["key"] for a in alerts_of(result, "water_points")} == dry and len(dry) >= 1
    assert len(dry) < len(fires)


def test_epidemic_clusters(api, area):
    body, shape = area
    result = run(api, "epidemic", body)
    cases = inside(shape, m.Incident, kind="epidemic", occurred_at__gte=timezone.now() - dt.timedelta(days=365))
    assert result["groups"]["cases_by_commune"]["totals"]["cases"] == sum(i.cases for i in cases)
    ours = set(
        m.Incident.objects.filter(kind="epidemic", description=fixtures.EPIDEMIC_MARK).values_list("id", flat=True)
    )
    assert len(ours) == 4
    cluster = next(r for r in result["groups"]["outbreaks"]["rows"] if ours <= set(r["feature_ids"]))
    assert cluster["weight"] >= 18 and cluster["resources"] >= 1
    assert cluster["key"] in {a["key"] for a in alerts_of(result, "outbreaks")}


def test_social_welfare_costs_and_protection(api, area):
    body, shape = area
    result = run(api, "social_welfare", body, {"unit_cost_vnd": 50_000_000})
    temporary = inside(shape, m.House, status="temporary_house")
    assert result["groups"]["temporary_by_commune"]["totals"]["count"] == len(temporary) >= 3
    assert result["groups"]["replacement_cost"]["totals"]["value"] == 50_000_000 * len(temporary)
    denied = api("t_dept_construction").post(
        "/api/scenarios/social_welfare/run", json.dumps({"area": body}), content_type="application/json"
    )
    assert denied.status_code == 403
    assert (
        api()
        .post("/api/scenarios/social_welfare/run", json.dumps({"area": body}), content_type="application/json")
        .status_code
        == 401
    )


def test_tourism_load_and_services(api, area):
    body, shape = area
    result = run(api, "tourism_festivals", body)
    venues = inside(shape, m.TourismSite, kind__in=["attraction", "festival"])
    assert result["groups"]["visitor_load"]["totals"]["count"] == len(venues)
    overloaded = {str(v.id) for v in venues if v.capacity and v.visitors_today / v.capacity > 0.9}
    assert {a["key"] for a in alerts_of(result, "visitor_load")} == overloaded and overloaded
    festival = m.TourismSite.objects.get(name="Điểm festival")
    attraction = m.TourismSite.objects.get(name="Điểm attraction")
    rows = {r["key"]: r for r in result["groups"]["services"]["rows"]}
    assert rows[str(festival.id)]["within_by"] == {"medical": 1, "toilet": 1}
    assert str(attraction.id) in {a["key"] for a in alerts_of(result, "services")}


def test_street_lighting(api, area):
    body, shape = area
    result = run(api, "street_lighting", body)
    lights = inside(shape, m.StreetLight)
    assert result["groups"]["lights_by_status"]["totals"]["count"] == len(lights) >= 5
    faults = sum(1 for x in lights if x.status == "fault")
    assert result["groups"]["lights_by_commune"]["totals"]["share_pct"] == pytest.approx(
        100 * faults / len(lights), abs=0.01
    )
    assert result["groups"]["lights_by_commune"]["totals"]["road_km"] > 0


def test_ocop_products(api, area):
    body, shape = area
    result = run(api, "ocop_products", body)
    products = inside(shape, m.OcopProduct)
    groups = {r["key"]: r["count"] for r in result["groups"]["by_category"]["rows"]}
    assert groups == {c: sum(1 for p in products if p.category == c) for c in {p.category for p in products}}


def test_camera_coverage(api, area):
    body, shape = area
    result = run(api, "camera_coverage", body)
    incidents = inside(shape, m.Incident, occurred_at__gte=timezone.now() - dt.timedelta(days=365))
    live = [(c.geom.x, c.geom.y) for c in m.Camera.objects.filter(status="live")]
    covered = {str(i.id) for i in incidents if any(distance_m((i.geom.x, i.geom.y), c) <= 200 for c in live)}
    rows = result["groups"]["incidents_covered"]["rows"]
    assert {r["key"] for r in rows if r["covered"]} == covered and len(rows) == len(incidents)
    assert 0 < len(covered) < len(incidents)


def test_the_violation_log_is_readable_by_park_and_scoped(api, world):
    run(api, "industrial_environment", {"type": "commune", "code": BIEN_HOA})
    logged = api("t_leader").get("/api/violations?park=KCN thử").json()
    assert logged["count"] == 2 and {v["value"] for v in logged["violations"]} == {75, 90}
    assert all(v["sensor_code"] == "T-AIR-1" and v["threshold"] == 50 for v in logged["violations"])
    assert api().get("/api/violations").status_code == 401
    assert api("t_leader").get("/api/violations?since=yesterday").status_code == 400
