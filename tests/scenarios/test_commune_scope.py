"""A commune run covers that commune only; a drawn area covers the communes it overlaps by a positive area.

The independent reference is shapely over the stored commune polygons (read through the ORM) and pyproj's
geodesic areas."""

from __future__ import annotations

import pytest
from pyproj import Geod
from shapely.geometry import mapping

from geodata.models import Commune
from mapserver.principal import Principal
from scenarios import sectors
from scenarios.runner import run_scenario
from tests.scenarios.conftest import commune_shape

pytestmark = pytest.mark.django_db
GEOD = Geod(ellps="WGS84")
DAK_O = "25225"
ADMIN = Principal(username="t_scope", role="admin")
# scenarios that report per commune: by-commune groups (points, lines, polygons) and indicator misses
REPORTING = ("social_welfare", "transport_assets", "land_management")


def reported_communes(result: dict) -> set[str]:
    """Every commune code a run's result names: communes covered, by-commune rows, alerts, indicator misses."""
    found = {c["code"] for c in result["communes"]}
    found |= {a["commune"] for a in result["alerts"] if a.get("commune")}
    found |= {a["commune"] for a in result["indicator_alerts"]}
    for group in result["groups"].values():
        for row in group["rows"]:
            if row.get("commune"):
                found.add(row["commune"])
    return found


def by_commune_keys(spec, result: dict) -> set[str]:
    steps = {s.id: s for s in spec.steps}
    return {
        row["key"]
        for step_id, group in result["groups"].items()
        if getattr(steps[step_id], "group_by", None) == "commune"
        for row in group["rows"]
    }


def geodesic_km2(geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(geometry)[0]) / 1e6


def test_dak_o_lists_no_touching_neighbour(api):
    ward = commune_shape(DAK_O)
    neighbours = [c.code for c in Commune.objects.exclude(code=DAK_O) if commune_shape(c.code).intersects(ward)]
    assert len(neighbours) >= 3  # the neighbours exist and touch it: the run must still not list them
    response = api("t_admin").post(
        "/api/scenarios/social_welfare/run",
        {"area": {"type": "commune", "code": DAK_O}},
        content_type="application/json",
    )
    assert response.status_code == 201
    run = response.json()
    assert [c["code"] for c in run["communes"]] == [DAK_O]
    assert run["communes"][0]["area_km2"] == pytest.approx(geodesic_km2(ward), rel=1e-3)
    assert {a["commune"] for a in run["indicator_alerts"]} <= {DAK_O}
    assert not set(neighbours) & reported_communes(run)


def test_no_commune_run_reports_another_commune():
    codes = list(Commune.objects.order_by("code").values_list("code", flat=True))
    assert len(codes) == 95
    leaks = {}
    for scenario in REPORTING:
        spec = sectors.get(scenario)
        for code in codes:
            result = run_scenario(spec, ADMIN, {"type": "commune", "code": code}, {}, "on_demand").result
            other = (reported_communes(result) | by_commune_keys(spec, result)) - {code}
            if other:
                leaks[(scenario, code)] = sorted(other)
    assert leaks == {}


def test_a_drawn_area_covers_the_communes_it_overlaps_by_a_positive_area():
    ward = commune_shape(DAK_O)
    result = run_scenario(
        sectors.get("social_welfare"), ADMIN, {"type": "polygon", "geometry": mapping(ward)}, {}, "on_demand"
    ).result
    size_m2 = geodesic_km2(ward) * 1e6
    expected = set()
    for commune in Commune.objects.all():
        overlap = commune_shape(commune.code).intersection(ward)
        if not overlap.is_empty and geodesic_km2(overlap) * 1e6 > min(100.0, 0.01 * size_m2):
            expected.add(commune.code)
    assert expected == {DAK_O}  # the slivers along its borders do not count
    assert {c["code"] for c in result["communes"]} == expected


def test_a_province_run_counts_the_houses_inside_it_near_its_border_too():
    import numpy as np
    import shapely
    from shapely import wkb

    from geodata.models import House, Province
    from tests.scenarios.conftest import house

    outline = wkb.loads(bytes(Province.objects.get().geom.wkb))
    ring = outline.boundary
    # beside the border, 100 m inside and 100 m outside (closer than the province's inner test polygon)
    for fraction in (0.1, 0.35, 0.6, 0.85):
        edge = ring.interpolate(fraction, normalized=True)
        for dx in (-0.0009, 0.0009):
            point = shapely.Point(edge.x + dx, edge.y)
            house(point.x, point.y, status="poor", address_code="T-EDGE")
    rows = list(House.objects.values_list("geom", "status"))
    xs, ys = np.array([g.x for g, _ in rows]), np.array([g.y for g, _ in rows])
    inside = shapely.contains_xy(outline, xs, ys) | shapely.intersects_xy(ring, xs, ys)
    expected: dict[str, int] = {}
    for (_, status), keep in zip(rows, inside):
        if keep:
            expected[status] = expected.get(status, 0) + 1
    edge_houses = House.objects.filter(address_code="T-EDGE")
    assert 0 < sum(outline.contains(shapely.Point(h.geom.x, h.geom.y)) for h in edge_houses) < edge_houses.count()
    result = run_scenario(sectors.get("social_welfare"), ADMIN, {"type": "province"}, {}, "on_demand").result
    assert {r["key"]: r["count"] for r in result["groups"]["houses_by_status"]["rows"]} == expected
