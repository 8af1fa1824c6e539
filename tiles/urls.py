"""URLs of the tiles app: vector (layer and indicator) and raster tiles, TileJSON, OGC API Tiles, styles and the
map at /."""

from django.urls import path

from tiles.views import map as views_map
from tiles.views import mvt, ogc, raster, style

COLLECTION_TILES = "ogcapi/collections/<str:collection_id>/tiles"

urlpatterns = [
    path("", views_map.operations_map, name="operations-map"),
    path("tiles/raster/<str:layer_id>/<int:z>/<int:x>/<int:y>.png", raster.raster_tile, name="raster-tile"),
    path("tiles/<str:layers>/<int:z>/<int:x>/<int:y>.mvt", mvt.mvt_tile, name="mvt-tile"),
    path("tiles/<str:layers>.json", mvt.tilejson_view, name="tilejson"),
    path(
        "api/indicators/<str:code>/tiles/<str:period>/<int:z>/<int:x>/<int:y>.mvt",
        mvt.indicator_tile,
        name="indicator-tile",
    ),
    path("styles/operations.json", style.operations_style, name="operations-style"),
    path("ogcapi/tileMatrixSets", ogc.tile_matrix_sets, name="ogc-tms-list"),
    path("ogcapi/tileMatrixSets/<str:tms_id>", ogc.tile_matrix_set, name="ogc-tms"),
    path(COLLECTION_TILES, ogc.collection_tilesets, name="ogc-tilesets"),
    path(f"{COLLECTION_TILES}/<str:tms_id>", ogc.tileset, name="ogc-tileset"),
    path(
        f"{COLLECTION_TILES}/<str:tms_id>/<int:tile_matrix>/<int:tile_row>/<int:tile_col>",
        ogc.ogc_tile,
        name="ogc-tile",
    ),
]
