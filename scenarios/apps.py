from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ScenariosConfig(AppConfig):
    """Spatial queries, indicators and alerts, scenario declarations, runs and exports."""

    name = "scenarios"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from layers.extensions import register_conformance, register_paths
        from scenarios.cells import install_radius_cells

        processes = "http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/"
        register_conformance(*(processes + name for name in ("core", "json", "ogc-process-description", "job-list")))
        register_paths("scenarios.openapi.paths")
        post_migrate.connect(install_radius_cells, sender=self, dispatch_uid="scenarios-radius-cells")
