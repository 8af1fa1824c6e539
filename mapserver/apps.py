from django.apps import AppConfig


class MapserverConfig(AppConfig):
    """Accounts, roles, API tokens and the audit log."""

    name = "mapserver"
    verbose_name = "Map server accounts"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from mapserver import accounts, audit_hooks, timeouts  # noqa: F401 (timeouts: its connection_created hook)
        from mapserver.grants import grant_app_role

        audit_hooks.connect()
        accounts.connect()  # a locked account's sessions end at once
        post_migrate.connect(grant_app_role, dispatch_uid="mapserver-app-role-grants")
