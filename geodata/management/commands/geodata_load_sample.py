"""Load the real admin units and the seeded synthetic sector data."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from geodata.admin_units import load_admin_units
from geodata.models import Commune


class Command(BaseCommand):
    help = "Load the province, districts and derived communes, then the synthetic sample layers."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="do nothing when communes are already loaded")
        parser.add_argument("--admin-only", action="store_true", help="load only the administrative units")
        parser.add_argument(
            "--scale", type=float, default=None, help="volume multiplier (default MAPSERVER_SAMPLE_SCALE)"
        )

    def handle(self, *args, if_empty=False, admin_only=False, scale=None, **options):
        if if_empty and Commune.objects.exists():
            self.stdout.write("sample data already loaded")
            return
        started = time.monotonic()
        counts = load_admin_units()
        self.stdout.write(f"admin units: {counts['districts']} districts, {counts['communes']} communes (derived)")
        if not admin_only:
            from geodata.sample import generate_all  # the seeded synthetic generator

            generate_all(
                scale=scale or settings.MAPSERVER_SAMPLE_SCALE, seed=settings.MAPSERVER_SAMPLE_SEED, out=self.stdout
            )
        self.stdout.write(f"sample data loaded in {time.monotonic() - started:.1f} s")
