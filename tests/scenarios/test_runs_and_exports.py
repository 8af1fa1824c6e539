"""Runs with history and scope, the three levels, OGC API - Processes, and the XLSX/PDF/HTML exports."""

import io
import json
import re

import numpy as np
import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from scenarios.models import ScenarioRun
from scenarios.sectors import all_specs
from tests.scenarios import world as fixtures
from tests.scenarios.conftest import BIEN_HOA

pytestmark = pytest.mark.django_db
WARD = {"type": "commune", "code": BIEN_HOA}


def post(api, user, url, body):
    return api(user).post(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def world(db):
    return fixtures.build()


def test_scenario_list_declares_the_twelve_with_steps_params_and_schedule(api):
    listed = api("t_leader").get("/api/scenarios").json()["scenarios"]
    declared = [spec.id for spec in all_specs()]  # the 12 of Plan 116, the 8 sectors of issue 15, socio-economic
    assert [s["id"] for s in listed] == declared and len(set(declared)) == len(declared) == 21
    assert all(s["steps"] and s["layers"] and s["runnable"] for s in listed)
    welfare = next(s for s in listed if s["id"] == "social_welfare")
    assert {"unit_cost_vnd", "point_radius_m"} <= {p["name"] for p in welfare["params"]}
    anonymous = {s["id"]: s["runnable"] for s in api().get("/api/scenarios").json()["scenarios"]}
    assert not any(anonymous.values())


def test_runs_are_kept_with_their_inputs_and_visible_only_in_the_same_scope(api, world):
    first = post(
        api, "t_leader", "/api/scenarios/social_welfare/run", {"area": WARD, "params": {"unit_cost_vnd": 1}}
    ).json()
    second = post(
        api,
        "t_leader",
        "/api/scenarios/social_welfare/run",
        {"area": {"type": "point", "point": list(world.anchor)}, "level": "on_demand"},
    ).json()
    history = api("t_leader").get("/api/scenarios/social_welfare/runs").json()["runs"]
    assert [r["run_id"] for r in history[:2]] == [second["run_id"], first["run_id"]]
    assert history[1]["params"]["unit_cost_vnd"] == 1 and history[1]["area"] == WARD and history[1]["level"] == "ad_hoc"
    assert history[0]["level"] == "on_demand"
    again = api("t_leader").get(f"/api/scenarios/social_welfare/runs/{first['run_id']}").json()
    assert again["groups"] == first["groups"] and again["map"]["geojson"]["features"]
    staff_run = post(api, "t_commune", "/api/scenarios/social_welfare/run", {"area": WARD}).json()
    assert api("t_commune").get(f"/api/scenarios/social_welfare/runs/{first['run_id']}").status_code == 404
    assert api("t_leader").get(f"/api/scenarios/social_welfare/runs/{staff_run['run_id']}").status_code == 404
    assert api("t_commune").get(f"/api/scenarios/social_welfare/runs/{staff_run['run_id']}").status_code == 200


def test_bad_runs_are_400s(api):
    assert (
        post(
            api, "t_admin", "/api/scenarios/fire/run", {"area": {"type": "radius", "center": [106, 10], "radius_m": -1}}
        ).status_code
        == 400
    )
    assert (
        post(api, "t_admin", "/api/scenarios/fire/run", {"area": WARD, "params": {"days": "many"}}).status_code == 400
    )
    assert post(api, "t_admin", "/api/scenarios/fire/run", {"area": WARD, "params": {"nope": 1}}).status_code == 400
    assert post(api, "t_admin", "/api/scenarios/fire/run", {"area": WARD, "level": "periodic"}).status_code == 400
    assert post(api, "t_admin", "/api/scenarios/nope/run", {"area": WARD}).status_code == 404


def test_periodic_runs_follow_each_scenarios_schedule(world):
    out = io.StringIO()
    call_command("scenarios_run_due", scenario=["ocop_products", "camera_coverage"], stdout=out)
    assert ScenarioRun.objects.filter(level="periodic").count() == 2 and "ocop_products: run" in out.getvalue()
    run = ScenarioRun.objects.get(level="periodic", scenario_id="ocop_products")
    assert run.area == {"type": "province"} and len(run.result["communes"]) == 95
    call_command("scenarios_run_due", scenario=["ocop_products"], stdout=io.StringIO())
    assert ScenarioRun.objects.filter(level="periodic").count() == 2  # not due again yet
    call_command("scenarios_run_due", scenario=["ocop_products"], force=True, stdout=io.StringIO())
    assert ScenarioRun.objects.filter(level="periodic").count() == 3


def test_processes_describe_and_execute_scenarios_as_jobs(api, world):
    processes = api().get("/ogcapi/processes").json()["processes"]
    assert [p["id"] for p in processes] == [spec.id for spec in all_specs()] and len(processes) == 21
    description = api().get("/ogcapi/processes/street_lighting").json()
    assert set(description["inputs"]) == {"area", "params"} and "sync-execute" in description["jobControlOptions"]
    assert "max_fault_pct" in description["inputs"]["params"]["schema"]["properties"]
    response = post(
        api,
        "t_planner",
        "/ogcapi/processes/street_lighting/execution",
        {"inputs": {"area": WARD}, "response": "document"},
    )
    assert response.status_code == 200
    job = response["Location"].rsplit("/", 1)[1]
    status = api("t_planner").get(f"/ogcapi/jobs/{job}").json()
    assert status["status"] == "successful" and status["processID"] == "street_lighting"
    results = api("t_planner").get(f"/ogcapi/jobs/{job}/results").json()["result"]
    assert results["groups"] == response.json()["result"]["groups"] and results["level"] == "on_demand"
    assert post(api, None, "/ogcapi/processes/street_lighting/execution", {"inputs": {"area": WARD}}).status_code == 401
    assert post(api, "t_planner", "/ogcapi/processes/street_lighting/execution", {"area": WARD}).status_code == 400


@pytest.fixture
def tourism_run(api, world):
    body = post(api, "t_leader", "/api/scenarios/tourism_festivals/run", {"area": WARD}).json()
    assert body["alerts"]
    return body


def export(api, run, fmt, user="t_leader"):
    return api(user).get(f"/api/scenarios/{run['scenario']}/runs/{run['run_id']}/export?format={fmt}")


def test_xlsx_export_has_the_groups_and_alerts(api, tourism_run):
    book = load_workbook(io.BytesIO(export(api, tourism_run, "xlsx").content))
    assert {"visitor_load", "alerts", "indicator_alerts"} <= set(book.sheetnames)
    alerts = list(book["alerts"].values)
    assert alerts[0][:2] == ("severity", "label") and len(alerts) - 1 == len(tourism_run["alerts"])
    load_rows = list(book["visitor_load"].values)[2:]
    assert len(load_rows) == len(tourism_run["groups"]["visitor_load"]["rows"])


def test_pdf_export_renders_vietnamese_and_a_map_page(api, tourism_run):
    reader = PdfReader(io.BytesIO(export(api, tourism_run, "pdf").content))
    assert "Du lịch, lễ hội" in reader.pages[0].extract_text() and "Cảnh báo" in "".join(
        p.extract_text() for p in reader.pages
    )
    map_page = reader.pages[-1]
    assert "Bản đồ kết quả" in map_page.extract_text()
    image = np.asarray(map_page.images[0].image.convert("L"))
    assert image.shape[0] > 300 and (image < 200).mean() > 0.01  # something drawn, not a blank page


def test_html_export_is_an_offline_map_with_the_figures(api, tourism_run):
    html = export(api, tourism_run, "html").content.decode()
    assert "L.map(" in html and "Leaflet 1.9.4" in html and "Tải lượng khách" in html
    assert not re.search(
        r"""<(script|link|img|iframe)[^>]*(src|href)\s*=\s*["']?(https?:)?//""", html
    )  # nothing loaded
    assert not re.search(r"cdn\.|unpkg|jsdelivr|cdnjs|bootstrapcdn|code\.jquery", html)
    assert html.count("circleMarker") >= len(tourism_run["map"]["geojson"]["features"])
    assert export(api, tourism_run, "docx").status_code == 400


def test_exports_are_as_protected_as_the_runs(api, world):
    run = post(api, "t_leader", "/api/scenarios/social_welfare/run", {"area": WARD}).json()
    assert export(api, run, "xlsx", "t_dept_construction").status_code == 403  # cannot read houses
    assert export(api, run, "html", "t_commune").status_code == 404  # another scope
    assert api().get(f"/api/scenarios/social_welfare/runs/{run['run_id']}/export?format=pdf").status_code == 401


def test_commune_staff_runs_count_only_their_communes_protected_rows(api, world):
    from geodata.models import House
    from tests.scenarios.conftest import house

    lon, lat = fixtures.at(world.anchor, 100, 1950)
    house(lon, lat, commune="26017", status="temporary_house")  # stored in another commune, inside the polygon
    area = {
        "type": "polygon",
        "geometry": {"type": "Polygon", "coordinates": [list(map(list, world.drawn.exterior.coords))]},
    }
    staff = post(api, "t_commune", "/api/scenarios/social_welfare/run", {"area": area}).json()
    leader = post(api, "t_leader", "/api/scenarios/social_welfare/run", {"area": area}).json()
    staff_keys = {r["key"] for r in staff["groups"]["temporary_by_commune"]["rows"]}
    leader_keys = {r["key"] for r in leader["groups"]["temporary_by_commune"]["rows"]}
    assert staff_keys == {BIEN_HOA} and "26017" in leader_keys
    expected = House.objects.filter(
        commune_code=BIEN_HOA, status="temporary_house", geom__intersects=fixtures_polygon(world)
    ).count()
    assert staff["groups"]["temporary_by_commune"]["totals"]["count"] == expected


def fixtures_polygon(world):
    from tests.scenarios.conftest import geos

    return geos(world.drawn)
