"""Indicators: values with comparisons, direction-aware alerts, and the choropleth tile."""

import math

import mapbox_vector_tile
import pytest

from geodata.models import Indicator, IndicatorValue
from scenarios.indicators import judge, previous_period, same_period_last_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicators(db):
    """Two test indicators, one where higher is better and one where lower is better, over three periods."""
    up = Indicator.objects.create(
        code="T_UP",
        name="Tỷ lệ thử (cao tốt)",
        unit="%",
        sector="test_sector",
        department="Sở thử",
        target=80,
        higher_is_better=True,
        period_kind="month",
    )
    down = Indicator.objects.create(
        code="T_DOWN",
        name="Tỷ lệ thử (thấp tốt)",
        unit="%",
        sector="test_sector",
        department="Sở thử",
        target=10,
        higher_is_better=False,
        period_kind="month",
    )
    rows = {  # (indicator, commune, period): value
        (up, "26068", "2026-03"): 85,
        (up, "26017", "2026-03"): 76,
        (up, "26020", "2026-03"): 50,
        (up, "26068", "2026-02"): 80,
        (up, "26068", "2025-03"): 70,
        (down, "26068", "2026-03"): 9,
        (down, "26017", "2026-03"): 10.5,
        (down, "26020", "2026-03"): 14,
    }
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator=i, commune_code=c, period=p, value=v) for (i, c, p), v in rows.items()
    )
    return up, down


def test_period_arithmetic():
    assert previous_period("2026-01") == "2025-12" and previous_period("2026-Q1") == "2025-Q4"
    assert previous_period("2026") == "2025" and same_period_last_year("2026-Q3") == "2025-Q3"


def test_judging_is_direction_aware():
    assert judge(85, 80, True).met and not judge(76, 80, True).met
    assert judge(9, 10, False).met and not judge(10.5, 10, False).met
    assert judge(76, 80, True).severity == "low" and judge(50, 80, True).severity == "high"


def test_indicator_list_has_targets_and_periods(api, indicators):
    listed = {i["code"]: i for i in api().get("/api/indicators").json()["indicators"]}
    assert listed["T_UP"]["target"] == 80 and listed["T_UP"]["latest_period"] == "2026-03"
    assert listed["T_DOWN"]["higher_is_better"] is False


def test_values_compare_with_the_previous_period_and_last_year(api, indicators):
    body = api().get("/api/indicators/T_UP/values?period=2026-03").json()
    mine = next(v for v in body["values"] if v["commune"] == "26068")
    assert mine["met"] and mine["previous_period"]["value"] == 80 and mine["previous_period"]["change"] == 5
    assert mine["same_period_last_year"]["value"] == 70 and mine["commune_name"]
    assert body["previous_period"] == "2026-02" and body["same_period_last_year"] == "2025-03"
    assert api().get("/api/indicators/NOPE/values").status_code == 404
    assert api().get("/api/indicators/T_UP/values?period=March").status_code == 400


def test_alerts_fire_exactly_for_the_values_missing_their_target(api, indicators):
    alerts = api().get("/api/indicators/alerts?period=2026-03&sector=test_sector").json()["alerts"]
    missed = {(a["indicator"], a["commune"]) for a in alerts}
    expected = {
        (i.code, v.commune_code)
        for i in indicators
        for v in i.values.filter(period="2026-03")
        if (v.value < i.target if i.higher_is_better else v.value > i.target)
    }
    assert missed == expected == {("T_UP", "26017"), ("T_UP", "26020"), ("T_DOWN", "26017"), ("T_DOWN", "26020")}
    worst = alerts[0]
    assert worst["severity"] == "high" and worst["gap"] > 0 and {"value", "target", "period"} <= set(worst)
    only = api().get("/api/indicators/alerts?period=2026-03&commune=26020&sector=test_sector").json()["alerts"]
    assert {a["commune"] for a in only} == {"26020"} and len(only) == 2


def test_the_choropleth_tile_carries_value_target_and_met(api, indicators, settings, tmp_path):
    settings.MAPSERVER_TILE_CACHE_DIR = tmp_path / "tilecache"  # tiles are cached: never in the real cache
    lon, lat = 106.9, 10.89  # between the three communes' centres: one z9 tile holds them all
    z = 9
    x = int((lon + 180) / 360 * 2**z)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * 2**z)
    response = api().get(f"/api/indicators/T_UP/tiles/2026-03/{z}/{x}/{y}.mvt")
    assert response.status_code == 200 and response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    features = mapbox_vector_tile.decode(response.content)["indicator"]["features"]
    by_code = {f["properties"]["code"]: f["properties"] for f in features}
    assert by_code["26068"]["value"] == 85 and by_code["26068"]["met"] is True and by_code["26068"]["target"] == 80
    assert by_code["26020"]["met"] is False
    assert api().get("/api/indicators/T_UP/tiles/2026-03/3/99/0.mvt").status_code == 400


def test_the_alerts_take_three_queries_whatever_the_number_of_indicators(indicators, django_assert_num_queries):
    """The alert panel polls these every minute on every open map: no query per indicator."""
    from scenarios.indicators import alerts, latest_period

    assert Indicator.objects.count() > 3
    with django_assert_num_queries(3):
        found = alerts()
    assert found and {a["indicator"] for a in found} <= set(Indicator.objects.values_list("code", flat=True))
    for alert in found[:20]:  # each at its indicator's latest period
        assert alert["period"] == latest_period(Indicator.objects.get(code=alert["indicator"]))
