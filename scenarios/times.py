"""Times in scenarios: the `until` parameter (the end of every time window) and instants as people in the
province read them."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from mapserver.errors import InvalidParameterValue
from scenarios.http import instant_param

PROVINCE_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_WINDOW = dt.timedelta(days=366)  # the largest `hours` a scenario declares


def parse_until(text: str) -> dt.datetime | None:
    """The `until` parameter: an ISO 8601 date-time (naive: the province's time), or None when empty; 400 when
    it does not parse or lies so near the ends of the calendar that the window before it cannot be computed."""
    if not text:
        return None
    try:
        end = instant_param(text, "until")  # the one parser of query-time instants (naive: province time)
        end.astimezone(dt.UTC) - MAX_WINDOW
    except (InvalidParameterValue, OverflowError):
        raise InvalidParameterValue(f"until must be an ISO 8601 date-time after year 1, got {text[:40]!r}") from None
    return end


def local_time(at: Any) -> str:
    """An instant as people in the province read it: dd/mm/yyyy HH:MM, Asia/Ho_Chi_Minh."""
    at = dt.datetime.fromisoformat(at) if isinstance(at, str) else at
    return at.astimezone(PROVINCE_TZ).strftime("%d/%m/%Y %H:%M") if at else ""
