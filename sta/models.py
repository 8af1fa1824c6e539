"""Which datastreams (sensors) a device or gateway account may write observations to."""

from django.conf import settings
from django.db import models


class DatastreamGrant(models.Model):
    """One device/gateway account may write observations of one sensor's datastream (HTTP and MQTT)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="datastream_grants")
    sensor = models.ForeignKey("geodata.Sensor", on_delete=models.CASCADE, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "sensor"], name="sta_grant_unique")]


class MqttCredential(models.Model):
    """A device's MQTT password (its API token) as the broker's own salted hash (mosquitto `$7$`, PBKDF2-SHA512),
    so the project can write the broker's password file without keeping any token in the clear."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mqtt_credential")
    password_hash = models.CharField(max_length=200)
    updated_at = models.DateTimeField(auto_now=True)
