from django.apps import AppConfig


class SchedulerConfig(AppConfig):
    """Periodic jobs collected from the apps, run by procrastinate workers, each run recorded."""

    name = "scheduler"
    default_auto_field = "django.db.models.BigAutoField"
