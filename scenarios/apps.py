from django.apps import AppConfig


class ScenariosConfig(AppConfig):
    """Spatial queries, indicators and alerts, scenario declarations, runs and exports."""

    name = "scenarios"
    default_auto_field = "django.db.models.BigAutoField"
