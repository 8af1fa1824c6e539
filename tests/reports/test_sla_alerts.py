"""Overdue reports become alerts of the handling unit, once each, and are resolved when the report is handled."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from alerts.models import Alert
from reports.models import OPEN_STATES, FieldReport
from reports.sla import overdue_alerts
from tests.reports.conftest import make_report

pytestmark = pytest.mark.django_db


def test_every_overdue_open_report_has_one_open_alert_and_handled_ones_none():
    late = make_report(commune="26068")
    FieldReport.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=5))
    first = overdue_alerts()
    expected = set(
        FieldReport.objects.filter(status__in=OPEN_STATES, due_at__lt=timezone.now()).values_list("pk", flat=True)
    )
    open_alerts = Alert.objects.filter(source="report", state__in=("raised", "acknowledged"))
    assert first["overdue"] == len(expected)
    assert {int(a.detail["report_id"]) for a in open_alerts} == expected
    alert = open_alerts.get(key=f"overdue:{late.pk}")
    assert alert.severity == "high" and alert.commune_code == "26068" and "quá hạn xử lý 5 ngày" in alert.title
    assert late.description not in alert.title  # no report text (it may carry personal data) in the alert

    overdue_alerts()  # a second run raises nothing new
    assert Alert.objects.filter(source="report", key=f"overdue:{late.pk}").count() == 1

    FieldReport.objects.filter(pk=late.pk).update(status="resolved")
    second = overdue_alerts()
    assert second["resolved"] >= 1
    assert Alert.objects.get(pk=alert.pk).state == "resolved"
