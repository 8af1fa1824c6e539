"""The tile cache on disk, shared by every worker process, keyed by the versions of the tables a tile shows.

Layout under MAPSERVER_TILE_CACHE_DIR (one tree per database, see tile_cache()):
  db<oid>/tiles/<set>/<versions>/<z>/<x>/<y>.mvt   one file per rendered tile (zero bytes: an empty tile)
  db<oid>/trash/                                   superseded version directories, being removed
<set> names what is drawn, e.g. `houses~c26068+roads~all` (layer ids with access scopes; a digest when long);
<versions> is the version of each table the set is rendered from (layers_table_version, bumped by a statement
trigger on every write, whoever makes it), e.g. `1042-977`. A write changes the versions, so the next request
reads a new directory: nothing is ever invalidated in place, and a tile rendered before a write committed is
stored under the versions it was read at, which no later request asks for. When a version directory is first
created, the older versions of its set are moved to trash (atomic; no newer one is touched) and deleted in a
background thread. A set's name also carries what makes its tiles (each layer's declaration and the tile code, an
indicator's target): when a set directory is first created, the sets of the same family (`.family`: the same layers
and scopes, or the same indicator and period) under another name are superseded and go the same way, so a changed
declaration or a new release does not leave the old tiles on disk for good. A set directory without a `.family`
file was made by a release before families were recorded: the first new set supersedes those too (once, after
the upgrade; their tiles are rendered again when asked for).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import threading
import uuid
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from layers.versioning import database_id
from tiles.tilemath import Tile

SAFE_NAME = re.compile(r"^[A-Za-z0-9_~+.-]{1,160}$")


def etag_of(data: bytes) -> str:
    """A strong ETag of tile bytes."""
    return '"' + hashlib.blake2b(data, digest_size=12).hexdigest() + '"'


@dataclass(frozen=True)
class CacheKey:
    """What a tile set draws (`name`: layers and scopes) and the versions of the tables it is rendered from."""

    name: str
    versions: tuple[int, ...]
    family: str = ""  # the name without what makes the tiles (declarations, code, target): sets that supersede


def _digest(text: str) -> str:
    return "h" + hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _set_dir_name(name: str) -> str:
    return name if SAFE_NAME.match(name) and not name.startswith(".") else _digest(name)


def _versions_dir_name(versions: tuple[int, ...]) -> str:
    text = "-".join(str(v) for v in versions) or "0"
    return text if len(text) <= 160 else _digest(text)


def _versions_of(directory: Path) -> tuple[int, ...] | None:
    """The versions a directory was written for (from its name, or its .versions file when the name is a digest)."""
    text = directory.name
    if text.startswith("h"):
        try:
            text = (directory / ".versions").read_text().strip()
        except OSError:
            return None
    try:
        return tuple(int(part) for part in text.split("-"))
    except ValueError:
        return None


def _family_of(directory: Path) -> str | None:
    """The family a set directory was written for (None: made before families were recorded, or unreadable)."""
    try:
        return (directory / ".family").read_text()
    except OSError:
        return None


class TileCache:
    """Tiles on disk under CacheKey and z/x/y."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.tiles = self.root / "tiles"
        self.trash = self.root / "trash"

    def directory(self, key: CacheKey) -> Path:
        """The directory of one key's tiles."""
        return self.tiles / _set_dir_name(key.name) / _versions_dir_name(key.versions)

    def _file(self, key: CacheKey, tile: Tile) -> Path:
        return self.directory(key) / str(tile.z) / str(tile.x) / f"{tile.y}.mvt"

    def get(self, key: CacheKey, tile: Tile) -> bytes | None:
        """The cached bytes, or None on a miss."""
        try:
            return self._file(key, tile).read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None

    def put(self, key: CacheKey, tile: Tile, data: bytes) -> bool:
        """Store a rendered tile (atomically: readers see no file or the whole one); True if stored."""
        target = self._file(key, tile)
        if key.family and self._create_set(key):
            self.prune_family(key)
        created = self._create(self.directory(key), key.versions)
        try:  # a concurrent prune may move the directory away under us: then do not store
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp")
        except OSError:
            return False
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        try:
            os.replace(temp, target)
        except OSError:
            with suppress(OSError):
                os.unlink(temp)
            return False
        if created:
            self.prune(key)
        return True

    def _create(self, directory: Path, versions: tuple[int, ...]) -> bool:
        """Make a version directory; True when this call created it (then its older siblings are pruned)."""
        try:
            directory.mkdir(parents=True)
            if directory.name.startswith("h"):  # a digest: prune reads the versions from this file
                (directory / ".versions").write_text("-".join(str(v) for v in versions))
        except OSError:  # FileExistsError: another request created it first
            return False
        return True

    def _create_set(self, key: CacheKey) -> bool:
        """Make a set's directory with its family recorded; True when this call created it."""
        directory = self.directory(key).parent
        try:
            directory.mkdir(parents=True)
        except OSError:  # FileExistsError: the set was cached before (or another request made it first)
            return False
        try:
            (directory / ".family").write_text(key.family)
        except OSError:  # superseded at once by a server of another release (a rolling deploy)
            return False
        return True

    def prune_family(self, key: CacheKey, background: bool = True) -> int:
        """Move the other sets of the key's family (older declarations or code) and the sets of releases before
        families were recorded to trash; returns how many."""
        current = self.directory(key).parent
        superseded = [
            sibling
            for sibling in self.tiles.iterdir()
            if sibling != current and _family_of(sibling) in (key.family, None)
        ]
        return self._discard(superseded, background)

    def prune(self, key: CacheKey, background: bool = True) -> int:
        """Move the directories of older versions of the key's set to trash and delete them; returns how many.

        Only directories whose every version is at or below the key's go: a slow request still rendering at an
        older version recreates its directory at worst (pruned by the next new version), never drops a newer one.
        """
        current = self.directory(key)
        superseded = []
        for sibling in current.parent.iterdir() if current.parent.is_dir() else ():
            versions = _versions_of(sibling) if sibling != current else None
            if (
                versions is not None
                and len(versions) == len(key.versions)
                and versions != key.versions
                and all(old <= new for old, new in zip(versions, key.versions))
            ):
                superseded.append(sibling)
        return self._discard(superseded, background)

    def _discard(self, superseded: list[Path], background: bool) -> int:
        """Move directories to trash (atomic renames) and delete them, in a thread unless background is False."""
        self.trash.mkdir(parents=True, exist_ok=True)
        moved = 0
        for directory in superseded:
            try:
                directory.rename(self.trash / uuid.uuid4().hex)
                moved += 1
            except OSError:
                pass  # another process moved it first
        if moved and background:  # the request does not wait for the deletion
            threading.Thread(target=self.empty_trash, name="tile-cache-prune", daemon=True).start()
        elif moved:
            self.empty_trash()
        return moved

    def empty_trash(self) -> None:
        """Delete what prune moved to trash (also what a process that died meanwhile left there)."""
        try:
            doomed = list(self.trash.iterdir())
        except OSError:  # no trash yet, or the whole cache was cleared meanwhile
            return
        for directory in doomed:
            shutil.rmtree(directory, ignore_errors=True)

    def clear(self) -> None:
        """Remove every cached tile."""
        shutil.rmtree(self.root, ignore_errors=True)


def tile_cache() -> TileCache:
    """The cache of this database at the configured directory (read at call time, so tests can point it elsewhere).

    Versions restart with a new database (make a fresh one, restore a dump): its tiles live apart."""
    return TileCache(Path(settings.MAPSERVER_TILE_CACHE_DIR) / f"db{database_id()}")


def cache_enabled() -> bool:
    """Whether rendered tiles are cached (settings.MAPSERVER_TILE_CACHE; the benchmark turns it off for cold tiles)."""
    return settings.MAPSERVER_TILE_CACHE
