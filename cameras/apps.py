from django.apps import AppConfig


class CamerasConfig(AppConfig):
    """Camera stream probing, health summary and demo streams."""

    name = "cameras"
    verbose_name = "Cameras"
    default_auto_field = "django.db.models.BigAutoField"
