"""URLs of the live app."""

from django.urls import path

from live import views

urlpatterns = [path("api/events", views.events, name="live-events")]
