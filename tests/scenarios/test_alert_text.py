"""Alert texts people read: vocabulary labels, never codes or ids; lodging overload; the communes of fire and
epidemic alerts; the construction scenario's indicator. Figures are checked against ORM counts."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from geodata import models as m
from geodata.vocabularies import CONDITION
from mapserver.principal import Principal
from scenarios import sectors
from scenarios.runner import run_scenario
from tests.scenarios.test_commune_scope import by_commune_keys

pytestmark = pytest.mark.django_db
ADMIN = Principal(username="t_text", role="admin")
LOC_TAN = "25279"


def run(scenario: str, area: dict, params: dict | None = None) -> dict:
    return run_scenario(sectors.get(scenario), ADMIN, area, params or {}, "on_demand").result


def test_bridge_alert_names_the_condition_not_its_code():
    result = run("transport_assets", {"type": "province"})
    texts = [a["message"] for a in result["alerts"] if a["step"] == "bridges_by_condition"]
    expected = []
    for code in ("poor", "bad"):
        n = m.Bridge.objects.filter(condition=code).count()
        if n:
            expected.append(f"{n:,}".replace(",", ".") + f" cầu tình trạng {CONDITION.label(code).lower()}")
    assert expected and sorted(texts) == sorted(expected)
    rows = {r["key"]: r["label"] for r in result["groups"]["bridges_by_condition"]["rows"]}
    assert rows == {code: CONDITION.label(code) for code in rows}
    for alert in result["alerts"]:
        assert not re.search(r"\((poor|bad|fair|good)\)", alert["message"])


def test_fire_alerts_carry_their_commune_and_no_ids():
    result = run("fire", {"type": "province"})
    fires = [a for a in result["alerts"] if a["step"] == "water_points"]
    assert fires
    names = dict(m.Commune.objects.values_list("code", "name"))
    for alert in fires:
        incident = m.Incident.objects.get(pk=int(alert["key"]))
        assert alert["commune"] == incident.commune_code and alert["commune_name"] == names[incident.commune_code]
        local = incident.occurred_at.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%d/%m/%Y %H:%M")
        assert alert["message"].startswith(f"Cháy {local} tại {names[incident.commune_code]} ({incident.commune_code})")


def test_lodging_overload_raises_an_alert_when_counts_are_current():
    lodgings = m.TourismSite.objects.filter(kind="lodging", commune_code=LOC_TAN)
    guests, beds = sum(x.visitors_today for x in lodgings), sum(x.capacity for x in lodgings)
    assert guests > beds
    stale = run("tourism_festivals", {"type": "commune", "code": LOC_TAN})
    if lodgings.filter(updated_at__lt=timezone.now() - timezone.timedelta(hours=36)).count() == lodgings.count():
        # counts older than the freshness limit: no alarm and no all-clear
        assert not [a for a in stale["alerts"] if a["step"] == "lodging"]
        assert [n for n in stale["no_recent_data"] if n["step"] == "lodging"]
    lodgings.update(updated_at=timezone.now())
    result = run("tourism_festivals", {"type": "commune", "code": LOC_TAN})
    alerts = [a for a in result["alerts"] if a["step"] == "lodging"]
    assert len(alerts) == 1
    alert = alerts[0]
    assert alert["commune"] == LOC_TAN and alert["value"] == pytest.approx(round(guests / beds, 4))
    assert f"{guests} khách / {beds} giường" in alert["message"]
    assert alert["commune_name"] == m.Commune.objects.get(code=LOC_TAN).name in alert["message"]


def test_construction_hotspots_pair_with_no_clean_water_indicator():
    spec = sectors.get("construction_hotspots")
    assert "XD_NUOC_SACH" not in spec.indicators
    result = run("construction_hotspots", {"type": "province"})
    assert not [a for a in result["indicator_alerts"] if a["indicator"] == "XD_NUOC_SACH"]
    assert by_commune_keys(spec, result) <= set(m.Commune.objects.values_list("code", flat=True))
