from django.apps import AppConfig


class StaConfig(AppConfig):
    """OGC SensorThings API 1.1 over the sensors and their observations, device write grants, ingestion
    (HTTP and MQTT) with the threshold check on arrival, and the silent-device job."""

    name = "sta"
    verbose_name = "SensorThings API"
    default_auto_field = "django.db.models.BigAutoField"
