"""The reports_open and reports_overdue indicators: counts per commune written as IndicatorValue rows."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone

from geodata.models import Indicator, IndicatorValue
from reports import queries

CODES = ("reports_open", "reports_overdue")
PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def current_period() -> str:
    """The month (YYYY-MM) in the province's time zone."""
    return timezone.localtime().strftime("%Y-%m")


@transaction.atomic
def compute_indicator_values(period: str | None = None) -> dict[str, int]:
    """Write (or overwrite) this period's open and overdue counts for every commune; returns the totals."""
    period = period or current_period()
    if not PERIOD.match(period):
        raise ValueError(f"period must be YYYY-MM, got {period!r}")
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=CODES)}
    missing = set(CODES) - set(indicators)
    if missing:
        raise LookupError(f"indicator definitions missing: {', '.join(sorted(missing))} (run migrate)")
    rows = queries.open_overdue_by_commune()
    IndicatorValue.objects.filter(indicator__in=indicators.values(), period=period).delete()
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(
                indicator=indicators[code],
                commune_code=row["code"],
                period=period,
                value=row[key],
                entered_by="reports_indicators",
                entered_at=timezone.now(),
                source="computed",
            )
            for row in rows
            for code, key in (("reports_open", "open"), ("reports_overdue", "overdue"))
        ]
    )
    return {
        "communes": len(rows),
        "reports_open": sum(r["open"] for r in rows),
        "reports_overdue": sum(r["overdue"] for r in rows),
    }
