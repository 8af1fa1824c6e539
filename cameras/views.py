"""GET /api/cameras/health, and /hls/{id}/ (the HLS playback of a camera; demo streams for sample cameras)."""

from __future__ import annotations

from django.db.models import Count, Max, Q
from django.http import FileResponse, HttpRequest
from django.views.decorators.http import require_GET

from cameras import gateway
from cameras.demo import CONTENT_TYPES, FILE, demo_file
from layers.scoped import scoped
from mapserver.errors import NotFound
from mapserver.jsonio import JsonResponse
from mapserver.scoping import require_staff
from mapserver.timefmt import iso


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Camera counts by status over the cameras the caller may read: the province for province staff and the
    departments reading the cameras layer, their commune's cameras for commune staff (aggregates follow rows)."""
    require_staff(request.principal, "camera health is for staff who may read the cameras layer")
    scope = scoped(request.principal, "cameras")
    counts = scope.queryset().aggregate(
        total=Count("id"),
        live=Count("id", filter=Q(status="live")),
        dead=Count("id", filter=Q(status="dead")),
        h265=Count("id", filter=Q(codec="H.265")),
        needs_transcoding=Count("id", filter=Q(needs_transcoding=True)),
        checked_at=Max("last_checked_at"),
    )
    counts["unknown"] = counts["total"] - counts["live"] - counts["dead"]
    checked = counts["checked_at"]
    counts["checked_at"] = iso(checked)
    counts["commune"] = scope.commune  # None: the whole province
    return JsonResponse(counts)


@require_GET
def hls(request: HttpRequest, camera_id: int, name: str) -> FileResponse:
    """A camera's HLS playlist or segment, for callers who may read the cameras layer (and that camera's row).

    Real cameras play through the stream gateway (cameras.gateway: ffmpeg from their RTSP source, started on demand,
    stopped when nobody watches). Sample cameras that are live play the demo stream of their codec; dead ones are
    404, as a gateway answers for a camera it cannot reach.
    """
    rows = scoped(request.principal, "cameras").queryset()
    camera = rows.filter(pk=camera_id).only("synthetic", "status", "codec", "commune_code", "rtsp_url").first()
    if camera is None:  # absent, or outside the caller's commune
        raise NotFound(f"no camera {camera_id}")
    if not camera.synthetic and camera.rtsp_url:
        return _gateway_file(camera, name)
    if not camera.synthetic or camera.status != "live":
        raise NotFound("this camera's stream is not available")
    path, content_type = demo_file("H.265" if camera.codec == "H.265" else "H.264", name)
    response = FileResponse(open(path, "rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=60"
    return response


def _gateway_file(camera, name: str) -> FileResponse:
    if name == gateway.PLAYLIST:
        path, content_type, cache = gateway.playlist(camera), CONTENT_TYPES["m3u8"], "no-cache"
    elif FILE.match(name) and name.endswith(".ts"):
        path, content_type, cache = gateway.segment(camera.pk, name), CONTENT_TYPES["ts"], "private, max-age=60"
    else:
        raise NotFound("no such stream file")
    try:
        handle = open(path, "rb")
    except FileNotFoundError:  # rolled off the playlist between the check and the read
        raise NotFound("no such stream segment") from None
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = cache
    return response
