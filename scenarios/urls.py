"""URLs of the scenarios app: spatial queries, indicators, scenarios and runs, OGC API - Processes."""

from django.urls import path

from scenarios.views import definitions, indicators, processes, query, runs

urlpatterns = [
    path("api/query", query.spatial_query, name="spatial-query"),
    path("api/indicators", indicators.indicator_list, name="indicator-list"),
    path("api/indicators/alerts", indicators.indicator_alerts, name="indicator-alerts"),
    path("api/indicators/<str:code>/values", indicators.indicator_values, name="indicator-values"),
    path("api/scenarios", definitions.scenario_collection, name="scenario-list"),
    path("api/violations", runs.violation_log, name="violation-log"),
    path("api/scenarios/<str:scenario_id>", runs.scenario_detail, name="scenario-detail"),
    path("api/scenarios/<str:scenario_id>/run", runs.scenario_run, name="scenario-run"),
    path("api/scenarios/<str:scenario_id>/definition", definitions.definition, name="scenario-definition"),
    path("api/scenarios/<str:scenario_id>/history", definitions.history, name="scenario-history"),
    path("api/scenarios/<str:scenario_id>/runs", runs.run_list, name="scenario-runs"),
    path("api/scenarios/<str:scenario_id>/runs/<str:run_id>", runs.run_detail, name="scenario-run-detail"),
    path("api/scenarios/<str:scenario_id>/runs/<str:run_id>/export", runs.run_export, name="scenario-run-export"),
    path("ogcapi/processes", processes.process_list, name="process-list"),
    path("ogcapi/processes/<str:process_id>", processes.process_detail, name="process-detail"),
    path("ogcapi/processes/<str:process_id>/execution", processes.process_execute, name="process-execute"),
    path("ogcapi/jobs", processes.job_list, name="job-list"),
    path("ogcapi/jobs/<str:job_id>", processes.job_detail, name="job-detail"),
    path("ogcapi/jobs/<str:job_id>/results", processes.job_results, name="job-results"),
]
