"""Import a GeoJSON, Shapefile, GeoPackage, CSV or XLSX file into a layer, all rows or none."""

from __future__ import annotations

import gc

from django.core import checks
from django.core.management.base import BaseCommand, CommandError

from geodata.io.importer import import_file
from geodata.io.targets import TARGETS


class Command(BaseCommand):
    help = (
        "Import FILE into layer --layer (GeoJSON, Shapefile, GeoPackage, CSV with lon/lat or WKT, XLSX). "
        "Every row is checked first; any refusal writes nothing and exits non-zero."
    )
    # The checks an import relies on: the models and the layer registry (layers.checks). The URL configuration
    # is not used here, and checking it imports every view (about 1.5 s of start-up per run).
    requires_system_checks = [checks.Tags.models]

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--layer", required=True, help=f"layer id: {', '.join(TARGETS)}")
        parser.add_argument(
            "--srs",
            help="CRS of the coordinates when the file has none (or to override it): "
            "EPSG:5899, EPSG:9212, EPSG:4326, an OGC URI ...",
        )
        parser.add_argument(
            "--encoding",
            help="text encoding of a Shapefile/CSV: utf-8, cp1258, or the legacy Vietnamese tcvn3 (ABC) or vni",
        )
        parser.add_argument("--mode", choices=["append", "replace"], default="append")
        parser.add_argument("--source-layer", help="layer inside a multi-layer GeoPackage")
        parser.add_argument("--dry-run", action="store_true", help="check and write inside a rolled-back transaction")

    def run_from_argv(self, argv):
        # A one-shot process: what start-up loaded (Django, the apps, pandas, GDAL) lives until exit. Freezing it
        # keeps the garbage collector from walking it again, in every full collection of the import and at exit
        # (about 0.4 s). Only here, for `manage.py geodata_import`; call_command in a long process is untouched.
        gc.freeze()
        super().run_from_argv(argv)

    def handle(self, *args, **options):
        report = import_file(
            options["file"],
            options["layer"],
            srs=options["srs"],
            encoding=options["encoding"],
            mode=options["mode"],
            dry_run=options["dry_run"],
            source_layer=options["source_layer"],
            progress=options["verbosity"] > 0,
        )
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(f"import refused: {len(report.errors)} file problems, {report.refused} rows refused")
