"""The issue-15 resource and service scenarios (resource extraction, education, health) on a commune, a drawn
polygon and the province: figures against an independent computation over an ORM export of the same rows."""

from __future__ import annotations

import datetime as dt
import io
import math
from collections import defaultdict

import pytest

from geodata import models as m
from reports.models import FieldReport
from tests.scenarios.conftest import BIEN_HOA, geos_point
from tests.scenarios.sectors import (
    alerts_of,
    area_of,
    commune_name,
    inside,
    rows_by_key,
    run,
    seeded_reports,
    shp,
)
from tests.scenarios.world import at, square

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["commune", "polygon", "province"])
def area(request, db):
    return area_of(request.param)


def ward_mine() -> dict[str, int]:
    """A licence in force and an expired one in Biên Hòa ward, with activity inside each and outside both."""
    origin = shp(m.Commune.objects.get(code=BIEN_HOA).geom).representative_point()
    origin = (origin.x, origin.y)
    common = {"holder": "Công ty thử", "mineral": "sand", "commune_code": BIEN_HOA, "valid_from": dt.date(2020, 1, 1)}
    m.MiningLicence.objects.create(
        licence_no="T-1/GP", valid_until=dt.date(2030, 1, 1), geom=square(origin, 0, 0, 200), **common
    )
    m.MiningLicence.objects.create(licence_no="T-2/GP", valid_until=dt.date(2026, 3, 1), geom=square(origin, 400, 0, 200), **common)  # fmt: skip
    made = {}
    for name, (east, north) in {"in_force": (100, 100), "expired": (500, 100), "outside": (100, 600)}.items():
        made[name] = m.MiningActivity.objects.create(
            mineral="sand", observed_on=dt.date(2026, 9, 1), source="inspection", commune_code=BIEN_HOA,
            geom=geos_point(*at(origin, east, north)),
        ).id  # fmt: skip
    return made


def expected_violations(shape) -> dict[str, tuple[int, int]]:
    """{activity id: (outside, expired)} for activity in the area inside no licence in force on its date."""
    licences = [(shp(lic.geom), lic) for lic in m.MiningLicence.objects.all()]
    found = {}
    for act in inside(shape, m.MiningActivity.objects.all()):
        point = shp(act.geom)
        containing = [lic for g, lic in licences if g.intersects(point)]
        if any(lic.valid_from <= act.observed_on <= lic.valid_until for lic in containing):
            continue
        found[str(act.id)] = (0, 1) if containing else (1, 0)
    return found


def test_resource_extraction(api, area):
    body, shape = area
    made = ward_mine()
    seeded_reports()
    result = run(api, "resource_extraction", body, {"days": 3650})
    expected = expected_violations(shape)
    rows = rows_by_key(result, "unlicensed_activity")
    assert {k: (r["outside"], r["expired"]) for k, r in rows.items()} == expected
    assert expected[str(made["outside"])] == (1, 0) and expected[str(made["expired"])] == (0, 1)
    assert str(made["in_force"]) not in rows
    assert {a["key"] for a in alerts_of(result, "unlicensed_activity", "outside")} == {
        k for k, v in expected.items() if v[0]
    }
    for alert in alerts_of(result, "unlicensed_activity"):
        assert f"({commune_name(alert['commune'])})" in alert["message"] and alert["severity"] == "high"
    reports = inside(shape, FieldReport.objects.filter(category__code="illegal_mining"))
    licences = [shp(lic.geom) for lic in m.MiningLicence.objects.filter(valid_until__gte=dt.date.today())]
    off = {str(r.id) for r in reports if not any(g.intersects(shp(r.geom)) for g in licences)}
    assert set(rows_by_key(result, "reports_outside")) == off and off
    counts = defaultdict(int)
    for r in reports:
        counts[r.commune_code] += 1
    assert {k: r["count"] for k, r in rows_by_key(result, "reports_by_commune").items()} == dict(counts)


def loads(rows, key, numerator: str, means: tuple[str, ...], norms: dict[str, float]) -> dict[str, dict]:
    """Independent Load: sums per key, ratios, and the units missing feature by feature."""
    found: dict[str, dict] = {}
    for row in rows:
        group = found.setdefault(key(row), defaultdict(float))
        group[numerator] += getattr(row, numerator)
        for mean in means:
            group[mean] += getattr(row, mean)
            if mean in norms:
                group[f"shortage_{mean}"] += max(
                    0, math.ceil(getattr(row, numerator) / norms[mean]) - getattr(row, mean)
                )
    return found


