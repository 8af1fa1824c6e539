"""Export a layer's exposed attributes and geometry to GeoJSON, GeoPackage, Shapefile, CSV or XLSX."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from geodata.io.exporter import FORMATS, ExportError, export_layer
from geodata.io.targets import TARGETS
from geodata.signals import layer_exported


class Command(BaseCommand):
    help = "Export --layer to --output as --format (exposed attributes only, never private ones)."

    def add_arguments(self, parser):
        parser.add_argument("--layer", required=True, help=f"layer id: {', '.join(TARGETS)}")
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument("--output", required=True)
        parser.add_argument(
            "--srs",
            help="output CRS (default OGC CRS84 longitude/latitude): EPSG:4326, EPSG:3857, "
            "EPSG:4756, EPSG:5899, EPSG:9212 (VN-2000 with the national parameters)",
        )

    def handle(self, *args, **options):
        try:
            count = export_layer(options["layer"], options["format"], options["output"], options["srs"])
        except (ExportError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        layer_exported.send(
            sender=None, layer_id=options["layer"], count=count, format=options["format"], output=options["output"]
        )
        self.stdout.write(f"{options['layer']}: {count} features written to {options['output']}")
