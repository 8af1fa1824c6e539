"""URLs of the SensorThings API."""

from django.urls import path, re_path

from sta import views

urlpatterns = [
    path("sta/v1.1", views.landing, name="sta-landing"),
    path("sta/v1.1/", views.landing),
    re_path(r"^sta/v1\.1/(?P<path>.+)$", views.resource, name="sta-resource"),
]
