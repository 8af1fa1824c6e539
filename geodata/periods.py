"""Reporting periods of the indicators: 2026 (year), 2026-Q1 (quarter), 2026-03 (month), and their arithmetic."""

from __future__ import annotations

import datetime as dt

from geodata.models.indicators import PERIOD


def kind_of(period: str) -> str:
    """month, quarter or year (the period must match PERIOD)."""
    _, month, quarter = PERIOD.match(period).groups()
    return "month" if month else "quarter" if quarter else "year"


def previous_period(period: str) -> str:
    """The period just before (month, quarter or year)."""
    year, month, quarter = PERIOD.match(period).groups()
    year = int(year)
    if month:
        m = int(month) - 1
        return f"{year - 1}-12" if m == 0 else f"{year}-{m:02d}"
    if quarter:
        q = int(quarter) - 1
        return f"{year - 1}-Q4" if q == 0 else f"{year}-Q{q}"
    return str(year - 1)


def same_period_last_year(period: str) -> str:
    """The same month, quarter or year one year earlier."""
    return f"{int(period[:4]) - 1}{period[4:]}"


def last_day(period: str) -> dt.date:
    """The last day of the period."""
    year, month, quarter = PERIOD.match(period).groups()
    end_month = int(month) if month else 3 * int(quarter) if quarter else 12
    first_next = dt.date(int(year) + end_month // 12, end_month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def months_to_date(period: str) -> list[str]:
    """The months of the period's year up to its end (year to date), as YYYY-MM."""
    end = last_day(period)
    return [f"{end.year}-{m:02d}" for m in range(1, end.month + 1)]


def period_of(day: dt.date, kind: str) -> str:
    """The period of that kind containing the day."""
    if kind == "month":
        return f"{day.year}-{day.month:02d}"
    if kind == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)
