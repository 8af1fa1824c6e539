from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules


class LayersConfig(AppConfig):
    """Collects every app's layers.py into the registry at start-up, like admin.py."""

    name = "layers"

    def ready(self) -> None:
        from layers import checks  # noqa: F401  (registers the system check)
        from layers.versioning import track_layer_tables

        autodiscover_modules("layers")
        # post_migrate is only sent for apps with models; the layer tables belong to geodata
        post_migrate.connect(track_layer_tables, sender=apps.get_app_config("geodata"), dispatch_uid="layers-version")
