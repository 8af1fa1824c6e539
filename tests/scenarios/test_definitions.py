"""Adjustable scenarios: an administrator changes thresholds, indicators and schedules and defines new scenarios
through the API; validated, versioned, and in force for the next run without a restart."""

from __future__ import annotations

import copy
import json

import pytest
from django.db.models import Count

from geodata.models import Bridge, Indicator, OcopProduct
from scenarios import definitions, sectors, versions
from scenarios.models import ScenarioVersion

pytestmark = pytest.mark.django_db
PROVINCE = {"type": "province"}


@pytest.fixture(autouse=True)
def _shipped_declarations():
    """Each test starts from the shipped declarations (versions committed elsewhere are undone with the test)."""
    ScenarioVersion.objects.all().delete()


def send(api, user, method, url, body):
    return getattr(api(user), method)(url, json.dumps(body), content_type="application/json")


def run_alerts(api, scenario_id: str) -> dict[str, float]:
    """{group key: value} of the alerts of a fresh province run through the API."""
    response = send(api, "t_admin", "post", f"/api/scenarios/{scenario_id}/run", {"area": PROVINCE})
    assert response.status_code == 201, response.content
    return {a["key"]: a["value"] for a in response.json()["alerts"]}


def products_per_commune() -> dict[str, int]:
    """The independent count: OCOP products per commune code, straight from the table."""
    rows = OcopProduct.objects.values("commune_code").annotate(n=Count("id"))
    return {r["commune_code"]: r["n"] for r in rows}


def ocop_definition(api) -> dict:
    answer = api("t_admin").get("/api/scenarios/ocop_products/definition").json()
    return answer


def test_every_shipped_declaration_survives_its_document():
    """The document is the whole declaration: reading it back gives the same spec."""
    for spec in sectors.all_specs():
        assert definitions.from_document(json.loads(json.dumps(definitions.to_document(spec))), spec) == spec


