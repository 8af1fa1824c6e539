"""Step kinds of the socio-economic scenario (004 §IV.5a), over indicators and registry layers:

- IndicatorFigures: one indicator's figures for the communes the area enters: year to date against the year's
  target (pace against the share of the year gone), or the period and the year to date against the same period
  last year. Missing figures stay missing (listed, never zero).
- Schedule: features with a due date (projects, tasks): disbursed share against the year gone, progress against
  the schedule, late and overdue ones; one row per flagged feature, named.
- WindowCompare: features whose date falls in the last `days` against the `days` before, per group (a rise in
  dissolutions)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from geodata.models import Indicator, IndicatorValue
from geodata.models.indicators import PERIOD
from geodata.periods import kind_of, months_to_date, same_period_last_year
from mapserver.errors import InvalidParameterValue
from scenarios import queries
from scenarios.runner import EXECUTORS, TEXT_CHECKS
from scenarios.specs import Number, Select, Step
from scenarios.sqlparts import Filter
from scenarios.steps.spatial import MAP_CAP, RunContext, feature

ROW_CAP = 2000


class _Checked:
    """How the definition editor checks the fields of these step kinds (scenarios.definitions calls it)."""

    TEXT_FIELDS: dict[str, tuple[str, ...]] = {}  # field -> allowed values (empty: an attribute of the layer)

    @classmethod
    def check_field(cls, name: str, value: Any, path: str, layer, invalid, attribute) -> Any:
        """The field's value if allowed, else invalid(path, reason)."""
        if name == "indicator":
            if not isinstance(value, str) or not Indicator.objects.filter(code=value).exists():
                raise invalid(path, f"no indicator {value!r}")
            return value
        if name in cls.TEXT_FIELDS:
            if value not in cls.TEXT_FIELDS[name]:
                raise invalid(path, f"must be one of {list(cls.TEXT_FIELDS[name])}")
            return value
        if name == "period":
            if not isinstance(value, str) or not (value.startswith("$") or not value or PERIOD.match(value)):
                raise invalid(path, 'must be a month, "" or "$param"')
            return value
        if name == "done":
            if not isinstance(value, (list, tuple)) or len(value) != 2 or not all(isinstance(v, str) for v in value):
                raise invalid(path, 'must be [attribute, "value,value"]')
            return (attribute(layer, value[0], f"{path}[0]"), value[1][:200])
        if layer is None or not isinstance(value, str):
            raise invalid(path, "must name an attribute of the step's layer")
        return value if value == "" else attribute(layer, value, path)


@dataclass(frozen=True)
class IndicatorFigures(_Checked, Step):
    indicator: str = ""
    mode: str = "year_to_date"  # year_to_date | same_period_last_year
    period: str = "$period"  # a month; "" (the parameter's default): the latest month with figures
    TEXT_FIELDS = {"mode": ("year_to_date", "same_period_last_year")}


@dataclass(frozen=True)
class Schedule(_Checked, Step):
    select: Select = None
    due: str = ""  # the date by which the feature must be done
    done: tuple[str, str] = ("status", "done")  # (attribute, comma-separated values meaning done)
    completed: str = ""  # the date it was done (a task done after its due date is late)
    start: str = ""  # with progress: the schedule's start, progress is compared with the time gone
    progress: str = ""
    plan: str = ""  # with spent: the year's plan and what was disbursed (slow when behind the year gone)
    spent: str = ""
    slow_margin_pct: Number = 15
    late_margin_pct: Number = 20


@dataclass(frozen=True)
class WindowCompare(_Checked, Step):
    select: Select = None
    date_field: str = ""
    group_by: str = "commune"
    days: Number = 60
    rise_factor: Number = 2.0
    min_count: Number = 5


def parse_as_of(raw: str) -> dt.date:
    """A reference day YYYY-MM-DD between 2000 and 2100, else today in the province when empty; 400 otherwise."""
    if not raw:
        return timezone.localdate()
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidParameterValue(f"as_of must be a date YYYY-MM-DD, got {raw!r}") from None
    if not 2000 <= day.year <= 2100:
        raise InvalidParameterValue(f"as_of must be between 2000 and 2100, got {raw!r}")
    return day


def parse_month(raw: str) -> str:
    """A month YYYY-MM (or empty: the latest month with figures); 400 otherwise."""
    if raw and (not PERIOD.match(raw) or kind_of(raw) != "month"):
        raise InvalidParameterValue(f"period must be a month YYYY-MM, got {raw!r}")
    return raw


def as_of(ctx: RunContext) -> dt.date:
    """The run's reference day: the as_of parameter, else today in the province."""
    return parse_as_of(ctx.params.get("as_of") or "")


def _names(ctx: RunContext) -> dict[str, str]:
    return {c["code"]: c["name"] for c in ctx.communes}


def _period(step: IndicatorFigures, ctx: RunContext, indicator: Indicator) -> str:
    period = ctx.value(step.period) or ""
    if not period:
        latest = indicator.values.order_by("-period").values_list("period", flat=True).first()
        if latest is None:
            raise InvalidParameterValue(f"indicator {indicator.code} has no figures yet")
        return latest
    return parse_month(period)


