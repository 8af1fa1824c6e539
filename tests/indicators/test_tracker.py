"""The submission tracker against the database, its "not reported" alerts (never a target alert, never zero),
and period comparisons of quarterly and yearly indicators."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from alerts.models import Alert
from geodata.models import IndicatorValue
from geodata.periods import period_of
from indicators import tracker

pytestmark = pytest.mark.django_db


def sql_rows(query: str, params=None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def missing_in_db(period: str, kind: str) -> set[tuple[str, str]]:
    """(unit, indicator) never reported, by our own SQL: communes x commune indicators, departments' entries."""
    return set(
        sql_rows(
            """SELECT c.code, i.code FROM geodata_indicator i CROSS JOIN geodata_commune c
            WHERE i.period_kind = %(kind)s AND i.level = 'commune' AND NOT i.computed AND NOT EXISTS (SELECT 1 FROM geodata_indicatorvalue v
              WHERE v.indicator_id = i.id AND v.commune_code = c.code AND v.period = %(period)s)
            UNION
            SELECT i.sector, i.code FROM geodata_indicator i
            WHERE i.period_kind = %(kind)s AND i.province_rule = 'entered' AND NOT i.computed AND NOT EXISTS (SELECT 1
              FROM geodata_indicatorvalue v WHERE v.indicator_id = i.id AND v.commune_code = '' AND v.period = %(period)s)""",
            {"period": period, "kind": kind},
        )
    )


@pytest.mark.parametrize("period,kind", [("2026-10", "month"), ("2026-Q3", "quarter"), ("2025", "year")])
def test_the_tracker_lists_exactly_the_units_that_did_not_submit(api, period, kind):
    found = api("t_leader").get("/api/indicators/tracker", {"period": period}).json()
    listed = {(u["unit"], m["indicator"]) for u in found["units"] for m in u["missing"]}
    expected = missing_in_db(period, kind)
    assert expected and listed == expected
    assert found["missing"] == len(expected) and found["reported"] == found["expected"] - len(expected)
    assert found["deadline"] == (tracker.deadline(period)).isoformat()


def test_the_tracker_is_scoped(api):
    department = api("t_dept_home").get("/api/indicators/tracker", {"period": "2026-10"}).json()
    codes = {m["indicator"] for u in department["units"] for m in u["missing"]}
    assert codes and all(c.startswith(("XH_", "HC_")) for c in codes)
    assert {i for _, i in missing_in_db("2026-10", "month") if i in codes} == codes
    commune = api("t_commune").get("/api/indicators/tracker", {"period": "2026-10"}).json()
    assert {u["unit"] for u in commune["units"]} <= {"26068"}
    assert commune["expected"] == len(
        sql_rows("SELECT 1 FROM geodata_indicator WHERE period_kind = 'month' AND level = 'commune' AND NOT computed")
    )
    assert api().get("/api/indicators/tracker", {"period": "2026-10"}).status_code == 401
    assert api("t_external").get("/api/indicators/tracker", {"period": "2026-10"}).status_code == 403


def test_a_missing_value_raises_a_not_reported_alert_and_no_target_alert(api):
    period, commune = "2026-08", "26068"  # long past its deadline (10 September)
    value = IndicatorValue.objects.get(indicator__code="KT_GRDP", commune_code=commune, period=period)
    value.delete()
    assert api("t_commune").post("/api/indicators/tracker?period=2026-08").status_code == 403  # the IOC chases
    summary = api("t_leader").post("/api/indicators/tracker?period=2026-08").json()
    assert summary["alerts"] >= 1
    alert = Alert.objects.get(source="submission", key=f"not-reported:{period}:{commune}")
    assert alert.state == "raised" and alert.responsible_unit == commune and alert.commune_code == commune
    assert "KT_GRDP" in alert.detail["indicators"] and alert.detail["deadline"] == "2026-09-10"
    name = sql_rows("SELECT name FROM geodata_commune WHERE code = %s", [commune])[0][0]
    assert alert.title.startswith(name) and period in alert.title
    # shown as missing, never as a zero, and no target alert for a figure nobody sent
    values = api().get("/api/indicators/KT_GRDP/values", {"period": period}).json()
    assert commune in {m["commune"] for m in values["missing"]}
    assert commune not in {v["commune"] for v in values["values"]}
    target_alerts = api().get("/api/indicators/alerts", {"period": period, "commune": commune}).json()["alerts"]
    assert "KT_GRDP" not in {a["indicator"] for a in target_alerts}
    # the commune reports: the alert is resolved on the next pass
    body = {"period": period, "commune": commune, "values": [{"indicator": "KT_GRDP", "value": 9.0}]}
    assert api("t_commune").post("/api/indicators/entry", body, content_type="application/json").status_code == 200
    again = api("t_leader").post("/api/indicators/tracker?period=2026-08").json()
    assert again["resolved"] >= 1, again
    alert.refresh_from_db()
    assert alert.state == "resolved"


