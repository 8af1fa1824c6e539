from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Field reports (Open311), their workflow, reporters' privacy and the field_reports layer."""

    name = "reports"
    verbose_name = "Field reports"
    default_auto_field = "django.db.models.BigAutoField"
