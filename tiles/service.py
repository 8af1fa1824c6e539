"""Resolving a requested layer set for a caller, and producing tiles through the cache."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from layers.registry import LayerSpec, registry
from layers.scoped import ScopedLayer, scoped
from layers.versioning import is_tracked, table_versions
from mapserver import metrics
from mapserver.errors import InvalidParameterValue, NotFound
from mapserver.principal import Principal
from mapserver.scoping import LayerAccess
from tiles import queries
from tiles.cache import CacheKey, cache_enabled, etag_of, tile_cache
from tiles.tilemath import Tile

log = logging.getLogger(__name__)

MAX_LAYERS = 40
LAYER_ID = re.compile(r"^[a-z0-9_]{1,64}$")


@dataclass(frozen=True)
class TileResult:
    """Tile bytes (b'' for an empty tile), their ETag and whether they came from the cache."""

    data: bytes
    etag: str
    cached: bool


def resolve_layer(principal: Principal, layer_id: str) -> ScopedLayer:
    """One layer bound to the caller's access (unpacks as spec, access): 404 unknown, 401 anonymous on a
    protected layer, 403 not allowed."""
    spec = registry.get(layer_id) if LAYER_ID.match(layer_id) else None
    if spec is None:
        raise NotFound(f"no layer {layer_id!r}")
    return scoped(principal, spec)


def resolve_layers(principal: Principal, layer_ids: str) -> list[ScopedLayer]:
    """Parse 'a,b,c' into specs with their access; every layer must be readable by the caller."""
    ids = layer_ids.split(",")
    if not ids or len(ids) > MAX_LAYERS:
        raise InvalidParameterValue(f"between 1 and {MAX_LAYERS} layer ids, joined by commas")
    if len(set(ids)) != len(ids):
        raise InvalidParameterValue("a layer id is repeated")
    return [resolve_layer(principal, layer_id) for layer_id in ids]


def get_tile(layers: list[tuple[LayerSpec, LayerAccess]], tile: Tile) -> TileResult:
    """A layer set's tile: from the cache under its tables' current versions, or rendered in PostGIS and stored."""
    family = "+".join(f"{spec.id}~{access.cache_scope}" for spec, access in layers)
    name = "+".join(f"{spec.id}~{access.cache_scope}~{queries.definition(spec)}" for spec, access in layers)
    tables = [table for spec, _ in layers for table in spec.version_tables]
    return cached_tile(name, tables, tile, lambda: queries.render_tile(layers, tile), family)


def cached_tile(
    name: str, tables: Iterable[str], tile: Tile, render: Callable[[], bytes], family: str = ""
) -> TileResult:
    """The one tile pipeline (layer sets, indicator choropleths): the tile cached under `name` and the current
    versions of `tables` (read in one query), else render() stored there. Tables without the version trigger
    are never trusted: such tiles are rendered every time. `family`: what the set draws, without what makes
    its tiles; a new set of a family supersedes the family's other sets (tiles.cache)."""
    tables = list(dict.fromkeys(tables))  # each table once, in a stable order
    if not cache_enabled() or not _all_tracked(name, tables):
        data = render()
        return TileResult(data, etag_of(data), False)
    cache, key = tile_cache(), CacheKey(name, table_versions(tables), family)
    data = cache.get(key, tile)
    metrics.tile_cache(hit=data is not None)
    if data is not None:
        return TileResult(data, etag_of(data), True)
    data = render()  # rendered after the versions were read: never older than the key it is stored under
    cache.put(key, tile, data)
    return TileResult(data, etag_of(data), False)


def _all_tracked(name: str, tables: list[str]) -> bool:
    untracked = [table for table in tables if not is_tracked(table)]
    if untracked and name not in _WARNED:  # once per process and set: a tile request is no place for a log flood
        _WARNED.add(name)
        log.warning("tile cache: %s not cached, tables without the version trigger: %s (run migrate)", name, untracked)
    return not untracked


_WARNED: set[str] = set()


def all_public(layers: list[tuple[LayerSpec, LayerAccess]]) -> bool:
    """True when the tile is the same for every caller (no protected layer)."""
    return all(spec.public for spec, _ in layers)
