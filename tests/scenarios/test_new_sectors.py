"""The issue-15 public-safety scenarios on a commune, a drawn polygon and the province: figures against an
independent computation (shapely and pyproj over an ORM export of the same rows), alerts naming the commune."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone
from pyproj import Transformer
from shapely import STRtree
from shapely.ops import transform

from geodata import models as m
from reports.models import FieldReport
from tests.scenarios.conftest import geos_point
from tests.scenarios.sectors import (
    alerts_of,
    area_of,
    by_commune,
    commune_name,
    inside,
    nearest,
    rows_by_key,
    run,
    seeded_reports,
    shp,
)
from tests.scenarios.world import at

pytestmark = pytest.mark.django_db
TO_UTM = Transformer.from_crs("EPSG:4326", "EPSG:32648", always_xy=True).transform
ORDER_CODES = ["urban_order", "illegal_construction", "security_order"]
ALL_TIME = 3650  # days: every sample row, so no row sits on the edge of the window


@pytest.fixture(params=["commune", "polygon", "province"])
def area(request, db):
    return area_of(request.param)


def test_traffic_congestion(api, area):
    body, shape = area
    seeded_reports()
    result = run(api, "traffic_congestion", body, {"days": ALL_TIME})
    segments = inside(shape, m.RoadSegment.objects.all())
    assert len(segments) > 0
    speed, free = by_commune(segments, lambda s: s.speed_kmh), by_commune(segments, lambda s: s.free_flow_kmh)
    rows = rows_by_key(result, "speed_by_commune")
    assert set(rows) == set(speed)
    for code, row in rows.items():
        assert row["speed_index"] == pytest.approx(speed[code] / free[code], abs=1e-3)
        assert row["label"] == commune_name(code)
    slow = {str(s.id) for s in segments if s.speed_kmh / s.free_flow_kmh < 0.3}
    assert set(rows_by_key(result, "slow_segments")) == slow
    assert {a["key"] for a in alerts_of(result, "slow_segments")} == slow
    for alert in alerts_of(result, "slow_segments"):
        assert commune_name(alert["commune"]) in alert["message"]
    reports = inside(shape, FieldReport.objects.filter(category__code="traffic_congestion"))
    counts = by_commune(reports)
    assert {k: r["count"] for k, r in rows_by_key(result, "congestion_reports").items()} == counts
    assert {a["key"] for a in alerts_of(result, "congestion_reports")} == {k for k, n in counts.items() if n >= 3}


def black_spots(shape, within_m: float = 50.0) -> Counter:
    """Accidents in the area snapped to the nearest segment within 50 m (UTM metres, ties to the lowest id)."""
    segments = list(m.RoadSegment.objects.all())
    lines = [transform(TO_UTM, shp(s.geom)) for s in segments]
    tree = STRtree(lines)
    found: Counter = Counter()
    for accident in inside(shape, m.Incident.objects.filter(kind="traffic_accident")):
        point = transform(TO_UTM, shp(accident.geom))
        near = [(lines[i].distance(point), segments[i].id) for i in tree.query(point.buffer(within_m + 1))]
        near = [(round(d, 3), sid) for d, sid in near if d <= within_m]
        if near:
            found[min(near)[1]] += 1
    return found


def accidents_on_a_ward_segment() -> int:
    """Three accidents on a segment of Biên Hòa ward (a black spot) and one 80 m off it (snapped to no segment
    unless another lies within 50 m); returns the segment's id."""
    segment = m.RoadSegment.objects.filter(commune_code="26068").order_by("id").first()
    line = shp(segment.geom).geoms[0]
    when = timezone.now() - dt.timedelta(days=40)
    for fraction in (0.3, 0.5, 0.7):
        point = line.interpolate(fraction, normalized=True)
        m.Incident.objects.create(
            kind="traffic_accident", occurred_at=when, status="resolved", severity=3,
            geom=geos_point(point.x, point.y), commune_code="26068",
        )  # fmt: skip
    mid = line.interpolate(0.5, normalized=True)
    m.Incident.objects.create(
        kind="traffic_accident", occurred_at=when, status="resolved", severity=1,
        geom=geos_point(*at((mid.x, mid.y), 0, 80)), commune_code="26068",
    )  # fmt: skip
    return segment.id


