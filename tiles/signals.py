"""Cache invalidation: when a model's rows change, drop the cached tiles of every layer built on it."""
from __future__ import annotations

import logging

from layers.registry import LayerSpec, registry
from tiles.cache import tile_cache

log = logging.getLogger(__name__)


def layers_of_model(model) -> list[LayerSpec]:
    """The layers published from a model (or a subclass, or a model given by its label)."""
    label = model if isinstance(model, str) else model._meta.label
    return [spec for spec in registry.all() if spec.model_label.lower() == label.lower()]


def invalidate_changed_layers(sender=None, model=None, bbox=None, **kwargs) -> None:
    """Receiver of geodata.signals.layer_data_changed (model=, optional bbox= in EPSG:4326)."""
    if model is None:
        return
    cache = tile_cache()
    for spec in layers_of_model(model):
        removed = cache.invalidate(spec.id, tuple(bbox) if bbox else None)
        log.info("tile cache: layer %s invalidated (bbox=%s, %d removed)", spec.id, bbox, removed)
