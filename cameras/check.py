"""Checking many cameras in parallel: probe each stream in a thread pool, then record the verdicts at once."""

from __future__ import annotations

import ipaddress
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from urllib.parse import urljoin, urlsplit

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cameras.models import CameraProbe
from cameras.probe import BROWSER_CODECS, ProbeResult, probe
from geodata.models import Camera
from geodata.signals import layer_data_changed

SOURCES = ("auto", "rtsp", "hls")


@dataclass
class CheckSummary:
    """What one run of the check found."""

    probed: int = 0
    live: int = 0
    dead: int = 0
    h265: int = 0
    refused: int = 0  # URLs outside MAPSERVER_CAMERA_SCHEMES / MAPSERVER_CAMERA_NETWORKS: never opened
    skipped: int = 0
    errors: dict[str, int] = field(default_factory=dict)


def is_loopback(url: str) -> bool:
    """True for a URL on this machine (127.0.0.0/8, ::1, localhost)."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _candidate(camera: Camera, source: str, base_url: str) -> tuple[str, str] | None:
    if source in {"auto", "rtsp"} and camera.rtsp_url:
        return camera.rtsp_url, "rtsp"
    if source in {"auto", "hls"} and camera.hls_url:
        if camera.hls_url.startswith("/"):
            return (urljoin(base_url, camera.hls_url), "hls") if base_url else None
        return camera.hls_url, "hls"
    return None


def stream_url(camera: Camera, source: str, base_url: str = "") -> tuple[str, str] | None:
    """(url, kind) to probe: the RTSP source, or the HLS URL (relative ones joined to base_url).

    Synthetic sample cameras carry made-up addresses: they are probed only at loopback URLs, never elsewhere.
    """
    target = _candidate(camera, source, base_url)
    if target and camera.synthetic and not is_loopback(target[0]):
        return None
    return target


def _apply(camera: Camera, result: ProbeResult, now) -> None:
    # a refused URL is recorded as such in the probe log; the camera cannot be played from here: dead
    status = "dead" if result.status == "refused" else result.status
    camera.status, camera.last_checked_at, camera.updated_at = status, now, now
    if result.status == "live":
        camera.codec = result.codec or camera.codec
        camera.resolution = result.resolution or camera.resolution
    camera.needs_transcoding = bool(camera.codec) and camera.codec not in BROWSER_CODECS


def check_cameras(
    cameras: QuerySet[Camera],
    timeout_s: float = 10.0,
    workers: int = 8,
    source: str = "auto",
    base_url: str = "",
    progress=None,
) -> CheckSummary:
    """Probe every camera's stream (at most `workers` at a time), store status/codec/resolution and the log."""
    summary = CheckSummary()
    jobs = []
    for camera in cameras:
        target = stream_url(camera, source, base_url)
        if target is None:
            summary.skipped += 1
        else:
            jobs.append((camera, *target))
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = list(pool.map(lambda job: probe(job[1], timeout_s), jobs))
    now = timezone.now()
    probes = []
    for (camera, _url, kind), result in zip(jobs, results):
        _apply(camera, result, now)
        probes.append(
            CameraProbe(
                camera=camera,
                checked_at=now,
                url_kind=kind,
                status=result.status,
                codec=result.codec,
                width=result.width,
                height=result.height,
                elapsed_ms=result.elapsed_ms,
                error=result.error,
            )
        )
        summary.probed += 1
        summary.live += result.status == "live"
        summary.dead += result.status == "dead"
        summary.refused += result.status == "refused"
        summary.h265 += result.status == "live" and result.codec == "H.265"
        if result.error:
            reason = result.error.split(":")[-1].strip()[:60] or result.error[:60]
            summary.errors[reason] = summary.errors.get(reason, 0) + 1
        if progress:
            progress(camera, result)
    with transaction.atomic():
        Camera.objects.bulk_update(
            [job[0] for job in jobs],
            ["status", "last_checked_at", "updated_at", "codec", "resolution", "needs_transcoding"],
            batch_size=500,
        )
        CameraProbe.objects.bulk_create(probes, batch_size=500)
    if jobs:
        layer_data_changed.send(sender=Camera, model=Camera, bbox=None)
    return summary


def scheduled_check() -> dict:
    """The scheduler's camera health check: every non-synthetic camera, as `cameras_check` does by default."""
    return asdict(check_cameras(Camera.objects.filter(synthetic=False).order_by("id")))
