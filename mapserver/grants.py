"""The app role's privileges, granted by the owner role after every migrate (mapserver/grants.sql).

The roles themselves are made by deploy/db/roles.sql (local cluster and PostGIS container); this keeps the app role
(MAPSERVER_DB_APP_ROLE) able to use what each migration adds, and the audit log append-only for it.
"""

from __future__ import annotations

from pathlib import Path

from django.apps import AppConfig, apps
from django.conf import settings
from django.db import connections, transaction

from geodata.sqlfiles import load_sql

GRANTS_SQL = load_sql(Path(__file__).with_name("grants.sql"))["grant_app_role"]


def grant_app_role(sender: AppConfig, using: str = "default", **kwargs) -> None:
    """post_migrate: once per migrate (after the last app), grant the app role its privileges, if it exists."""
    if sender is not [config for config in apps.get_app_configs() if config.models_module is not None][-1]:
        return
    role = settings.MAPSERVER_DB_APP_ROLE
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SELECT current_user, EXISTS (SELECT FROM pg_roles WHERE rolname = %s)", [role])
        user, exists = cursor.fetchone()
        if not exists or user == role:  # a single-role database, or migrate run as the app role (it fails anyway)
            return
        cursor.execute("SELECT set_config('mapserver.app_role', %s, true)", [role])
        cursor.execute(GRANTS_SQL)
