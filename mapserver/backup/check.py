"""The restore check: a backup's checksums, then a real restore into a scratch database whose row counts and
migrations must equal what the manifest recorded in the dump's snapshot. The scratch database is dropped after."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from django.conf import settings
from psycopg import sql

from mapserver.backup import archive
from mapserver.backup.dump import _facts, connect
from mapserver.backup.restore import restore_dump


def restore_check(folder: Path, using: str = "default") -> dict:
    """Verify the backup and restore it into a scratch database; a report, or BackupError on any difference."""
    started = time.monotonic()
    manifest = archive.verify(folder)
    recorded = manifest["database"]
    scratch = f"{recorded['name'][:40]}_check_{uuid.uuid4().hex[:8]}"
    template = settings.MAPSERVER_RESTORE_CHECK_TEMPLATE
    with connect(using, autocommit=True) as admin:
        admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(scratch), sql.Identifier(template))
        )
        try:
            restore_dump(folder / archive.DUMP, using, scratch, clean=False, fresh=True)
            with connect(using, scratch) as conn, conn.cursor() as cursor:
                found = _facts(cursor)
        finally:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(scratch)))
    problems = [
        f"{table}: {found['counts'].get(table)} rows restored, {count} backed up"
        for table, count in recorded["counts"].items()
        if found["counts"].get(table) != count
    ]
    if found["migrations"] != recorded["migrations"]:
        problems.append("the restored migrations differ from the manifest's")
    if problems:
        raise archive.BackupError(f"{folder}: " + "; ".join(problems))
    return {
        "backup": str(folder),
        "files": len(manifest["files"]),
        "bytes": sum(entry["bytes"] for entry in manifest["files"]),
        "tables": len(recorded["counts"]),
        "rows": sum(recorded["counts"].values()),
        "seconds": round(time.monotonic() - started, 1),
    }