def _figures(indicator: Indicator, periods: list[str], communes: list[str]) -> dict[str, dict[str, float]]:
    found: dict[str, dict[str, float]] = {}
    rows = IndicatorValue.objects.filter(indicator=indicator, period__in=periods, commune_code__in=communes)
    for commune, period, value in rows.values_list("commune_code", "period", "value"):
        found.setdefault(commune, {})[period] = value
    return found


def _pct(part: float | None, whole: float | None) -> float | None:
    return round(100 * part / whole, 2) if part is not None and whole else None


def indicator_figures(step: IndicatorFigures, ctx: RunContext) -> tuple[list, dict, list]:
    """Per commune of the area and for the area: the indicator's figures against target or last year."""
    indicator = Indicator.objects.filter(code=step.indicator).first()
    if indicator is None:
        raise InvalidParameterValue(f"the scenario reads indicator {step.indicator!r}, which is not declared")
    period, names = _period(step, ctx, indicator), _names(ctx)
    months = months_to_date(period)
    if step.mode == "year_to_date":
        return _year_to_date(indicator, period, months, names)
    return _against_last_year(indicator, period, months, names)


def _year_to_date(indicator: Indicator, period: str, months: list[str], names: dict) -> tuple[list, dict, list]:
    figures = _figures(indicator, months, list(names))
    targets = indicator.targets_of(int(period[:4]))
    expected_pct = round(100 * len(months) / 12, 2)
    rows, total_value, total_target = [], 0.0, 0.0
    for code, name in sorted(names.items()):
        got = figures.get(code, {})
        value = round(sum(got.values()), 4) if got else None
        target = targets.get(code)
        achieved = _pct(value, target)
        rows.append(
            {
                "key": code,
                "label": name,
                "commune": code,
                "indicator": indicator.code,
                "period": period,
                "value": value,
                "target": target,
                "achieved_pct": achieved,
                "expected_pct": expected_pct,
                "pace_pct": round(achieved - expected_pct, 2) if achieved is not None else None,
                "missing_months": [m for m in months if m not in got],
            }
        )
        total_value += value or 0
        total_target += target or 0
    achieved = _pct(total_value, total_target)
    totals = {
        "indicator": indicator.code,
        "unit": indicator.unit,
        "period": period,
        "value": round(total_value, 4),
        "target": round(total_target, 4),
        "achieved_pct": achieved,
        "expected_pct": expected_pct,
        "pace_pct": round(achieved - expected_pct, 2) if achieved is not None else None,
        "missing": sum(len(r["missing_months"]) for r in rows),
    }
    return rows, totals, []


def _against_last_year(indicator: Indicator, period: str, months: list[str], names: dict) -> tuple[list, dict, list]:
    before = [same_period_last_year(m) for m in months]
    figures = _figures(indicator, months + before, list(names))
    last = same_period_last_year(period)
    rows, sums = [], {"value": 0.0, "last_year": 0.0, "ytd": 0.0, "ytd_last_year": 0.0}
    for code, name in sorted(names.items()):
        got = figures.get(code, {})
        row = {
            "key": code,
            "label": name,
            "commune": code,
            "indicator": indicator.code,
            "period": period,
            "value": got.get(period),
            "last_year": got.get(last),
            "ytd": round(sum(got[m] for m in months if m in got), 4),
            "ytd_last_year": round(sum(got[m] for m in before if m in got), 4),
            "missing_months": [m for m in months + before if m not in got],
        }
        row["change_pct"] = _change(row["value"], row["last_year"])
        row["ytd_change_pct"] = _change(row["ytd"], row["ytd_last_year"]) if not row["missing_months"] else None
        rows.append(row)
        for name_ in sums:
            sums[name_] += row[name_] or 0
    totals = {"indicator": indicator.code, "unit": indicator.unit, "period": period}
    totals |= {k: round(v, 4) for k, v in sums.items()}
    totals["change_pct"] = _change(totals["value"], totals["last_year"])
    totals["ytd_change_pct"] = _change(totals["ytd"], totals["ytd_last_year"])
    totals["missing"] = sum(len(r["missing_months"]) for r in rows)
    return rows, totals, []


def _change(value: float | None, before: float | None) -> float | None:
    return round(100 * (value - before) / before, 2) if value is not None and before else None


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) and value else None


