from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install_radius_cells(**kwargs) -> None:
    """After migrate: the radius cells and their triggers (scenarios.cells, imported only then: with its SQL
    builders it costs every process 0.1 s of start-up, an import command or a worker alike)."""
    from scenarios.cells import install_radius_cells

    install_radius_cells(**kwargs)


class ScenariosConfig(AppConfig):
    """Spatial queries, indicators and alerts, scenario declarations, runs and exports."""

    name = "scenarios"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from layers.extensions import register_conformance, register_paths

        processes = "http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/"
        register_conformance(*(processes + name for name in ("core", "json", "ogc-process-description", "job-list")))
        register_paths("scenarios.openapi.paths")
        post_migrate.connect(_install_radius_cells, sender=self, dispatch_uid="scenarios-radius-cells")
