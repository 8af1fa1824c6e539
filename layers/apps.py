from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class LayersConfig(AppConfig):
    """Collects every app's layers.py into the registry at start-up, like admin.py."""

    name = "layers"

    def ready(self) -> None:
        from layers import checks  # noqa: F401  (registers the system check)

        autodiscover_modules("layers")