def test_traffic_safety_black_spots(api, area):
    body, shape = area
    ward_spot = accidents_on_a_ward_segment()
    result = run(api, "traffic_safety", body, {"days": ALL_TIME})
    expected = {str(k): n for k, n in black_spots(shape).items() if n >= 3}
    assert str(ward_spot) in expected
    rows = rows_by_key(result, "black_spots")
    assert {k: r["count"] for k, r in rows.items()} == expected
    for key, row in rows.items():
        assert sum(row["by_period"].values()) == row["count"]
        segment = m.RoadSegment.objects.get(id=key)
        assert row["label"] == f"{segment.name} ({commune_name(segment.commune_code)})"
    fired = alerts_of(result, "black_spots")
    assert {a["key"] for a in fired} == set(expected) and all(a["severity"] == "high" for a in fired)
    accidents = inside(shape, m.Incident.objects.filter(kind="traffic_accident"))
    serious = by_commune(accidents, lambda a: a.severity >= 3)
    total = by_commune(accidents)
    for code, row in rows_by_key(result, "accidents_by_commune").items():
        assert row["count"] == total[code]
        assert row["share_pct"] == pytest.approx(100 * serious[code] / total[code], abs=0.01)


def test_traffic_safety_finds_the_sample_black_spots_on_the_province(api):
    result = run(api, "traffic_safety", {"type": "province"}, {"days": ALL_TIME})
    assert len(result["groups"]["black_spots"]["rows"]) >= 5  # the generator seeds a dozen


def coverage(sources, targets, limit) -> dict[str, int]:
    """Per commune, sources whose nearest target is beyond the limit (limit(distance) True when covered)."""
    distances = nearest([(s.geom.x, s.geom.y) for s in sources], [(t.geom.x, t.geom.y) for t in targets])
    return dict(Counter(s.commune_code for s, d in zip(sources, distances) if not limit(d)))


def test_civil_defence(api, area):
    body, shape = area
    result = run(api, "civil_defence", body, {"days": ALL_TIME})
    incidents = inside(shape, m.Incident.objects.filter(kind__in=["rescue", "flood"]))
    shelters = inside(shape, m.Shelter.objects.all())
    capacity = by_commune(shelters, lambda s: s.capacity)
    assert {k: r["capacity"] for k, r in rows_by_key(result, "shelters_by_commune").items()} == capacity
    expected = coverage(incidents, list(m.Shelter.objects.all()), lambda d: d <= 2000)
    got = {k: r["uncovered"] for k, r in rows_by_key(result, "shelter_coverage").items() if r["uncovered"]}
    assert got == expected
    assert {a["commune"] for a in alerts_of(result, "shelter_coverage")} == set(expected)
    vehicles = list(m.RescueResource.objects.filter(kind__in=["boat", "vehicle"]))
    late = coverage(incidents, vehicles, lambda d: round(d * 1.3 / (30_000 / 60), 1) <= 20)
    got = {k: r["uncovered"] for k, r in rows_by_key(result, "resource_coverage").items() if r["uncovered"]}
    assert got == late
    for alert in alerts_of(result, "resource_coverage"):
        assert alert["label"] == commune_name(alert["commune"]) and alert["label"] in alert["message"]
    kinds = Counter()
    for r in inside(shape, m.RescueResource.objects.all()):
        kinds[r.kind] += r.quantity
    assert {k: r["quantity"] for k, r in rows_by_key(result, "resources_by_kind").items()} == dict(kinds)
    assert "Xuồng, ca nô" in {r["label"] for r in result["groups"]["resources_by_kind"]["rows"]} or "boat" not in kinds


