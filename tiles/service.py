"""Resolving a requested layer set for a caller, and producing tiles through the cache."""
from __future__ import annotations

import re
from dataclasses import dataclass

from layers.registry import LayerSpec, registry
from mapserver.errors import InvalidParameterValue, NotFound
from mapserver.principal import Principal
from mapserver.scoping import LayerAccess, require_read
from tiles import queries
from tiles.cache import cache_enabled, etag_of, tile_cache
from tiles.tilemath import Tile

MAX_LAYERS = 40
LAYER_ID = re.compile(r"^[a-z0-9_]{1,64}$")


@dataclass(frozen=True)
class TileResult:
    """Tile bytes (b'' for an empty tile), their ETag and whether they came from the cache."""

    data: bytes
    etag: str
    cached: bool


def resolve_layer(principal: Principal, layer_id: str) -> tuple[LayerSpec, LayerAccess]:
    """The spec and access of one layer: 404 unknown, 401 anonymous on a protected layer, 403 not allowed."""
    spec = registry.get(layer_id) if LAYER_ID.match(layer_id) else None
    if spec is None:
        raise NotFound(f"no layer {layer_id!r}")
    return spec, require_read(principal, spec)


def resolve_layers(principal: Principal, layer_ids: str) -> list[tuple[LayerSpec, LayerAccess]]:
    """Parse 'a,b,c' into specs with their access; every layer must be readable by the caller."""
    ids = layer_ids.split(",")
    if not ids or len(ids) > MAX_LAYERS:
        raise InvalidParameterValue(f"between 1 and {MAX_LAYERS} layer ids, joined by commas")
    if len(set(ids)) != len(ids):
        raise InvalidParameterValue("a layer id is repeated")
    return [resolve_layer(principal, layer_id) for layer_id in ids]


def get_tile(layers: list[tuple[LayerSpec, LayerAccess]], tile: Tile) -> TileResult:
    """The tile from the cache, or rendered in PostGIS and stored."""
    if not cache_enabled():
        data = queries.render_tile(layers, tile)
        return TileResult(data, etag_of(data), False)
    cache = tile_cache()
    key, epochs = cache.key([(spec.id, access.cache_scope) for spec, access in layers])
    data = cache.get(key, tile)
    if data is not None:
        return TileResult(data, etag_of(data), True)
    data = queries.render_tile(layers, tile)
    cache.put(key, tile, data, [spec.id for spec, _ in layers], epochs)
    return TileResult(data, etag_of(data), False)


def all_public(layers: list[tuple[LayerSpec, LayerAccess]]) -> bool:
    """True when the tile is the same for every caller (no protected layer)."""
    return all(spec.public for spec, _ in layers)