def check_load(result, step, expected, numerator, means, metrics):
    rows = rows_by_key(result, step)
    assert set(rows) == set(expected)
    for key, row in rows.items():
        want = expected[key]
        assert row[numerator] == want[numerator]
        for mean, metric in zip(means, metrics):
            assert row[mean] == want[mean]
            assert row[metric] == (pytest.approx(want[numerator] / want[mean], abs=1e-3) if want[mean] else None)
            if f"shortage_{mean}" in want:
                assert row[f"shortage_{mean}"] == want[f"shortage_{mean}"]


def test_education(api, area):
    body, shape = area
    result = run(api, "education", body)
    schools = inside(shape, m.School.objects.all())
    assert schools
    means, metrics = ("teachers", "classrooms"), ("pupils_per_teacher", "pupils_per_classroom")
    norms = {"teachers": 20, "classrooms": 35}
    by_school = loads(schools, lambda s: str(s.id), "students", means, norms)
    check_load(result, "by_school", by_school, "students", means, metrics)
    by_commune = loads(schools, lambda s: s.commune_code, "students", means, norms)
    check_load(result, "by_commune", by_commune, "students", means, metrics)
    check_load(
        result, "by_level", loads(schools, lambda s: s.level, "students", means, norms), "students", means, metrics
    )
    crowded = {str(s.id) for s in schools if s.students / s.classrooms > 45}
    assert {a["key"] for a in alerts_of(result, "by_school", "pupils_per_classroom")} == crowded
    short = {k for k, v in by_commune.items() if v["shortage_teachers"] >= 10}
    assert {a["key"] for a in alerts_of(result, "by_commune")} == short
    labels = {r["key"]: r["label"] for r in result["groups"]["by_level"]["rows"]}
    assert "primary" not in labels.values() and labels.get("primary", "Tiểu học") == "Tiểu học"
    for alert in alerts_of(result, "by_school"):
        school = m.School.objects.get(id=alert["key"])
        assert alert["message"].startswith(f"{school.name} ({commune_name(school.commune_code)}): ")


def test_health_load(api, area):
    body, shape = area
    result = run(api, "health_load", body)
    facilities = inside(shape, m.HealthFacility.objects.all())
    assert facilities
    means, metrics = ("beds", "doctors"), ("patients_per_bed", "patients_per_doctor")
    norms = {"beds": 1, "doctors": 8}
    by_facility = loads(facilities, lambda f: str(f.id), "inpatients", means, norms)
    check_load(result, "by_facility", by_facility, "inpatients", means, metrics)
    by_commune = loads(facilities, lambda f: f.commune_code, "inpatients", means, norms)
    check_load(result, "by_commune", by_commune, "inpatients", means, metrics)
    overloaded = {str(f.id) for f in facilities if f.beds and f.inpatients / f.beds > 1.0}
    assert {a["key"] for a in alerts_of(result, "by_facility", "patients_per_bed")} == overloaded
    high = {str(f.id) for f in facilities if f.beds and round(f.inpatients / f.beds, 3) > 1.2}  # high_at, same op
    assert {a["key"] for a in alerts_of(result, "by_facility", "patients_per_bed") if a["severity"] == "high"} == high
    assert all(a["commune"] for a in result["alerts"])


def test_a_threshold_parameter_changes_the_alerts(api):
    """Raising the overload threshold above every facility's load silences the alerts."""
    body = {"type": "province"}
    assert alerts_of(run(api, "health_load", body), "by_facility", "patients_per_bed")
    quiet = run(api, "health_load", body, {"max_per_bed": 9.0, "max_per_doctor": 499.0})
    assert not alerts_of(quiet, "by_facility")


NEW_SCENARIOS = ("traffic_congestion", "traffic_safety", "civil_defence", "fire_coverage", "urban_order",
                 "resource_extraction", "education", "health_load")  # fmt: skip


@pytest.mark.parametrize("scenario", NEW_SCENARIOS)
def test_the_new_scenarios_export_to_xlsx_pdf_and_html(api, scenario):
    from openpyxl import load_workbook

    ward_mine()
    result = run(api, scenario, {"type": "commune", "code": BIEN_HOA})
    base = f"/api/scenarios/{scenario}/runs/{result['run_id']}/export?format="
    book = load_workbook(io.BytesIO(api("t_admin").get(base + "xlsx").content))
    cells = {str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None}
    assert all(a["message"] in cells for a in result["alerts"][:5])
    assert api("t_admin").get(base + "pdf").content.startswith(b"%PDF")
    assert api("t_admin").get(base + "html").status_code == 200