def test_fire_coverage(api, area):
    body, shape = area
    result = run(api, "fire_coverage", body)
    premises = inside(shape, m.FirePremises.objects.all())
    assert premises
    minutes = lambda d: round(d * 1.3 / (40_000 / 60), 1)  # noqa: E731
    late = coverage(premises, list(m.FireStation.objects.all()), lambda d: minutes(d) <= 10)
    rows = rows_by_key(result, "station_reach")
    assert {k: r["uncovered"] for k, r in rows.items() if r["uncovered"]} == late
    assert result["groups"]["station_reach"]["totals"]["count"] == len(premises)
    distances = nearest(
        [(p.geom.x, p.geom.y) for p in premises], [(s.geom.x, s.geom.y) for s in m.FireStation.objects.all()]
    )
    assert result["groups"]["station_reach"]["totals"]["longest_minutes"] == pytest.approx(
        minutes(max(distances)), abs=0.11
    )
    none = by_commune(premises, lambda p: p.alarm == "none")
    total = by_commune(premises)
    shares = {k: r["share_pct"] for k, r in rows_by_key(result, "premises_by_commune").items()}
    assert shares == pytest.approx({k: round(100 * none[k] / total[k], 2) for k in total}, abs=0.01)
    fired = {a["commune"] for a in alerts_of(result, "premises_by_commune")}
    assert fired == {k for k in total if 100 * none[k] / total[k] > 10}
    assert {a["commune"] for a in alerts_of(result, "station_reach")} == set(late)
    for alert in alerts_of(result, "station_reach"):
        assert commune_name(alert["commune"]) in alert["message"]


def test_the_old_fire_scenario_now_names_the_nearest_station(api):
    result = run(api, "fire", {"type": "commune", "code": "26068"})
    rows = result["groups"]["stations"]["rows"]
    stations = [(s.geom.x, s.geom.y) for s in m.FireStation.objects.all()]
    for row in rows[:20]:
        fire = m.Incident.objects.get(id=row["key"])
        assert row["nearest_distance_m"] == pytest.approx(nearest([(fire.geom.x, fire.geom.y)], stations)[0], abs=0.5)


def test_urban_order_reports_feed_the_scenario(api, area):
    body, shape = area
    seeded_reports()
    result = run(api, "urban_order", body, {"days": 60})
    reports = inside(shape, FieldReport.objects.filter(category__code__in=ORDER_CODES))
    counts = by_commune(reports)
    rows = rows_by_key(result, "reports_by_commune")
    assert {k: r["count"] for k, r in rows.items()} == counts and sum(counts.values()) > 0
    live = list(m.Camera.objects.filter(status="live"))
    blind = coverage(reports, live, lambda d: d <= 300)
    got = {k: r["uncovered"] for k, r in rows_by_key(result, "camera_coverage").items() if r["uncovered"]}
    assert got == blind
    assert {a["commune"] for a in alerts_of(result, "reports_by_commune", "count")} == {
        k for k, n in counts.items() if n >= 3
    }
    names = Counter(r.category.name for r in reports)
    assert {r["key"]: r["count"] for r in result["groups"]["reports_by_service"]["rows"]} == dict(names)
    for alert in result["alerts"]:
        assert alert["commune"] and commune_name(alert["commune"]) in alert["message"]


def test_a_new_report_raises_the_urban_order_alert(api):
    """The reports feed the scenario: three fresh reports in a commune with none raise its alert."""
    body = {"type": "commune", "code": "26068"}
    FieldReport.objects.filter(commune_code="26068").delete()
    before = run(api, "urban_order", body, {"days": 1, "max_reports": 3})
    assert not alerts_of(before, "reports_by_commune", "count")
    seeded_reports(per_commune=1)  # five urban-order reports land in the ward
    after = run(api, "urban_order", body, {"days": 1, "max_reports": 3})
    fired = alerts_of(after, "reports_by_commune", "count")
    expected = FieldReport.objects.filter(commune_code="26068", category__code__in=ORDER_CODES).count()
    assert [a["commune"] for a in fired] == ["26068"] and fired[0]["value"] == expected >= 5
    assert fired[0]["message"].startswith("Phường Biên Hòa: ")
