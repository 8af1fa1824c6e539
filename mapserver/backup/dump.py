"""Take a backup: the dump and the manifest's counts read in one exported snapshot, then the files.

Files are copied after the dump: photos and rasters are written before the rows that name them commit, so every
file the dump refers to is already there when the copy starts (a later file is harmless)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import psycopg
from django.db import connections
from psycopg import sql

from mapserver.backup import archive, pgclient

SNAPSHOT_FACTS = {
    "tables": """SELECT c.relname FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace
                 AND c.relkind IN ('r', 'p') ORDER BY 1""",
    "sequences": """SELECT sequencename, coalesce(last_value, 0) FROM pg_sequences
                    WHERE schemaname = current_schema() ORDER BY 1""",
    "migrations": "SELECT app, name FROM django_migrations ORDER BY app, name",
}


def connect(using: str = "default", dbname: str | None = None, autocommit: bool = False) -> psycopg.Connection:
    """A psycopg connection of its own to the alias's server (outside Django's transaction handling)."""
    env = pgclient.client_env(using, dbname)
    return psycopg.connect(
        host=env.get("PGHOST"),
        port=env.get("PGPORT"),
        user=env.get("PGUSER"),
        password=env.get("PGPASSWORD"),
        dbname=env["PGDATABASE"],
        connect_timeout=10,
        autocommit=autocommit,
    )


def _facts(cursor: psycopg.Cursor) -> dict:
    """What the snapshot holds: row counts per table, sequence positions and applied migrations."""
    cursor.execute(SNAPSHOT_FACTS["tables"])
    counts = {}
    for (table,) in cursor.fetchall():
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    cursor.execute(SNAPSHOT_FACTS["sequences"])
    sequences = dict(cursor.fetchall())
    cursor.execute(SNAPSHOT_FACTS["migrations"])
    migrations: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        migrations.setdefault(app, []).append(name)
    cursor.execute("SELECT current_setting('server_version'), current_database(), current_schema()")
    version, database, schema = cursor.fetchone()
    return {
        "name": database,
        "schema": schema,
        "server_version": version,
        "counts": counts,
        "sequences": sequences,
        "migrations": migrations,
    }


def take_backup(root: Path, using: str = "default") -> tuple[Path, dict]:
    """Write one complete backup folder under root; returns (folder, manifest). A failed backup leaves nothing
    that looks complete (it is written under a .partial name and renamed at the end)."""
    now = dt.datetime.now(dt.UTC)
    name = f"mapserver-{pgclient.database_name(using)}-{now:%Y%m%dT%H%M%SZ}"
    folder = root / name
    suffix = 1
    while folder.exists():
        folder, suffix = root / f"{name}-{suffix}", suffix + 1
    partial = root / f".partial-{folder.name}"
    partial.mkdir(parents=True)
    try:
        with connect(using) as conn, conn.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), now()")
            snapshot, taken = cursor.fetchone()
            database = {**_facts(cursor), "taken_at": taken.isoformat()}
            env = pgclient.client_env(using)
            pgclient.run(["pg_dump", "-Fc", f"--snapshot={snapshot}", "-f", str(partial / archive.DUMP)], env)
            conn.rollback()
        archive.copy_files_out(partial)
        manifest = archive.write_manifest(partial, database)
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    connections[using].close_if_unusable_or_obsolete()
    return folder, manifest
