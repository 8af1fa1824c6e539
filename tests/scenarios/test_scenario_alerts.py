"""Periodic scenario runs raise alerts of the one alert model: once per condition while open, refreshed while the
condition lasts, resolved by the system when a later run no longer finds it; acknowledging is kept."""

from __future__ import annotations

import pytest
from django.db.models import Count
from shapely import wkb

from alerts import service
from alerts.models import Alert
from geodata.models import OcopProduct
from mapserver.principal import Principal
from scenarios import definitions, periodic, versions
from scenarios.models import ScenarioVersion
from tests.scenarios.conftest import commune_shape

pytestmark = pytest.mark.django_db
ADMIN = Principal(username="t_admin", role="admin")
PREFIX = "ocop_products:by_commune.count:"


@pytest.fixture(autouse=True)
def _shipped_declarations():
    """Each test starts from the shipped declarations and no open scenario alert (undone with the test)."""
    ScenarioVersion.objects.all().delete()
    Alert.objects.filter(source="scenario").delete()


def below(threshold: int) -> dict[str, int]:
    """Communes with at least one and fewer than `threshold` OCOP products (independent count)."""
    rows = OcopProduct.objects.values("commune_code").annotate(n=Count("id"))
    return {r["commune_code"]: r["n"] for r in rows if r["n"] < threshold}


def set_minimum(value: int) -> None:
    document = definitions.to_document(versions.get("ocop_products"))
    document["params"][0]["default"] = value
    versions.save(ADMIN, "ocop_products", document, None, "")


def open_alerts() -> dict[str, Alert]:
    alerts = Alert.objects.filter(source="scenario", key__startswith=PREFIX, state__in=("raised", "acknowledged"))
    return {a.key.removeprefix(PREFIX): a for a in alerts}


def test_a_condition_is_raised_once_while_open_and_resolved_when_it_ends():
    threshold = 3
    set_minimum(threshold)
    expected = below(threshold)
    assert expected, "the sample has communes with few OCOP products"
    first = periodic.run_one(versions.get("ocop_products"))
    assert (first["raised"], first["refreshed"], first["resolved"]) == (len(expected), 0, 0)
    raised = open_alerts()
    assert set(raised) == set(expected)
    for code, alert in raised.items():
        assert (alert.state, alert.severity, alert.sector) == ("raised", "low", "agriculture_environment")
        assert (alert.commune_code, alert.responsible_unit) == (code, code)
        assert alert.detail["value"] == expected[code] and alert.detail["run_id"] == first["run_id"]
        assert "sản phẩm OCOP" in alert.title and alert.title_en
        assert commune_shape(code).contains(wkb.loads(bytes(alert.place.wkb)))

    some = next(iter(raised.values()))
    service.acknowledge(some, ADMIN)
    second = periodic.run_one(versions.get("ocop_products"))
    assert (second["raised"], second["refreshed"], second["resolved"]) == (0, len(expected), 0)
    assert Alert.objects.filter(source="scenario", key__startswith=PREFIX).count() == len(expected)  # no duplicate
    again = open_alerts()[some.key.removeprefix(PREFIX)]
    assert (again.pk, again.state, again.acknowledged_by) == (some.pk, "acknowledged", "t_admin")
    assert again.detail["run_id"] == second["run_id"]  # refreshed by the later run

    set_minimum(1)  # no commune with products has fewer than one: every condition ends
    third = periodic.run_one(versions.get("ocop_products"))
    assert (third["raised"], third["resolved"]) == (0, len(expected))
    assert not open_alerts()
    ended = Alert.objects.filter(source="scenario", key__startswith=PREFIX)
    assert {(a.state, a.resolved_by) for a in ended} == {("resolved", "system")}
    assert all(a.resolved_at is not None for a in ended)

    set_minimum(threshold)  # the condition comes back: a new alert, the resolved one stays as it was
    fourth = periodic.run_one(versions.get("ocop_products"))
    assert fourth["raised"] == len(expected)
    assert Alert.objects.filter(source="scenario", key__startswith=PREFIX).count() == 2 * len(expected)


def test_scenarios_due_run_once_per_schedule_and_publish():
    spec = versions.get("ocop_products")
    summary = periodic.run_due(only={"ocop_products"})
    assert set(summary["ran"]) == {"ocop_products"}
    assert periodic.run_due(only={"ocop_products"}) == {"ran": {}}  # not due again within its schedule
    assert set(open_alerts()) == set(below(spec.params[0].default))
