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
    totals = {"reports_open": 0, "reports_overdue": 0, "communes": 0}
    for row in queries.open_overdue_by_commune():
        for code, value in (("reports_open", row["open"]), ("reports_overdue", row["overdue"])):
            IndicatorValue.objects.update_or_create(
                indicator=indicators[code], commune_code=row["code"], period=period, defaults={"value": value})
            totals[code] += value
        totals["communes"] += 1
    return totals
