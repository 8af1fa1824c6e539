"""Periodic scenario runs: run every scenario whose schedule is due, on the whole province.

Called every few minutes by cron or a systemd timer, e.g.
    */5 * * * *  cd /srv/mapserver && .venv/bin/python manage.py scenarios_run_due >> .data/scenarios.log 2>&1
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mapserver import timeouts
from mapserver.principal import Principal
from scenarios import runner, sectors, specs
from scenarios.models import ScenarioRun

SCHEDULER = Principal(username="scheduler", role="admin")  # periodic runs see every row (scope "all")


def due(spec: specs.ScenarioSpec, now: dt.datetime) -> bool:
    """Has the scenario's schedule interval passed since its last periodic run?"""
    if not spec.schedule_minutes:
        return False
    last = ScenarioRun.objects.filter(scenario_id=spec.id, level=ScenarioRun.PERIODIC).order_by("-created_at").first()
    return last is None or now - last.created_at >= dt.timedelta(minutes=spec.schedule_minutes)


class Command(BaseCommand):
    help = "Run the scenarios whose periodic schedule is due (on the whole province) and keep the runs."

    def add_arguments(self, parser):
        parser.add_argument("--scenario", action="append", help="only this scenario id (repeatable)")
        parser.add_argument("--force", action="store_true", help="run even if the schedule is not due")
        parser.add_argument("--dry-run", action="store_true", help="only list what is due")

    def handle(self, *args, **options):
        with timeouts.request_class("scheduled"):  # the database limits of scheduled work (settings)
            self._run_due(**options)

    def _run_due(self, scenario=None, force=False, dry_run=False, **options):
        chosen = sectors.all_specs()
        if scenario:
            unknown = set(scenario) - {s.id for s in chosen}
            if unknown:
                raise CommandError(f"unknown scenarios: {', '.join(sorted(unknown))}")
            chosen = [s for s in chosen if s.id in scenario]
        now = timezone.now()
        for spec in chosen:
            if not (force or due(spec, now)):
                continue
            if dry_run:
                self.stdout.write(f"due: {spec.id}")
                continue
            run = runner.run_scenario(spec, SCHEDULER, {"type": "province"}, {}, ScenarioRun.PERIODIC)
            alerts = len(run.result["alerts"]) + len(run.result["indicator_alerts"])
            self.stdout.write(
                f"{spec.id}: run {run.id} ({(run.finished_at - run.created_at).total_seconds():.1f} s, {alerts} alerts)"
            )
