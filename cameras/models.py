"""The probe log: every stream check of a camera, with its verdict and why."""

from django.db import models
from django.utils import timezone


class CameraProbe(models.Model):
    """One probe of one camera stream by cameras_check."""

    camera = models.ForeignKey("geodata.Camera", on_delete=models.CASCADE, related_name="probes")
    checked_at = models.DateTimeField(default=timezone.now, db_index=True)
    url_kind = models.CharField(max_length=8)  # rtsp / hls: which URL was probed
    status = models.CharField(max_length=8)  # live / dead
    codec = models.CharField(max_length=16, blank=True)
    width = models.PositiveIntegerField(null=True)
    height = models.PositiveIntegerField(null=True)
    elapsed_ms = models.PositiveIntegerField()
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-checked_at"]
