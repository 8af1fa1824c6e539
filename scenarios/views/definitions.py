"""Adjusting scenarios without a release: GET/PUT /api/scenarios/{id}/definition, POST /api/scenarios (a new
scenario from the declared step kinds), GET /api/scenarios/{id}/history. Administrators change; staff read."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.views.decorators.http import require_http_methods

from mapserver import audit
from mapserver.csrf import session_csrf
from mapserver.errors import InvalidParameterValue, NotFound
from mapserver.jsonio import JsonResponse
from mapserver.scoping import require_admin, require_staff
from scenarios import definitions, sectors, versions
from scenarios.http import json_body
from scenarios.models import ScenarioVersion
from scenarios.views import runs

READ_REFUSAL = "scenario definitions are for province, department and commune staff"
WRITE_REFUSAL = "only administrators change scenario definitions"


def definition_document(scenario_id: str) -> dict[str, Any]:
    """The definition in force, its version, and the shipped declaration's document when there is one."""
    spec = versions.get(scenario_id)
    if spec is None:
        raise NotFound(f"no scenario {scenario_id!r}")
    shipped = sectors.get(scenario_id)
    return {
        "id": scenario_id,
        "version": versions.version_of(scenario_id),
        "shipped": shipped is not None,
        "definition": definitions.to_document(spec),
        "default": definitions.to_document(shipped) if shipped else None,
        "step_kinds": sorted(definitions.KINDS),
        "history": f"/api/scenarios/{scenario_id}/history",
    }


def _body(request: HttpRequest) -> tuple[Any, Any, Any]:
    """(definition, base_version, note) of a write: {"definition": {...}, "base_version": n, "note": "..."}."""
    body = json_body(request)
    if not isinstance(body, dict) or not isinstance(body.get("definition"), dict):
        raise InvalidParameterValue('the body must be {"definition": {...}, "base_version": n, "note": "..."}')
    unknown = sorted(set(body) - {"definition", "base_version", "note"})
    if unknown:
        raise InvalidParameterValue(f"{unknown[0]}: unknown field")
    base = body.get("base_version")
    if base is not None and (isinstance(base, bool) or not isinstance(base, int) or base < 0):
        raise InvalidParameterValue("base_version: must be a version number")
    return body["definition"], base, body.get("note", "")


def _saved(request: HttpRequest, scenario_id: str, row: ScenarioVersion | None, status: int) -> JsonResponse:
    if row is not None:  # None: the change changed nothing, no version was made
        audit.record(
            request.principal, "scenario_definition", row.scenario_id, row.version, request=request, diff=row.diff[:50]
        )
    response = JsonResponse(definition_document(scenario_id), status=status)
    response["Location"] = f"/api/scenarios/{scenario_id}/definition"
    return response


@session_csrf
@require_http_methods(["GET", "PUT"])
def definition(request: HttpRequest, scenario_id: str) -> JsonResponse:
    """GET the definition in force; PUT a change (the fields it names; a new version, in force at once in every
    process)."""
    if request.method == "GET":
        require_staff(request.principal, READ_REFUSAL)
        return JsonResponse(definition_document(scenario_id))
    require_admin(request.principal, WRITE_REFUSAL)
    document, base, note = _body(request)
    return _saved(request, scenario_id, versions.save(request.principal, scenario_id, document, base, note), 200)


@session_csrf
@require_http_methods(["GET", "POST"])
def scenario_collection(request: HttpRequest) -> JsonResponse:
    """GET: every scenario in force (runs.scenario_list); POST: define a new one (201)."""
    if request.method == "GET":
        return runs.scenario_list(request)
    require_admin(request.principal, WRITE_REFUSAL)
    document, _, note = _body(request)
    row = versions.save(request.principal, None, document, None, note)
    return _saved(request, row.scenario_id, row, 201)


def version_document(row: ScenarioVersion) -> dict[str, Any]:
    """One saved version: who, when, what changed."""
    return {
        "version": row.version,
        "by": row.created_by,
        "at": row.created_at,
        "note": row.note,
        "diff": row.diff,
    }


@require_http_methods(["GET"])
def history(request: HttpRequest, scenario_id: str) -> JsonResponse:
    """Every saved version, newest first; version 0 is the shipped declaration (when there is one)."""
    require_staff(request.principal, READ_REFUSAL)
    rows = [version_document(r) for r in versions.history(scenario_id)]
    if sectors.get(scenario_id) is not None:
        rows.append({"version": 0, "by": "", "at": None, "note": "shipped declaration", "diff": []})
    return JsonResponse({"id": scenario_id, "version": versions.version_of(scenario_id), "versions": rows})
