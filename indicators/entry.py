"""Writing figures: every row checked first (kind of period, lock, scope, value), then all written in one
transaction or none; a changed figure keeps the one it replaces as an IndicatorRevision."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from geodata.models import Indicator, IndicatorRevision, IndicatorValue, PeriodLock
from geodata.models.indicators import PERIOD
from geodata.periods import kind_of, last_day
from geodata.signals import layer_data_changed
from indicators.access import refusal
from mapserver import audit
from mapserver.errors import InvalidParameterValue
from mapserver.principal import Principal

MAX_ABS = 1e12  # no figure of the set comes near; larger is a typing slip


@dataclass(frozen=True)
class Row:
    """One figure to write, with where it came from (a JSON index or a spreadsheet row) for error messages."""

    row: int
    indicator: str
    commune_code: str
    period: str
    value: Any
    columns: dict = field(default_factory=dict)  # field -> the column name to report (XLSX headers)

    def column(self, name: str) -> str:
        return self.columns.get(name, name)


class EntryRefused(InvalidParameterValue):
    """Some rows cannot be written (nothing was): each problem by row and column."""

    def __init__(self, errors: list[dict]):
        first = errors[0]
        super().__init__(
            f"{len(errors)} problem(s), nothing written; row {first['row']}, {first['column']}: {first['description']}"
        )
        self.errors = errors


def _check(row: Row, principal: Principal, indicators: dict, locked: set, today) -> tuple[list[dict], Any]:
    problems = []

    def add(column: str, text: str) -> None:
        problems.append({"row": row.row, "column": row.column(column), "description": text})

    indicator = indicators.get(row.indicator)
    if indicator is None:
        add("indicator", f"unknown indicator {row.indicator!r}")
        return problems, None
    if not isinstance(row.period, str) or not PERIOD.match(row.period):
        add("period", f"{row.period!r} is not a period (2026-03, 2026-Q1, 2026)")
    elif kind_of(row.period) != indicator.period_kind:
        add("period", f"{indicator.code} is reported per {indicator.period_kind}, not {row.period!r}")
    elif row.period in locked:
        add("period", f"period {row.period} is locked by the IOC")
    elif last_day(row.period).replace(day=1) > today:
        add("period", f"period {row.period} has not started")
    reason = refusal(principal, indicator, row.commune_code)
    if reason:
        add("commune", reason)
    value = row.value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        add("value", f"{value!r} is not a number")
    elif abs(value) > MAX_ABS:
        add("value", f"{value} is out of range")
    elif value < 0 and indicator.province_rule == "sum":  # amounts and counts
        add("value", f"{indicator.code} cannot be negative")
    return problems, indicator


def check(rows: list[Row], principal: Principal) -> list[tuple[Row, Indicator]]:
    """Every row checked; EntryRefused (400, by row and column) if any is wrong or two rows write one figure."""
    indicators = {i.code: i for i in Indicator.objects.filter(code__in={r.indicator for r in rows})}
    locked = set(PeriodLock.objects.filter(period__in={r.period for r in rows}).values_list("period", flat=True))
    today, errors, checked, seen = timezone.localdate(), [], [], {}
    for row in rows:
        problems, indicator = _check(row, principal, indicators, locked, today)
        key = (row.indicator, row.commune_code, row.period)
        if key in seen:
            problems.append(
                {"row": row.row, "column": row.column("indicator"), "description": f"same figure as row {seen[key]}"}
            )
        seen.setdefault(key, row.row)
        errors += problems
        if not problems:
            checked.append((row, indicator))
    if errors:
        raise EntryRefused(errors)
    if not rows:
        raise InvalidParameterValue("no figures to write")
    return checked


@transaction.atomic
def write(rows: list[Row], principal: Principal, source: str) -> dict[str, int]:
    """Check, then write every figure (new, changed with its previous version kept, or unchanged); all or none."""
    checked = check(rows, principal)
    now, who = timezone.now(), principal.username
    # the lock is read again under the transaction: a period locked meanwhile refuses the whole write
    periods = {r.period for r, _ in checked}
    if PeriodLock.objects.select_for_update().filter(period__in=periods).exists():
        raise EntryRefused([{"row": checked[0][0].row, "column": "period", "description": "the period was locked"}])
    existing = {
        (v.indicator_id, v.commune_code, v.period): v
        for v in IndicatorValue.objects.select_for_update().filter(
            indicator__in={i.id for _, i in checked}, period__in=periods
        )
    }
    counts = {"created": 0, "corrected": 0, "unchanged": 0}
    for row, indicator in checked:
        value = float(row.value)
        current = existing.get((indicator.id, row.commune_code, row.period))
        if current is None:
            IndicatorValue.objects.create(
                indicator=indicator,
                commune_code=row.commune_code,
                period=row.period,
                value=value,
                entered_by=who,
                entered_at=now,
                source=source,
            )
            counts["created"] += 1
        elif current.value == value:
            counts["unchanged"] += 1
        else:
            IndicatorRevision.objects.create(
                indicator=indicator,
                commune_code=current.commune_code,
                period=current.period,
                value=current.value,
                entered_by=current.entered_by,
                entered_at=current.entered_at,
                source=current.source,
                replaced_by=who,
                replaced_at=now,
            )
            current.value, current.entered_by, current.entered_at, current.source = value, who, now, source
            current.save(update_fields=["value", "entered_by", "entered_at", "source"])
            counts["corrected"] += 1
    audit.record(principal, "indicator_entry", "indicators", "", source=source, periods=sorted(periods), **counts)
    transaction.on_commit(lambda: layer_data_changed.send(sender=write, model=IndicatorValue, bbox=None))
    return counts


def history(indicator: Indicator, commune_code: str, period: str | None) -> list[dict[str, Any]]:
    """The current figure and every version it replaced, newest first, per period."""
    current = indicator.values.filter(commune_code=commune_code)
    older = indicator.revisions.filter(commune_code=commune_code)
    if period:
        current, older = current.filter(period=period), older.filter(period=period)
    found = [
        {
            "period": v.period,
            "value": v.value,
            "entered_by": v.entered_by,
            "entered_at": v.entered_at,
            "source": v.source,
            "current": True,
            "replaced_by": None,
            "replaced_at": None,
        }
        for v in current
    ]
    found += [
        {
            "period": r.period,
            "value": r.value,
            "entered_by": r.entered_by,
            "entered_at": r.entered_at,
            "source": r.source,
            "current": False,
            "replaced_by": r.replaced_by,
            "replaced_at": r.replaced_at,
        }
        for r in older.order_by("-replaced_at", "-id")
    ]
    return sorted(found, key=lambda v: v["period"], reverse=True)
