"""Replace the 95 derived commune polygons with official boundaries (GeoJSON, Shapefile, GeoPackage)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from geodata.io.admin import CODE_COLUMNS, import_admin


class Command(BaseCommand):
    help = (
        f"Replace every commune boundary from FILE keyed by the official code (column {' / '.join(CODE_COLUMNS)}). "
        "All 95 communes must be present, each once, valid and inside the province; otherwise nothing changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--srs", help="CRS when the file declares none (e.g. EPSG:5899, EPSG:9212, EPSG:4326)")
        parser.add_argument("--encoding", help="text encoding (utf-8, cp1258, tcvn3, vni)")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        report = import_admin(
            options["file"], srs=options["srs"], encoding=options["encoding"], dry_run=options["dry_run"]
        )
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(f"boundaries refused: {len(report.errors)} file problems, {report.refused} rows refused")
