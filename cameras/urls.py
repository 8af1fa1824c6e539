"""URLs of the cameras app."""

from django.urls import path

from cameras import views

urlpatterns = [
    path("api/cameras/health", views.health, name="cameras-health"),
    path("hls/<int:camera_id>/<str:name>", views.hls, name="camera-hls"),
]
