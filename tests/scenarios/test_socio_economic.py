"""The socio-economic scenario (004 §IV.5a) on a commune, a drawn polygon and the province: every figure against
an independent computation (own SQL over the indicator values, shapely over the layers' rows), and alerts that
name the commune, project or task."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from shapely import wkb
from shapely.geometry import box, mapping
from shapely.ops import unary_union

from geodata import models as m
from tests.scenarios.conftest import BIEN_HOA, commune_shape

pytestmark = pytest.mark.django_db
PERIOD, AS_OF = "2026-08", dt.date(2026, 10, 31)
PARAMS = {"period": PERIOD, "as_of": AS_OF.isoformat()}


def shp(geom):
    return wkb.loads(bytes(geom.wkb))


@pytest.fixture(scope="module")
def communes(django_db_blocker):
    with django_db_blocker.unblock():
        return {c.code: (c.name, shp(c.geom)) for c in m.Commune.objects.all()}


@pytest.fixture(params=["commune", "polygon", "province"])
def area(request, communes):
    """(area body, shapely shape) of Biên Hòa ward, a drawn box across several communes, the province."""
    if request.param == "commune":
        return {"type": "commune", "code": BIEN_HOA}, commune_shape(BIEN_HOA)
    if request.param == "polygon":
        centre = commune_shape(BIEN_HOA).centroid
        drawn = box(centre.x - 0.05, centre.y - 0.04, centre.x + 0.05, centre.y + 0.04)
        return {"type": "polygon", "geometry": mapping(drawn)}, drawn
    return {"type": "province"}, unary_union([g for _, g in communes.values()])


def run(api, area_body):
    response = api("t_admin").post(
        "/api/scenarios/socio_economic/run",
        json.dumps({"area": area_body, "params": PARAMS}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content[:400]
    return response.json()


def in_area(shape, communes) -> set[str]:
    return {code for code, (_, g) in communes.items() if shape.intersection(g).area > 1e-9}


def sql_value(query: str, params) -> float:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()[0]


def indicator_sum(code: str, periods: list[str], codes: set[str]) -> float:
    return sql_value(
        """SELECT coalesce(sum(v.value), 0) FROM geodata_indicatorvalue v JOIN geodata_indicator i ON i.id = v.indicator_id
        WHERE i.code = %s AND v.period = ANY(%s) AND v.commune_code = ANY(%s)""",
        [code, periods, sorted(codes)],
    )


def target_sum(code: str, year: int, codes: set[str]) -> float:
    return sql_value(
        """SELECT coalesce(sum(t.value), 0) FROM geodata_indicatortarget t JOIN geodata_indicator i ON i.id = t.indicator_id
        WHERE i.code = %s AND t.year = %s AND t.commune_code = ANY(%s)""",
        [code, year, sorted(codes)],
    )


MONTHS = [f"2026-{k:02d}" for k in range(1, 9)]


def test_budget_investment_and_trade_figures(api, area, communes):
    body, shape = area
    result = run(api, body)
    codes = in_area(shape, communes)
    assert {c["code"] for c in result["communes"]} == codes
    groups = result["groups"]
    for step, code in (
        ("budget_revenue", "NS_THU"),
        ("budget_expenditure", "NS_CHI"),
        ("investment_capital", "DT_VON_DK"),
    ):
        totals = groups[step]["totals"]
        value, target = indicator_sum(code, MONTHS, codes), target_sum(code, 2026, codes)
        assert totals["value"] == pytest.approx(value, abs=1e-3) and totals["target"] == pytest.approx(target, abs=1e-3)
        assert totals["achieved_pct"] == pytest.approx(100 * value / target, abs=0.01)
        assert totals["expected_pct"] == pytest.approx(100 * 8 / 12, abs=0.01)
        assert {r["commune"] for r in groups[step]["rows"]} == codes
    exports = groups["exports"]["totals"]
    assert exports["value"] == pytest.approx(indicator_sum("XK_KIM_NGACH", [PERIOD], codes), abs=1e-3)
    assert exports["last_year"] == pytest.approx(indicator_sum("XK_KIM_NGACH", ["2025-08"], codes), abs=1e-3)
    last_ytd = indicator_sum("XK_KIM_NGACH", [f"2025-{k:02d}" for k in range(1, 9)], codes)
    assert exports["ytd_last_year"] == pytest.approx(last_ytd, abs=1e-3)
    # each budget shortfall alert names its commune, and only communes behind the declared pace raise one
    behind = {
        r["commune"] for r in groups["budget_revenue"]["rows"] if r["pace_pct"] is not None and r["pace_pct"] < -10
    }
    raised = [a for a in result["alerts"] if a["step"] == "budget_revenue"]
    assert {a["commune"] for a in raised} == behind
    for a in raised:
        assert a["message"].startswith(communes[a["commune"]][0])


def _covered(shape, geom) -> bool:
    g = shp(geom)
    return shape.intersects(g) and not shape.touches(g)


def test_key_projects_slow_and_late_flags(api, area):
    body, shape = area
    result = run(api, body)
    year_gone = 100 * AS_OF.timetuple().tm_yday / 365
    expected = {}
    projects = [p for p in m.KeyProject.objects.all() if _covered(shape, p.geom)]
    for p in projects:
        done = p.status == "completed"
        overdue = not done and p.planned_end_on < AS_OF
        scheduled = min(100, 100 * max(0, (AS_OF - p.start_on).days) / max(1, (p.planned_end_on - p.start_on).days))
        late = not done and p.progress_pct < scheduled - 20
        slow = not done and 100 * p.disbursed_bn / p.capital_plan_bn < year_gone - 15
        if overdue or late or slow:
            expected[str(p.pk)] = (overdue, late, slow, p.name)
    step = result["groups"]["public_investment"]
    assert {r["key"]: (r["overdue"], r["late"], r["slow"], r["label"]) for r in step["rows"]} == expected
    assert step["totals"]["count"] == len(projects)
    assert step["totals"]["plan"] == pytest.approx(sum(p.capital_plan_bn for p in projects), abs=0.01)
    assert step["totals"]["spent"] == pytest.approx(sum(p.disbursed_bn for p in projects), abs=0.01)
    for a in (a for a in result["alerts"] if a["step"] == "public_investment"):
        assert expected[a["key"]][3] in a["message"]
    if area[0]["type"] == "province":
        assert any(v[2] for v in expected.values()) and any(v[1] or v[0] for v in expected.values())


def test_tasks_overdue_and_late(api, area):
    body, shape = area
    result = run(api, body)
    tasks = [t for t in m.AssignedTask.objects.all() if shape.contains(shp(t.geom))]
    expected = {}
    for t in tasks:
        overdue = t.status == "in_progress" and t.deadline < AS_OF
        late = t.completed_on is not None and t.completed_on > t.deadline
        if overdue or late:
            expected[str(t.pk)] = (overdue, late, t.title)
    step = result["groups"]["tasks"]
    assert {r["key"]: (r["overdue"], r["late"], r["label"]) for r in step["rows"]} == expected
    assert step["totals"]["overdue"] == sum(v[0] for v in expected.values())
    alerts = [a for a in result["alerts"] if a["step"] == "tasks"]
    assert {a["key"] for a in alerts if a["metric"] == "overdue"} == {k for k, v in expected.items() if v[0]}
    for a in alerts:
        assert expected[a["key"]][2] in a["message"]
    if body["type"] == "province":
        assert any(v[0] for v in expected.values()) and any(v[1] for v in expected.values())


def test_enterprise_dissolutions_rise_is_flagged_by_commune(api, area, communes):
    body, shape = area
    result = run(api, body)
    since, before = AS_OF - dt.timedelta(days=60), AS_OF - dt.timedelta(days=120)
    now_, prev = {}, {}
    for e in m.Enterprise.objects.filter(status="dissolved", status_changed_on__gte=before):
        if not shape.contains(shp(e.geom)):
            continue
        bucket = now_ if e.status_changed_on >= since else prev
        bucket[e.commune_code] = bucket.get(e.commune_code, 0) + 1
    step = result["groups"]["dissolutions"]
    assert {r["key"]: (r["count"], r["previous"]) for r in step["rows"]} == {
        k: (now_.get(k, 0), prev.get(k, 0)) for k in set(now_) | set(prev)
    }
    abnormal = {k for k, n in now_.items() if n >= 5 and (prev.get(k, 0) == 0 or n >= 2 * prev.get(k, 0))}
    flagged = [a for a in result["alerts"] if a["step"] == "dissolutions"]
    assert {a["commune"] for a in flagged} == abnormal
    for a in flagged:
        assert a["message"].startswith(communes[a["commune"]][0])
    if body["type"] == "province":
        assert len(abnormal) >= 2  # the sample's two seeded communes


def test_a_bad_period_is_a_400(api):
    response = api("t_admin").post(
        "/api/scenarios/socio_economic/run",
        json.dumps({"area": {"type": "province"}, "params": {"period": "2026-Q1"}}),
        content_type="application/json",
    )
    assert response.status_code == 400 and set(response.json()) == {"code", "description"}
