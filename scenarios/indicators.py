"""Indicators with targets: values per commune and period, comparisons, direction-aware alerts (their choropleth
tiles are served by the tiles app, tiles/indicators.py)."""

from __future__ import annotations

import math
import operator
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.db.models import OuterRef, Q, Subquery

from geodata.models import Indicator, IndicatorTarget, IndicatorValue
from geodata.models.indicators import PERIOD, PROVINCE
from geodata.periods import previous_period, same_period_last_year
from layers.registry import registry
from mapserver.errors import InvalidParameterValue, NotFound

# Severity by the relative gap to the target: below 10 % low, below 25 % medium, else high.
SEVERITY_STEPS = ((0.10, "low"), (0.25, "medium"))
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def parse_period(value: Any) -> str:
    """A period string: 2026 (year), 2026-Q1 (quarter) or 2026-03 (month)."""
    if not isinstance(value, str) or not PERIOD.match(value):
        raise InvalidParameterValue(f"period must look like 2026, 2026-Q1 or 2026-03, got {value!r}")
    return value


@dataclass(frozen=True)
class Verdict:
    """How a value compares with its indicator's target."""

    met: bool
    gap: float  # how far from the target, >= 0, in the indicator's unit
    relative_gap: float | None  # None where the target is 0 (no ratio exists)
    severity: str | None


def judge(value: float, target: float, higher_is_better: bool) -> Verdict:
    """Direction-aware comparison of a value with the target."""
    gap = (target - value) if higher_is_better else (value - target)
    if gap <= 0:
        return Verdict(True, 0.0, 0.0, None)
    if not target:  # any miss of a zero target is a full miss; a ratio to 0 does not exist (and is not JSON)
        return Verdict(False, gap, None, "high")
    relative = gap / abs(target)
    severity = next((name for limit, name in SEVERITY_STEPS if relative < limit), "high")
    return Verdict(False, gap, relative, severity)


def describe(indicator: Indicator, periods: list[str] | None = None) -> dict[str, Any]:
    """The public description of an indicator."""
    data = {
        "code": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        "sector": indicator.sector,
        "department": indicator.department,
        "target": indicator.target,
        "higher_is_better": indicator.higher_is_better,
        "period_kind": indicator.period_kind,
        "name_en": indicator.name_en,
        "group": indicator.group,
        "level": indicator.level,
        "province_rule": indicator.province_rule,
        "synthetic": indicator.synthetic,
    }
    if periods is not None:
        data["periods"] = periods
        data["latest_period"] = periods[-1] if periods else None
    return data


def list_indicators() -> list[dict[str, Any]]:
    """Every indicator with the periods that have values."""
    periods: dict[int, list[str]] = {}
    for indicator_id, period in (
        IndicatorValue.objects.values_list("indicator_id", "period").distinct().order_by("period")
    ):
        periods.setdefault(indicator_id, []).append(period)
    return [describe(i, periods.get(i.id, [])) for i in Indicator.objects.order_by("sector", "code")]


def get_indicator(code: str) -> Indicator:
    try:
        return Indicator.objects.get(code=code)
    except Indicator.DoesNotExist:
        raise NotFound(f"no indicator {code!r}") from None


def _newest_first(values) -> Any:
    """The periods of these values, the latest first (the one rule for an indicator's latest period)."""
    return values.order_by("-period").values_list("period", flat=True)


def latest_period(indicator: Indicator) -> str | None:
    return _newest_first(indicator.values).first()


def _values(indicator: Indicator, period: str, communes: Iterable[str] | None = None) -> dict[str, float]:
    """Commune figures of the period (the province's own figure, commune_code "", is not one of them)."""
    rows = indicator.values.filter(period=period).exclude(commune_code=PROVINCE)
    if communes is not None:
        rows = rows.filter(commune_code__in=list(communes))
    return dict(rows.values_list("commune_code", "value"))


def _change(value: float, before: float | None) -> dict[str, float] | None:
    if before is None:
        return None
    return {
        "value": before,
        "change": value - before,
        "change_pct": (value - before) / before * 100 if before else None,
    }


def province_figure(indicator: Indicator, period: str) -> dict[str, Any]:
    """The province's figure: entered (its own row) or computed from the communes by the declared rule, never both."""
    rule = indicator.province_rule
    if rule == "entered":
        value = indicator.values.filter(period=period, commune_code=PROVINCE).values_list("value", flat=True).first()
        return {"rule": rule, "value": value, "communes_reported": None}
    values = _values(indicator, period)
    if not values:
        return {"rule": rule, "value": None, "communes_reported": 0}
    if rule == "sum":
        value = sum(values.values())
    elif rule == "weighted_mean":
        weights = _values(get_indicator(indicator.weight_indicator), period[:4])
        pairs = [(v, weights[c]) for c, v in values.items() if weights.get(c)]
        value = sum(v * w for v, w in pairs) / sum(w for _, w in pairs) if pairs else None
    else:
        value = sum(values.values()) / len(values)
    return {"rule": rule, "value": value, "communes_reported": len(values)}


