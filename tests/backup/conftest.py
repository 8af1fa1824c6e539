"""Fixtures of the backup tests: one backup of the shared test database (with a report photo and a raster file),
taken once per module; the tests restore it, which also puts the database back as it was."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import override_settings
from PIL import Image

from reports.photos import photo_storage, store_photo


def scalar(query: str, params: list | None = None):
    """One value from the test database (committed state)."""
    with connection.cursor() as cursor:
        cursor.execute(query, params or [])
        return cursor.fetchone()[0]


def jpeg(colour: str) -> SimpleUploadedFile:
    """A small real JPEG upload."""
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture(scope="module")
def storage_dirs(tmp_path_factory, django_db_setup, live_server, django_db_blocker):
    """Media, rasters, tile cache and backups in temporary folders; committed data (the restores commit).

    No `db` fixture (its transaction would hold locks the restores wait for): like the live-server tests, these
    read and write committed data. `live_server` is what makes pytest-django set the test database up for tests
    without the db fixture; without a test database these tests would back up and restore the real one."""
    assert connection.settings_dict["NAME"] == settings.DATABASES["default"]["TEST"]["NAME"], "not the test DB"
    root = tmp_path_factory.mktemp("backup")
    with (
        override_settings(
            MAPSERVER_MEDIA_DIR=root / "media",
            MAPSERVER_RASTER_DIR=root / "rasters",
            MAPSERVER_TILE_CACHE_DIR=root / "tiles",
            MAPSERVER_TILE_CACHE=True,
            MAPSERVER_BACKUP_DIR=root / "backups",
        ),
        django_db_blocker.unblock(),
    ):
        yield root


@pytest.fixture(scope="module")
def backup(storage_dirs, tokens) -> Iterator[dict]:
    """A backup taken by the command (after the test users and tokens are made: a full restore keeps them), with
    what it should hold computed independently."""
    photo = store_photo(jpeg("red"))
    raster = storage_dirs / "rasters" / "flood_depth.tif"
    raster.parent.mkdir(parents=True)
    raster.write_bytes(bytes(range(256)) * 40)
    out = io.StringIO()
    call_command("mapserver_backup", "--json", stdout=out)
    summary = json.loads(out.getvalue())
    folder = Path(summary["folder"])
    with photo_storage().open(photo, "rb") as handle:
        photo_sha = hashlib.sha256(handle.read()).hexdigest()
    facts = {
        "folder": folder,
        "photo": photo,
        "photo_sha": photo_sha,
        "raster_sha": hashlib.sha256(raster.read_bytes()).hexdigest(),
        "houses": scalar("SELECT count(*) FROM geodata_house"),
        "schools": scalar("SELECT count(*) FROM geodata_school"),
        "summary": summary,
    }
    yield facts
    # A failed test may leave the shared test database changed: put it back as backed up.
    if (scalar("SELECT count(*) FROM geodata_house"), scalar("SELECT count(*) FROM geodata_school")) != (
        facts["houses"],
        facts["schools"],
    ):
        call_command("mapserver_restore", str(folder), "--yes", stdout=io.StringIO())


def sha256sum_check(folder: Path) -> subprocess.CompletedProcess:
    """coreutils' own verification of SHA256SUMS."""
    return subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)
