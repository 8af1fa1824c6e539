"""Raise an alert per overdue open report, resolve those handled (what the scheduler's reports.overdue job runs)."""

from django.core.management.base import BaseCommand

from reports.sla import overdue_alerts


class Command(BaseCommand):
    help = "Raise an alert per open report past its deadline; resolve the alerts of reports since handled."

    def handle(self, *args, **options):
        totals = overdue_alerts()
        self.stdout.write(f"{totals['overdue']} overdue reports alerted, {totals['resolved']} alerts resolved")
