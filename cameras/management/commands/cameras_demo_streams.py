"""Encode the demo HLS streams that live synthetic cameras play at /hls/{id}/ (otherwise made on first use)."""

import shutil

from django.core.management.base import BaseCommand

from cameras.demo import PLAYED, demo_dir, make_played


class Command(BaseCommand):
    help = "Encode the H.264 and H.265 test-pattern streams of the sample cameras, passed through the gateway's video arguments (H.265 transcoded to H.264)."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=12, help="length of each demo stream")

    def handle(self, *args, seconds, **options):
        for codec, name in PLAYED.items():
            shutil.rmtree(demo_dir() / name, ignore_errors=True)
            self.stdout.write(f"{codec}: {make_played(demo_dir() / name, codec, seconds)}")