def test_a_threshold_changed_through_the_api_changes_the_next_runs_alerts_and_is_in_the_history(api):
    counts = products_per_commune()
    before = run_alerts(api, "ocop_products")
    assert before == {c: n for c, n in counts.items() if n < 2}  # the shipped minimum: 2 products
    answer = ocop_definition(api)
    assert (answer["version"], answer["shipped"]) == (0, True)
    document = copy.deepcopy(answer["definition"])
    assert document["params"][0]["name"] == "min_products"
    threshold = sorted(counts.values())[len(counts) // 2]  # the median commune: about half miss it
    document["params"][0]["default"] = threshold
    saved = send(api, "t_admin", "put", "/api/scenarios/ocop_products/definition",
                 {"definition": document, "base_version": 0, "note": "mục tiêu mới"})  # fmt: skip
    assert saved.status_code == 200, saved.content
    assert saved.json()["version"] == 1 and saved.json()["definition"]["params"][0]["default"] == threshold
    after = run_alerts(api, "ocop_products")
    assert after == {c: n for c, n in counts.items() if n < threshold} and after != before
    history = api("t_leader").get("/api/scenarios/ocop_products/history").json()
    latest = history["versions"][0]
    assert (history["version"], latest["version"], latest["by"], latest["note"]) == (1, 1, "t_admin", "mục tiêu mới")
    assert latest["diff"] == [{"path": "params[0].default", "from": 2, "to": threshold}]
    assert history["versions"][-1]["version"] == 0  # the shipped declaration


def test_an_alert_rule_threshold_indicators_and_schedule_change_too(api):
    document = ocop_definition(api)["definition"]
    document["alerts"][0]["threshold"] = 1  # a literal instead of the parameter: fewer than 1 product
    document["schedule_minutes"] = 30
    code = Indicator.objects.order_by("code").values_list("code", flat=True).first()
    document["indicators"] = [code]
    saved = send(api, "t_admin", "put", "/api/scenarios/ocop_products/definition", {"definition": document})
    assert saved.status_code == 200, saved.content
    spec = versions.get("ocop_products")
    assert (spec.alerts[0].threshold, spec.schedule_minutes, spec.indicators) == (1, 30, (code,))
    assert run_alerts(api, "ocop_products") == {}  # every listed commune has at least one product
    paths = {d["path"] for d in ScenarioVersion.objects.get(scenario_id="ocop_products", version=1).diff}
    assert paths == {"alerts[0].threshold", "schedule_minutes", "indicators"}


def test_a_change_names_only_what_it_changes_and_a_change_to_nothing_makes_no_version(api):
    url = "/api/scenarios/ocop_products/definition"
    same = send(api, "t_admin", "put", url, {"definition": {"params": [{"name": "min_products", "default": 2}]}})
    assert same.status_code == 200 and same.json()["version"] == 0 and not ScenarioVersion.objects.exists()
    change = {"definition": {"params": [{"name": "min_products", "default": 3}], "schedule_minutes": 60}}
    saved = send(api, "t_admin", "put", url, change)
    assert saved.status_code == 200 and saved.json()["version"] == 1
    spec = versions.get("ocop_products")
    shipped = sectors.get("ocop_products")
    assert (spec.params[0].default, spec.schedule_minutes) == (3, 60)
    assert (spec.params[0].minimum, spec.params[0].maximum, spec.steps, spec.alerts) == (
        shipped.params[0].minimum,
        shipped.params[0].maximum,
        shipped.steps,
        shipped.alerts,
    )


def test_a_version_saved_by_another_process_is_in_force_at_the_next_lookup():
    """The runner reads the version in force from the database; nothing in this process is told of the change."""
    spec = versions.get("ocop_products")
    document = definitions.to_document(spec)
    document["params"][0]["default"] = 7
    ScenarioVersion.objects.create(scenario_id="ocop_products", version=1, definition=document, created_by="other")
    assert versions.get("ocop_products").params[0].default == 7
    assert next(s for s in versions.all_specs() if s.id == "ocop_products").params[0].default == 7


BAD_CHANGES = [
    (lambda d: d["steps"][0]["select"].update(layer="nope"), "steps[0].select.layer"),
    (lambda d: d["steps"][0].update(group_by="stars"), "steps"),  # a shipped scenario's steps are fixed
    (lambda d: d["params"][0].update(default=5000), "params[0].default"),  # above its maximum (1000)
    (lambda d: d["params"][0].update(default=float("inf")), None),  # not JSON: refused by the parser
    (lambda d: d["params"][0].update(maximum=10**6), "params"),  # the limits stay as shipped
    (lambda d: d.update(schedule_minutes=1), "schedule_minutes"),
    (lambda d: d["alerts"][0].update(step="nope"), "alerts[0].step"),
    (lambda d: d["alerts"][0].update(op="like"), "alerts[0].op"),
    (lambda d: d["alerts"][0].update(severity="urgent"), "alerts[0].severity"),
    (lambda d: d["alerts"][0].update(threshold="$nope"), "alerts[0].threshold"),
    (lambda d: d["alerts"][0].update(message="{label} {__class__}"), "alerts[0].message"),
    (lambda d: d.update(indicators=["NO_SUCH_CODE"]), "indicators[0]"),
    (lambda d: d.update(sector="astrology"), "sector"),
    (lambda d: d.update(extra=1), "definition.extra"),
]


@pytest.mark.parametrize(("change", "field"), BAD_CHANGES)
def test_bad_changes_are_refused_naming_the_field_and_nothing_is_written(api, change, field):
    document = ocop_definition(api)["definition"]
    change(document)
    body = json.dumps({"definition": document}).replace("Infinity", "1e999")
    response = api("t_admin").put("/api/scenarios/ocop_products/definition", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "InvalidParameterValue"
    if field:
        assert response.json()["description"].startswith(f"{field}: ")
    assert not ScenarioVersion.objects.exists() and versions.version_of("ocop_products") == 0


def test_only_administrators_change_definitions_and_stale_versions_conflict(api):
    document = ocop_definition(api)["definition"]
    document["schedule_minutes"] = 120
    body = {"definition": document}
    assert send(api, None, "put", "/api/scenarios/ocop_products/definition", body).status_code == 401
    assert send(api, "t_planner", "put", "/api/scenarios/ocop_products/definition", body).status_code == 403
    assert send(api, "t_planner", "post", "/api/scenarios", body).status_code == 403
    assert api("t_external").get("/api/scenarios/ocop_products/definition").status_code == 403
    assert api("t_admin").get("/api/scenarios/nope/definition").status_code == 404
    assert send(api, "t_admin", "put", "/api/scenarios/ocop_products/definition", body).status_code == 200
    document["schedule_minutes"] = 240
    stale = send(api, "t_admin", "put", "/api/scenarios/ocop_products/definition", {**body, "base_version": 0})
    assert stale.status_code == 409 and versions.version_of("ocop_products") == 1


def bridges_scenario(max_bridges: int) -> dict:
    return {
        "id": "bridges_per_commune",
        "title": "Cầu theo xã, phường",
        "title_en": "Bridges per commune",
        "sector": "construction",
        "description": "Communes with many bridges to inspect.",
        "steps": [
            {
                "kind": "Aggregate",
                "id": "by_commune",
                "title": "Cầu theo xã, phường",
                "title_en": "Bridges by commune",
                "select": {
                    "layer": "bridges",
                    "filters": [{"field": "condition", "op": "in", "value": ["poor", "bad"]}],
                },
                "group_by": "commune",
            }
        ],
        "alerts": [
            {
                "step": "by_commune",
                "metric": "count",
                "op": "gt",
                "threshold": "$max_bridges",
                "severity": "medium",
                "message": "{label}: {value} cầu xuống cấp",
                "message_en": "{label}: {value} bridges in poor condition",
            }
        ],
        "params": [
            {
                "name": "max_bridges",
                "default": max_bridges,
                "title": "Số cầu tối đa",
                "title_en": "Most bridges",
                "minimum": 0,
                "maximum": 1000,
            }
        ],
        "indicators": [],
        "schedule_minutes": 60,
    }


def test_a_new_scenario_defined_through_the_api_runs(api):
    poor = Bridge.objects.filter(condition__in=["poor", "bad"]).values("commune_code").annotate(n=Count("id"))
    counts = {r["commune_code"]: r["n"] for r in poor}
    threshold = sorted(counts.values())[len(counts) // 2]
    created = send(api, "t_admin", "post", "/api/scenarios", {"definition": bridges_scenario(threshold)})
    assert created.status_code == 201, created.content
    assert created["Location"] == "/api/scenarios/bridges_per_commune/definition"
    assert created.json()["version"] == 1 and created.json()["shipped"] is False
    listed = [s["id"] for s in api("t_leader").get("/api/scenarios").json()["scenarios"]]
    assert listed[-1] == "bridges_per_commune" and len(listed) == len(sectors.all_specs()) + 1
    assert run_alerts(api, "bridges_per_commune") == {c: n for c, n in counts.items() if n > threshold}
    again = send(api, "t_admin", "post", "/api/scenarios", {"definition": bridges_scenario(1)})
    assert again.status_code == 409


BAD_NEW = [
    (lambda d: d["steps"][0].update(kind="Teleport"), "steps[0].kind"),
    (lambda d: d["steps"][0]["select"].update(layer="dragons"), "steps[0].select.layer"),
    (lambda d: d["steps"][0].update(group_by="colour"), "steps[0].group_by"),
    (lambda d: d["steps"][0]["select"]["filters"][0].update(field="owner"), "steps[0].select.filters[0].field"),
    (lambda d: d["steps"][0]["select"]["filters"][0].update(op="~"), "steps[0].select.filters[0].op"),
    (lambda d: d["steps"][0].update(sums=["length_km"]), "steps[0].sums[0]"),
    (lambda d: d["steps"][0].update(radius_m=10), "steps[0].radius_m"),  # not a field of Aggregate
    (lambda d: d.update(id="Bad Id"), "id"),
    (lambda d: d.update(id="ocop_products"), None),  # taken: 409
    (lambda d: d.update(steps=[]), "steps"),
]


@pytest.mark.parametrize(("change", "field"), BAD_NEW)
def test_bad_new_scenarios_are_refused_naming_the_field(api, change, field):
    document = bridges_scenario(2)
    change(document)
    response = send(api, "t_admin", "post", "/api/scenarios", {"definition": document})
    assert response.status_code == (400 if field else 409), response.content
    if field:
        assert response.json()["description"].startswith(f"{field}: ")
    assert not ScenarioVersion.objects.exists()


def test_step_kinds_are_bounded_like_the_run_parameters(api):
    document = bridges_scenario(2)
    document["steps"].append(
        {
            "kind": "Proximity",
            "id": "near",
            "title": "Gần",
            "title_en": "Near",
            "radius_m": 80_000,
            "source": {"layer": "bridges"},
            "target": {"layer": "schools"},
        }
    )
    response = send(api, "t_admin", "post", "/api/scenarios", {"definition": document})
    assert response.status_code == 400 and response.json()["description"].startswith("steps[1].radius_m: ")
    document["steps"][1]["radius_m"] = 800
    assert send(api, "t_admin", "post", "/api/scenarios", {"definition": document}).status_code == 201
    assert isinstance(versions.get("bridges_per_commune").steps[1], definitions.KINDS["Proximity"])
