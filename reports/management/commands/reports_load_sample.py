"""Load synthetic, anonymous sample reports in every commune (for the map and the indicators on sample data)."""

from django.core.management.base import BaseCommand, CommandError

from geodata.models import Commune
from reports.models import FieldReport
from reports.sample import generate


class Command(BaseCommand):
    help = "Create seeded synthetic field reports (no reporter data) spread over every commune and state."

    def add_arguments(self, parser):
        parser.add_argument("--per-commune", type=int, default=4, help="reports per commune (default 4)")
        parser.add_argument("--seed", type=int, default=20250701)
        parser.add_argument("--if-empty", action="store_true", help="do nothing when sample reports exist")

    def handle(self, *args, per_commune, seed, if_empty, **options):
        if if_empty and FieldReport.objects.filter(synthetic=True).exists():
            self.stdout.write("sample reports already loaded")
            return
        if not Commune.objects.exists():
            raise CommandError("load the communes first (geodata_load_sample)")
        if not 1 <= per_commune <= 1000:
            raise CommandError("--per-commune must be in [1, 1000]")
        self.stdout.write(f"{generate(per_commune, seed)} synthetic reports created")