def test_no_alert_before_the_deadline(api):
    current = period_of(timezone.localdate(), "month")
    summary = api("t_leader").post(f"/api/indicators/tracker?period={current}").json()
    assert summary["alerts"] == 0 and summary["units_missing"] > 0
    assert not Alert.objects.filter(source="submission", key__startswith=f"not-reported:{current}:").exists()


def test_due_periods_are_those_past_their_deadline():
    periods = tracker.due_periods(dt.date(2026, 12, 1))
    assert periods == ["2026-10", "2026-09", "2026-Q3", "2026-Q2", "2025", "2024"]


def _db_value(code: str, commune: str, period: str) -> float | None:
    found = sql_rows(
        """SELECT v.value FROM geodata_indicatorvalue v JOIN geodata_indicator i ON i.id = v.indicator_id
        WHERE i.code = %s AND v.commune_code = %s AND v.period = %s""",
        [code, commune, period],
    )
    return found[0][0] if found else None


@pytest.mark.parametrize(
    "code,period,before,last_year",
    [
        ("XH_VIEC_LAM", "2026-Q1", "2025-Q4", "2025-Q1"),
        ("XH_DAN_SO", "2025", "2024", "2024"),
        ("KT_GRDP", "2026-01", "2025-12", "2025-01"),
    ],
)
def test_quarterly_and_yearly_indicators_compare_with_the_right_previous_period(api, code, period, before, last_year):
    found = api().get(f"/api/indicators/{code}/values", {"period": period}).json()
    assert found["previous_period"] == before and found["same_period_last_year"] == last_year
    assert len(found["values"]) > 50
    for row in found["values"]:
        assert row["value"] == _db_value(code, row["commune"], period)
        assert row["previous_period"]["value"] == _db_value(code, row["commune"], before)
        assert row["same_period_last_year"]["value"] == _db_value(code, row["commune"], last_year)
    form = api("t_admin").get("/api/indicators/entry", {"period": period, "commune": "26068"}).json()
    field = {f["indicator"]: f for f in form["fields"]}[code]
    assert field["previous"] == {"period": before, "value": _db_value(code, "26068", before)}


def test_values_honour_the_commune_filter_and_the_province_rule(api):
    one = api().get("/api/indicators/NS_THU/values", {"period": "2026-06", "commune": "26068"}).json()
    assert [v["commune"] for v in one["values"]] == ["26068"]
    assert one["values"][0]["value"] == _db_value("NS_THU", "26068", "2026-06")
    total = sql_rows(
        """SELECT sum(v.value), count(*) FROM geodata_indicatorvalue v JOIN geodata_indicator i ON i.id = v.indicator_id
        WHERE i.code = 'NS_THU' AND v.period = '2026-06' AND v.commune_code <> ''"""
    )[0]
    province = api().get("/api/indicators/NS_THU/values", {"period": "2026-06"}).json()["province"]
    assert province["rule"] == "sum" and province["value"] == pytest.approx(total[0])
    assert province["communes_reported"] == total[1]
    weighted = sql_rows(
        """SELECT sum(v.value * w.value) / sum(w.value) FROM geodata_indicatorvalue v
        JOIN geodata_indicator i ON i.id = v.indicator_id AND i.code = 'XH_THU_NHAP'
        JOIN geodata_indicatorvalue w ON w.commune_code = v.commune_code AND w.period = v.period
        JOIN geodata_indicator wi ON wi.id = w.indicator_id AND wi.code = 'XH_DAN_SO'
        WHERE v.period = '2024' AND v.commune_code <> ''"""
    )[0][0]
    income = api().get("/api/indicators/XH_THU_NHAP/values", {"period": "2024"}).json()["province"]
    assert income["rule"] == "weighted_mean" and income["value"] == pytest.approx(weighted)
    assert api().get("/api/indicators/NS_THU/values", {"commune": "26'; --"}).status_code == 400
