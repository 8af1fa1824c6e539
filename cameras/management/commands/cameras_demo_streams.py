"""Encode the demo HLS streams that live synthetic cameras play at /hls/{id}/ (otherwise made on first use)."""

import shutil

from django.core.management.base import BaseCommand

from cameras.demo import VARIANTS, demo_dir, make_hls


class Command(BaseCommand):
    help = "Encode an H.264 and an H.265 test-pattern HLS stream with ffmpeg for the sample cameras."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=12, help="length of each demo stream")

    def handle(self, *args, seconds, **options):
        for variant in VARIANTS:
            shutil.rmtree(demo_dir() / variant, ignore_errors=True)
            self.stdout.write(f"{variant}: {make_hls(demo_dir() / variant, variant, seconds)}")
