"""URL map: every app's endpoints are wired here. Order matters: tiles and processes under /ogcapi come first."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from layers.views import catalogue
from mapserver import login, views

handler500 = "mapserver.unavailable.server_error"  # outages and timeouts: 503 with Retry-After

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("metrics", views.metrics_view, name="metrics"),  # Prometheus; admins and MAPSERVER_METRICS_NETWORKS only
    path("api/layers", catalogue.layer_catalogue, name="layer-catalogue"),
    path("api/communes.geojson", catalogue.communes_geojson, name="communes-geojson"),
    path("accounts/login/", login.LoginView.as_view(), name="login"),  # rate limit, lockout, admin lock
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("tiles.urls")),  # /tiles, /styles, /ogcapi/collections/{id}/tiles, indicator tiles, the map
    path("", include("indicators.urls")),  # /api/indicators/entry, /tracker, /locks, /{code}/history
    path("", include("scenarios.urls")),  # /api/query, /api/indicators, /api/scenarios, /ogcapi/processes
    path("", include("reports.urls")),  # /open311/v2, /api/reports, /report
    path("", include("cameras.urls")),  # /api/cameras
    path("", include("alerts.urls")),  # /api/alerts
    path("", include("scheduler.urls")),  # /api/jobs
    path("", include("sta.urls")),  # /sta/v1.1 (SensorThings API)
    path("", include("live.urls")),  # /api/events (the live event stream)
    path("", include("layers.urls")),  # /ogcapi (OGC API Features)
]
