from django.apps import AppConfig


class AlertsConfig(AppConfig):
    """Alerts of every source, their lifecycle and their API."""

    name = "alerts"
    verbose_name = "Alerts"
    default_auto_field = "django.db.models.BigAutoField"
