"""Periodic scenario runs by hand: what the scheduler's job `scenarios.periodic` does every minute (run every
scenario in force whose schedule is due, on the whole province, and publish its alerts)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from scenarios import periodic, versions


class Command(BaseCommand):
    help = "Run the scenarios whose periodic schedule is due (on the whole province), keep the runs, raise alerts."

    def add_arguments(self, parser):
        parser.add_argument("--scenario", action="append", help="only this scenario id (repeatable)")
        parser.add_argument("--force", action="store_true", help="run even if the schedule is not due")
        parser.add_argument("--dry-run", action="store_true", help="only list what is due")

    def handle(self, *args, scenario=None, force=False, dry_run=False, **options):
        known = {s.id: s for s in versions.all_specs()}
        unknown = set(scenario or ()) - set(known)
        if unknown:
            raise CommandError(f"unknown scenarios: {', '.join(sorted(unknown))}")
        if dry_run:
            now = timezone.now()
            for spec in known.values():
                if (not scenario or spec.id in scenario) and (force or periodic.due(spec, now)):
                    self.stdout.write(f"due: {spec.id}")
            return
        try:
            summary = periodic.run_due(set(scenario) if scenario else None, force)
        except periodic.PeriodicRunsFailed as exc:
            raise CommandError(str(exc)) from None
        for scenario_id, done in summary["ran"].items():
            self.stdout.write(
                f"{scenario_id}: run {done['run_id']} ({done['seconds']:.1f} s, {done['alerts']} alerts: "
                f"{done['raised']} raised, {done['refreshed']} still open, {done['resolved']} resolved)"
            )
