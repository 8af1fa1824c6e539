"""python manage.py tiles_glyphs: render the label glyph PBFs into static/fonts/ (committed; run once)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from tqdm import tqdm

from tiles.glyphs import RANGES, glyph_range

FONTS = {  # font stack name used in styles: TrueType file (Debian fonts-dejavu-core; covers Vietnamese)
    "DejaVu-Sans": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "DejaVu-Sans-Bold": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
}


class Command(BaseCommand):
    help = "Render SDF glyph ranges (Latin, Vietnamese) of the map fonts to static/fonts/{stack}/{range}.pbf."

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "static" / "fonts"))

    def handle(self, *args, out: str, verbosity: int = 1, **options):
        jobs = [(stack, path, start) for stack, path in FONTS.items() for start in RANGES]
        for stack, path, start in tqdm(jobs, desc="glyphs", disable=verbosity == 0):
            target = Path(out) / stack / f"{start}-{start + 255}.pbf"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(glyph_range(path, stack, start))
        if verbosity:
            self.stdout.write(f"{len(jobs)} glyph ranges written to {out}")
