"""How many rows of personal-data layers (houses) a spatial query or a scenario run hands out, for the audit."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from layers.registry import registry
from mapserver import audit
from scenarios.models import ScenarioRun
from scenarios.specs import ScenarioSpec, Select

SELECTIONS = ("select", "source", "target", "resources")


def _personal(layer_id: str) -> bool:
    return audit.is_personal(registry.get(layer_id))


def query_counts(answer: dict[str, Any]) -> dict[str, int]:
    """Per personal layer, the features (a page) or nearest features a /api/query answer lists."""
    counts = {}
    for layer_id, part in (answer.get("layers") or {}).items():
        if not isinstance(part, dict) or not _personal(layer_id):
            continue
        listed = len((part.get("features") or {}).get("features") or []) + len(part.get("nearest") or [])
        if listed:
            counts[layer_id] = listed
    return counts


def run_counts(run: ScenarioRun, spec: ScenarioSpec) -> dict[str, int]:
    """Per personal layer, the features of the run's map drawn from it (by the step that made each feature)."""
    layers_of_step = {}
    for step in spec.steps:
        personal = [
            s.layer for name in SELECTIONS if isinstance(s := getattr(step, name, None), Select) and _personal(s.layer)
        ]
        if personal:
            layers_of_step[step.id] = personal
    counts: dict[str, int] = {}
    if not layers_of_step:
        return counts
    for feature in (run.map_geojson or {}).get("features", []):
        for layer_id in layers_of_step.get((feature.get("properties") or {}).get("step"), ()):
            counts[layer_id] = counts.get(layer_id, 0) + 1
    return counts


def audit_counts(request: HttpRequest, counts: dict[str, int], **detail: Any) -> None:
    """One read_personal entry per personal layer with rows in the answer."""
    for layer_id, count in sorted(counts.items()):
        audit.record_personal_read(request, layer_id, count, **detail)
