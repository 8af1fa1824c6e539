"""Import indicator values from the departments' XLSX template, or write the blank template."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from geodata.io.indicators import import_indicator_values, write_template


class Command(BaseCommand):
    help = (
        "Import FILE (sheet 'values': commune_code or commune_name, indicator_code, period, value); every row "
        "is checked first and any error writes nothing. With --template OUT.xlsx, write the blank template."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?")
        parser.add_argument("--template", metavar="OUT.xlsx", help="write the blank template instead of importing")
        parser.add_argument("--indicator", help="with --template: pre-fill this indicator code on every row")
        parser.add_argument("--period", help="with --template: pre-fill this period (2026-03, 2026-Q1, 2026)")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        if options["template"]:
            count = write_template(options["template"], options["indicator"], options["period"])
            self.stdout.write(f"template with {count} communes written to {options['template']}")
            return
        if not options["file"]:
            raise CommandError("give FILE to import, or --template OUT.xlsx")
        report = import_indicator_values(options["file"], dry_run=options["dry_run"])
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(f"indicator values refused: {len(report.row_errors)} row problems")
