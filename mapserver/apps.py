from django.apps import AppConfig


class MapserverConfig(AppConfig):
    """Accounts, roles, API tokens and the audit log."""

    name = "mapserver"
    verbose_name = "Map server accounts"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from mapserver import accounts, audit_hooks, timeouts  # noqa: F401 (timeouts: its connection_created hook)
        from mapserver.grants import grant_app_role

        _reconnect_every_second()
        audit_hooks.connect()
        accounts.connect()  # a locked account's sessions end at once
        post_migrate.connect(grant_app_role, dispatch_uid="mapserver-app-role-grants")


def _reconnect_every_second() -> None:
    """While the database is down the pool retries connecting every second instead of backing off exponentially
    (1, 2, 4, 8 s...), so that the first requests after PostgreSQL is back find a connection within the pool's wait
    (MAPSERVER_DB_POOL_TIMEOUT) rather than a 503 for as long as the back-off lasts."""
    from psycopg_pool.base import AttemptWithBackoff

    AttemptWithBackoff.DELAY_BACKOFF = 1.0
