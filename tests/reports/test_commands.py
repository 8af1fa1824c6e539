"""Management commands: channel API keys, the open/overdue indicators; categories seeded by migration."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from geodata.models import Commune, Indicator, IndicatorValue
from reports.indicators import compute_indicator_values, current_period
from reports.models import FieldReport, ServiceCategory
from tests.reports.conftest import COMMUNE, make_report, point_in

pytestmark = pytest.mark.django_db


def test_reports_api_key_prints_a_working_key_and_revoke_disables_it():
    out = StringIO()
    call_command("reports_api_key", "--name", "zalo-oa", "--channel", "zalo", stdout=out)
    key = out.getvalue().strip()
    assert key.startswith("rk_")
    lat, lon = point_in(COMMUNE)
    data = {"api_key": key, "service_code": "waste", "lat": lat, "long": lon, "description": "rác"}
    response = Client().post("/open311/v2/requests.json", data)
    assert response.status_code == 200
    assert FieldReport.objects.get(pk=response.json()[0]["service_request_id"]).channel == "zalo-oa"
    call_command("reports_api_key", "--name", "zalo-oa", "--revoke", stdout=StringIO())
    assert Client().post("/open311/v2/requests.json", data).status_code == 403
    with pytest.raises(CommandError):
        call_command("reports_api_key", "--name", "nobody", "--revoke", stdout=StringIO())


def test_categories_cover_the_sectors_with_department_and_sla():
    categories = ServiceCategory.objects.all()
    groups = {c.group for c in categories}
    assert {
        "Trật tự đô thị",
        "Môi trường",
        "Giao thông",
        "Đất đai",
        "Trật tự xây dựng",
        "Chiếu sáng",
        "Cây xanh",
        "Thoát nước",
        "Dịch vụ công",
    } <= groups
    assert all(c.department and c.sector and c.sla_hours > 0 for c in categories)


def test_indicator_values_count_open_and_overdue_per_commune():
    assert set(
        Indicator.objects.filter(code__in=["reports_open", "reports_overdue"]).values_list("code", flat=True)
    ) == {"reports_open", "reports_overdue"}
    _open_a, _open_b, late = make_report("waste"), make_report("waste"), make_report("traffic_congestion")
    closed = make_report("waste")
    FieldReport.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=2))
    FieldReport.objects.filter(pk=closed.pk).update(status="closed", due_at=timezone.now() - timedelta(hours=2))
    expected_open = FieldReport.objects.filter(
        commune_code=COMMUNE, status__in=["received", "accepted", "assigned", "in_progress"]
    ).count()
    totals = compute_indicator_values()
    assert totals["communes"] == Commune.objects.count()
    period = current_period()
    value = {
        v.indicator.code: v.value
        for v in IndicatorValue.objects.filter(commune_code=COMMUNE, period=period)
        .select_related("indicator")
        .filter(indicator__code__in=["reports_open", "reports_overdue"])
    }
    assert value == {"reports_open": expected_open, "reports_overdue": 1}
    assert IndicatorValue.objects.filter(indicator__code="reports_open", period=period).count() == totals["communes"]
    out = StringIO()
    call_command("reports_indicators", "--period", period, stdout=out)  # idempotent: overwrites
    assert IndicatorValue.objects.filter(indicator__code="reports_open", period=period).count() == totals["communes"]
    with pytest.raises(CommandError):
        call_command("reports_indicators", "--period", "2026-13", stdout=StringIO())
