"""Outbreak clusters are built from active cases (not resolved) inside the time window and the distance given as
parameters. Reference: a plain DBSCAN written here over the ORM's rows, distances in UTM 48N (pyproj)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from pyproj import Transformer

from geodata import models as m
from geodata.sample import REFERENCE_TIME
from mapserver.principal import Principal
from scenarios import sectors
from scenarios.runner import run_scenario
from tests.scenarios.conftest import commune_shape, geos_point, points_in
from tests.scenarios.world import at

pytestmark = pytest.mark.django_db
ADMIN = Principal(username="t_clusters", role="admin")
TO_UTM = Transformer.from_crs("EPSG:4326", "EPSG:32648", always_xy=True)
COMMUNE = "25279"


def dbscan(points: dict[int, tuple[float, float]], eps: float, min_points: int) -> list[set[int]]:
    """Clusters (sets of ids) of a textbook DBSCAN; border points join the first cluster that reaches them."""
    xy = {k: TO_UTM.transform(*p) for k, p in points.items()}

    def near(k):
        return [j for j in xy if (xy[j][0] - xy[k][0]) ** 2 + (xy[j][1] - xy[k][1]) ** 2 <= eps**2]

    label: dict[int, int] = {}
    clusters: list[set[int]] = []
    for k in sorted(xy):
        if k in label or len(near(k)) < min_points:
            continue
        clusters.append(set())
        queue = [k]
        while queue:
            q = queue.pop()
            if q in label:
                continue
            label[q] = len(clusters) - 1
            clusters[-1].add(q)
            neighbours = near(q)
            if len(neighbours) >= min_points:
                queue.extend(j for j in neighbours if j not in label)
    return clusters


def active_cases(end: dt.datetime, days: float) -> dict[int, tuple[float, float]]:
    rows = m.Incident.objects.filter(
        kind="epidemic", occurred_at__gte=end - dt.timedelta(days=days), occurred_at__lte=end
    ).exclude(status="resolved")
    return {i.pk: (i.geom.x, i.geom.y) for i in rows}


def outbreaks(params: dict) -> list[dict]:
    result = run_scenario(sectors.get("epidemic"), ADMIN, {"type": "province"}, params, "on_demand").result
    return result["groups"]["outbreaks"]["rows"], result


def test_sample_clusters_only_active_cases_of_the_window():
    until = REFERENCE_TIME.isoformat()
    for days, eps in ((14, 500), (60, 3000), (365, 10_000)):
        rows, _ = outbreaks({"until": until, "cluster_days": days, "cluster_m": eps, "min_points": 3})
        expected = dbscan(active_cases(REFERENCE_TIME, days), eps, 3)
        assert sorted(sorted(r["feature_ids"]) for r in rows) == sorted(sorted(c) for c in expected)
        members = {i for r in rows for i in r["feature_ids"]}
        assert not m.Incident.objects.filter(pk__in=members, status="resolved").exists()
    resolved = m.Incident.objects.filter(kind="epidemic", status="resolved").count()
    assert resolved > 100  # the sample's resolved cases exist, and none of them made a cluster


def test_inserted_cases_cluster_by_window_distance_and_status():
    origin = points_in(commune_shape(COMMUNE), 1, seed=15)[0]
    now = timezone.now()

    def case(east, north, days_ago, status="reported", cases=2):
        return m.Incident.objects.create(
            kind="epidemic",
            occurred_at=now - dt.timedelta(days=days_ago),
            status=status,
            severity=2,
            cases=cases,
            description="T-CLUSTER",
            geom=geos_point(*at(origin, east, north)),
            commune_code=COMMUNE,
        )

    active = [case(0, 0, 1, cases=4), case(150, 0, 2, cases=3), case(0, 150, 3), case(150, 150, 5, "responding")]
    case(75, 75, 2, "resolved", cases=50)  # resolved: never counted
    case(75, -75, 40, cases=50)  # outside a 14-day window
    rows, result = outbreaks({"cluster_days": 14, "cluster_m": 250, "min_points": 3, "outbreak_cases": 5})
    ours = [r for r in rows if set(r["feature_ids"]) & {i.pk for i in active}]
    assert len(ours) == 1 and set(ours[0]["feature_ids"]) == {i.pk for i in active}
    assert ours[0]["weight"] == sum(i.cases for i in active) == 11
    assert ours[0]["commune"] == COMMUNE
    alert = next(a for a in result["alerts"] if a["step"] == "outbreaks" and a["key"] == ours[0]["key"])
    name = m.Commune.objects.get(code=COMMUNE).name
    assert alert["commune"] == COMMUNE and alert["commune_name"] == name
    assert f"tại {name} ({COMMUNE}): 11 ca đang điều trị" in alert["message"]
    # closer than the cases lie apart: no cluster; a window that ends before them: no cluster
    rows, _ = outbreaks({"cluster_days": 14, "cluster_m": 100, "min_points": 3})
    assert not [r for r in rows if set(r["feature_ids"]) & {i.pk for i in active}]
    rows, _ = outbreaks({"cluster_days": 1, "cluster_m": 250, "min_points": 3})
    assert not [r for r in rows if set(r["feature_ids"]) & {i.pk for i in active}]
