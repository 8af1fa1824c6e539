from django.apps import AppConfig


class MapserverConfig(AppConfig):
    """Accounts, roles, API tokens and the audit log."""

    name = "mapserver"
    verbose_name = "Map server accounts"
