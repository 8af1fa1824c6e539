"""App config of tiles: installs the cluster cells after migrate and registers the OGC API Tiles conformance.

The tile cache needs no signal: it is keyed by table versions that triggers bump on every write."""

from django.apps import AppConfig


class TilesConfig(AppConfig):
    name = "tiles"
    verbose_name = "Tiles, styles and the operations map"

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import post_migrate

        from layers.versioning import track_models
        from tiles import checks  # noqa: F401  (registers the style-table check)
        from tiles.cluster_cells import install_cluster_cells

        track_models("geodata.IndicatorValue")  # indicator choropleth tiles are cached by its table's version

        # post_migrate is only sent for apps with models; the layer tables belong to geodata
        post_migrate.connect(install_cluster_cells, sender=apps.get_app_config("geodata"), dispatch_uid="tiles-cells")

        from layers.extensions import register_conformance, register_paths

        tiles = "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/"
        register_conformance(
            *(tiles + name for name in ("core", "tileset", "tilesets-list", "geodata-tilesets", "mvt")),
            "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
            "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
        )
        register_paths("tiles.openapi.paths")
