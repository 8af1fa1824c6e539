"""Check a backup: its checksums, and that it restores into a scratch database with the recorded row counts."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mapserver.backup.archive import BackupError
from mapserver.backup.check import restore_check
from mapserver.backup.pgclient import ClientError


class Command(BaseCommand):
    help = "Verify a backup folder's checksums and restore it into a scratch database (dropped afterwards)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("backup", type=Path, help="a folder written by mapserver_backup")

    def handle(self, *args, **options) -> None:
        try:
            report = restore_check(options["backup"])
        except (BackupError, ClientError) as exc:
            raise CommandError(f"restore check failed: {exc}") from exc
        self.stdout.write(json.dumps(report))
