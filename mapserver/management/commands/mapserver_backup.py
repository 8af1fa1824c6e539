"""Back up the database, report photos and raster files into one dated folder with a manifest and checksums."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mapserver import audit
from mapserver.backup.dump import take_backup
from mapserver.backup.pgclient import ClientError


class Command(BaseCommand):
    help = "Write a backup folder (database dump, photos, rasters, manifest.json, SHA256SUMS) and print its path."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", type=Path, help="parent folder (default: MAPSERVER_BACKUP_DIR)")
        parser.add_argument("--json", action="store_true", help="print the manifest summary as JSON")

    def handle(self, *args, **options) -> None:
        root = options["output"] or Path(settings.MAPSERVER_BACKUP_DIR)
        try:
            folder, manifest = take_backup(root)
        except (ClientError, OSError) as exc:
            raise CommandError(f"backup failed: {exc}") from exc
        rows = sum(manifest["database"]["counts"].values())
        audit.record(audit.system_principal(), "backup", folder=str(folder), rows=rows, files=len(manifest["files"]))
        if options["json"]:
            summary = {"folder": str(folder), "rows": rows, "files": len(manifest["files"])}
            self.stdout.write(json.dumps(summary))
        else:
            self.stdout.write(str(folder))
