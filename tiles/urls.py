"""URLs of the tiles app: vector (layer and indicator) and raster tiles, TileJSON, OGC API Tiles, styles and the
map at /."""
from django.urls import path

from tiles import views_map, views_mvt, views_ogc, views_raster, views_style

COLLECTION_TILES = "ogcapi/collections/<str:collection_id>/tiles"

urlpatterns = [
    path("", views_map.operations_map, name="operations-map"),
    path("tiles/raster/<str:layer_id>/<int:z>/<int:x>/<int:y>.png", views_raster.raster_tile, name="raster-tile"),
    path("tiles/<str:layers>/<int:z>/<int:x>/<int:y>.mvt", views_mvt.mvt_tile, name="mvt-tile"),
    path("tiles/<str:layers>.json", views_mvt.tilejson_view, name="tilejson"),
    path("api/indicators/<str:code>/tiles/<str:period>/<int:z>/<int:x>/<int:y>.mvt", views_mvt.indicator_tile,
         name="indicator-tile"),
    path("styles/operations.json", views_style.operations_style, name="operations-style"),
    path("ogcapi/tileMatrixSets", views_ogc.tile_matrix_sets, name="ogc-tms-list"),
    path("ogcapi/tileMatrixSets/<str:tms_id>", views_ogc.tile_matrix_set, name="ogc-tms"),
    path(COLLECTION_TILES, views_ogc.collection_tilesets, name="ogc-tilesets"),
    path(f"{COLLECTION_TILES}/<str:tms_id>", views_ogc.tileset, name="ogc-tileset"),
    path(f"{COLLECTION_TILES}/<str:tms_id>/<int:tile_matrix>/<int:tile_row>/<int:tile_col>", views_ogc.ogc_tile,
         name="ogc-tile"),
]
