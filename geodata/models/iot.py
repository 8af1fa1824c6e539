"""IoT: cameras, environment and water-level sensors and their observations."""

from django.contrib.gis.db import models

from geodata.models.base import FeatureBase
from geodata.vocabularies import CAMERA_CODEC, CAMERA_STATUS, SENSOR_KIND, SENSOR_PARAMETER


class Camera(FeatureBase):
    """A surveillance camera; rtsp_url is private (admins only)."""

    name = models.CharField(max_length=160)
    owner_unit = models.CharField(max_length=160)
    codec = models.CharField(max_length=8, choices=CAMERA_CODEC.choices)
    rtsp_url = models.CharField(max_length=300)
    hls_url = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=8, db_index=True, default=CAMERA_STATUS.UNKNOWN, choices=CAMERA_STATUS.choices)
    view_direction_deg = models.FloatField(null=True)
    resolution = models.CharField(max_length=16, blank=True)
    needs_transcoding = models.BooleanField(default=False)
    last_checked_at = models.DateTimeField(null=True)
    geom = models.PointField(srid=4326)


class Sensor(FeatureBase):
    """A fixed sensor: water level (river, reservoir) or air/water quality (industrial park)."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=24, db_index=True, choices=SENSOR_KIND.choices)
    parameter = models.CharField(max_length=16, choices=SENSOR_PARAMETER.choices)
    unit = models.CharField(max_length=16)
    threshold = models.FloatField()  # alarm level / legal limit
    industrial_park_id = models.BigIntegerField(null=True)
    last_value = models.FloatField(null=True)
    last_observed_at = models.DateTimeField(null=True)
    geom = models.PointField(srid=4326)


class SensorObservation(models.Model):
    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="observations")
    observed_at = models.DateTimeField()
    value = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["sensor", "observed_at"])]
