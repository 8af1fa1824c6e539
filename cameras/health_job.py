"""The scheduled camera health re-check: probe every camera with a stream, and raise a "camera dead" alert for each
that is dead (resolved when it plays again). The map hears each status change from the camera trigger."""

from __future__ import annotations

from django.utils import timezone

from alerts import service
from cameras.check import check_cameras
from geodata.models import Camera
from layers.registry import registry

KEY_PREFIX = "dead:"


def recheck(timeout_s: float = 10.0, workers: int = 8) -> dict:
    """Probe the cameras, then raise or clear each probed camera's alert; returns the counts."""
    started = timezone.now()
    summary = check_cameras(Camera.objects.all(), timeout_s=timeout_s, workers=workers)
    sector = registry.get("cameras").sector
    raised = cleared = 0
    for camera in Camera.objects.filter(last_checked_at__gte=started).order_by("pk"):
        key = f"{KEY_PREFIX}{camera.pk}"
        if camera.status == "dead":
            service.raise_alert(
                source="camera",
                key=key,
                severity="medium",
                title=f"Camera {camera.name} mất tín hiệu",
                title_en=f"Camera {camera.name} is down",
                sector=sector,
                commune_code=camera.commune_code or "",
                responsible_unit=camera.commune_code or sector,
                place=camera.geom,
                detail={"camera_id": camera.pk, "codec": camera.codec},
                observed_at=camera.last_checked_at,
            )
            raised += 1
        elif service.clear_alert(source="camera", key=key, note="camera hoạt động trở lại") is not None:
            cleared += 1
    return {"probed": summary.probed, "dead": summary.dead, "raised": raised, "cleared": cleared}