def indicator_values(code: str, period: str | None, commune: str | None = None) -> dict[str, Any]:
    """Values per commune for a period (default: latest) with the previous period and the same period last year;
    communes expected but without a value are listed as missing (never as zero)."""
    indicator = get_indicator(code)
    period = parse_period(period) if period else latest_period(indicator)
    if period is None:
        return {"indicator": describe(indicator), "period": None, "values": [], "missing": []}
    wanted = [commune] if commune else None
    current = _values(indicator, period, wanted)
    previous = _values(indicator, previous_period(period), wanted)
    last_year = _values(indicator, same_period_last_year(period), wanted)
    targets = indicator.targets_of(int(period[:4]))
    names = dict(registry.get("communes").model.objects.values_list("code", "name"))
    values = []
    for code_, value in sorted(current.items()):
        target = indicator.period_target(targets, code_)
        verdict = judge(value, target, indicator.higher_is_better) if target is not None else None
        values.append(
            {
                "commune": code_,
                "commune_name": names.get(code_, ""),
                "value": value,
                "target": target,
                "met": verdict.met if verdict else None,
                "gap": verdict.gap if verdict else None,
                "severity": verdict.severity if verdict else None,
                "previous_period": _change(value, previous.get(code_)),
                "same_period_last_year": _change(value, last_year.get(code_)),
            }
        )
    expected = [commune] if commune else sorted(names) if indicator.level == "commune" else []
    return {
        "indicator": describe(indicator),
        "period": period,
        "previous_period": previous_period(period),
        "same_period_last_year": same_period_last_year(period),
        "province": province_figure(indicator, period),
        "values": values,
        "missing": [{"commune": c, "commune_name": names.get(c, "")} for c in expected if c not in current],
    }


def alerts(
    period: str | None = None,
    commune: str | None = None,
    sector: str | None = None,
    codes: Iterable[str] | None = None,
    communes: Iterable[str] | None = None,
) -> list[dict[str, Any]]:
    """Values that miss their target (each indicator's latest period unless one is given), worst first.

    Three queries whatever the number of indicators (the alert panel polls this every minute on every open map):
    the indicators with their latest periods, the values of those periods and the years' targets."""
    period = parse_period(period) if period else None
    indicators = Indicator.objects.all()
    if sector:
        indicators = indicators.filter(sector=sector)
    if codes is not None:
        indicators = indicators.filter(code__in=list(codes))
    if period is None:  # each one's latest period with a value (latest_period), read with the indicator
        latest = _newest_first(IndicatorValue.objects.filter(indicator=OuterRef("pk")))[:1]
        indicators = indicators.annotate(latest=Subquery(latest))
    indicators = list(indicators)
    wanted = set(communes) if communes is not None else None
    if commune:
        wanted = {commune} if wanted is None else wanted & {commune}
    judged = [(i, period or i.latest) for i in indicators if period or i.latest]
    if not judged:
        return []
    rows = IndicatorValue.objects.filter(_any(Q(indicator=i, period=p) for i, p in judged)).exclude(
        commune_code=PROVINCE
    )
    if wanted is not None:
        rows = rows.filter(commune_code__in=list(wanted))
    values: dict[int, dict[str, float]] = defaultdict(dict)
    for indicator_id, code, value in rows.values_list("indicator_id", "commune_code", "value"):
        values[indicator_id][code] = value
    targets: dict[int, dict[str, float]] = defaultdict(dict)
    for indicator_id, code, value in IndicatorTarget.objects.filter(
        _any(Q(indicator=i, year=int(p[:4])) for i, p in judged)
    ).values_list("indicator_id", "commune_code", "value"):
        targets[indicator_id][code] = value
    found = []
    for indicator, at_period in judged:
        for code, value in values[indicator.id].items():
            target = indicator.period_target(targets[indicator.id], code)
            verdict = judge(value, target, indicator.higher_is_better) if target is not None else None
            if verdict is not None and not verdict.met:
                found.append(
                    {
                        "indicator": indicator.code,
                        "indicator_name": indicator.name,
                        "sector": indicator.sector,
                        "commune": code,
                        "period": at_period,
                        "value": value,
                        "target": target,
                        "gap": round(verdict.gap, 4),
                        "relative_gap": None if verdict.relative_gap is None else round(verdict.relative_gap, 4),
                        "severity": verdict.severity,
                        "higher_is_better": indicator.higher_is_better,
                    }
                )
    return sorted(
        found,
        key=lambda a: (
            SEVERITY_ORDER[a["severity"]],
            -(a["relative_gap"] if a["relative_gap"] is not None else math.inf),
            a["indicator"],
            a["commune"],
        ),
    )


def _any(conditions: Iterable[Q]) -> Q:
    return reduce(operator.or_, conditions)
