"""URLs of the indicators app (beside the scenarios app's /api/indicators, /{code}/values and /alerts)."""

from django.urls import path

from indicators import views

urlpatterns = [
    path("api/indicators/entry", views.entry_view, name="indicator-entry"),
    path("api/indicators/entry/upload", views.upload_view, name="indicator-entry-upload"),
    path("api/indicators/entry/template", views.template_view, name="indicator-entry-template"),
    path("api/indicators/tracker", views.tracker_view, name="indicator-tracker"),
    path("api/indicators/locks", views.lock_list, name="indicator-locks"),
    path("api/indicators/locks/<str:period>", views.lock_view, name="indicator-lock"),
    path("api/indicators/<str:code>/history", views.history_view, name="indicator-history"),
]
