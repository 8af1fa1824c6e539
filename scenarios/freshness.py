"""The freshness rule: every figure carries the time of its newest data; data older than the step's declared limit
(`Step.fresh_hours`) is "no recent data", which is neither an alarm nor an all-clear.

The reference instant is the run's `until` parameter when given (a run on the past judges the past), else now.
A step's status is "current" (all its data within the limit), "partial" (some rows stale: those rows raise no
alert) or "no_recent_data" (nothing within the limit: no alert, and no all-clear, from any rule on the step);
steps without a declared limit are "current" and still carry `as_of`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from psycopg import sql

from layers.registry import registry
from scenarios import queries
from scenarios.specs import Step
from scenarios.times import local_time, parse_until

CURRENT, PARTIAL, NO_RECENT_DATA = "current", "partial", "no_recent_data"
MESSAGE = "Không có dữ liệu mới"
MESSAGE_EN = "No recent data"


def reference_time(params: dict[str, Any]) -> dt.datetime:
    """The instant data age is measured from: the `until` parameter (province time when naive), else now; a run
    fixes it once (runner.derived_params: `until_at`), so every step of the run measures from the same instant."""
    if isinstance(params.get("until_at"), dt.datetime):
        return params["until_at"]
    until = params.get("until")
    end = parse_until(until) if isinstance(until, str) and until else None
    if end is None:
        return timezone.now()
    return timezone.make_aware(end) if timezone.is_naive(end) else end


def limit_hours(step: Step, params: dict[str, Any]) -> float | None:
    """The step's freshness limit in hours (a literal or a run parameter), None when it declares none."""
    value = step.fresh_hours
    if isinstance(value, str) and value.startswith("$"):
        value = params[value[1:]]
    return None if value is None else float(value)


def is_fresh(at: dt.datetime | str | None, step: Step, params: dict[str, Any]) -> bool:
    """Is data of that time within the step's limit (always, without a limit; never, without a time)?"""
    hours = limit_hours(step, params)
    if hours is None:
        return True
    if at is None:
        return False
    at = dt.datetime.fromisoformat(at) if isinstance(at, str) else at
    return at >= reference_time(params) - dt.timedelta(hours=hours)


def layer_as_of(layer_id: str) -> str | None:
    """The newest write to a layer (max updated_at, index-backed): the time of static inventories' figures."""
    spec = registry.get(layer_id)
    statement = sql.SQL("SELECT max({u}) FROM {t}").format(u=sql.Identifier("updated_at"), t=sql.Identifier(spec.table))
    newest = queries.fetch(statement)[0][0]
    return newest.isoformat() if newest else None


def summary(step: Step, params: dict[str, Any], rows: list[dict], totals: dict, layer: str | None) -> dict[str, Any]:
    """The step's freshness record: as_of, limit, status and the stale rows' keys."""
    hours = limit_hours(step, params)
    as_of = totals.get("as_of")
    if as_of is None and layer is not None:
        as_of = layer_as_of(layer)
    record = {"as_of": as_of, "max_age_hours": hours, "reference_time": reference_time(params).isoformat()}
    if hours is None:
        return record | {"status": CURRENT, "stale": []}
    stale = [r["key"] for r in rows if r.get("fresh") is False] + list(totals.get("stale_sensors", ()))
    fresh_rows = [r for r in rows if r.get("fresh") is not False]
    if totals.get("fresh") is False or (rows and not fresh_rows) or (not rows and not is_fresh(as_of, step, params)):
        status = NO_RECENT_DATA
    else:
        status = PARTIAL if stale else CURRENT
    return record | {"status": status, "stale": stale[:200], "stale_count": len(stale)}


def notice(step: Step, freshness: dict[str, Any], rule: str) -> dict[str, Any]:
    """The run result's "no recent data" entry for a rule whose step (or some rows of it) has no recent data."""
    newest = local_time(freshness.get("as_of")) if freshness.get("as_of") else None
    return {
        "rule": rule,
        "step": step.id,
        "title": step.title,
        "title_en": step.title_en,
        "status": freshness["status"],
        "severity": NO_RECENT_DATA,
        "as_of": freshness.get("as_of"),
        "max_age_hours": freshness["max_age_hours"],
        "stale": freshness.get("stale_count", 0),
        "message": f"{step.title}: {MESSAGE.lower()} (mới nhất: {newest or 'chưa có'}, giới hạn "
        f"{freshness['max_age_hours']:g} giờ)",
        "message_en": f"{step.title_en}: {MESSAGE_EN.lower()} (newest: {newest or 'none'}, limit "
        f"{freshness['max_age_hours']:g} h)",
    }
