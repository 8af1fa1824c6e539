"""Restore a backup made by mapserver_backup: everything (database and files), or one layer's rows."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mapserver import audit
from mapserver.backup.archive import BackupError
from mapserver.backup.pgclient import ClientError
from mapserver.backup.restore import RestoreError, full_restore, layer_restore


class Command(BaseCommand):
    help = "Restore a backup folder in place (all of it, or --layer ID); the checksums are verified first."

    def add_arguments(self, parser) -> None:
        parser.add_argument("backup", type=Path, help="a folder written by mapserver_backup")
        parser.add_argument("--layer", help="restore only this layer's rows (a layer id of /api/layers)")
        parser.add_argument(
            "--id-gap",
            type=int,
            default=0,
            help="also skip this many ids in every sequence (when the database the backup replaces is lost)",
        )
        parser.add_argument("--yes", action="store_true", help="confirm: the current data is replaced")

    def handle(self, *args, **options) -> None:
        if not options["yes"]:
            raise CommandError("a restore replaces the current data: add --yes to go ahead")
        if options["id_gap"] < 0:
            raise CommandError("--id-gap must be >= 0")
        folder = options["backup"]
        try:
            if options["layer"]:
                outcome = layer_restore(folder, options["layer"])
            else:
                outcome = full_restore(folder, gap=options["id_gap"])
        except (BackupError, RestoreError, ClientError) as exc:
            raise CommandError(str(exc)) from exc
        audit.record(
            audit.system_principal(),
            "restore",
            options["layer"] or "",
            backup=str(folder),
            tables=len(outcome.tables),
            files=outcome.files,
        )
        what = (
            f"layer {options['layer']}" if options["layer"] else f"{len(outcome.tables)} tables, {outcome.files} files"
        )
        self.stdout.write(f"restored {what} from {folder}; {len(outcome.versions)} table versions bumped")
