"""The entry form of one unit (a commune, or the province for department figures) and period: each indicator the
caller may enter, with its current figure, the previous period's, the same period last year's and the target."""

from __future__ import annotations

from typing import Any

from geodata.models import Commune, Indicator, IndicatorValue, PeriodLock
from geodata.models.indicators import PROVINCE
from geodata.periods import kind_of, previous_period, same_period_last_year
from indicators.access import refusal
from mapserver.errors import InvalidParameterValue
from mapserver.principal import Principal


def entry_form(principal: Principal, unit: str, period: str) -> dict[str, Any]:
    """The fields of the form (indicators this caller enters for this unit and period kind) and the lock."""
    kind = kind_of(period)
    if unit != PROVINCE and not Commune.objects.filter(code=unit).exists():
        raise InvalidParameterValue(f"unknown commune code {unit!r}")
    candidates = [
        i
        for i in Indicator.objects.filter(period_kind=kind).order_by("group", "code")
        if refusal(principal, i, unit) is None
    ]
    before, last_year = previous_period(period), same_period_last_year(period)
    values: dict[tuple[int, str], Any] = {}
    for v in _figures(candidates, unit, (period, before, last_year)):
        values[(v.indicator_id, v.period)] = v
    fields = []
    for indicator in candidates:
        targets = indicator.targets_of(int(period[:4]))
        current = values.get((indicator.id, period))
        fields.append(
            {
                "indicator": indicator.code,
                "name": indicator.name,
                "name_en": indicator.name_en,
                "group": indicator.group,
                "unit": indicator.unit,
                "higher_is_better": indicator.higher_is_better,
                "value": current.value if current else None,
                "entered_by": current.entered_by if current else None,
                "entered_at": current.entered_at if current else None,
                "previous": _figure(values.get((indicator.id, before))),
                "same_period_last_year": _figure(values.get((indicator.id, last_year))),
                "target": indicator.period_target(targets, unit),
            }
        )
    return {
        "unit": unit,
        "period": period,
        "period_kind": kind,
        "previous_period": before,
        "same_period_last_year": last_year,
        "locked": PeriodLock.objects.filter(period=period).exists(),
        "fields": fields,
    }


def _figures(indicators: list[Indicator], unit: str, periods: tuple[str, ...]):
    return IndicatorValue.objects.filter(indicator__in=indicators, commune_code=unit, period__in=periods)


def _figure(value) -> dict | None:
    return None if value is None else {"period": value.period, "value": value.value}
