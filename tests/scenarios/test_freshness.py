"""The freshness rule: data older than a step's limit is "no recent data" (no alarm, no all-clear) in the run
result, its alerts and its exports; fresh readings alarm again. Reference: ORM queries over the same readings."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from geodata import models as m
from geodata.sample import REFERENCE_TIME
from scenarios import sectors

pytestmark = pytest.mark.django_db
INDUSTRIAL = sectors.get("industrial_environment")
LIMIT_H = next(s for s in INDUSTRIAL.steps if s.id == "violations").fresh_hours


def post_run(api, scenario: str, params: dict | None = None) -> dict:
    response = api("t_admin").post(
        f"/api/scenarios/{scenario}/run",
        {"area": {"type": "province"}, "params": params or {}},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content[:300]
    return response.json()


def quality_sensors():
    return m.Sensor.objects.filter(kind__in=["air_quality", "water_quality"])


def recent_sensors(end: dt.datetime) -> set[str]:
    """Codes of quality sensors with a reading within the limit before `end` (the independent reference)."""
    since = end - dt.timedelta(hours=LIMIT_H)
    return set(
        quality_sensors()
        .filter(observations__observed_at__gte=since, observations__observed_at__lte=end)
        .values_list("code", flat=True)
    )


def test_month_old_readings_are_no_recent_data_everywhere(api):
    assert not recent_sensors(timezone.now())  # the sample ends a month before today
    run = post_run(api, "industrial_environment")
    group = run["groups"]["violations"]
    assert group["freshness"]["status"] == "no_recent_data"
    newest = max(
        o
        for o in m.SensorObservation.objects.filter(sensor__in=quality_sensors()).values_list("observed_at", flat=True)
    )
    assert dt.datetime.fromisoformat(group["freshness"]["as_of"]) == newest
    assert not [a for a in run["alerts"] if a["step"] == "violations"]  # not an alarm ...
    notice = next(n for n in run["no_recent_data"] if n["step"] == "violations")  # ... and not an all-clear
    assert notice["stale"] == quality_sensors().count() and "không có dữ liệu mới" in notice["message"]
    base = f"/api/scenarios/industrial_environment/runs/{run['run_id']}/export?format="
    assert "Không có dữ liệu mới" in api("t_admin").get(base + "html").content.decode()
    book = load_workbook(io.BytesIO(api("t_admin").get(base + "xlsx").content))
    cells = {str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row}
    assert "Không có dữ liệu mới" in cells


def test_a_fresh_reading_over_the_limit_alarms_again(api):
    sensor = quality_sensors().order_by("code").first()
    now = timezone.now()
    m.SensorObservation.objects.create(
        sensor=sensor, observed_at=now - dt.timedelta(minutes=5), value=sensor.threshold * 1.4
    )
    run = post_run(api, "industrial_environment")
    group = run["groups"]["violations"]
    assert group["freshness"]["status"] == "partial"
    stale = {s.code for s in quality_sensors()} - recent_sensors(
        dt.datetime.fromisoformat(group["freshness"]["reference_time"])
    )
    assert set(group["totals"]["stale_sensors"]) == stale and sensor.code not in stale
    alerts = [a for a in run["alerts"] if a["step"] == "violations"]
    assert [a["key"].split("@")[0] for a in alerts] == [sensor.code]
    assert alerts[0]["value"] == pytest.approx(round(100 * 0.4, 1))


def test_a_run_on_the_past_judges_the_past(api):
    run = post_run(api, "industrial_environment", {"until": REFERENCE_TIME.isoformat()})
    assert run["groups"]["violations"]["freshness"]["status"] == "current"
    assert set(run["groups"]["violations"]["totals"]["stale_sensors"]) == set()
    assert recent_sensors(REFERENCE_TIME) == {s.code for s in quality_sensors()}
