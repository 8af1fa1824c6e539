"""URLs of the alerts app."""

from django.urls import path

from alerts import views

urlpatterns = [
    path("api/alerts", views.alert_list, name="alerts-list"),
    path("api/alerts/<int:alert_id>", views.alert_detail, name="alerts-detail"),
    path("api/alerts/<int:alert_id>/acknowledge", views.alert_acknowledge, name="alerts-acknowledge"),
    path("api/alerts/<int:alert_id>/resolve", views.alert_resolve, name="alerts-resolve"),
]