def schedule(step: Schedule, ctx: RunContext) -> tuple[list, dict, list]:
    """Each feature judged against the reference day; rows are the flagged ones (slow, late, overdue), named."""
    today = as_of(ctx)
    selection = ctx.selection(step.select)
    page = queries.features_page(ctx.area, selection, ROW_CAP, 0)
    label = selection.spec.label_field
    done_values = set(step.done[1].split(","))
    year_gone = round(100 * (today.timetuple().tm_yday / (366 if today.year % 4 == 0 else 365)), 2)
    rows, features, counts = [], [], {"count": 0, "overdue": 0, "late": 0, "slow": 0}
    margins = (float(ctx.value(step.slow_margin_pct)), float(ctx.value(step.late_margin_pct)))
    for f in page["features"]:
        p = f["properties"]
        judged = _judge(step, p, today, done_values, year_gone, margins)
        counts["count"] += 1
        for flag in ("overdue", "late", "slow"):
            counts[flag] += int(judged[flag])
        if judged["overdue"] or judged["late"] or judged["slow"]:
            row = {"key": str(f["id"]), "label": p.get(label, ""), "commune": p.get("commune_code") or None}
            rows.append(row | judged)
            if step.on_map and len(features) < MAP_CAP:
                features.append(feature(f["geometry"], step, id=f["id"], label=row["label"], **judged))
    totals = dict(counts)
    if step.plan:
        totals["plan"] = round(sum(f["properties"].get(step.plan) or 0 for f in page["features"]), 2)
        totals["spent"] = round(sum(f["properties"].get(step.spent) or 0 for f in page["features"]), 2)
        totals["spent_pct"] = _pct(totals["spent"], totals["plan"])
        totals["year_gone_pct"] = year_gone
    return sorted(rows, key=lambda r: (-r["days_overdue"], r["label"])), totals, features


def _judge(
    step: Schedule, p: dict, today: dt.date, done_values: set, year_gone: float, margins: tuple[float, float]
) -> dict[str, Any]:
    due, done = _date(p.get(step.due)), str(p.get(step.done[0])) in done_values
    completed = _date(p.get(step.completed)) if step.completed else None
    judged: dict[str, Any] = {"due": p.get(step.due), "status": p.get(step.done[0])}
    judged["overdue"] = bool(due and not done and due < today)
    judged["days_overdue"] = (today - due).days if judged["overdue"] else 0
    late = bool(completed and due and completed > due)
    if step.progress and step.start and not done and due:
        start = _date(p.get(step.start))
        span = max(1, (due - start).days) if start else 1
        scheduled = min(100.0, 100 * max(0, (today - start).days) / span) if start else 100.0
        judged["scheduled_pct"] = round(scheduled, 2)
        judged["progress_pct"] = p.get(step.progress)
        late = late or (p.get(step.progress) or 0) < scheduled - margins[1]
    judged["late"] = late
    judged["slow"] = False
    if step.plan:
        plan, spent = p.get(step.plan) or 0, p.get(step.spent) or 0
        judged["spent_pct"] = _pct(spent, plan)
        judged["year_gone_pct"] = year_gone
        judged["slow"] = bool(plan and not done and 100 * spent / plan < year_gone - margins[0])
    return judged


def window_compare(step: WindowCompare, ctx: RunContext) -> tuple[list, dict, list]:
    """Per group: features dated in the last `days` (to the reference day) against the `days` before."""
    today, days = as_of(ctx), int(ctx.value(step.days))
    edges = [today - dt.timedelta(days=days * k) for k in (2, 1)] + [today + dt.timedelta(days=1)]
    counts = []
    for lo, hi in ((edges[0], edges[1]), (edges[1], edges[2])):
        dated = (Filter(step.date_field, "gte", lo), Filter(step.date_field, "lt", hi))
        chosen = Select(step.select.layer, step.select.filters + dated)
        result = queries.aggregate(ctx.area, [ctx.selection(chosen, group_by=step.group_by)])
        counts.append({("" if r["grp"] is None else str(r["grp"])): r["n"] for r in result["rows"]})
    factor, minimum, names = float(ctx.value(step.rise_factor)), float(ctx.value(step.min_count)), _names(ctx)
    rows = []
    for key in sorted(set(counts[0]) | set(counts[1])):
        now_, before = counts[1].get(key, 0), counts[0].get(key, 0)
        rise = round(now_ / before, 2) if before else None
        abnormal = now_ >= minimum and (before == 0 or now_ >= factor * before)
        label = names.get(key, key) if step.group_by == "commune" else key
        commune = key if step.group_by == "commune" else None
        rows.append(
            {
                "key": key,
                "label": label,
                "commune": commune,
                "count": now_,
                "previous": before,
                "rise": rise,
                "abnormal": int(abnormal),
                "since": edges[1].isoformat(),
            }
        )
    rows.sort(key=lambda r: (-r["abnormal"], -r["count"], r["key"]))
    totals = {
        "count": sum(counts[1].values()),
        "previous": sum(counts[0].values()),
        "days": days,
        "abnormal": sum(r["abnormal"] for r in rows),
        "since": edges[1].isoformat(),
    }
    return rows, totals, []


EXECUTORS.update({IndicatorFigures: indicator_figures, Schedule: schedule, WindowCompare: window_compare})
TEXT_CHECKS.update({"as_of": parse_as_of, "period": parse_month})  # checked before a run starts


def _declare_kinds() -> None:
    """The definition editor's step kinds include these (whichever of the two modules was imported first)."""
    from scenarios import definitions

    definitions.KINDS.update({kind.__name__: kind for kind in (IndicatorFigures, Schedule, WindowCompare)})


_declare_kinds()
__all__ = ["IndicatorFigures", "Schedule", "WindowCompare"]
