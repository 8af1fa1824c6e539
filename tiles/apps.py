"""App config of tiles: connects the cache invalidation to geodata's change signal."""
from django.apps import AppConfig


class TilesConfig(AppConfig):
    name = "tiles"
    verbose_name = "Tiles, styles and the operations map"

    def ready(self) -> None:
        from geodata.signals import layer_data_changed
        from tiles.signals import invalidate_changed_layers

        layer_data_changed.connect(invalidate_changed_layers, dispatch_uid="tiles-invalidate")
