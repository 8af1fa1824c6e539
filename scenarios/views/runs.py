"""GET /api/scenarios[/{id}], POST /api/scenarios/{id}/run, the run history and exports."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_POST

from mapserver import audit
from mapserver.csp import SANDBOXED_EXPORT
from mapserver.csrf import session_csrf
from mapserver.errors import InvalidParameterValue, NotFound
from mapserver.jsonio import JsonResponse
from mapserver.ratelimit import check_rate
from scenarios import documents, personal, runner, versions
from scenarios.http import instant_param, json_body, require_login
from scenarios.models import ScenarioRun, ViolationLog
from scenarios.specs import ScenarioSpec

API_LEVELS = {ScenarioRun.AD_HOC, ScenarioRun.ON_DEMAND}
HISTORY_LIMIT = 100


def get_spec(scenario_id: str) -> ScenarioSpec:
    spec = versions.get(scenario_id)
    if spec is None:
        raise NotFound(f"no scenario {scenario_id!r}")
    return spec


@require_GET
def scenario_list(request: HttpRequest) -> JsonResponse:
    """Every declared scenario, with whether the caller may run it."""
    return JsonResponse(
        {"scenarios": [documents.scenario_document(s, request.principal) for s in versions.all_specs()]}
    )


@require_GET
def scenario_detail(request: HttpRequest, scenario_id: str) -> JsonResponse:
    return JsonResponse(documents.scenario_document(get_spec(scenario_id), request.principal))


@session_csrf
@require_POST
def scenario_run(request: HttpRequest, scenario_id: str) -> JsonResponse:
    """Run on {"area": shape, "params": {...}, "level": "ad_hoc" | "on_demand"}; the run is kept (201)."""
    check_rate(request, "scenario_run")
    spec = get_spec(scenario_id)
    require_login(request)
    body = json_body(request)
    if not isinstance(body, dict) or "area" not in body:
        raise InvalidParameterValue('the body must be {"area": <query shape>, "params": {...}}')
    level = body.get("level", ScenarioRun.AD_HOC)
    if not isinstance(level, str) or level not in API_LEVELS:
        raise InvalidParameterValue(
            f"level must be one of {sorted(API_LEVELS)} (periodic runs come from the scheduler)"
        )
    run = runner.run_scenario(spec, request.principal, body["area"], body.get("params"), level)
    audit.record(request.principal, "scenario_run", scenario_id, run.id, request=request, level=level, area=run.area)
    personal.audit_counts(request, personal.run_counts(run, spec), run_id=str(run.id))
    response = JsonResponse(documents.run_document(run, spec), status=201)
    response["Location"] = f"/api/scenarios/{spec.id}/runs/{run.id}"
    return response


@require_GET
def run_list(request: HttpRequest, scenario_id: str) -> JsonResponse:
    """The caller-visible history of a scenario's runs, newest first (?level= filters)."""
    spec = get_spec(scenario_id)
    require_login(request)
    runs = runner.visible_runs(request.principal, spec)
    if request.GET.get("level"):
        runs = runs.filter(level=request.GET["level"])
    return JsonResponse({"runs": [documents.run_summary(r) for r in runs[:HISTORY_LIMIT]]})


@require_GET
def run_detail(request: HttpRequest, scenario_id: str, run_id: str) -> JsonResponse:
    spec = get_spec(scenario_id)
    require_login(request)
    run = runner.visible_run(request.principal, spec, run_id)
    personal.audit_counts(request, personal.run_counts(run, spec), run_id=str(run.id))
    return JsonResponse(documents.run_document(run, spec))


@require_GET
def run_export(request: HttpRequest, scenario_id: str, run_id: str) -> HttpResponse:
    """The run as ?format=xlsx, pdf or html (figures, alerts and a map)."""
    from scenarios.exports import export_run

    spec = get_spec(scenario_id)
    require_login(request)
    run = runner.visible_run(request.principal, spec, run_id)
    fmt = request.GET.get("format", "html")
    data, content_type, extension = export_run(run, spec, fmt)
    audit.record(request.principal, "scenario_export", scenario_id, run.id, request=request, format=fmt)
    personal.audit_counts(request, personal.run_counts(run, spec), run_id=str(run.id), format=fmt)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{spec.id}-{str(run.id)[:8]}.{extension}"'
    if fmt == "html":  # the offline report inlines its map library: sandboxed, with no network, if opened here
        response.csp = SANDBOXED_EXPORT
    return response


@require_GET
def violation_log(request: HttpRequest) -> JsonResponse:
    """The automatic violation log (readings over threshold), newest first; ?park=, ?sensor=, ?since=, ?limit=."""
    from scenarios.area_query import readable

    require_login(request)
    entries = readable(request.principal, "sensors").queryset(ViolationLog.objects.all(), "commune_code")
    if "\x00" in request.GET.get("park", "") + request.GET.get("sensor", ""):
        raise InvalidParameterValue("park and sensor must not contain NUL")
    if request.GET.get("park"):
        entries = entries.filter(park_name=request.GET["park"])
    if request.GET.get("sensor"):
        entries = entries.filter(sensor_code=request.GET["sensor"])
    if request.GET.get("since"):
        since = instant_param(request.GET["since"], "since")
        entries = entries.filter(observed_at__gte=since)
    limit = request.GET.get("limit", "500")
    if not limit.isdigit() or not 1 <= int(limit) <= 10_000:
        raise InvalidParameterValue("limit must be an integer between 1 and 10000")
    fields = (
        "sensor_code",
        "parameter",
        "unit",
        "park_name",
        "commune_code",
        "observed_at",
        "value",
        "threshold",
        "logged_at",
        "run_id",
    )
    rows = [
        {
            **row,
            "observed_at": row["observed_at"].isoformat(),
            "logged_at": row["logged_at"].isoformat(),
            "run_id": str(row["run_id"]) if row["run_id"] else None,
        }
        for row in entries.values(*fields)[: int(limit)]
    ]
    return JsonResponse({"violations": rows, "count": entries.count()})
