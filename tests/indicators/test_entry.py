"""Entry of figures over HTTP: JSON and the XLSX template, scoped by unit, validated by row and column, all or
nothing, who and when recorded, corrections kept as versions, locked periods refused."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from geodata.models import Indicator, IndicatorRevision, IndicatorValue
from mapserver.audit import AuditEntry

pytestmark = pytest.mark.django_db

PERIOD = "2026-11"  # a month the sample has no figures for (its data end in October)
MONTHLY_COMMUNE = ["KT_GRDP", "XH_HO_NGHEO", "NS_THU"]


def post(client, body):
    return client.post("/api/indicators/entry", body, content_type="application/json")


def stored(code: str, commune: str, period: str) -> IndicatorValue | None:
    return IndicatorValue.objects.filter(indicator__code=code, commune_code=commune, period=period).first()


def test_commune_officer_submits_a_month_through_the_api(as_user):
    values = [{"indicator": c, "value": v} for c, v in zip(MONTHLY_COMMUNE, (9.1, 0.8, 310.5))]
    response = post(as_user("t_commune"), {"period": PERIOD, "commune": "26068", "values": values})
    assert response.status_code == 200, response.content
    assert response.json()["written"] == {"created": 3, "corrected": 0, "unchanged": 0}
    for item in values:
        row = stored(item["indicator"], "26068", PERIOD)
        assert row.value == item["value"] and row.entered_by == "t_commune" and row.entered_at and row.source == "api"
    assert AuditEntry.objects.filter(action="indicator_entry", username="t_commune").exists()
    form = response.json()["form"]
    assert {f["indicator"]: f["value"] for f in form["fields"]}["KT_GRDP"] == 9.1


def test_the_form_shows_previous_value_and_target_beside_each_field(as_user):
    form = as_user("t_commune").get("/api/indicators/entry", {"period": "2026-08"}).json()
    assert form["unit"] == "26068" and form["previous_period"] == "2026-07"
    fields = {f["indicator"]: f for f in form["fields"]}
    assert set(fields) == set(
        Indicator.objects.filter(period_kind="month", level="commune", computed=False).values_list("code", flat=True)
    )
    grdp = fields["KT_GRDP"]
    assert grdp["value"] == stored("KT_GRDP", "26068", "2026-08").value
    assert grdp["previous"]["value"] == stored("KT_GRDP", "26068", "2026-07").value
    assert grdp["same_period_last_year"]["value"] == stored("KT_GRDP", "26068", "2025-08").value
    indicator = Indicator.objects.get(code="KT_GRDP")
    assert grdp["target"] == indicator.targets.get(year=2026, commune_code="").value
    revenue = Indicator.objects.get(code="NS_THU")  # a summed flow: the commune's year estimate over 12 months
    assert fields["NS_THU"]["target"] == pytest.approx(revenue.targets.get(year=2026, commune_code="26068").value / 12)


def test_another_commune_is_refused_and_nothing_is_written(as_user):
    body = {"period": PERIOD, "commune": "26017", "values": [{"indicator": "KT_GRDP", "value": 5}]}
    response = post(as_user("t_commune"), body)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["row"] == 0 and error["column"] == "commune" and "26068" in error["description"]
    assert stored("KT_GRDP", "26017", PERIOD) is None


def test_a_department_is_limited_to_its_indicators(as_user):
    mine = {"period": PERIOD, "commune": "26017", "values": [{"indicator": "XH_HO_NGHEO", "value": 1.2}]}
    assert post(as_user("t_dept_home"), mine).status_code == 200  # Sở Nội vụ owns the poverty rate
    theirs = {"period": PERIOD, "commune": "26017", "values": [{"indicator": "NS_THU", "value": 40}]}
    response = post(as_user("t_dept_home"), theirs)
    assert response.status_code == 400 and "Sở Tài chính" in response.json()["errors"][0]["description"]
    form = as_user("t_dept_home").get("/api/indicators/entry", {"period": PERIOD, "commune": "26017"}).json()
    owned = set(Indicator.objects.filter(sector="home_affairs", period_kind="month").values_list("code", flat=True))
    assert {f["indicator"] for f in form["fields"]} == owned


def test_bad_rows_are_reported_by_row_and_column_and_nothing_partial_is_written(as_user):
    values = [
        {"indicator": "KT_GRDP", "value": 7.5},  # fine
        {"indicator": "NO_SUCH", "value": 1},
        {"indicator": "NS_THU", "value": -3},  # an amount cannot be negative
        {"indicator": "XH_HO_NGHEO", "value": "nhiều"},
        {"indicator": "XH_DAN_SO", "value": 1},  # yearly: not a month's figure
    ]
    response = post(as_user("t_commune"), {"period": PERIOD, "commune": "26068", "values": values})
    assert response.status_code == 400
    errors = {(e["row"], e["column"]) for e in response.json()["errors"]}
    assert errors == {(1, "indicator"), (2, "value"), (3, "value"), (4, "period")}
    assert stored("KT_GRDP", "26068", PERIOD) is None
    nan = b'{"period": "2026-11", "commune": "26068", "values": [{"indicator": "KT_GRDP", "value": NaN}]}'
    response = as_user("t_commune").post("/api/indicators/entry", nan, content_type="application/json")
    assert response.status_code == 400 and set(response.json()) >= {"code", "description"}


def test_a_correction_keeps_the_old_value_in_history(as_user):
    client = as_user("t_commune")
    before = stored("KT_GRDP", "26068", "2026-08")
    body = {"period": "2026-08", "commune": "26068", "values": [{"indicator": "KT_GRDP", "value": 12.25}]}
    assert post(client, body).json()["written"]["corrected"] == 1
    kept = IndicatorRevision.objects.get(indicator__code="KT_GRDP", commune_code="26068", period="2026-08")
    assert kept.value == before.value and kept.entered_by == before.entered_by and kept.replaced_by == "t_commune"
    history = (
        as_user("t_leader")
        .get("/api/indicators/KT_GRDP/history", {"commune": "26068", "period": "2026-08"})
        .json()["versions"]
    )
    assert [(v["value"], v["current"]) for v in history] == [(12.25, True), (before.value, False)]
    assert history[0]["entered_by"] == "t_commune" and history[1]["replaced_by"] == "t_commune"
    assert as_user("t_commune_b").get("/api/indicators/KT_GRDP/history", {"commune": "26068"}).status_code == 403


def test_a_locked_period_refuses_writes(as_user):
    body = {"period": PERIOD, "commune": "26068", "values": [{"indicator": "KT_GRDP", "value": 8}]}
    assert as_user("t_commune").post(f"/api/indicators/locks/{PERIOD}").status_code == 403  # only the IOC locks
    lock = as_user("t_leader").post(f"/api/indicators/locks/{PERIOD}")
    assert lock.status_code == 200 and lock.json()["locked"] is True
    response = post(as_user("t_commune"), body)
    assert response.status_code == 400 and response.json()["errors"][0]["column"] == "period"
    assert stored("KT_GRDP", "26068", PERIOD) is None
    assert as_user("t_commune").get("/api/indicators/entry", {"period": PERIOD}).json()["locked"] is True
    assert as_user("t_leader").delete(f"/api/indicators/locks/{PERIOD}").json()["locked"] is False
    assert post(as_user("t_commune"), body).status_code == 200


def test_province_figures_entered_or_computed_never_both(as_user):
    body = {"period": "2026-Q3", "commune": "", "values": [{"indicator": "KT_GRDP_QUY", "value": 8.9}]}
    assert post(as_user("t_dept_finance"), body).status_code == 200  # entered by its department
    summed = {"period": PERIOD, "commune": "", "values": [{"indicator": "NS_THU", "value": 9000}]}
    response = post(as_user("t_dept_finance"), summed)
    assert response.status_code == 400 and "computed from the communes" in response.json()["errors"][0]["description"]


def _workbook(rows: list[list]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = "values"
    sheet.append(["commune_code", "commune_name", "indicator_code", "period", "value"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "chi_tieu.xlsx"
    return out


def test_commune_officer_submits_a_month_through_the_xlsx_template(as_user):
    client = as_user("t_commune")
    template = client.get("/api/indicators/entry/template", {"period": PERIOD})
    assert template.status_code == 200
    sheet = load_workbook(io.BytesIO(template.content))["values"]
    rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert {r[0] for r in rows} == {"26068"} and {r[3] for r in rows} == {PERIOD}
    filled = [[r[0], r[1], r[2], r[3], 10 + i] for i, r in enumerate(rows)]
    response = client.post("/api/indicators/entry/upload", {"file": _workbook(filled)})
    assert response.status_code == 200, response.content
    assert response.json()["written"]["created"] == len(rows)
    for i, r in enumerate(rows):
        row = stored(r[2], "26068", PERIOD)
        assert row.value == 10 + i and row.source == "xlsx" and row.entered_by == "t_commune"


def test_xlsx_errors_name_the_spreadsheet_row_and_column_and_write_nothing(as_user):
    rows = [
        ["26068", "", "KT_GRDP", PERIOD, 7],
        ["26017", "", "KT_GRDP", PERIOD, 7],  # another commune
        ["26068", "", "KT_GRDP", "13/2026", 7],  # not a month
        ["26068", "", "XH_HO_NGHEO", PERIOD, "abc"],
    ]
    response = as_user("t_commune").post("/api/indicators/entry/upload", {"file": _workbook(rows)})
    assert response.status_code == 400
    errors = {(e["row"], e["column"]) for e in response.json()["errors"]}
    assert errors == {(3, "commune_code"), (4, "period"), (5, "value")}
    assert stored("KT_GRDP", "26068", PERIOD) is None


def test_anonymous_and_external_callers_cannot_enter(api):
    body = {"period": PERIOD, "commune": "26068", "values": [{"indicator": "KT_GRDP", "value": 8}]}
    assert api().post("/api/indicators/entry", body, content_type="application/json").status_code == 401
    assert api("t_external").post("/api/indicators/entry", body, content_type="application/json").status_code == 403
    assert api("t_leader").post("/api/indicators/entry", body, content_type="application/json").status_code == 403
