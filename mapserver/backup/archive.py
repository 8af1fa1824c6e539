"""One backup on disk: a dated folder holding the database dump, the files and their manifest.

<MAPSERVER_BACKUP_DIR>/mapserver-<database>-<YYYYmmddTHHMMSSZ>/
  database.dump          pg_dump -Fc of the database, taken in one snapshot with the manifest's counts
  files/photos/...       report photos, read through the `photos` storage (a volume or an S3 bucket)
  files/rasters/...      raster layers' files (MAPSERVER_RASTER_DIR)
  files/documents/...    planning documents (MAPSERVER_MEDIA_DIR/documents)
  manifest.json          what was backed up: database, row counts, sequences, migrations, every file's SHA-256
  SHA256SUMS             the same checksums (and the manifest's) for `sha256sum -c SHA256SUMS`
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.storage import Storage

from reports.photos import photo_storage

DUMP = "database.dump"
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
FORMAT = 1


class BackupError(RuntimeError):
    """A backup is incomplete, altered or unreadable."""


def sha256_of(path: Path) -> str:
    """The SHA-256 hex digest of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def directory_sections() -> dict[str, Path]:
    """The file trees backed up from local (or shared-volume) directories, by section name."""
    return {
        "rasters": Path(settings.MAPSERVER_RASTER_DIR),
        "documents": Path(settings.MAPSERVER_MEDIA_DIR) / "documents",
    }


def walk_storage(storage: Storage, prefix: str = "") -> Iterator[str]:
    """Every file name in a storage, recursively (works for the filesystem and S3 backends alike)."""
    try:
        dirs, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{prefix}{name}"
    for name in sorted(dirs):
        yield from walk_storage(storage, f"{prefix}{name}/")


def copy_files_out(folder: Path) -> None:
    """Copy photos (from their storage) and the directory sections into folder/files/."""
    photos = photo_storage()
    for name in walk_storage(photos):
        target = folder / "files" / "photos" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with photos.open(name, "rb") as source, open(target, "wb") as out:
            shutil.copyfileobj(source, out)
    for section, root in directory_sections().items():
        if root.is_dir():
            shutil.copytree(root, folder / "files" / section, dirs_exist_ok=True)


def copy_files_in(folder: Path) -> int:
    """Put the backup's files back (photos into their storage, directories in place); returns how many."""
    count = 0
    photos = photo_storage()
    base = folder / "files" / "photos"
    for path in sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else ():
        name = path.relative_to(base).as_posix()
        if photos.exists(name):
            photos.delete(name)
        with open(path, "rb") as handle:
            photos.save(name, handle)
        count += 1
    for section, root in directory_sections().items():
        source = folder / "files" / section
        if source.is_dir():
            shutil.copytree(source, root, dirs_exist_ok=True)
            count += sum(1 for p in source.rglob("*") if p.is_file())
    return count


@dataclass(frozen=True)
class Entry:
    """One file of a backup: its path inside the folder, size and SHA-256."""

    path: str
    bytes: int
    sha256: str


def entries(folder: Path) -> list[Entry]:
    """The dump and every copied file, with their checksums."""
    paths = [folder / DUMP, *sorted(p for p in (folder / "files").rglob("*") if p.is_file())]
    return [Entry(p.relative_to(folder).as_posix(), p.stat().st_size, sha256_of(p)) for p in paths if p.exists()]


def write_manifest(folder: Path, database: dict) -> dict:
    """Write manifest.json and SHA256SUMS for the folder's files; returns the manifest."""
    files = entries(folder)
    manifest = {"format": FORMAT, "database": database, "files": [e.__dict__ for e in files]}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    lines = [f"{e.sha256}  {e.path}" for e in files] + [f"{sha256_of(folder / MANIFEST)}  {MANIFEST}"]
    (folder / SUMS).write_text("\n".join(lines) + "\n")
    return manifest


def read_manifest(folder: Path) -> dict:
    """The manifest of a backup folder, or BackupError."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{folder}: no readable {MANIFEST} ({exc})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{folder}: unknown backup format {manifest.get('format')!r}")
    return manifest


def verify(folder: Path) -> dict:
    """Check every file against SHA256SUMS and the manifest (nothing missing, changed or added); the manifest."""
    try:
        sums = dict(reversed(line.split("  ", 1)) for line in (folder / SUMS).read_text().splitlines() if line)
    except (OSError, ValueError) as exc:
        raise BackupError(f"{folder}: no readable {SUMS} ({exc})") from None
    manifest = read_manifest(folder)
    listed = {e["path"]: e["sha256"] for e in manifest["files"]}
    if DUMP not in listed:
        raise BackupError(f"{folder}: the manifest lists no {DUMP}")
    on_disk = {e.path for e in entries(folder)}
    problems = [f"not in the manifest: {p}" for p in sorted(on_disk - set(listed))]
    for path, digest in {**listed, MANIFEST: sums.get(MANIFEST, "")}.items():
        if sums.get(path) != digest and path != MANIFEST:
            problems.append(f"SHA256SUMS and the manifest disagree on {path}")
        elif not (folder / path).is_file():
            problems.append(f"missing: {path}")
        elif sha256_of(folder / path) != sums.get(path):
            problems.append(f"checksum mismatch: {path}")
    if problems:
        raise BackupError(f"{folder}: " + "; ".join(problems))
    return manifest
