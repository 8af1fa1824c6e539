"""Probe every camera stream with ffprobe, in parallel, and record status, codec and resolution."""

from django.core.management.base import BaseCommand, CommandError

from cameras.check import SOURCES, check_cameras
from geodata.models import Camera


class Command(BaseCommand):
    help = (
        "Probe camera streams (ffprobe, thread pool, per-stream timeout); mark live/dead, record codec and "
        "resolution, flag H.265 as needing transcoding. Synthetic sample cameras are skipped unless "
        "--include-synthetic, and even then probed only at loopback URLs: their addresses are made up."
    )

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=10.0, help="seconds per stream (default 10)")
        parser.add_argument("--workers", type=int, default=8, help="streams probed at once (default 8)")
        parser.add_argument(
            "--source",
            choices=SOURCES,
            default="auto",
            help="URL to probe: rtsp, hls, or auto (RTSP source when set, else HLS)",
        )
        parser.add_argument("--base-url", default="", help="base for relative HLS URLs, e.g. http://127.0.0.1:8000")
        parser.add_argument("--camera", type=int, action="append", default=[], help="only this camera id (repeatable)")
        parser.add_argument("--commune", default="", help="only cameras of this commune code")
        parser.add_argument("--include-synthetic", action="store_true", help="also probe synthetic sample cameras")

    def handle(self, *args, timeout, workers, source, base_url, camera, commune, include_synthetic, **options):
        if not 0 < timeout <= 300 or not 1 <= workers <= 64:
            raise CommandError("--timeout must be in (0, 300] and --workers in [1, 64]")
        cameras = Camera.objects.order_by("id")
        if camera:
            cameras = cameras.filter(id__in=camera)
        if commune:
            cameras = cameras.filter(commune_code=commune)
        if not include_synthetic:
            cameras = cameras.filter(synthetic=False)
        verbose = options.get("verbosity", 1) > 1
        report = (
            (
                lambda cam, r: self.stdout.write(
                    f"  {cam.id} {cam.name}: {r.status} {r.codec} {r.resolution} {r.elapsed_ms} ms {r.error}"
                )
            )
            if verbose
            else None
        )
        summary = check_cameras(cameras, timeout, workers, source, base_url, progress=report)
        self.stdout.write(
            f"probed {summary.probed} (skipped {summary.skipped}): {summary.live} live, "
            f"{summary.dead} dead, {summary.h265} live H.265 needing transcoding, "
            f"{summary.refused} refused (outside MAPSERVER_CAMERA_SCHEMES/NETWORKS)"
        )
        for reason, count in sorted(summary.errors.items(), key=lambda item: -item[1])[:5]:
            self.stdout.write(f"  {count} x {reason}")
