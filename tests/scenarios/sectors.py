"""Helpers of the tests of the issue-15 sector scenarios: the three kinds of area, an independent export of the
rows in an area (shapely over the ORM), geodesic nearest distances (pyproj), and seeded citizen reports."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import defaultdict

import numpy as np
from django.utils import timezone
from shapely import wkb
from shapely.geometry import box, mapping
from shapely.ops import unary_union

from geodata import models as m
from tests.scenarios.conftest import BIEN_HOA, GEOD, commune_shape, points_in

COMMUNE_NAMES: dict[str, str] = {}


def area_of(kind: str):
    """(area body, shapely shape): Biên Hòa ward, a drawn box across several communes around it, the province."""
    if kind == "commune":
        return {"type": "commune", "code": BIEN_HOA}, commune_shape(BIEN_HOA)
    if kind == "polygon":
        centre = commune_shape(BIEN_HOA).centroid
        drawn = box(centre.x - 0.06, centre.y - 0.05, centre.x + 0.06, centre.y + 0.05)
        return {"type": "polygon", "geometry": mapping(drawn)}, drawn
    province = unary_union([wkb.loads(bytes(p.geom.wkb)) for p in m.Province.objects.all()])
    return {"type": "province"}, province


def run(api, scenario: str, area_body: dict, params: dict | None = None, user: str = "t_admin") -> dict:
    """POST a run and return its result (201 expected)."""
    response = api(user).post(
        f"/api/scenarios/{scenario}/run",
        json.dumps({"area": area_body, "params": params or {}}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content[:500]
    return response.json()


def shp(geom):
    return wkb.loads(bytes(geom.wkb))


def inside(shape, queryset) -> list:
    """Rows of a queryset whose geometry enters the area (points inside, lines and polygons through it)."""
    prepared = shape
    return [r for r in queryset if prepared.intersects(g := shp(r.geom)) and not prepared.touches(g)]


def by_commune(rows, value=lambda r: 1) -> dict[str, float]:
    """Sum of value(row) per commune code."""
    found: dict[str, float] = defaultdict(float)
    for row in rows:
        found[row.commune_code] += value(row)
    return dict(found)


def nearest(sources: list[tuple[float, float]], targets: list[tuple[float, float]]) -> list[float]:
    """Geodesic distance (WGS 84) from each source point to its nearest target point."""
    if not targets:
        return [math.inf] * len(sources)
    tx, ty = np.array([t[0] for t in targets]), np.array([t[1] for t in targets])
    found = []
    for x, y in sources:
        _, _, d = GEOD.inv(np.full_like(tx, x), np.full_like(ty, y), tx, ty)
        found.append(float(d.min()))
    return found


def rows_by_key(result: dict, step: str) -> dict[str, dict]:
    return {r["key"]: r for r in result["groups"][step]["rows"]}


def alerts_of(result: dict, step: str, metric: str | None = None) -> list[dict]:
    return [a for a in result["alerts"] if a["step"] == step and (metric is None or a["metric"] == metric)]


def commune_name(code: str) -> str:
    if not COMMUNE_NAMES:
        COMMUNE_NAMES.update(m.Commune.objects.values_list("code", "name"))
    return COMMUNE_NAMES[code]


def seeded_reports(per_commune: int = 6) -> None:
    """The reports app's own seeded synthetic reports (every category, every commune), inside the test, and a
    few more of the scenarios' categories at seeded points of Biên Hòa ward."""
    from reports import sample

    sample.generate(per_commune=per_commune, seed=1507, days=20)
    ward = commune_shape(BIEN_HOA)
    for n, code in ((5, "urban_order"), (3, "traffic_congestion"), (2, "illegal_mining")):
        reports_at(code, points_in(ward, n, seed=len(code)), BIEN_HOA)


def reports_at(category_code: str, points: list[tuple[float, float]], commune_code: str) -> list[int]:
    """Copies of a sample report, of that category, at the points (the reports app's rows, inside the test)."""
    from django.contrib.gis.geos import Point

    from reports.models import FieldReport, ServiceCategory

    category = ServiceCategory.objects.get(code=category_code)
    name = m.Commune.objects.get(code=commune_code).name
    made = []
    for i, (x, y) in enumerate(points):
        report = FieldReport.objects.first()
        report.pk, report.token_digest, report.category = None, f"h15c-{category_code}-{x}-{i}", category
        report.geom, report.commune_code, report.commune_name = Point(x, y, srid=4326), commune_code, name
        report.requested_at = timezone.now() - dt.timedelta(hours=1)  # fresh: inside any window
        report.save()
        made.append(report.pk)
    return made
