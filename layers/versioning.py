"""Table versions: a statement trigger on every tracked table bumps layers_table_version (from one sequence), so
anything cached by any process (counts, extents, tiles) is reused only while its tables have not changed. Every
writer bumps it: the ORM, imports, sample loads, raw psql, other processes.

Tracked: each layer's table and the tables it is rendered from (`LayerSpec.version_tables`: the base tables of a
view), plus models other apps cache by (`track_models`, e.g. the indicator values behind choropleth tiles)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from django.apps import apps
from django.db import connections
from psycopg import sql

from layers.pg_catalog import RefreshedNames, is_table, register_process_cache
from layers.registry import registry
from mapserver.dbrouter import connection  # versions from the same database as the rows they key

TRIGGER = (
    "CREATE OR REPLACE TRIGGER layers_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION layers_bump_version()"
)
VERSIONS = "SELECT table_name, version FROM layers_table_version WHERE table_name = ANY(%(tables)s::text[])"
_MODELS: set[str] = set()  # "app_label.Model" labels tracked besides the layers' tables


def track_models(*labels: str) -> None:
    """Also version the tables of these models (call from an AppConfig.ready, before migrate runs)."""
    _MODELS.update(labels)


def tracked_tables() -> list[str]:
    """Every table that should carry the version trigger."""
    tables = {table for spec in registry.all() for table in (spec.table, *spec.version_tables)}
    tables.update(apps.get_model(label)._meta.db_table for label in _MODELS)
    return sorted(tables)


def track_layer_tables(using: str = "default", **kwargs) -> None:
    """Attach the version trigger to every tracked table (idempotent; runs after migrate)."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT to_regclass('layers_table_version') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return
        for table in tracked_tables():
            if is_table(cursor, table):  # tables only: a view (reports_public) is versioned by its base tables
                cursor.execute(sql.SQL(TRIGGER).format(table=sql.Identifier(table)))
    _TRACKED.forget()


_TRACKED = RefreshedNames(
    "SELECT trim(both '\"' from tgrelid::regclass::text) FROM pg_trigger WHERE tgname = 'layers_version'"
)


def is_tracked(table: str) -> bool:
    """Whether the table carries the version trigger (checked every few minutes per process)."""
    return table in _TRACKED


def table_versions(tables: Sequence[str]) -> tuple[int, ...]:
    """The current version of each table, in order (0: not changed since it was tracked), in one query on the
    primary key (the warm-tile path runs it once per request)."""
    with connection.cursor() as cursor:
        cursor.execute(VERSIONS, {"tables": list(tables)})
        found = dict(cursor.fetchall())
    return tuple(int(found.get(table, 0)) for table in tables)


@lru_cache(maxsize=1)
def database_id() -> int:
    """The database's OID: versions restart when a database is created anew, so caches on disk are kept apart
    per database (read once per process)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT oid FROM pg_database WHERE datname = current_database()")
        return int(cursor.fetchone()[0])


register_process_cache(database_id.cache_clear)
