"""JSON documents of scenarios and runs, shared by the REST API, OGC API - Processes and the exports."""

from __future__ import annotations

from typing import Any

from layers.registry import registry
from mapserver.principal import Principal
from mapserver.scoping import layer_access
from scenarios.models import ScenarioRun
from scenarios.specs import ScenarioSpec

DEFAULT_COLOURS = ("#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628", "#f781bf", "#999999")


def runnable(principal: Principal, spec: ScenarioSpec) -> bool:
    """May the caller run it: every layer it reads must be readable by the caller (and the caller known)."""
    return not principal.is_anonymous and all(layer_access(principal, registry.get(x)).read for x in spec.layers)


def param_document(spec: ScenarioSpec) -> list[dict[str, Any]]:
    return [
        {
            "name": p.name,
            "default": p.default,
            "title": p.title,
            "title_en": p.title_en,
            "type": "number" if isinstance(p.default, (int, float)) else "string",
            "minimum": p.minimum,
            "maximum": p.maximum,
        }
        for p in spec.all_params
    ]


def scenario_document(spec: ScenarioSpec, principal: Principal) -> dict[str, Any]:
    """A scenario's declaration as clients see it."""
    return {
        "id": spec.id,
        "title": spec.title,
        "title_en": spec.title_en,
        "sector": spec.sector,
        "description": spec.description,
        "layers": list(spec.layers),
        "runnable": runnable(principal, spec),
        "steps": [
            {"id": s.id, "kind": type(s).__name__, "title": s.title, "title_en": s.title_en, "on_map": s.on_map}
            for s in spec.steps
        ],
        "alert_rules": [
            {
                "step": a.step,
                "metric": a.metric,
                "op": a.op,
                "threshold": a.threshold,
                "severity": a.severity,
                "on": a.on,
            }
            for a in spec.alerts
        ],
        "params": param_document(spec),
        "indicators": list(spec.indicators),
        "schedule_minutes": spec.schedule_minutes,
        "style": map_style(spec),
        "links": {
            "run": f"/api/scenarios/{spec.id}/run",
            "runs": f"/api/scenarios/{spec.id}/runs",
            "process": f"/ogcapi/processes/{spec.id}",
        },
    }


def map_style(spec: ScenarioSpec) -> dict[str, dict]:
    """Per map step: a colour (and optional attribute-driven colours) for the result layer."""
    style = {}
    mapped = [s for s in spec.steps if s.on_map]
    for number, step in enumerate(mapped):
        declared = spec.style.get(step.id, {})
        style[step.id] = {
            "title": step.title,
            "color": declared.get("color", DEFAULT_COLOURS[number % len(DEFAULT_COLOURS)]),
            "by": declared.get("by"),
            "colors": declared.get("colors", {}),
        }
    return style


def run_summary(run: ScenarioRun) -> dict[str, Any]:
    """A run in the history list: inputs, level, status and alert count."""
    result = run.result or {}
    return {
        "run_id": str(run.id),
        "scenario": run.scenario_id,
        "level": run.level,
        "status": run.status,
        "created_at": run.created_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "username": run.username,
        "area": run.area,
        "params": run.params,
        "alert_count": len(result.get("alerts", [])) + len(result.get("indicator_alerts", [])),
        "links": {"self": f"/api/scenarios/{run.scenario_id}/runs/{run.id}"},
    }


def run_document(run: ScenarioRun, spec: ScenarioSpec) -> dict[str, Any]:
    """A whole run: inputs, figures by step (groups), alerts, indicator misses, the map layer and its style."""
    result = run.result or {}
    base = f"/api/scenarios/{spec.id}/runs/{run.id}"
    return {
        **run_summary(run),
        "title": spec.title,
        "title_en": spec.title_en,
        "error": run.error,
        "area_m2": result.get("area_m2"),
        "communes": result.get("communes", []),
        "groups": result.get("groups", {}),
        "alerts": result.get("alerts", []),
        "no_recent_data": result.get("no_recent_data", []),
        "indicator_alerts": result.get("indicator_alerts", []),
        "map": {"geojson": run.map_geojson or {"type": "FeatureCollection", "features": []}, "style": map_style(spec)},
        "links": {"self": base, **{f"export_{f}": f"{base}/export?format={f}" for f in ("xlsx", "pdf", "html")}},
    }
