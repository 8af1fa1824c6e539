"""OGC API - Processes: each declared scenario is a process; a synchronous execution is a stored job (a run)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_POST

from layers.render import html_response, wants
from mapserver import audit
from mapserver.csrf import session_csrf
from mapserver.errors import InvalidParameterValue, NotFound
from mapserver.jsonio import JsonResponse
from mapserver.ratelimit import check_rate
from scenarios import documents, personal, runner, versions
from scenarios.http import json_body, require_login
from scenarios.models import ScenarioRun
from scenarios.specs import ScenarioSpec
from scenarios.views.runs import get_spec

AREA_SCHEMA = {
    "type": "object",
    "required": ["type"],
    "description": 'A query shape: {"type":"point","point":[lon,lat]}, {"type":"radius","center":[lon,lat],"radius_m":R}, '
    '{"type":"polygon","geometry":GeoJSON}, {"type":"commune","code":"26068"} or {"type":"province"}',
    "properties": {"type": {"type": "string", "enum": ["point", "radius", "polygon", "commune", "province"]}},
}


def _link(href: str, rel: str, title: str = "", media: str = "application/json") -> dict[str, str]:
    return {"href": href, "rel": rel, "type": media, **({"title": title} if title else {})}


def process_summary(spec: ScenarioSpec) -> dict[str, Any]:
    return {
        "id": spec.id,
        "title": spec.title_en,
        "description": f"{spec.title}. {spec.description}",
        "version": "1.0.0",
        "keywords": [spec.sector],
        "jobControlOptions": ["sync-execute"],
        "outputTransmission": ["value"],
        "links": [
            _link(f"/ogcapi/processes/{spec.id}", "self", "process description"),
            _link(f"/ogcapi/processes/{spec.id}/execution", "http://www.opengis.net/def/rel/ogc/1.0/execute"),
        ],
    }


def process_description(spec: ScenarioSpec) -> dict[str, Any]:
    """The OGC process description: inputs area and params, output result (the run document)."""
    properties = {
        p["name"]: {
            "type": p["type"],
            "default": p["default"],
            "title": p["title_en"],
            **({"minimum": p["minimum"]} if p["minimum"] is not None else {}),
            **({"maximum": p["maximum"]} if p["maximum"] is not None else {}),
        }
        for p in documents.param_document(spec)
    }
    return {
        **process_summary(spec),
        "inputs": {
            "area": {"title": "Analysis area", "minOccurs": 1, "maxOccurs": 1, "schema": AREA_SCHEMA},
            "params": {
                "title": "Scenario parameters",
                "minOccurs": 0,
                "maxOccurs": 1,
                "schema": {"type": "object", "properties": properties, "additionalProperties": False},
            },
        },
        "outputs": {
            "result": {
                "title": "Figures by group, alerts and the result map",
                "schema": {"type": "object", "contentMediaType": "application/json"},
            }
        },
    }


@require_GET
def process_list(request: HttpRequest) -> HttpResponse:
    document = {
        "processes": [process_summary(s) for s in versions.all_specs()],
        "links": [_link("/ogcapi/processes", "self")],
    }
    if wants(request) == "html":
        rows = [
            {"id": p["id"], "title": p.get("title", ""), "description": p.get("description", "")}
            for p in document["processes"]
        ]
        return html_response(request, "Processes", document, rows=rows)
    return JsonResponse(document)


@require_GET
def process_detail(request: HttpRequest, process_id: str) -> HttpResponse:
    document = process_description(get_spec(process_id))
    if wants(request) == "html":
        return html_response(request, str(document.get("title") or process_id), document)
    return JsonResponse(document)


@session_csrf
@require_POST
def process_execute(request: HttpRequest, process_id: str) -> JsonResponse:
    """Synchronous execution: {"inputs": {"area": ..., "params": {...}}} -> the result; the job stays queryable."""
    check_rate(request, "scenario_run")  # the same runs as POST /api/scenarios/{id}/run, so the same limit
    spec = get_spec(process_id)
    require_login(request)
    body = json_body(request)
    inputs = body.get("inputs") if isinstance(body, dict) else None
    if not isinstance(inputs, dict) or "area" not in inputs:
        raise InvalidParameterValue('the body must be {"inputs": {"area": <query shape>, "params": {...}}}')
    run = runner.run_scenario(spec, request.principal, inputs["area"], inputs.get("params"), ScenarioRun.ON_DEMAND)
    audit.record(request.principal, "process_execute", spec.id, run.id, request=request, area=run.area)
    personal.audit_counts(request, personal.run_counts(run, spec), run_id=str(run.id))
    response = JsonResponse({"result": documents.run_document(run, spec)})
    response["Location"] = f"/ogcapi/jobs/{run.id}"
    response["Link"] = f'</ogcapi/jobs/{run.id}>; rel="monitor"'
    return response


def _job(request: HttpRequest, job_id: str) -> tuple[ScenarioRun, ScenarioSpec]:
    require_login(request)
    run = ScenarioRun.objects.filter(pk=job_id).first() if runner.is_uuid(job_id) else None
    spec = versions.get(run.scenario_id) if run else None
    if spec is None:
        raise NotFound(f"no job {job_id}")
    return runner.visible_run(request.principal, spec, job_id), spec


def job_status(run: ScenarioRun) -> dict[str, Any]:
    return {
        "jobID": str(run.id),
        "processID": run.scenario_id,
        "type": "process",
        "status": run.status,
        "created": run.created_at.isoformat(),
        "finished": run.finished_at.isoformat() if run.finished_at else None,
        "progress": 100,
        "links": [
            _link(f"/ogcapi/jobs/{run.id}", "self"),
            _link(f"/ogcapi/jobs/{run.id}/results", "http://www.opengis.net/def/rel/ogc/1.0/results"),
        ],
    }


@require_GET
def job_list(request: HttpRequest) -> JsonResponse:
    """The caller's own jobs, newest first."""
    require_login(request)
    runs = ScenarioRun.objects.filter(username=request.principal.username)[:100]
    return JsonResponse({"jobs": [job_status(r) for r in runs], "links": [_link("/ogcapi/jobs", "self")]})


@require_GET
def job_detail(request: HttpRequest, job_id: str) -> JsonResponse:
    return JsonResponse(job_status(_job(request, job_id)[0]))


@require_GET
def job_results(request: HttpRequest, job_id: str) -> JsonResponse:
    run, spec = _job(request, job_id)
    personal.audit_counts(request, personal.run_counts(run, spec), run_id=str(run.id))
    return JsonResponse({"result": documents.run_document(run, spec)})
