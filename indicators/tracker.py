"""The submission tracker: per period and deadline, which units have not reported which indicators. A missing
figure stays missing (never zero, never "no alert"): past the deadline it raises a "not reported" alert to the
responsible unit, and the IOC sees the list to chase (002 Art. 13.8)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.utils import timezone

from alerts import service
from geodata.models import Commune, Indicator, IndicatorValue
from geodata.models.indicators import PROVINCE
from geodata.periods import kind_of, last_day, period_of, previous_period

# Days after the end of a period by which its figures are due: the 10th of the next month, the 20th day after a
# quarter, the end of January for a year.
DEADLINE_DAYS = {"month": 10, "quarter": 20, "year": 31}
KEY_PREFIX = "not-reported"


def deadline(period: str) -> dt.date:
    """The day by which the period's figures are due."""
    return last_day(period) + dt.timedelta(days=DEADLINE_DAYS[kind_of(period)])


def expected(indicators, communes: list[str]) -> list[tuple[Indicator, str]]:
    """(indicator, unit) pairs that must be reported: each commune for commune indicators, the province ("")
    for the figures a department enters."""
    pairs = []
    for indicator in indicators:
        if indicator.level == "commune":
            pairs += [(indicator, c) for c in communes]
        if indicator.province_rule == "entered":
            pairs.append((indicator, PROVINCE))
    return pairs


def track(period: str, indicators, commune: str | None = None) -> dict[str, Any]:
    """The tracker of one period over these indicators (optionally one commune): expected, reported, and per
    unit the indicators it has not reported."""
    chosen = [i for i in indicators if i.period_kind == kind_of(period) and not i.computed]
    names = dict(Commune.objects.values_list("code", "name"))
    communes = [commune] if commune else sorted(names)
    pairs = expected(chosen, communes)
    present = set(
        IndicatorValue.objects.filter(indicator__in=chosen, period=period).values_list("indicator_id", "commune_code")
    )
    missing: dict[tuple[str, str], list[Indicator]] = defaultdict(list)
    for indicator, unit in pairs:
        if (indicator.id, unit) not in present:
            owner = (unit, "commune") if unit != PROVINCE else (indicator.sector, "department")
            missing[owner].append(indicator)
    due, today = deadline(period), timezone.localdate()
    units = []
    for (unit, unit_kind), items in sorted(missing.items()):
        units.append(
            {
                "unit": unit,
                "unit_kind": unit_kind,
                "unit_name": names.get(unit, "") if unit_kind == "commune" else items[0].department,
                "missing": [{"indicator": i.code, "name": i.name, "name_en": i.name_en, "unit": i.unit} for i in items],
            }
        )
    reported = len(pairs) - sum(len(u["missing"]) for u in units)
    return {
        "period": period,
        "deadline": due.isoformat(),
        "overdue": today > due,
        "days_late": max(0, (today - due).days),
        "expected": len(pairs),
        "reported": reported,
        "missing": len(pairs) - reported,
        "units": units,
    }


def raise_alerts(period: str) -> dict[str, int]:
    """Past the deadline: one open "not reported" alert per unit still missing figures of the period (naming the
    unit and the indicators), and the ones of units that have since reported resolved."""
    found = track(period, Indicator.objects.all())
    keys = set()
    if found["overdue"]:
        for unit in found["units"]:
            key = f"{KEY_PREFIX}:{period}:{unit['unit']}"
            keys.add(key)
            _raise(key, period, found, unit)
    resolved = service.reconcile(source="submission", key_prefix=f"{KEY_PREFIX}:{period}:", active_keys=keys)
    return {"period": period, "units_missing": len(found["units"]), "alerts": len(keys), "resolved": resolved}


def _raise(key: str, period: str, found: dict, unit: dict) -> None:
    codes = [m["indicator"] for m in unit["missing"]]
    commune = unit["unit"] if unit["unit_kind"] == "commune" else ""
    listed = ", ".join(codes[:6]) + ("…" if len(codes) > 6 else "")
    due = dt.date.fromisoformat(found["deadline"])
    service.raise_alert(
        source="submission",
        key=key,
        severity="high" if found["days_late"] > 30 else "medium",
        title=f"{unit['unit_name']} chưa báo cáo {len(codes)} chỉ tiêu kỳ {period} (hạn {due:%d/%m/%Y}): {listed}",
        title_en=f"{unit['unit_name']} has not reported {len(codes)} indicators for {period} (due {due}): {listed}",
        sector="" if commune else unit["unit"],
        commune_code=commune,
        responsible_unit=unit["unit"],
        detail={"period": period, "deadline": found["deadline"], "indicators": codes},
        observed_at=timezone.make_aware(dt.datetime.combine(due, dt.time(23, 59))),
    )


def due_periods(today: dt.date | None = None) -> list[str]:
    """The latest period of each kind whose deadline has passed, and the one before it."""
    today = today or timezone.localdate()
    found = []
    for kind in ("month", "quarter", "year"):
        period = period_of(today, kind)
        while deadline(period) >= today:
            period = previous_period(period)
        found += [period, previous_period(period)]
    return found


def run_job() -> dict[str, Any]:
    """The scheduler's job (indicators.jobs): raise and resolve "not reported" alerts of the due periods."""
    return {"periods": [raise_alerts(period) for period in due_periods()]}
