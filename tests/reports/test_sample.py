"""The synthetic sample reports: one set per commune, routed consistently, legal histories, no reporter."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from geodata.models import Commune
from reports.models import FieldReport, Reporter
from reports.routing import commune_at
from reports.workflow import TRANSITIONS

pytestmark = pytest.mark.django_db


def test_sample_reports_are_anonymous_synthetic_and_follow_the_workflow():
    out = StringIO()
    call_command("reports_load_sample", "--per-commune", "2", stdout=out)
    reports = FieldReport.objects.filter(synthetic=True).select_related("category")
    assert reports.count() == 2 * Commune.objects.count()
    assert not Reporter.objects.filter(report__in=reports).exists()
    for report in reports[:60]:
        assert commune_at(report.geom)[0] == report.commune_code
        steps = list(report.transitions.values_list("from_status", "to_status"))
        assert steps[0] == ("", "received") and steps[-1][1] == report.status
        assert all(b in TRANSITIONS[a] for a, b in steps[1:])
    assert len(set(reports.values_list("status", flat=True))) >= 3
    call_command("reports_load_sample", "--if-empty", stdout=out)
    assert reports.count() == 2 * Commune.objects.count()
