"""URLs of the scheduler: its jobs and their runs."""

from django.urls import path

from scheduler import views

urlpatterns = [
    path("api/jobs", views.job_list, name="job-list-scheduler"),
    path("api/jobs/<str:name>/runs", views.job_runs, name="job-runs"),
]
