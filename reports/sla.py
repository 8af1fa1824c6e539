"""Report deadlines as alerts: every open report past its legal deadline is an open alert of source "report" for
the handling unit, resolved once the report is handled (or its deadline moves). Run by the scheduler
(reports/jobs.py) and by `python manage.py reports_overdue_alerts`."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from alerts import service
from reports.models import OPEN_STATES, FieldReport

KEY_PREFIX = "overdue:"
HIGH_AFTER = timedelta(days=3)  # more than three days late: high severity


def overdue_alerts() -> dict:
    """Raise (or refresh) an alert per overdue open report and resolve the alerts of the others."""
    now = timezone.now()
    late = FieldReport.objects.filter(status__in=OPEN_STATES, due_at__lt=now).select_related("category")
    active = set()
    for report in late.order_by("pk").iterator():
        key = f"{KEY_PREFIX}{report.pk}"
        active.add(key)
        days = (now - report.due_at).days
        # No reporter data and no description here: alerts reach every handler of the unit and the wall.
        service.raise_alert(
            source="report",
            key=key,
            severity="high" if now - report.due_at > HIGH_AFTER else "medium",
            title=f"Phản ánh #{report.pk} ({report.category.name}) quá hạn xử lý {days} ngày",
            title_en=f"Report #{report.pk} ({report.category.code}) overdue by {days} days",
            sector=report.sector,
            commune_code=report.commune_code,
            responsible_unit=report.sector or report.commune_code,
            place=report.geom,
            detail={"report_id": report.pk, "status": report.status, "days_late": days},
            observed_at=report.due_at,
        )
    resolved = service.reconcile(source="report", key_prefix=KEY_PREFIX, active_keys=active, note="Phản ánh đã xử lý")
    return {"overdue": len(active), "resolved": resolved}
