"""URLs of the scenarios app: spatial queries, indicators, scenarios and runs, OGC API - Processes."""
from django.urls import path

from scenarios import views_indicators, views_query

urlpatterns = [
    path("api/query", views_query.spatial_query, name="spatial-query"),
    path("api/indicators", views_indicators.indicator_list, name="indicator-list"),
    path("api/indicators/alerts", views_indicators.indicator_alerts, name="indicator-alerts"),
    path("api/indicators/<str:code>/values", views_indicators.indicator_values, name="indicator-values"),
    path("api/indicators/<str:code>/tiles/<str:period>/<int:z>/<int:x>/<int:y>.mvt", views_indicators.indicator_tile,
         name="indicator-tile"),
]
