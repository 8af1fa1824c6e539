"""Periodic scenario runs, the scheduler's job `scenarios.periodic` (and `manage.py scenarios_run_due`): every
scenario in force whose schedule is due runs on the whole province, and its alerts become alerts."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.utils import timezone

from mapserver.principal import Principal
from scenarios import alerting, runner, versions
from scenarios.models import ScenarioRun
from scenarios.specs import ScenarioSpec

log = logging.getLogger(__name__)
SCHEDULER = Principal(username="scheduler", role="admin")  # periodic runs see every row (scope "all")
PROVINCE = {"type": "province"}


class PeriodicRunsFailed(RuntimeError):
    """Some due scenarios failed (the others ran and stay recorded); the job is retried for the failed ones."""


def due(spec: ScenarioSpec, now: dt.datetime) -> bool:
    """Has the scenario's schedule interval passed since its last successful periodic run?"""
    if not spec.schedule_minutes:
        return False
    last = (
        ScenarioRun.objects.filter(scenario_id=spec.id, level=ScenarioRun.PERIODIC, status="successful")
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return last is None or now - last >= dt.timedelta(minutes=spec.schedule_minutes)


def run_one(spec: ScenarioSpec) -> dict[str, Any]:
    """Run one scenario on the province as a periodic run and publish its alerts."""
    run = runner.run_scenario(spec, SCHEDULER, PROVINCE, {}, ScenarioRun.PERIODIC)
    published = alerting.publish(spec, run)
    seconds = (run.finished_at - run.created_at).total_seconds()
    return {"run_id": str(run.id), "seconds": round(seconds, 2), "alerts": len(run.result["alerts"]), **published}


def run_due(only: set[str] | None = None, force: bool = False) -> dict[str, Any]:
    """Run every due scenario (or those named in `only`); the summary of each, and the failures."""
    now = timezone.now()
    ran: dict[str, Any] = {}
    failed: dict[str, str] = {}
    for spec in versions.all_specs():
        if (only is not None and spec.id not in only) or not (force or due(spec, now)):
            continue
        try:
            ran[spec.id] = run_one(spec)
        except Exception as exc:  # one broken scenario does not stop the others
            log.exception("periodic run of %s failed", spec.id)
            failed[spec.id] = f"{type(exc).__name__}: {exc}"[:500]
    if failed:
        raise PeriodicRunsFailed(f"failed: {failed}; ran: {sorted(ran)}")
    return {"ran": ran}
