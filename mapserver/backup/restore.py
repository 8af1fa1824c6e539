"""Restore a backup: the whole database and files in place, or one layer's table from the dump.

A full restore replaces every object the dump holds (pg_restore --clean, one transaction, as the owner role;
extensions and privileges stay the target's), then migrates (a backup from older code is brought forward, and
the app role's grants, version triggers and cluster-cell triggers are put back), raises sequences and bumps table
versions (consistency.py), and puts the files back. A layer restore empties the layer's table and loads its rows
from the dump in one transaction; its statement triggers keep the table version and the cluster cells."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.management import call_command
from psycopg import sql

from layers.registry import registry
from mapserver.backup import archive, consistency, pgclient
from mapserver.backup.dump import connect

# TOC entries a restore into an existing database must leave alone: the extensions belong to the superuser who
# installed them (dropping PostGIS would cascade to every geometry column), and their comments too.
KEEP_TARGETS = (" EXTENSION - ", " COMMENT - EXTENSION ")
FRESH_ONLY = (" TABLE DATA public spatial_ref_sys ",)  # the target's migrations already inserted its own SRIDs
FK_INTO = """SELECT DISTINCT conrelid::regclass::text FROM pg_constraint
             WHERE contype = 'f' AND confrelid = %s::regclass AND conrelid <> confrelid"""


class RestoreError(RuntimeError):
    """A restore was refused before anything changed."""


@dataclass
class Outcome:
    """What a restore did."""

    tables: list[str]
    files: int
    sequences: dict[str, int]
    versions: list[str]


def toc_list(dump: Path, exclude: tuple[str, ...]) -> Path:
    """A pg_restore -L list of the dump without the entries matching exclude (a temporary file)."""
    listing = pgclient.run(["pg_restore", "-l", str(dump)], {}).decode()
    kept = [line for line in listing.splitlines() if not any(part in f" {line} " for part in exclude)]
    handle = tempfile.NamedTemporaryFile("w", suffix=".list", delete=False)  # noqa: SIM115 (the caller unlinks it)
    handle.write("\n".join(kept) + "\n")
    handle.close()
    return Path(handle.name)


def restore_dump(dump: Path, using: str, dbname: str | None, clean: bool, fresh: bool) -> None:
    """pg_restore the dump into the database in one transaction, without owners or privileges."""
    exclude = (KEEP_TARGETS if clean else (" COMMENT - EXTENSION ",)) + (() if fresh else FRESH_ONLY)
    listing = toc_list(dump, exclude)
    args = ["pg_restore", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
    args += ["--clean", "--if-exists"] if clean else []
    try:
        env = pgclient.client_env(using, dbname)
        pgclient.run([*args, "-L", str(listing), "-d", env["PGDATABASE"], str(dump)], env)
    finally:
        listing.unlink(missing_ok=True)


def _after(using: str, before: dict[str, int], gap: int) -> tuple[dict[str, int], list[str]]:
    """Raise sequences and bump versions, in one transaction."""
    with connect(using) as conn, conn.cursor() as cursor:
        positions = consistency.raise_sequences(cursor, before, gap)
        versions = consistency.bump_versions(cursor)
    return positions, versions


def full_restore(folder: Path, using: str = "default", gap: int = 0) -> Outcome:
    """Replace the database and the files by the backup's, then make every cache and sequence consistent."""
    manifest = archive.verify(folder)
    with connect(using, autocommit=True) as conn, conn.cursor() as cursor:
        before = consistency.sequence_positions(cursor)
        cursor.execute("SELECT to_regclass('django_migrations') IS NULL")
        fresh = cursor.fetchone()[0]
    restore_dump(folder / archive.DUMP, using, None, clean=not fresh, fresh=fresh)
    call_command("migrate", database=using, interactive=False, verbosity=0)
    positions, versions = _after(using, before, gap)
    files = archive.copy_files_in(folder)
    return Outcome(sorted(manifest["database"]["counts"]), files, positions, versions)


def layer_table(layer_id: str) -> str:
    """The table a registered layer's rows are restored into, or RestoreError."""
    spec = registry.get(layer_id)
    if spec is None:
        known = ", ".join(s.id for s in registry.all())
        raise RestoreError(f"unknown layer {layer_id!r}; one of: {known}")
    if spec.version_tables != (spec.table,):
        raise RestoreError(f"layer {layer_id!r} is a view over {', '.join(spec.version_tables)}: use a full restore")
    return spec.table


def layer_restore(folder: Path, layer_id: str, using: str = "default") -> Outcome:
    """Replace one layer's rows by the backup's (one transaction), keeping everything else as it is."""
    table = layer_table(layer_id)
    manifest = archive.verify(folder)
    schema = manifest["database"].get("schema", "public")
    if table not in manifest["database"]["counts"]:
        raise RestoreError(f"the backup holds no table {table}")
    with connect(using, autocommit=True) as conn, conn.cursor() as cursor:
        cursor.execute(FK_INTO, [table])
        referring = [row[0] for row in cursor.fetchall()]
        if referring:
            raise RestoreError(f"rows of {', '.join(referring)} refer to {table}: use a full restore")
        before = consistency.sequence_positions(cursor)
    env = pgclient.client_env(using)
    rows = pgclient.run(
        ["pg_restore", "--data-only", "-n", schema, "-t", table, "-f", "-", str(folder / archive.DUMP)], env
    )
    empty = f"SET lock_timeout = '30s';\nTRUNCATE TABLE {sql.Identifier(schema, table).as_string()};\n".encode()
    pgclient.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-f", "-"], env, empty + rows)
    positions, versions = _after(using, before, 0)
    return Outcome([table], 0, positions, versions)
