"""URLs of the scenarios app: spatial queries, indicators, scenarios and runs, OGC API - Processes."""
from django.urls import path

from scenarios import views_indicators, views_processes, views_query, views_scenarios

urlpatterns = [
    path("api/query", views_query.spatial_query, name="spatial-query"),
    path("api/indicators", views_indicators.indicator_list, name="indicator-list"),
    path("api/indicators/alerts", views_indicators.indicator_alerts, name="indicator-alerts"),
    path("api/indicators/<str:code>/values", views_indicators.indicator_values, name="indicator-values"),
    path("api/scenarios", views_scenarios.scenario_list, name="scenario-list"),
    path("api/violations", views_scenarios.violation_log, name="violation-log"),
    path("api/scenarios/<str:scenario_id>", views_scenarios.scenario_detail, name="scenario-detail"),
    path("api/scenarios/<str:scenario_id>/run", views_scenarios.scenario_run, name="scenario-run"),
    path("api/scenarios/<str:scenario_id>/runs", views_scenarios.run_list, name="scenario-runs"),
    path("api/scenarios/<str:scenario_id>/runs/<str:run_id>", views_scenarios.run_detail, name="scenario-run-detail"),
    path("api/scenarios/<str:scenario_id>/runs/<str:run_id>/export", views_scenarios.run_export, name="scenario-run-export"),
    path("ogcapi/processes", views_processes.process_list, name="process-list"),
    path("ogcapi/processes/<str:process_id>", views_processes.process_detail, name="process-detail"),
    path("ogcapi/processes/<str:process_id>/execution", views_processes.process_execute, name="process-execute"),
    path("ogcapi/jobs", views_processes.job_list, name="job-list"),
    path("ogcapi/jobs/<str:job_id>", views_processes.job_detail, name="job-detail"),
    path("ogcapi/jobs/<str:job_id>/results", views_processes.job_results, name="job-results"),
]
