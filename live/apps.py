from django.apps import AppConfig


class LiveConfig(AppConfig):
    """Live operations: the event stream to open maps (Server-Sent Events fed by PostgreSQL LISTEN/NOTIFY on
    mapserver_events, scoped per viewer), the NOTIFY triggers of field reports and cameras, and alert e-mail to the
    responsible units by subscription."""

    name = "live"
    verbose_name = "Live events and notifications"
    default_auto_field = "django.db.models.BigAutoField"
