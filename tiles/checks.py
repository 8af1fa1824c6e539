"""System checks of the tiles app: the style tables name only registered layers (they cannot drift)."""

from __future__ import annotations

from django.core.checks import Error, register


@register()
def style_tables_name_registered_layers(app_configs=None, **kwargs) -> list[Error]:
    """Every layer id in LAYER_STYLES and LEGENDS is a layer of the registry."""
    from layers.registry import registry
    from tiles.style_layers import LAYER_STYLES, LEGENDS

    return [
        Error(f"{table} styles {layer_id!r}, which is not a registered layer", id="tiles.E001")
        for table, keys in (("LAYER_STYLES", LAYER_STYLES), ("LEGENDS", LEGENDS))
        for layer_id in keys
        if layer_id not in registry
    ]
