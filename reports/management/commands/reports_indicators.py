"""Compute the reports_open and reports_overdue indicator values per commune for a month."""

from django.core.management.base import BaseCommand, CommandError

from reports.indicators import compute_indicator_values


class Command(BaseCommand):
    help = "Write this month's (or --period YYYY-MM) open and overdue field-report counts per commune."

    def add_arguments(self, parser):
        parser.add_argument("--period", default=None, help="YYYY-MM (default: the current month)")

    def handle(self, *args, period=None, **options):
        try:
            totals = compute_indicator_values(period)
        except (ValueError, LookupError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{totals['communes']} communes: {totals['reports_open']} open, {totals['reports_overdue']} overdue"
        )
