"""The tile cache on disk, shared by every worker process.

Layout under MAPSERVER_TILE_CACHE_DIR:
  state/<layer_id>            "<generation> <epoch>" of the layer (two counters, see below)
  tiles/<key>/<z>/<x>/<y>.mvt one file per rendered tile (zero bytes: an empty tile)
where <key> names the layer set with each layer's generation and access scope, e.g.
`houses~g3~c26068+roads~g0~all`. A full invalidation bumps the generation (new keys; old directories are
removed); a bounding-box invalidation deletes the tiles it touches and bumps the epoch. A render that saw an
older epoch than the one current when it finishes is not stored, so a tile rendered before an edit
committed cannot overwrite the invalidation.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from django.conf import settings

from tiles.tilemath import Tile, tile_range


def etag_of(data: bytes) -> str:
    """A strong ETag of tile bytes."""
    return '"' + hashlib.blake2b(data, digest_size=12).hexdigest() + '"'


class TileCache:
    """Tiles on disk keyed by layer set, layer generation, access scope and z/x/y."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.tiles = self.root / "tiles"
        self.state = self.root / "state"

    def counters(self, layer_id: str) -> tuple[int, int]:
        """(generation, epoch) of a layer; (0, 0) before its first invalidation."""
        try:
            raw = (self.state / layer_id).read_text().split()
            return int(raw[0]), int(raw[1])
        except (FileNotFoundError, IndexError, ValueError):
            return 0, 0

    def key(self, scoped_layers: list[tuple[str, str]]) -> tuple[str, tuple[int, ...]]:
        """The directory key of a layer set [(layer_id, cache_scope)], and the epochs it was read at."""
        parts, epochs = [], []
        for layer_id, scope in scoped_layers:
            generation, epoch = self.counters(layer_id)
            parts.append(f"{layer_id}~g{generation}~{scope}")
            epochs.append(epoch)
        return "+".join(parts), tuple(epochs)

    def _file(self, key: str, tile: Tile) -> Path:
        return self.tiles / key / str(tile.z) / str(tile.x) / f"{tile.y}.mvt"

    def get(self, key: str, tile: Tile) -> bytes | None:
        """The cached bytes, or None on a miss."""
        try:
            return self._file(key, tile).read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None

    def put(self, key: str, tile: Tile, data: bytes, layer_ids: list[str], epochs: tuple[int, ...]) -> bool:
        """Store a rendered tile unless one of its layers was invalidated meanwhile; True if stored."""
        target = self._file(key, tile)
        try:  # a concurrent full invalidation may remove the directory under us: then do not store
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp")
        except OSError:
            return False
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        with self._locked(shared=True):  # no invalidation between the epoch check and the rename
            if tuple(self.counters(layer_id)[1] for layer_id in layer_ids) != epochs:
                os.unlink(temp)
                return False
            try:
                os.replace(temp, target)
            except OSError:
                return False  # atomic: readers see the old file or the new one, never a partial one
        return True

    @contextmanager
    def _locked(self, shared: bool = False) -> Iterator[None]:
        self.state.mkdir(parents=True, exist_ok=True)
        with open(self.state / ".lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _write_counters(self, layer_id: str, generation: int, epoch: int) -> None:
        fd, temp = tempfile.mkstemp(dir=self.state, prefix=".tmp")
        with os.fdopen(fd, "w") as handle:
            handle.write(f"{generation} {epoch}\n")
        os.replace(temp, self.state / layer_id)

    def _key_dirs(self, layer_id: str, generation: int) -> list[Path]:
        marker = f"{layer_id}~g{generation}~"
        if not self.tiles.is_dir():
            return []
        return [d for d in self.tiles.iterdir() if any(p.startswith(marker) for p in d.name.split("+"))]

    def invalidate(self, layer_id: str, bbox: tuple[float, float, float, float] | None = None) -> int:
        """Drop a layer's cached tiles (all, or those near a lon/lat bbox); returns the files removed."""
        with self._locked():
            generation, epoch = self.counters(layer_id)
            dirs = self._key_dirs(layer_id, generation)
            if bbox is None:
                self._write_counters(layer_id, generation + 1, epoch + 1)
                for directory in dirs:
                    shutil.rmtree(directory, ignore_errors=True)
                return len(dirs)
            self._write_counters(layer_id, generation, epoch + 1)
            return sum(_remove_bbox_tiles(directory, bbox) for directory in dirs)

    def clear(self) -> None:
        """Remove every cached tile and counter."""
        shutil.rmtree(self.root, ignore_errors=True)


def _remove_bbox_tiles(directory: Path, bbox: tuple[float, float, float, float]) -> int:
    """Delete the tiles of one key directory within one tile of a bbox (the clip buffer reaches neighbours)."""
    removed = 0
    for zdir in directory.iterdir():
        if not zdir.name.isdigit():
            continue
        z = int(zdir.name)
        x0, y0, x1, y1 = tile_range(bbox, z)
        for xdir in zdir.iterdir():
            if not (xdir.name.isdigit() and x0 - 1 <= int(xdir.name) <= x1 + 1):
                continue
            for tile_file in xdir.glob("*.mvt"):
                if tile_file.stem.isdigit() and y0 - 1 <= int(tile_file.stem) <= y1 + 1:
                    tile_file.unlink(missing_ok=True)
                    removed += 1
    return removed


def tile_cache() -> TileCache:
    """The cache at the configured directory (read at call time, so tests can point it elsewhere)."""
    return TileCache(settings.MAPSERVER_TILE_CACHE_DIR)


def cache_enabled() -> bool:
    """Whether rendered tiles are cached (settings.MAPSERVER_TILE_CACHE; the benchmark turns it off for cold tiles)."""
    return settings.MAPSERVER_TILE_CACHE
